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
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../../miniprogram/contract/index';
import type { Envelope } from '../../miniprogram/core/envelope';
import { buildFunctions } from '../../scripts/build-functions';
import { typedCall, type Call, type Transport } from '../../scripts/lib/call';
import { buildTown, type BuiltVillage, type SetupFile, type SetupVillage } from '../../scripts/setup-town';
import { DAY_MS, TEST_NOW } from './clock';

export const ADMIN = 'o-town-admin';

/**
 * The functions under test: one build per jest run (test/support/global-setup.ts builds them into a temporary
 * folder and names it in ZJF_FUNCTIONS_DIR), so no test file rebuilds them and a developer's `npm run build`
 * meanwhile never shows a test a half-written bundle. A file run outside that setup builds its own once.
 */
let built: Promise<string> | null = null;
export function builtFunctions(): Promise<string> {
  built ??= (async () => {
    const shared = process.env.ZJF_FUNCTIONS_DIR;
    if (shared && fs.existsSync(path.join(shared, 'points', 'index.js'))) return shared;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-functions-'));
    await buildFunctions(dir);
    return dir;
  })();
  return built;
}

export interface Backend {
  emu: Emulator;
  dataDir: string;
  /** Calls an action as `openid`, typed by the function's contract (as the mini-program's client is). */
  call: Call;
  /** Sends any event, unchecked: for the tests of malformed or unknown input. */
  send: Transport;
  /** Calls and returns the envelope and the database requests the invocation made. */
  measure<F extends FunctionName, A extends ActionName<F>>(
    fn: F,
    action: A,
    input: ActionInput<F, A>,
    openid: string,
  ): Promise<{ res: Envelope<ActionOutput<F, A>>; dbRequests: number }>;
  /** Sets the time every function sees from now on (it runs on from there). */
  setClock(at: Date): void;
  /** Moves the functions' clock by `days`. */
  advanceDays(days: number): void;
  /** What the functions see as now. */
  now(): Date;
  /** Stops the emulator; the data stays when `keepData` (to restart on it, e.g. with the clock moved on). */
  stop(keepData?: boolean): Promise<void>;
}

export interface BackendOptions {
  /** Env vars for every function, over the test defaults. */
  env?: Record<string, string>;
  /** Reopen this data folder (a restart) instead of a new one. */
  dataDir?: string;
  /** The instant the clock starts at (TEST_NOW by default; a restart keeps the clock saved in the data). */
  now?: Date;
}

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const { env = {}, dataDir: reuseDataDir } = options;
  const functionsDir = await builtFunctions();
  const dataDir = reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-backend-'));
  const clockAt = options.now ?? (reuseDataDir ? undefined : TEST_NOW);
  const emu = await startEmulator({
    port: 0,
    dataDir,
    functionsDir,
    quiet: true,
    ...(clockAt ? { clockAt } : {}),
    functionEnv: {
      TOWN_ADMINS: ADMIN,
      TOWN_ID: 'fulu',
      TPL_CLAIM_DECIDED: 'tpl-claim-decided',
      TPL_OBJECTION_DECIDED: 'tpl-objection-decided',
      TPL_BLACK_BOARD: 'tpl-black-board',
      ...env,
    },
  });
  const invoke = async (fn: string, action: string, input: unknown, openid: string) => {
    const { result, dbRequests } = await emu.invoke(fn, { action, input }, { openid });
    return { res: result as Envelope<unknown>, dbRequests };
  };
  const send: Transport = async (fn, action, input, openid) => (await invoke(fn, action, input, openid)).res;
  const call = typedCall(send);
  const measure: Backend['measure'] = async (fn, action, input, openid) => {
    const { res, dbRequests } = await invoke(fn, action, input, openid);
    return { res: res as Envelope<ActionOutput<typeof fn, typeof action>>, dbRequests };
  };
  return {
    emu,
    dataDir,
    measure,
    call,
    send,
    setClock: (at) => void emu.clock.setAt(at),
    advanceDays: (days) => void emu.clock.advance(days * DAY_MS),
    now: () => emu.clock.now(),
    stop: async (keepData = false) => {
      await emu.stop();
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A household register (户籍) as CSV text, as a village uploads one: the header, then `rows`. */
export const registerCsv = (...rows: string[]): string =>
  ['户号,村民小组,姓名,与户主关系,是否党员,住址', ...rows].join('\n');

/** 斑竹村 as every test town of 福禄镇 has it: two groups, names shown masked; its register and people differ. */
export const BANZHU: Pick<SetupVillage, 'id' | 'name' | 'groups' | 'nameDisplay'> = {
  id: 'banzhu',
  name: '斑竹村',
  groups: ['一组', '二组'],
  nameDisplay: 'masked',
};

/** A small town for tests: 斑竹村 (two groups, masked names) and 来凤村. */
export const TEST_TOWN: SetupFile = {
  name: '福禄镇',
  adminOpenid: ADMIN,
  villages: [
    {
      ...BANZHU,
      registerCsv: registerCsv(
        '1,一组,何雄梅,户主,否,斑竹村一组1号',
        '1,一组,何小明,子女,否,',
        '2,一组,傅红,户主,是,斑竹村一组2号',
        '2,一组,傅大爷,父母,否,',
        '3,二组,万有志,户主,否,斑竹村二组3号',
        '4,二组,罗亚倩,户主,是,斑竹村二组4号',
        '5,二组,胡焱,户主,否,斑竹村二组5号',
      ),
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
      registerCsv: registerCsv('1,一组,张三,户主,否,', '2,一组,李四,户主,否,'),
      people: [
        { openid: 'o-zhang', name: '张三', roles: ['villageCadre'] },
        { openid: 'o-li', name: '李四' },
      ],
    },
  ],
};

export async function startTown(options: BackendOptions = {}): Promise<Town> {
  const backend = await startBackend(options);
  const town = await buildTown(backend.call, TEST_TOWN);
  return { ...backend, town };
}

export type Town = Backend & { town: Record<string, BuiltVillage> };

/**
 * Fresh copies of one test town, for files whose tests each need the town as it was just built: the town is
 * built once (on first use, at `now`, then `prepare`d: what every test of the file needs, such as an uploaded
 * photo), and every `start()` opens a new emulator on a copy of its data, its clock where the built town's
 * stopped. A test then sees only what it did itself, for the price of an emulator start rather than a town
 * build. `dispose()` (in afterAll) removes the built town; each copy goes with its backend's `stop()`.
 *
 *   const towns = townCopies();
 *   beforeEach(async () => (b = await towns.start()));
 *   afterEach(() => b.stop());
 *   afterAll(() => towns.dispose());
 */
export function townCopies(
  options: Pick<BackendOptions, 'env' | 'now'> & { prepare?: (town: Town) => Promise<void> } = {},
): { start(): Promise<Town>; dispose(): Promise<void> } {
  const { prepare, ...backendOptions } = options;
  let built: Promise<{ dataDir: string; stoppedAt: Date; town: Record<string, BuiltVillage> }> | null = null;
  const build = async () => {
    const backend = await startTown(backendOptions);
    await prepare?.(backend);
    const stoppedAt = backend.now();
    await backend.stop(true);
    return { dataDir: backend.dataDir, stoppedAt, town: backend.town };
  };
  return {
    async start() {
      built ??= build();
      const { dataDir, stoppedAt, town } = await built;
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-backend-'));
      fs.cpSync(dataDir, copy, { recursive: true });
      const backend = await startBackend({ env: backendOptions.env, dataDir: copy, now: stoppedAt });
      return { ...backend, town };
    },
    async dispose() {
      if (built) fs.rmSync((await built).dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One backend for the tests of the enclosing describe: `start`ed (then `prepare`d) in its beforeAll and stopped in
 * its afterAll. The object returned stands for it from then on, so the tests use it as they would the backend
 * itself; touched before the beforeAll has run, it throws.
 */
function backendForDescribe<B extends Backend>(
  start: () => Promise<B>,
  prepare?: (b: B) => Promise<void>,
): B {
  let current: B | undefined;
  beforeAll(async () => {
    current = await start();
    await prepare?.(current);
  });
  afterAll(() => current?.stop());
  return new Proxy({} as B, {
    get(_, key) {
      if (!current) throw new Error(`the describe's backend is used before its beforeAll started it`);
      return Reflect.get(current, key) as unknown;
    },
  });
}

/** What a describe's town or backend is started with, and made ready with before its first test. */
export type DescribeOptions<B> = BackendOptions & { prepare?: (b: B) => Promise<void> };

/**
 * The test town (startTown) for the tests of the enclosing describe, as they share one:
 *
 *   describe('…', () => {
 *     const b = townForDescribe({ env: SHOP_SECRETS, prepare: openCentralShop });
 *     it('…', async () => { await b.call(…); });
 *   });
 */
export function townForDescribe({ prepare, ...options }: DescribeOptions<Town> = {}): Town {
  return backendForDescribe(() => startTown(options), prepare);
}

/** An empty backend (no town built) for the tests of the enclosing describe; see townForDescribe. */
export function emptyBackendForDescribe({ prepare, ...options }: DescribeOptions<Backend> = {}): Backend {
  return backendForDescribe(() => startBackend(options), prepare);
}

/** The data of an ok envelope, failing the test with the error otherwise. */
export function data<T>(res: Envelope<T>): T {
  if (!res.ok)
    throw new Error(
      `expected ok, got ${res.error.code}: ${res.error.message} ${JSON.stringify(res.error.details ?? {})}`,
    );
  return res.data;
}

export function errorOf(res: Envelope<unknown>) {
  if (res.ok) throw new Error(`expected an error, got ${JSON.stringify(res.data)}`);
  return res.error;
}

/**
 * Runs `calls` at once as they would overlap in production: warm instances of the function first (cold starts
 * would space the calls out), then every database request takes 10 ms while they run.
 */
export async function atOnce<T>(b: Backend, fn: 'points' | 'shop', calls: () => Promise<T>): Promise<T> {
  await Promise.all(
    Array.from({ length: 8 }, () =>
      fn === 'points' ? b.call('points', 'rules.list', {}, 'o-he') : b.call('shop', 'shops.list', {}, 'o-he'),
    ),
  );
  b.emu.dbLatencyMs = 10;
  try {
    return await calls();
  } finally {
    b.emu.dbLatencyMs = 0;
  }
}
