/**
 * What the repository wants deployed: the schema file, every built function in `build/cloudfunctions/` with
 * its config.json (timeout, envVariables, permissions.openapi), the deploy settings and the storage rule.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CLOCK_OFFSET_VAR, EMULATOR_MARKER } from '../../cloudfunctions/common/clock';
import { DEFAULT_TIMEOUT_S, envFor, REPO_ROOT, type DeployConfig } from './config';
import {
  CODE_HASH_VAR,
  STORAGE_RULE,
  type DesiredState,
  type FunctionSpec,
  type Schema,
  type ScreenSpec,
} from './plan';

export const SCHEMA_PATH = path.join(REPO_ROOT, 'cloudfunctions', 'schema.json');
export const BUILT_FUNCTIONS_DIR = path.join(REPO_ROOT, 'build', 'cloudfunctions');

export function readSchema(file = SCHEMA_PATH): Schema {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
  return {
    collections: raw.collections.map((c) => ({
      name: c.name,
      indexes: c.indexes.map((i) => ({
        name: i.name,
        keys: i.keys.map((k) => ({ field: k.field, direction: k.direction })),
        unique: Boolean(i.unique),
      })),
    })),
  };
}

interface FunctionConfigFile {
  timeout?: number;
  memorySize?: number;
  envVariables?: Record<string, string>;
  permissions?: { openapi?: string[] };
  triggers?: { name: string; type: string; config: string }[];
}

function filesOf(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesOf(path.join(dir, d.name)) : [path.join(dir, d.name)]))
    .sort();
}

/** sha256 over the built folder's files (names and contents): the same build gives the same hash. */
export function hashDir(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesOf(dir)) {
    hash.update(path.relative(dir, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Variables only the local emulator sets (its clock control): a production function never gets them. */
const EMULATOR_ONLY = new Set([EMULATOR_MARKER, CLOCK_OFFSET_VAR, 'CLOCK_OFFSET_DAYS']);

export function refuseEmulatorOnly(fn: string, env: Record<string, string>): void {
  const found = Object.keys(env).filter((k) => EMULATOR_ONLY.has(k));
  if (found.length > 0)
    throw new Error(
      `函数 ${fn} 的环境变量 ${found.join('、')} 只属于本地模拟器（时钟调整），不能部署到生产环境 / ` +
        `${found.join(', ')} are emulator-only (the clock control) and are never deployed`,
    );
}

export function readBuiltFunctions(config: DeployConfig, dir = BUILT_FUNCTIONS_DIR): FunctionSpec[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'index.js')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const fnDir = path.join(dir, name);
      const configFile = path.join(fnDir, 'config.json');
      const fnConfig: FunctionConfigFile = fs.existsSync(configFile)
        ? (JSON.parse(fs.readFileSync(configFile, 'utf8')) as FunctionConfigFile)
        : {};
      const codeHash = hashDir(fnDir);
      const envVariables = {
        ...fnConfig.envVariables,
        ...envFor(name, config.functionEnv),
        [CODE_HASH_VAR]: codeHash,
      };
      refuseEmulatorOnly(name, envVariables);
      return {
        name,
        dir: fnDir,
        codeHash,
        runtime: config.runtime,
        timeout: fnConfig.timeout ?? DEFAULT_TIMEOUT_S,
        memorySize: fnConfig.memorySize ?? config.memorySize,
        envVariables,
        openapi: fnConfig.permissions?.openapi ?? [],
        triggers: fnConfig.triggers ?? [],
      };
    });
}

export const SCREEN_PAGE_DIR = path.join(REPO_ROOT, 'web', 'screen');

/** The big screen, when the build has its function: the page's sources hashed, the route it calls. */
export function screenSpec(functions: FunctionSpec[]): ScreenSpec | null {
  if (!functions.some((f) => f.name === 'screen')) return null;
  return {
    functionName: 'screen',
    accessPath: '/screen-api',
    hostingPath: 'screen',
    pageHash: hashDir(SCREEN_PAGE_DIR),
  };
}

export function desiredState(config: DeployConfig, functionsDir = BUILT_FUNCTIONS_DIR): DesiredState {
  const functions = readBuiltFunctions(config, functionsDir);
  return {
    schema: readSchema(),
    functions,
    storageRule: STORAGE_RULE,
    screen: screenSpec(functions),
  };
}
