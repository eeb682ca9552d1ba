/**
 * The deploy planner: pure. Given what the repository wants (collections and indexes from
 * `cloudfunctions/schema.json`, the built functions with their settings, the storage rule) and what the
 * CloudBase environment has (or nothing), it returns the steps that turn the one into the other. No network,
 * no file system: `scripts/deploy/desired.ts` reads the repository, `scripts/deploy/state.ts` reads the
 * environment and `scripts/deploy/apply.ts` carries the steps out with @cloudbase/manager-node.
 */

import type { CollectionSpec, IndexKey, IndexSpec, Schema } from '../../emulator/schema';

export type { CollectionSpec, IndexKey, IndexSpec, Schema };

/**
 * Every collection is closed to direct client access: only the functions (admin) read and write. The
 * mini-program never touches the database; `ADMINONLY` is CloudBase's preset for `{read: false, write: false}`.
 */
export const COLLECTION_PERMISSION = 'ADMINONLY';

export interface StorageRule {
  read: boolean | string;
  write: boolean | string;
}

/**
 * Cloud storage: nobody reads from the client (photos and sheets are read by the functions); a signed-in user
 * may only write files they own (`resource.openid == auth.openid`: no overwriting or deleting someone else's
 * file) and only under `claims/<openid>/…` or `imports/<openid>/…`. The functions then accept only files under
 * the caller's own openid (`claims/<openid>/`, `imports/<openid>/`), so a path naming another user is useless.
 */
export const STORAGE_RULE: StorageRule = {
  read: false,
  write:
    'auth != null && resource.openid == auth.openid && (/^claims\\/[^/]+\\/.+/.test(resource.path) == true || /^imports\\/[^/]+\\/.+/.test(resource.path) == true)',
};

/** The environment variable that records which build of the code a deployed function runs. */
export const CODE_HASH_VAR = 'ZJF_CODE_SHA256';

export interface FunctionSpec {
  name: string;
  /** The built folder (`build/cloudfunctions/<name>`), uploaded as the function's code. */
  dir: string;
  /** sha256 of the built files: compared with the deployed function's `ZJF_CODE_SHA256`. */
  codeHash: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  /** Everything the function gets in its environment, `ZJF_CODE_SHA256` included. */
  envVariables: Record<string, string>;
  /** Cloud-call (openapi) permissions from the function's config.json, e.g. `subscribeMessage.send`. */
  openapi: string[];
  /** Timer triggers from the function's config.json (`{name, type: 'timer', config: cron}`). */
  triggers: TriggerSpec[];
}

/**
 * The big screen: its page on CloudBase static hosting (under `screen/`, with a marker file naming the page's
 * build) and the HTTP access service route that reaches the `screen` function without a WeChat login.
 */
export interface ScreenSpec {
  functionName: string;
  accessPath: string;
  hostingPath: string;
  /** sha256 of the page's sources (web/screen): the marker `screen/build-<hash>.txt` says which page is up. */
  pageHash: string;
}

export interface TriggerSpec {
  name: string;
  type: string;
  config: string;
}

const sameTriggers = (a: readonly TriggerSpec[], b: readonly TriggerSpec[]): boolean => {
  const key = (list: readonly TriggerSpec[]) =>
    JSON.stringify([...list].map((t) => [t.name, t.type, t.config]).sort());
  return key(a) === key(b);
};

export interface DesiredState {
  schema: Schema;
  functions: FunctionSpec[];
  storageRule: StorageRule;
  /** null when the build has no `screen` function. */
  screen?: ScreenSpec | null;
}

export interface CurrentCollection {
  indexes: IndexSpec[];
  /** `ADMINONLY`, `CUSTOM`, … or null when unknown. */
  permission: string | null;
}

export interface CurrentFunction {
  runtime: string;
  timeout: number;
  memorySize: number;
  envVariables: Record<string, string>;
  triggers?: TriggerSpec[];
}

export interface CurrentState {
  collections: Record<string, CurrentCollection>;
  functions: Record<string, CurrentFunction>;
  storage: { acl: string; rule: StorageRule | null } | null;
  /** Static hosting: whether it is on, and the page build its marker names (null: none). */
  hosting?: { enabled: boolean; pageHash: string | null } | null;
  /** Paths of the HTTP access service that exist. */
  accessPaths?: string[];
}

/** The state of a brand-new environment: what `--dry-run` plans against. */
export const NOTHING: CurrentState = {
  collections: {},
  functions: {},
  storage: null,
  hosting: null,
  accessPaths: [],
};

export type Step =
  | { kind: 'createCollection'; collection: string }
  | { kind: 'createIndex'; collection: string; index: IndexSpec }
  | { kind: 'dropIndex'; collection: string; index: string; reason: string }
  | { kind: 'setCollectionRule'; collection: string; permission: string; from: string | null }
  | { kind: 'createFunction'; fn: FunctionSpec }
  | { kind: 'updateFunctionCode'; fn: FunctionSpec }
  | { kind: 'updateFunctionConfig'; fn: FunctionSpec; changes: string[] }
  | { kind: 'setStorageRule'; rule: StorageRule; from: string | null }
  | { kind: 'enableHosting' }
  | { kind: 'uploadScreenPage'; screen: ScreenSpec }
  | { kind: 'createAccess'; screen: ScreenSpec }
  | { kind: 'setTriggers'; fn: FunctionSpec; from: TriggerSpec[] };

export interface Plan {
  steps: Step[];
  /** Differences the deploy does not change by itself (told, never silently ignored). */
  notes: string[];
}

/** What an environment looks like once a plan for `desired` has been applied (used to check idempotence). */
export function appliedState(desired: DesiredState): CurrentState {
  const collections: Record<string, CurrentCollection> = {};
  for (const c of desired.schema.collections) {
    collections[c.name] = {
      indexes: [{ name: '_id_', keys: [{ field: '_id', direction: 1 }], unique: true }, ...c.indexes],
      permission: COLLECTION_PERMISSION,
    };
  }
  const functions: Record<string, CurrentFunction> = {};
  for (const fn of desired.functions) {
    functions[fn.name] = {
      runtime: fn.runtime,
      timeout: fn.timeout,
      memorySize: fn.memorySize,
      envVariables: { ...fn.envVariables },
      triggers: fn.triggers.map((t) => ({ ...t })),
    };
  }
  return {
    collections,
    functions,
    storage: { acl: 'CUSTOM', rule: { ...desired.storageRule } },
    hosting: desired.screen ? { enabled: true, pageHash: desired.screen.pageHash } : null,
    accessPaths: desired.screen ? [desired.screen.accessPath] : [],
  };
}

/** Indexes every collection has on its own. */
const BUILT_IN_INDEXES = new Set(['_id_']);

export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return (
    a.unique === b.unique &&
    a.keys.length === b.keys.length &&
    a.keys.every((k, i) => k.field === b.keys[i].field && k.direction === b.keys[i].direction)
  );
}

function sameRule(a: StorageRule | null, b: StorageRule): boolean {
  return a !== null && a.read === b.read && a.write === b.write;
}

function envDiff(current: Record<string, string>, wanted: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)]);
  return [...keys].filter((k) => current[k] !== wanted[k]).sort();
}

export function planDeploy(desired: DesiredState, current: CurrentState): Plan {
  const steps: Step[] = [];
  const notes: string[] = [];

  for (const collection of desired.schema.collections) {
    const existing = current.collections[collection.name];
    if (!existing) steps.push({ kind: 'createCollection', collection: collection.name });
    const have = existing?.indexes ?? [];
    for (const index of collection.indexes) {
      const found = have.find((i) => i.name === index.name);
      if (found && sameIndex(found, index)) continue;
      if (found) {
        steps.push({
          kind: 'dropIndex',
          collection: collection.name,
          index: index.name,
          reason: 'definition changed',
        });
      }
      steps.push({ kind: 'createIndex', collection: collection.name, index });
    }
    for (const extra of have) {
      if (BUILT_IN_INDEXES.has(extra.name)) continue;
      if (!collection.indexes.some((i) => i.name === extra.name)) {
        notes.push(`${collection.name}: index ${extra.name} is not in schema.json (kept)`);
      }
    }
    if (existing?.permission !== COLLECTION_PERMISSION) {
      steps.push({
        kind: 'setCollectionRule',
        collection: collection.name,
        permission: COLLECTION_PERMISSION,
        from: existing?.permission ?? null,
      });
    }
  }
  const declared = new Set(desired.schema.collections.map((c) => c.name));
  for (const name of Object.keys(current.collections).sort()) {
    if (!declared.has(name)) notes.push(`collection ${name} is not in schema.json (kept)`);
  }

  for (const fn of desired.functions) {
    const existing = current.functions[fn.name];
    if (!existing) {
      steps.push({ kind: 'createFunction', fn });
      if (fn.triggers.length > 0) steps.push({ kind: 'setTriggers', fn, from: [] });
      continue;
    }
    if (existing.envVariables[CODE_HASH_VAR] !== fn.codeHash) steps.push({ kind: 'updateFunctionCode', fn });
    const changes: string[] = [];
    if (existing.timeout !== fn.timeout) changes.push('timeout');
    if (existing.memorySize !== fn.memorySize) changes.push('memorySize');
    changes.push(...envDiff(existing.envVariables, fn.envVariables).map((k) => `env ${k}`));
    if (changes.length > 0) steps.push({ kind: 'updateFunctionConfig', fn, changes });
    if (!sameTriggers(existing.triggers ?? [], fn.triggers))
      steps.push({ kind: 'setTriggers', fn, from: existing.triggers ?? [] });
    if (existing.runtime !== fn.runtime) {
      notes.push(
        `${fn.name}: runs ${existing.runtime}, config asks ${fn.runtime}; a runtime is fixed when a function is created (delete it in the console to recreate)`,
      );
    }
  }

  const storage = current.storage;
  if (!storage || storage.acl !== 'CUSTOM' || !sameRule(storage.rule, desired.storageRule)) {
    steps.push({ kind: 'setStorageRule', rule: desired.storageRule, from: storage?.acl ?? null });
  }

  const screen = desired.screen;
  if (screen) {
    if (!current.hosting?.enabled) steps.push({ kind: 'enableHosting' });
    if (current.hosting?.pageHash !== screen.pageHash) steps.push({ kind: 'uploadScreenPage', screen });
    if (!(current.accessPaths ?? []).includes(screen.accessPath))
      steps.push({ kind: 'createAccess', screen });
  }
  return { steps, notes };
}

/** The names of the variables whose values are secrets: masked whenever a plan is printed. */
export const SECRET_VARS = new Set(['CARD_TOKEN_SECRET', 'QR_SECRET', 'ADMIN_API_KEY', 'SCREEN_SECRET']);

/** The dry run shows required variables that are not configured yet as `<NAME>`. */
const isUnset = (v: string): boolean => v === '' || /^<.*>$/.test(v);

function showEnv(env: Record<string, string>): string {
  return Object.keys(env)
    .sort()
    .map((k) => {
      const v = env[k];
      if (k === CODE_HASH_VAR) return `${k}=${v.slice(0, 12)}…`;
      if (isUnset(v)) return `${k}=(not set)`;
      if (SECRET_VARS.has(k)) return `${k}=***(${v.length} chars)`;
      return `${k}=${v || '(empty)'}`;
    })
    .join(', ');
}

function showKeys(index: IndexSpec): string {
  const keys = index.keys.map((k) => `${k.field} ${k.direction === 1 ? 'asc' : 'desc'}`).join(', ');
  return `${index.name} (${keys}${index.unique ? ', unique' : ''})`;
}

/** One line per step, for people: what will happen and with which settings (secrets masked). */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'createCollection':
      return `create collection ${step.collection}`;
    case 'createIndex':
      return `create index ${step.collection}.${showKeys(step.index)}`;
    case 'dropIndex':
      return `drop index ${step.collection}.${step.index} (${step.reason})`;
    case 'setCollectionRule':
      return `set rule on ${step.collection}: ${step.permission} (client read false, write false)${step.from ? `, was ${step.from}` : ''}`;
    case 'createFunction':
      return `create function ${step.fn.name}: ${step.fn.runtime}, timeout ${step.fn.timeout}s, memory ${step.fn.memorySize}MB, openapi [${step.fn.openapi.join(', ')}], env {${showEnv(step.fn.envVariables)}}`;
    case 'setTriggers':
      return `set timer triggers of ${step.fn.name}: ${step.fn.triggers.map((t) => `${t.name} (${t.config})`).join(', ') || 'none'}${step.from.length ? ` (was ${step.from.map((t) => `${t.name} (${t.config})`).join(', ')})` : ''}`;
    case 'updateFunctionCode':
      return `update function code ${step.fn.name} (build ${step.fn.codeHash.slice(0, 12)}…)`;
    case 'updateFunctionConfig':
      return `update function config ${step.fn.name}: ${step.changes.join(', ')}`;
    case 'setStorageRule':
      return `set storage rule: read ${JSON.stringify(step.rule.read)}, write ${JSON.stringify(step.rule.write)}${step.from ? ` (was ${step.from})` : ''}`;
    case 'enableHosting':
      return 'enable static hosting (静态网站托管) for the big screen';
    case 'uploadScreenPage':
      return `upload the big screen's page to static hosting ${step.screen.hostingPath}/ (build ${step.screen.pageHash.slice(0, 12)}…), calling the HTTP access service's ${step.screen.accessPath}`;
    case 'createAccess':
      return `create HTTP access route ${step.screen.accessPath} → function ${step.screen.functionName} (no login: the display link's signed token is the credential)`;
  }
}
