/**
 * Once per jest run: build the cloud functions into one temporary folder that every emulator-backed test file
 * uses (test/support/backend.ts reads ZJF_FUNCTIONS_DIR), instead of each file bundling them again. A caller that
 * runs jest many times (scripts/test-alone.ts) builds once and names its build in ZJF_FUNCTIONS_DIR; that build
 * is used as it is and left for the caller to remove.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../scripts/build-functions';

export default async function globalSetup(): Promise<void> {
  const given = process.env.ZJF_FUNCTIONS_DIR;
  if (given && fs.existsSync(path.join(given, 'points', 'index.js'))) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-functions-'));
  await buildFunctions(dir);
  process.env.ZJF_FUNCTIONS_DIR = dir;
  process.env.ZJF_FUNCTIONS_DIR_OWNED = '1';
}
