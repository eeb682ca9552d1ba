/**
 * Once per jest run: build the cloud functions into one temporary folder that every emulator-backed test file
 * uses (test/support/backend.ts reads ZJF_FUNCTIONS_DIR), instead of each file bundling them again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build-functions';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-functions-'));
  await buildFunctions(dir);
  process.env.ZJF_FUNCTIONS_DIR = dir;
}
