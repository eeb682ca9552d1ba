/**
 * An emulator with the demo town's function environment on a data folder of its own, for a run that leaves nothing
 * behind: the demo, the bench and the test that runs the bench's town. `stop()` stops it and removes the folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator';
import { DEMO_FUNCTION_ENV } from '../demo-town';

export interface ScratchEmulator {
  emu: Emulator;
  stop(): Promise<void>;
}

export async function startScratchEmulator(
  functionsDir: string,
  options: { name: string; clockAt?: Date },
): Promise<ScratchEmulator> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `zjf-${options.name}-`));
  const emu = await startEmulator({
    port: 0,
    dataDir,
    functionsDir,
    quiet: true,
    functionEnv: DEMO_FUNCTION_ENV,
    ...(options.clockAt ? { clockAt: options.clockAt } : {}),
  });
  return {
    emu,
    stop: async () => {
      await emu.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
