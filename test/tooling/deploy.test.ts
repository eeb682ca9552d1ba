/**
 * The deploy planner and the dry-run CLI, offline: the plan covers every collection, index, rule and function
 * the code uses; re-planning against an environment that has it all yields nothing; a single difference yields
 * just that change; a real run without settings stops with a bilingual message naming the missing keys.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COLLECTIONS } from '../../cloudfunctions/common/model';
import { functionNames } from '../../scripts/build-functions';
import { builtFunctions } from '../support/backend';
import { sourceFiles } from '../support/sources';
import { loadDeployConfig, missingDeployKeys } from '../../scripts/deploy/config';
import { desiredState, readSchema, refuseEmulatorOnly } from '../../scripts/deploy/desired';
import {
  appliedState,
  CODE_HASH_VAR,
  describeStep,
  NOTHING,
  planDeploy,
  STORAGE_RULE,
  type CurrentState,
  type DesiredState,
  type Step,
} from '../../scripts/deploy/plan';

const ROOT = path.join(__dirname, '..', '..');
const NO_CONFIG = path.join(os.tmpdir(), 'zjf-no-such-deploy.config.json');

const FULL_ENV = {
  CLOUDBASE_ENV_ID: 'test-env-1a2b',
  TENCENTCLOUD_SECRETID: 'test-secret-id',
  TENCENTCLOUD_SECRETKEY: 'test-secret-key',
  TOWN_ADMINS: 'o-admin',
  TOWN_ID: 'fulu',
  TPL_CLAIM_DECIDED: 'tpl-1',
  CARD_TOKEN_SECRET: 'test-card-secret-0123456789',
  QR_SECRET: 'test-qr-secret-0123456789',
};

let desired: DesiredState;

// The run's one build of the functions (read only here): rebuilding build/cloudfunctions would pull the code
// from under emulators that other test files run at the same time.
let BUILD_DIR = '';

beforeAll(async () => {
  BUILD_DIR = await builtFunctions();
  desired = desiredState(loadDeployConfig(NO_CONFIG, FULL_ENV), BUILD_DIR);
});

const kinds = (steps: Step[]) => steps.map((s) => s.kind);

describe('deploy plan against an empty environment', () => {
  it('creates every collection the code uses, each index of the schema and closes every collection', () => {
    const { steps } = planDeploy(desired, NOTHING);
    const created = steps.flatMap((s) => (s.kind === 'createCollection' ? [s.collection] : []));
    const ruled = steps.flatMap((s) => (s.kind === 'setCollectionRule' ? [s.collection] : []));
    const indexes = steps.flatMap((s) =>
      s.kind === 'createIndex' ? [`${s.collection}.${s.index.name}`] : [],
    );

    const schema = readSchema();
    expect(created.sort()).toEqual(schema.collections.map((c) => c.name).sort());
    expect(created).toEqual(expect.arrayContaining(Object.values(COLLECTIONS)));
    expect(ruled.sort()).toEqual(created.sort());
    expect(
      steps.filter((s) => s.kind === 'setCollectionRule').every((s) => s.permission === 'ADMINONLY'),
    ).toBe(true);
    expect(indexes.sort()).toEqual(
      schema.collections.flatMap((c) => c.indexes.map((i) => `${c.name}.${i.name}`)).sort(),
    );
  });

  it('creates every built function with its settings and the storage rule', () => {
    const { steps } = planDeploy(desired, NOTHING);
    const fns = steps.flatMap((s) => (s.kind === 'createFunction' ? [s.fn] : []));
    expect(fns.map((f) => f.name)).toEqual(functionNames());
    for (const fn of fns) {
      expect(fn.runtime).toMatch(/^Nodejs(16\.13|18\.15)$/);
      expect(fn.timeout).toBeGreaterThan(3);
      expect(fn.envVariables).toMatchObject({ TOWN_ADMINS: 'o-admin', TOWN_ID: 'fulu' });
      expect(fn.envVariables[CODE_HASH_VAR]).toMatch(/^[0-9a-f]{64}$/);
    }
    const shop = fns.find((f) => f.name === 'shop');
    expect(shop?.envVariables).toMatchObject({ CARD_TOKEN_SECRET: FULL_ENV.CARD_TOKEN_SECRET });
    // Secrets go only to the function that signs with them.
    expect(fns.filter((f) => f.name !== 'shop').some((f) => 'CARD_TOKEN_SECRET' in f.envVariables)).toBe(
      false,
    );
    const points = fns.find((f) => f.name === 'points');
    expect(points?.openapi).toContain('subscribeMessage.send');
    // The points year's timer trigger (points/config.json) is created with the function.
    const triggers = steps.flatMap((s) => (s.kind === 'setTriggers' ? [[s.fn.name, s.fn.triggers]] : []));
    expect(triggers).toEqual([
      ['points', [{ name: 'pointsYear', type: 'timer', config: '0 */10 * * * * *' }]],
    ]);
    expect(steps).toContainEqual({ kind: 'setStorageRule', rule: STORAGE_RULE, from: null });
    expect(STORAGE_RULE.read).toBe(false);
  });

  it('puts the big screen on static hosting behind an HTTP access route to the screen function, once', () => {
    const { steps } = planDeploy(desired, NOTHING);
    expect(steps.slice(-3).map((s) => s.kind)).toEqual(['enableHosting', 'uploadScreenPage', 'createAccess']);
    const access = steps.at(-1);
    expect(access).toMatchObject({ screen: { functionName: 'screen', accessPath: '/screen-api' } });
    const after = appliedState(desired);
    expect(planDeploy(desired, after).steps).toEqual([]);
    // A changed page is uploaded again; nothing else moves.
    const stale = { ...after, hosting: { enabled: true, pageHash: 'old' } };
    expect(planDeploy(desired, stale).steps.map((s) => s.kind)).toEqual(['uploadScreenPage']);
  });

  it('never deploys the emulator’s clock control to a function', () => {
    for (const fn of desired.functions)
      expect(() => refuseEmulatorOnly(fn.name, fn.envVariables)).not.toThrow();
    expect(() => refuseEmulatorOnly('points', { ZJF_CLOCK_OFFSET_MS: '86400000' })).toThrow(
      /不能部署到生产环境/,
    );
    expect(() => refuseEmulatorOnly('shop', { ZJF_EMULATOR: '1' })).toThrow(/emulator-only/);
  });

  it('never prints a secret', () => {
    const lines = planDeploy(desired, NOTHING).steps.map(describeStep).join('\n');
    expect(lines).not.toContain(FULL_ENV.CARD_TOKEN_SECRET);
    expect(lines).not.toContain(FULL_ENV.QR_SECRET);
    expect(lines).toContain('CARD_TOKEN_SECRET=***(27 chars)');
  });
});

describe('re-planning', () => {
  it('yields no steps when everything exists as planned', () => {
    expect(planDeploy(desired, appliedState(desired))).toEqual({ steps: [], notes: [] });
  });

  it("a changed or missing timer trigger yields just setting the function's triggers", () => {
    const current: CurrentState = appliedState(desired);
    const old = [{ name: 'pointsYear', type: 'timer', config: '0 0 2 * * * *' }];
    current.functions.points = { ...current.functions.points, triggers: old };
    const { steps } = planDeploy(desired, current);
    expect(steps.map((s) => s.kind)).toEqual(['setTriggers']);
    expect(steps[0]).toMatchObject({ fn: { name: 'points' }, from: old });
    expect(describeStep(steps[0])).toBe(
      'set timer triggers of points: pointsYear (0 */10 * * * * *) (was pointsYear (0 0 2 * * * *))',
    );
  });

  it('a changed index yields just the drop and re-create of that index', () => {
    const current: CurrentState = appliedState(desired);
    const claims = current.collections.claims;
    claims.indexes = claims.indexes.map((i) =>
      i.name === 'family_created' ? { ...i, keys: [{ field: 'familyId', direction: 1 }] } : i,
    );
    const { steps } = planDeploy(desired, current);
    expect(steps).toEqual([
      { kind: 'dropIndex', collection: 'claims', index: 'family_created', reason: 'definition changed' },
      {
        kind: 'createIndex',
        collection: 'claims',
        index: desired.schema.collections.find((c) => c.name === 'claims')?.indexes[1],
      },
    ]);
  });

  it('a missing index, collection rule or collection yields just that', () => {
    const current = appliedState(desired);
    current.collections.scores.indexes = current.collections.scores.indexes.filter(
      (i) => i.name !== 'family_period',
    );
    current.collections.users.permission = 'PRIVATE';
    delete current.collections.holds;
    expect(planDeploy(desired, current).steps.map(describeStep)).toEqual([
      'set rule on users: ADMINONLY (client read false, write false), was PRIVATE',
      'create index scores.family_period (familyId asc, period asc)',
      'create collection holds',
      'set rule on holds: ADMINONLY (client read false, write false)',
    ]);
  });

  it('new code yields a code update and the config that records it; a changed variable only the config', () => {
    const current = appliedState(desired);
    current.functions.points.envVariables[CODE_HASH_VAR] = 'old';
    current.functions.accounts.envVariables.TOWN_ADMINS = 'o-someone-else';
    current.functions.shop.timeout = 3;
    const steps = planDeploy(desired, current).steps;
    expect(steps.map((s) => [s.kind, 'fn' in s ? s.fn.name : '', 'changes' in s ? s.changes : []])).toEqual([
      ['updateFunctionConfig', 'accounts', ['env TOWN_ADMINS']],
      ['updateFunctionCode', 'points', []],
      ['updateFunctionConfig', 'points', [`env ${CODE_HASH_VAR}`]],
      ['updateFunctionConfig', 'shop', ['timeout']],
    ]);
  });

  it('a different storage rule is replaced; extra indexes, collections and a runtime change are only noted', () => {
    const current = appliedState(desired);
    current.storage = { acl: 'READONLY', rule: null };
    current.collections.claims.indexes.push({
      name: 'by_hand',
      keys: [{ field: 'x', direction: 1 }],
      unique: false,
    });
    current.collections.scratch = { indexes: [], permission: 'ADMINONLY' };
    current.functions.shop.runtime = 'Nodejs16.13';
    const plan = planDeploy(desired, current);
    expect(kinds(plan.steps)).toEqual(['setStorageRule']);
    expect(plan.notes).toEqual([
      'claims: index by_hand is not in schema.json (kept)',
      'collection scratch is not in schema.json (kept)',
      expect.stringMatching(/^shop: runs Nodejs16\.13, config asks Nodejs18\.15/),
    ]);
  });
});

describe('deploy settings', () => {
  it('names every missing key; the example file counts as not filled in', () => {
    expect(missingDeployKeys(loadDeployConfig(NO_CONFIG, {}))).toEqual([
      'envId',
      'secretId',
      'secretKey',
      'functionEnv.TOWN_ADMINS',
      'functionEnv.TOWN_ID',
      'functionEnv.CARD_TOKEN_SECRET',
      'functionEnv.QR_SECRET',
    ]);
    const example = loadDeployConfig(path.join(ROOT, 'deploy.config.example.json'), {});
    expect(missingDeployKeys(example)).toEqual(
      expect.arrayContaining(['envId', 'secretId', 'secretKey', 'functionEnv.TOWN_ADMINS']),
    );
    expect(missingDeployKeys(loadDeployConfig(NO_CONFIG, { ...FULL_ENV, QR_SECRET: 'short' }))).toEqual([
      'functionEnv.QR_SECRET (≥ 16 characters)',
    ]);
  });

  it('reads deploy.config.json and lets the environment override it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-deploy-'));
    const file = path.join(dir, 'deploy.config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ envId: 'from-file', secretId: 'a', secretKey: 'b', functionEnv: { TOWN_ID: 'fulu' } }),
    );
    const config = loadDeployConfig(file, { CLOUDBASE_ENV_ID: 'from-env', TOWN_ADMINS: 'o-1' });
    expect(config).toMatchObject({
      envId: 'from-env',
      secretId: 'a',
      functionEnv: { TOWN_ID: 'fulu', TOWN_ADMINS: 'o-1' },
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('npm run deploy (CLI)', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const cleanEnv = () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !/^(TENCENTCLOUD_|CLOUDBASE_|TOWN_|TPL_|CARD_|QR_|WX_)/.test(k)) env[k] = v;
    }
    return env;
  };
  const run = (args: string[]) =>
    spawnSync(
      tsx,
      [
        path.join(ROOT, 'scripts', 'deploy.ts'),
        '--skip-build',
        '--functions-dir',
        BUILD_DIR,
        '--config',
        NO_CONFIG,
        ...args,
      ],
      {
        cwd: ROOT,
        env: cleanEnv(),
        encoding: 'utf8',
      },
    );

  it('--dry-run prints the whole plan against an empty environment, offline', () => {
    const res = run(['--dry-run']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('nothing exists yet');
    for (const name of Object.values(COLLECTIONS))
      expect(res.stdout).toContain(`create collection ${name}\n`);
    for (const fn of functionNames()) expect(res.stdout).toContain(`create function ${fn}:`);
    expect(res.stdout).toContain('set storage rule: read false');
    expect(res.stdout).toMatch(/A real deploy would stop here .*: envId, secretId, secretKey/);
  });

  it('stops a real run without settings, in Chinese and English, naming the missing keys', () => {
    const res = run([]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('部署配置不完整，缺少：envId、secretId、secretKey、functionEnv.TOWN_ADMINS');
    expect(res.stderr).toContain(
      'Deploy configuration incomplete, missing: envId, secretId, secretKey, functionEnv.TOWN_ADMINS, functionEnv.TOWN_ID, functionEnv.CARD_TOKEN_SECRET, functionEnv.QR_SECRET',
    );
  });
});

describe('collections reach the database only by declared names', () => {
  it('every .collection(…) and $lookup from: is COLLECTIONS.x or a parameter typed CollectionName', () => {
    const declared = new Set(readSchema().collections.map((c) => c.name));
    const keys = new Set(Object.keys(COLLECTIONS));
    const offenders: string[] = [];
    let scanned = 0;
    for (const file of sourceFiles(path.join(ROOT, 'cloudfunctions'))) {
      const text = fs.readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      const args = [
        ...[...text.matchAll(/\.collection\(\s*([^)]*?)\s*\)/g)].map((m) => m[1]),
        ...[...text.matchAll(/[{,]\s*from:\s*([^,}\s]+)/g)].map((m) => m[1]),
      ];
      scanned += args.length;
      for (const arg of args) {
        // A type, not a value: `{ from: CollectionName; … }` describes a lookup a function builds.
        if (/^CollectionName\b/.test(arg)) continue;
        const viaConstant = /^COLLECTIONS\.(\w+)$/.exec(arg);
        if (viaConstant && keys.has(viaConstant[1])) {
          if (!declared.has(COLLECTIONS[viaConstant[1] as keyof typeof COLLECTIONS]))
            offenders.push(`${rel}: ${arg}`);
          continue;
        }
        const typedParameter = new RegExp(`\\b${arg.replace(/[^\w]/g, '')}\\s*:\\s*CollectionName\\b`);
        if (/^\w+$/.test(arg) && typedParameter.test(text)) continue;
        offenders.push(`${rel}: ${arg}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(scanned).toBeGreaterThan(20);
  });
});
