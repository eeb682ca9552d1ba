// Public API of the local CloudBase emulator (see emulator/README.md).
import type { Emulator, EmulatorOptions } from './server';
import { EmulatorServer } from './server';

export type { Emulator, EmulatorOptions, InvokeResult, InvokeError } from './server';
export type { Identity } from './functions';
export type { FileRecord, OutboxEntry } from './store';
export type { Schema, CollectionSpec, IndexSpec } from './schema';
export { loadSchema, parseSchema } from './schema';
export { DEFAULT_RISKY_WORDS, REPO_ROOT } from './server';

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const emu = new EmulatorServer(opts);
  try {
    await emu.listen(opts.port ?? 0);
  } catch (e) {
    emu.store.close();
    throw e;
  }
  return emu;
}

/**
 * The environment variables that point wx-server-sdk / @cloudbase/node-sdk in THIS process at the emulator,
 * as admin (no user identity). Applies them to process.env unless `apply` is false, and returns them.
 */
export function adminEnv(
  emu: Pick<Emulator, 'envId' | 'tcbContextConfig'>,
  apply = true,
): Record<string, string> {
  const vars: Record<string, string> = {
    TCB_CONTEXT_CNFG: emu.tcbContextConfig,
    TENCENTCLOUD_SECRETID: 'local-emulator-secret-id',
    TENCENTCLOUD_SECRETKEY: 'local-emulator-secret-key',
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SCF_NAMESPACE: emu.envId,
    TCB_ENV: emu.envId,
  };
  if (apply) Object.assign(process.env, vars);
  return vars;
}
