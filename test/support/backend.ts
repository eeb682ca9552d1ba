/**
 * The backend under test: the built functions on the local emulator, called as real users would call them
 * (each call a worker with its own WeChat identity, the real wx-server-sdk). Budgets are read from the
 * emulator's per-invocation database request count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Emulator } from '../../emulator';
import { startEmulator } from '../../emulator';
import type { Envelope } from '../../miniprogram/core/envelope';
import { buildFunctions } from '../../scripts/build-functions';
import { buildTown, type BuiltVillage, type Call, type TownSpec } from '../../scripts/town-builder';

export const ADMIN = 'o-town-admin';

/**
 * Each test file builds the functions once into its own folder, so test files running in parallel (or a
 * developer's `npm run build` meanwhile) never see a half-written bundle.
 */
let built: Promise<string> | null = null;
function builtFunctions(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-functions-'));
    await buildFunctions(dir);
    return dir;
  })();
  return built;
}

export interface Backend {
  emu: Emulator;
  dataDir: string;
  call: Call;
  /** Calls and returns the envelope and the database requests the invocation made. */
  measure(
    fn: string,
    action: string,
    input: unknown,
    openid: string,
  ): Promise<{ res: Envelope<unknown>; dbRequests: number }>;
  /** Stops the emulator; the data stays when `keepData` (to restart on it, e.g. with the clock moved on). */
  stop(keepData?: boolean): Promise<void>;
}

export async function startBackend(
  env: Record<string, string> = {},
  reuseDataDir?: string,
): Promise<Backend> {
  const functionsDir = await builtFunctions();
  const dataDir = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-backend-'));
  const emu = await startEmulator({
    port: 0,
    dataDir,
    functionsDir,
    quiet: true,
    functionEnv: {
      TOWN_ADMINS: ADMIN,
      TOWN_ID: 'fulu',
      TPL_CLAIM_DECIDED: 'tpl-claim-decided',
      TPL_OBJECTION_DECIDED: 'tpl-objection-decided',
      TPL_BLACK_BOARD: 'tpl-black-board',
      ...env,
    },
  });
  const measure = async (fn: string, action: string, input: unknown, openid: string) => {
    const { result, dbRequests } = await emu.invoke(fn, { action, input }, { openid });
    return { res: result as Envelope<unknown>, dbRequests };
  };
  return {
    emu,
    dataDir,
    measure,
    call: async (fn, action, input, openid) => (await measure(fn, action, input, openid)).res,
    stop: async (keepData = false) => {
      await emu.stop();
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small town for tests: 斑竹村 (two groups, masked names) and 来凤村. */
export const TEST_TOWN: TownSpec = {
  name: '福禄镇',
  adminOpenid: ADMIN,
  villages: [
    {
      id: 'banzhu',
      name: '斑竹村',
      groups: ['一组', '二组'],
      nameDisplay: 'masked',
      csv: [
        '户号,村民小组,姓名,与户主关系,是否党员,住址',
        '1,一组,何雄梅,户主,否,斑竹村一组1号',
        '1,一组,何小明,子女,否,',
        '2,一组,傅红,户主,是,斑竹村一组2号',
        '2,一组,傅大爷,父母,否,',
        '3,二组,万有志,户主,否,斑竹村二组3号',
        '4,二组,罗亚倩,户主,是,斑竹村二组4号',
        '5,二组,胡焱,户主,否,斑竹村二组5号',
      ].join('\n'),
      people: [
        { openid: 'o-he', name: '何雄梅' },
        { openid: 'o-he-son', name: '何小明' },
        { openid: 'o-fu', name: '傅红', roles: ['groupLeader'] },
        { openid: 'o-wan', name: '万有志', roles: ['supervisor'] },
        { openid: 'o-luo', name: '罗亚倩', roles: ['villageCadre'] },
        { openid: 'o-hu', name: '胡焱', roles: ['villageCadre'] },
      ],
    },
    {
      id: 'laifeng',
      name: '来凤村',
      groups: ['一组'],
      nameDisplay: 'full',
      csv: [
        '户号,村民小组,姓名,与户主关系,是否党员,住址',
        '1,一组,张三,户主,否,',
        '2,一组,李四,户主,否,',
      ].join('\n'),
      people: [
        { openid: 'o-zhang', name: '张三', roles: ['villageCadre'] },
        { openid: 'o-li', name: '李四' },
      ],
    },
  ],
};

export async function startTown(
  env: Record<string, string> = {},
): Promise<Backend & { town: Record<string, BuiltVillage> }> {
  const backend = await startBackend(env);
  const town = await buildTown(backend.call, TEST_TOWN);
  return { ...backend, town };
}

/** The data of an ok envelope, failing the test with the error otherwise. */
export function data<T>(res: Envelope<unknown>): T {
  if (!res.ok)
    throw new Error(
      `expected ok, got ${res.error.code}: ${res.error.message} ${JSON.stringify(res.error.details ?? {})}`,
    );
  return res.data as T;
}

export function errorOf(res: Envelope<unknown>) {
  if (res.ok) throw new Error(`expected an error, got ${JSON.stringify(res.data)}`);
  return res.error;
}
