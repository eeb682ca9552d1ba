/**
 * The network side of the deploy, on the official @cloudbase/manager-node: reads what the environment has
 * (`readCurrentState`) and carries out planned steps (`applyStep`). Only loaded for a real deploy; the
 * planner and the dry run never import it.
 */
import CloudBase from '@cloudbase/manager-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeScreenPage } from '../../web/screen/build';
import type { DeployConfig } from './config';
import {
  CODE_HASH_VAR,
  describeStep,
  type CurrentCollection,
  type CurrentFunction,
  type CurrentState,
  type DesiredState,
  type IndexSpec,
  type ScreenSpec,
  type Step,
  type StorageRule,
} from './plan';

export type Manager = InstanceType<typeof CloudBase>;

export function connect(config: DeployConfig): Manager {
  return new CloudBase({
    envId: config.envId,
    secretId: config.secretId,
    secretKey: config.secretKey,
    token: config.token || undefined,
    region: config.region,
  });
}

interface RawIndex {
  Name: string;
  Keys?: { Name?: string; Direction?: string }[];
  Unique?: boolean;
}

function toIndex(raw: RawIndex): IndexSpec {
  return {
    name: raw.Name,
    keys: (raw.Keys ?? []).map((k) => ({
      field: k.Name ?? '',
      direction: Number(k.Direction) === -1 ? -1 : 1,
    })),
    unique: Boolean(raw.Unique),
  };
}

async function listAllCollections(app: Manager): Promise<string[]> {
  const names: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await app.database.listCollections({ MgoLimit: 100, MgoOffset: offset });
    names.push(...page.Collections.map((c) => c.CollectionName));
    if (page.Collections.length < 100) break;
  }
  return names;
}

async function collectionPermissions(app: Manager, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i += 100) {
    const res = await app.permission.describeResourcePermission({
      resourceType: 'collection',
      resources: names.slice(i, i + 100),
    });
    for (const p of res.Data.PermissionList ?? []) {
      if (p.Resource && p.Permission) out[p.Resource] = p.Permission;
    }
  }
  return out;
}

async function listAllFunctions(app: Manager): Promise<string[]> {
  const names: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await app.functions.listFunctions(100, offset);
    names.push(...page.map((f) => f.FunctionName));
    if (page.length < 100) break;
  }
  return names;
}

/** Reads only what the plan compares: the declared collections, the repository's functions, storage. */
export async function readCurrentState(app: Manager, desired: DesiredState): Promise<CurrentState> {
  const existing = new Set(await listAllCollections(app));
  const collections: Record<string, CurrentCollection> = {};
  const permissions = await collectionPermissions(app, [...existing]);
  for (const name of existing) {
    const declared = desired.schema.collections.some((c) => c.name === name);
    const table = declared ? await app.database.describeCollection(name) : { Indexes: [] };
    collections[name] = {
      indexes: ((table.Indexes ?? []) as RawIndex[]).map(toIndex),
      permission: permissions[name] ?? null,
    };
  }
  const deployed = new Set(await listAllFunctions(app));
  const functions: Record<string, CurrentFunction> = {};
  for (const fn of desired.functions) {
    if (!deployed.has(fn.name)) continue;
    const detail = await app.functions.getFunctionDetail(fn.name);
    const envVariables: Record<string, string> = {};
    for (const v of detail.Environment?.Variables ?? []) envVariables[v.Key] = String(v.Value ?? '');
    functions[fn.name] = {
      runtime: detail.Runtime,
      timeout: detail.Timeout,
      memorySize: detail.MemorySize,
      envVariables,
      triggers: (detail.Triggers ?? []).map((t) => ({
        name: t.TriggerName || t.Name,
        type: t.Type,
        config: t.Config || cronOf(t.TriggerDesc),
      })),
    };
  }
  const storage = await app.storage.getStorageAcl({ withRule: true });
  return {
    collections,
    functions,
    storage: { acl: storage.acl, rule: (storage.rule as StorageRule | undefined) ?? null },
    ...(desired.screen ? await readScreenState(app, desired.screen) : {}),
  };
}

/** Static hosting (on, and which page build its marker names) and whether the screen's route exists. */
async function readScreenState(
  app: Manager,
  screen: ScreenSpec,
): Promise<Pick<CurrentState, 'hosting' | 'accessPaths'>> {
  let hosting: CurrentState['hosting'] = { enabled: false, pageHash: null };
  try {
    const info = await app.hosting.getInfo();
    if (info.some((h) => h.Status === 'online')) {
      const files = await app.hosting.listFiles();
      const marker = files.map((f) => f.Key).find((k) => k.startsWith(`${screen.hostingPath}/build-`));
      hosting = {
        enabled: true,
        pageHash: marker ? marker.slice(`${screen.hostingPath}/build-`.length, -4) : null,
      };
    }
  } catch {
    // Not enabled yet: getInfo fails on an environment without static hosting.
  }
  const access = await app.access.getAccessList({ path: screen.accessPath });
  return { hosting, accessPaths: (access.APISet ?? []).map((a) => a.Path) };
}

/** The address of the screen's page on static hosting (for SCREEN_URL), once hosting is on. */
export async function screenPageUrl(app: Manager, screen: ScreenSpec): Promise<string | null> {
  const info = await app.hosting.getInfo().catch(() => []);
  const domain = info.find((h) => h.CdnDomain)?.CdnDomain;
  return domain ? `https://${domain}/${screen.hostingPath}/index.html` : null;
}

/** A timer trigger's cron as SCF describes it in TriggerDesc (JSON with a `cron` key), when Config is empty. */
function cronOf(desc: string | undefined): string {
  try {
    return (JSON.parse(desc ?? '{}') as { cron?: string }).cron ?? '';
  } catch {
    return desc ?? '';
  }
}

function functionParams(step: Extract<Step, { fn: unknown }>) {
  const { fn } = step;
  return {
    name: fn.name,
    runtime: fn.runtime,
    timeout: fn.timeout,
    memorySize: fn.memorySize,
    envVariables: fn.envVariables,
    // The platform installs wx-server-sdk from the function's package.json ("云端安装依赖").
    installDependency: true,
    handler: 'index.main',
  };
}

export async function applyStep(app: Manager, step: Step): Promise<void> {
  switch (step.kind) {
    case 'createCollection':
      await app.database.createCollectionIfNotExists(step.collection);
      return;
    case 'dropIndex':
      await app.database.updateCollection(step.collection, { DropIndexes: [{ IndexName: step.index }] });
      return;
    case 'createIndex':
      await app.database.updateCollection(step.collection, {
        CreateIndexes: [
          {
            IndexName: step.index.name,
            MgoKeySchema: {
              MgoIndexKeys: step.index.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) })),
              MgoIsUnique: step.index.unique,
            },
          },
        ],
      });
      return;
    case 'setCollectionRule':
      await app.permission.modifyResourcePermission({
        resourceType: 'collection',
        resource: step.collection,
        permission: 'ADMINONLY',
      });
      return;
    case 'createFunction':
      await app.functions.createFunction({
        func: functionParams(step),
        functionPath: step.fn.dir,
        force: false,
      });
      return;
    case 'updateFunctionCode': {
      // The code first, then the config that records which build runs (see CODE_HASH_VAR).
      const { envVariables: _env, ...func } = functionParams(step);
      await app.functions.updateFunctionCode({ func, functionPath: step.fn.dir });
      return;
    }
    case 'updateFunctionConfig':
      await app.functions.updateFunctionConfig(functionParams(step));
      return;
    case 'setTriggers':
      for (const old of step.from) await app.functions.deleteFunctionTrigger(step.fn.name, old.name);
      if (step.fn.triggers.length > 0)
        await app.functions.createFunctionTriggers(step.fn.name, step.fn.triggers);
      return;
    case 'setStorageRule':
      await app.storage.setStorageAcl('CUSTOM', step.rule);
      return;
    case 'enableHosting':
      await app.hosting.enableService();
      return;
    case 'uploadScreenPage': {
      const { DefaultDomain } = await app.access.getDomainList();
      // The previous page and its marker go first, so exactly one marker names the page that is up.
      await app.hosting
        .deleteFiles({ cloudPath: `${step.screen.hostingPath}/`, isDir: true })
        .catch(() => undefined);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-screen-'));
      writeScreenPage(dir, `https://${DefaultDomain}${step.screen.accessPath}`);
      fs.writeFileSync(path.join(dir, `build-${step.screen.pageHash}.txt`), `${step.screen.pageHash}\n`);
      await app.hosting.uploadFiles({ localPath: dir, cloudPath: step.screen.hostingPath });
      return;
    }
    case 'createAccess':
      await app.access.createAccess({
        name: step.screen.functionName,
        path: step.screen.accessPath,
        type: 1,
        auth: false,
      });
      return;
  }
}

/** Applies the steps in order, printing each; stops at the first failure (re-running picks up from there). */
export async function applyPlan(app: Manager, steps: Step[], log: (line: string) => void): Promise<void> {
  for (const [i, step] of steps.entries()) {
    log(`[${i + 1}/${steps.length}] ${describeStep(step)}`);
    await applyStep(app, step);
  }
}

export { CODE_HASH_VAR };
