/** Removes the run's shared build of the cloud functions when this run made it (see global-setup.ts). */
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.ZJF_FUNCTIONS_DIR;
  if (dir && process.env.ZJF_FUNCTIONS_DIR_OWNED === '1') fs.rmSync(dir, { recursive: true, force: true });
}
