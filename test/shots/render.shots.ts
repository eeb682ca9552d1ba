/**
 * The render stage of `npm run shots` (run by scripts/shots/index.ts through jest with
 * scripts/shots/jest.config.js, never by `npm test`): each planned page is opened as the page tests open it —
 * miniprogram-simulate in jsdom, the app in local mode against the emulator's gateway over real HTTP — brought
 * to its state, and written out as an HTML document (serialise.ts). A failure is recorded in the manifest,
 * not thrown, so one broken page does not hide the others.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { demoTown, registerCsv } from '../../scripts/demo-town';
import type { FixtureShot, RenderedShot, RenderPlan } from '../../scripts/shots/plan';
import { MANIFEST } from '../../scripts/shots/plan';
import type { Shot } from '../../scripts/shots/scenarios';
import { nowMs } from '../../miniprogram/services/clock';
import { BACKEND_STORAGE_KEY } from '../../miniprogram/services/config';
import { CARE_MODE_STORAGE_KEY } from '../../miniprogram/services/preferences';
import { openPage, settle } from '../miniprogram/harness';
import { miniprogramRoot } from '../miniprogram/load-page';
import { gateway, realRequest, realUploadFile } from './http';
import { appCss, lastInjectedCss, pageDocument } from './serialise';

const planFile = process.env.SHOTS_PLAN;
if (!planFile) throw new Error('SHOTS_PLAN is not set: run this through `npm run shots`');
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as RenderPlan;
const htmlDir = path.join(plan.outDir, 'html');
fs.mkdirSync(htmlDir, { recursive: true });

/** A port nothing listens on: every call fails as it does when the backend is down. */
const DEAD_BACKEND = 'http://127.0.0.1:9';

interface AppJson {
  window?: { navigationBarTitleText?: string };
  tabBar?: { list: { pagePath: string; text: string }[] };
}
const app = JSON.parse(fs.readFileSync(path.join(miniprogramRoot, 'app.json'), 'utf8')) as AppJson;
const APP_CSS = appCss(miniprogramRoot);

function titleOf(root: string, page: string): string {
  const file = path.join(root, `${page}.json`);
  const json = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { navigationBarTitleText?: string })
    : {};
  return json.navigationBarTitleText ?? app.window?.navigationBarTitleText ?? '';
}

function tabBarOf(page: string): { items: string[]; selected: number } | undefined {
  const list = app.tabBar?.list ?? [];
  const selected = list.findIndex((t) => t.pagePath === page);
  return selected >= 0 ? { items: list.map((t) => t.text), selected } : undefined;
}

const manifest: RenderedShot[] = [];

function write(entry: Omit<RenderedShot, 'html'>, document: string): void {
  const file = path.join(htmlDir, `${entry.name}.html`);
  fs.writeFileSync(file, document);
  manifest.push({ ...entry, html: file });
}

type Data = Record<string, unknown>;

/** Still loading: any `status`/`…Status` field at 'loading', or the counter identifying. */
const busy = (data: Data): boolean =>
  Object.entries(data).some(([key, value]) => /(^s|S)tatus$/.test(key) && value === 'loading') ||
  data.stage === 'identifying';

async function untilSettled(data: () => Data, rounds = 300): Promise<void> {
  await settle();
  for (let i = 0; i < rounds && busy(data()); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await settle(10);
}

let suspension: Promise<void> | undefined;

/** The black board (one deduction, 3 months of 暂停评比 and 暂停兑换) for 何雄梅's family, published once. */
function suspendHeFamily(): Promise<void> {
  suspension ??= (async () => {
    const { family } = await gateway<{ family: { id: string; villageId?: string } }>(
      plan.baseUrl,
      'accounts',
      'families.get',
      {},
      'o-he',
    );
    await gateway(
      plan.baseUrl,
      'points',
      'boards.publish',
      {
        requestId: 'shots-black-board-1',
        villageId: family.villageId ?? 'banzhu',
        board: 'black',
        familyId: family.id,
        title: '乱倒建筑垃圾',
        description: '在村道旁倾倒建筑垃圾，经劝导已清理',
        points: -20,
        date: '2026-11-20',
      },
      'o-luo',
    );
  })();
  return suspension;
}

type Methods = Record<string, (...args: unknown[]) => unknown>;

interface GoodsRow {
  stock: number;
}

/** Sets quantities on the counter's shelf until the cart is within (or over) the family's balance. */
async function fillCart(methods: Methods, data: () => Data, over: boolean): Promise<void> {
  const goods = (data().goods ?? []) as GoodsRow[];
  const change = async (index: number, value: number) => {
    methods.onQuantityChange({ detail: { value }, currentTarget: { dataset: { index } } });
    await settle();
  };
  for (let index = 0; index < goods.length; index += 1) {
    if (over) {
      await change(index, goods[index].stock);
      if (data().over === true) return;
    } else {
      await change(index, 1);
      if (data().over === true) await change(index, 0);
      else if (index >= 1) return;
    }
  }
  if (over && data().over !== true) throw new Error('the whole shelf costs less than the family’s balance');
}

/** 活动签到's states beyond its list: the create form, or the organiser's own activity opened (and its picker). */
async function activityState(shot: Shot, methods: Methods, data: () => Data): Promise<void> {
  if (shot.setup === 'activity-create') {
    await methods.onCreate();
  } else {
    const list = await gateway<{ activities: { id: string; createdByName: string; status: string }[] }>(
      plan.baseUrl,
      'points',
      'activities.list',
      { villageId: 'banzhu', status: 'open' },
      shot.openid,
    );
    const own = list.activities.find((a) => a.createdByName === '傅红');
    if (!own) throw new Error('the demo town has no open activity of 傅红’s');
    await methods.open(own.id);
    if (shot.setup === 'activity-pick') await methods.onPickOpen();
  }
  await untilSettled(data);
}

let monthObjection: Promise<string> | undefined;

/** 傅红's objection to a 斑竹村 month open to objections (its 公示 started when none is), raised once. */
function monthObjectionId(): Promise<string> {
  monthObjection ??= (async () => {
    const list = await gateway<{
      months: { month: string; objectionsOpen: boolean; canStartNotice: boolean }[];
    }>(plan.baseUrl, 'points', 'months.list', { villageId: 'banzhu' }, 'o-luo');
    let month = list.months.find((m) => m.objectionsOpen)?.month;
    if (!month) {
      month = list.months.find((m) => m.canStartNotice)?.month;
      if (!month) throw new Error('the demo town has no month open to objections');
      await gateway(plan.baseUrl, 'points', 'months.startNotice', { villageId: 'banzhu', month }, 'o-luo');
    }
    const raised = await gateway<{ objection: { id: string } }>(
      plan.baseUrl,
      'points',
      'objections.raise',
      {
        requestId: 'shots-month-objection-1',
        target: { type: 'month', id: month },
        reason: '漏记了两户的志愿服务',
      },
      'o-fu',
    );
    return raised.objection.id;
  })();
  return monthObjection;
}

/** The objection's states: the supervisor entering adjustments, or a cadre seeing them wait for confirmation. */
async function objectionState(shot: Shot, methods: Methods, data: () => Data): Promise<void> {
  const id = await monthObjectionId();
  if (shot.setup === 'objection-adjust') {
    await methods.onLoad({ id });
    await untilSettled(data);
    await methods.onOutcomeTap({ currentTarget: { dataset: { outcome: 'upheld' } } });
    await untilSettled(data);
    methods.onReasonInput({ detail: { value: '核实属实，两户的志愿服务漏记' } });
    for (const [index, value] of [
      [0, '1'],
      [1, '-0.5'],
    ] as const) {
      methods.onFamilyPick({ detail: { value: String(index) } });
      methods.onAdjustPointsInput({ detail: { value } });
      methods.onAddAdjustment();
      await settle();
    }
    return;
  }
  const supervisor = await gateway<{ family: { id: string } }>(
    plan.baseUrl,
    'accounts',
    'families.get',
    {},
    'o-wan',
  );
  const families = await gateway<{ families: { id: string }[] }>(
    plan.baseUrl,
    'accounts',
    'families.list',
    { villageId: 'banzhu', offset: 0 },
    'o-luo',
  );
  await gateway(
    plan.baseUrl,
    'points',
    'objections.decide',
    {
      objectionId: id,
      outcome: 'upheld',
      reason: '核实属实，两户的志愿服务漏记',
      adjustments: families.families
        .filter((f) => f.id !== supervisor.family.id)
        .slice(0, 2)
        .map((f, i) => ({ familyId: f.id, points: i === 0 ? 10 : -5 })),
    },
    'o-wan',
  );
  await methods.onLoad({});
  await untilSettled(data);
}

/**
 * Claims waiting in 斑竹村's review queue: two suggestions of 何雄梅's family, and one of 罗亚倩's own family, which
 * she may not approve herself (全部通过 approves the first two and says why not the third).
 */
async function submitForReview(): Promise<void> {
  const { rules } = await gateway<{ rules: { id: string; code: string }[] }>(
    plan.baseUrl,
    'points',
    'rules.list',
    {},
    'o-he',
  );
  const suggestion = rules.find((r) => r.code === 'C03');
  if (!suggestion) throw new Error('the demo catalogue has no C03');
  const claims: [string, string][] = [
    ['o-he', '建议在村口增设垃圾分类投放点'],
    ['o-he', '建议村道转弯处加装反光镜'],
    ['o-luo', '建议文化广场晚间开放照明'],
  ];
  for (const [index, [openid, text]] of claims.entries()) {
    const { members } = await gateway<{ members: { id: string }[] }>(
      plan.baseUrl,
      'accounts',
      'families.get',
      {},
      openid,
    );
    await gateway(
      plan.baseUrl,
      'points',
      'claims.submit',
      {
        requestId: `shots-review-claim-${index + 1}`,
        memberId: members[0].id,
        ruleId: suggestion.id,
        deedDate: '2026-11-20',
        text,
      },
      openid,
    );
  }
}

/** Where the `wx.chooseMessageFile` stand-in keeps the files it hands out (made when first needed). */
let tempDir = '';

/** No file staged: the stand-in answers as WeChat does when the person cancels. */
function chooseNothing(options: WechatMiniprogram.ChooseMessageFileOption): void {
  void Promise.resolve().then(() => options.fail?.({ errMsg: 'chooseMessageFile:fail cancel' }));
}

/** The next `wx.chooseMessageFile` hands out `text` as a temp file named `name` (as chosen from a chat). */
function offerFile(name: string, text: string): void {
  tempDir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-shots-files-'));
  const file = path.join(tempDir, `tmp_${randomBytes(8).toString('hex')}${path.extname(name)}`);
  fs.writeFileSync(file, text);
  const chosen = {
    path: file,
    name,
    size: fs.statSync(file).size,
    type: 'file',
    time: Math.floor(nowMs() / 1000),
  };
  Object.assign(wx, {
    chooseMessageFile(options: WechatMiniprogram.ChooseMessageFileOption) {
      Object.assign(wx, { chooseMessageFile: chooseNothing });
      void Promise.resolve().then(() =>
        options.success?.({ tempFiles: [chosen], errMsg: 'chooseMessageFile:ok' } as never),
      );
    },
  });
}

/** Households in each register 斑竹村's cadre imports: more than one chunk of 200. */
const IMPORT_HOUSEHOLDS = 250;

/**
 * A register of 250 further households of 斑竹村, in its groups, numbered on from the demo register's: the same
 * households for households-import and -refused (whose two bad members' rows, a group the village does not
 * have and an empty 与户主关系, have it refused whole), the next 250 for -skipped.
 */
function importSheet(setup: Shot['setup']): string[] {
  const banzhu = demoTown().villages.find((v) => v.id === 'banzhu');
  if (!banzhu?.registerCsv) throw new Error('the demo town has no 斑竹村 register');
  const numbers = banzhu.registerCsv
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[0]));
  const skipped = setup === 'households-import-skipped';
  const first = Math.max(...numbers) + 1 + (skipped ? IMPORT_HOUSEHOLDS : 0);
  const lines = registerCsv(banzhu.name, banzhu.groups, IMPORT_HOUSEHOLDS, skipped ? 9 : 8, [], first).split(
    '\n',
  );
  if (setup === 'households-import-refused') {
    // Members' rows, not heads': a head's bad row would also leave its household without a head.
    const memberRow = (from: number) => {
      const index = lines.findIndex((line, i) => i >= from && line.split(',')[3] !== '户主');
      if (index < 0) throw new Error(`the register has no member's row after row ${from}`);
      return index;
    };
    const edit = (index: number, column: number, value: string) => {
      const cells = lines[index].split(',');
      cells[column] = value;
      lines[index] = cells.join(',');
    };
    edit(memberRow(40), 1, '四组');
    edit(memberRow(300), 3, '');
  }
  return lines;
}

/**
 * Holds the answer to the page's next call of `action` until `meanwhile` has run: what others do between two of
 * its calls. The returned check throws what `meanwhile` threw.
 */
function meanwhileAfter(action: string, meanwhile: () => Promise<unknown>): () => void {
  const request = wx.request as unknown as jest.Mock;
  let failure: unknown;
  request.mockImplementation((options: WechatMiniprogram.RequestOption) => {
    if ((options.data as { action?: unknown } | undefined)?.action !== action) return realRequest(options);
    request.mockImplementation(realRequest);
    const { success } = options;
    realRequest({
      ...options,
      success: (res) =>
        void meanwhile()
          .catch((error: unknown) => (failure = error))
          .then(() => success?.(res)),
    });
  });
  return () => {
    if (failure) throw failure;
  };
}

/**
 * 户籍与角色's import through the page's onImport: the register chosen from a chat (the stand-in) and uploaded. For
 * -skipped, once the first chunk is in, the town admin imports four households of the second chunk from the same
 * rows (another import took their 户号 meanwhile): the page's importNext skips them and says why.
 */
async function importRegister(shot: Shot, methods: Methods, data: () => Data): Promise<void> {
  const lines = importSheet(shot.setup);
  offerFile('斑竹村户籍表.csv', lines.join('\n'));
  let check: () => void = () => undefined;
  if (shot.setup === 'households-import-skipped') {
    const numbers = lines.slice(1).map((line) => line.split(',')[0]);
    const households = [...new Set(numbers)];
    const taken = new Set([208, 219, 233, 246].map((i) => households[i]));
    const rows = lines.filter((line, i) => i === 0 || taken.has(line.split(',')[0]));
    check = meanwhileAfter('families.import', () =>
      gateway(
        plan.baseUrl,
        'accounts',
        'families.import',
        { villageId: 'banzhu', csv: rows.join('\n'), requestId: 'shots-admin-import-1' },
        'o-admin',
      ),
    );
  }
  await methods.onImport();
  await untilSettled(data);
  check();
}

async function renderShot(shot: Shot): Promise<void> {
  if (shot.suspended) await suspendHeFamily();
  const baseUrl = shot.setup === 'backend-down' ? DEAD_BACKEND : plan.baseUrl;
  wx.setStorageSync(BACKEND_STORAGE_KEY, { mode: 'local', baseUrl, openid: shot.openid });
  const careMode = shot.setup === 'care-mode';
  if (careMode) {
    wx.setStorageSync(CARE_MODE_STORAGE_KEY, true);
    getApp<IAppOption>().globalData.careMode = true;
  }
  const opened = await openPage(shot.page);
  const methods = opened.methods as unknown as Methods;
  await methods.onLoad?.({});
  await methods.onShow?.();
  await untilSettled(opened.data);
  if (shot.setup.startsWith('counter-')) {
    const { token } = await gateway<{ token: string }>(plan.baseUrl, 'shop', 'qr.issue', {}, 'o-he');
    await methods.identify({ qr: token });
    await untilSettled(opened.data);
    if (shot.setup !== 'counter-identify') {
      await fillCart(methods, opened.data, shot.setup === 'counter-over-balance');
      await untilSettled(opened.data);
    }
  }
  if (shot.setup.startsWith('activity-')) await activityState(shot, methods, opened.data);
  if (shot.setup.startsWith('objection-')) await objectionState(shot, methods, opened.data);
  if (shot.setup === 'review-approve-all') {
    await submitForReview();
    await methods.onLoad({});
    await untilSettled(opened.data);
    await methods.onApproveAll();
    await untilSettled(opened.data);
  }
  if (shot.setup.startsWith('households-import')) await importRegister(shot, methods, opened.data);
  const root = opened.page.dom;
  if (!root) throw new Error('the page rendered no DOM');
  write(
    {
      name: shot.name,
      page: shot.page,
      state: shot.state,
      caption: shot.caption,
      careMode,
      ...(shot.primary ? { primary: shot.primary } : {}),
      tabPage: tabBarOf(shot.page) !== undefined,
    },
    pageDocument({
      root,
      pageCss: lastInjectedCss(),
      appCss: APP_CSS,
      title: titleOf(miniprogramRoot, shot.page),
      tabBar: tabBarOf(shot.page),
      miniprogramRoot,
    }),
  );
  await methods.onHide?.();
  await methods.onUnload?.();
}

function renderFixture(fixture: FixtureShot): void {
  const id = simulate.load(path.join(fixture.root, fixture.page), {
    rootPath: fixture.root,
    compilerOptions: { maxBuffer: 100 * 1024 * 1024 },
  });
  const rendered = simulate.render(id);
  rendered.attach(document.createElement('parent-wrapper'));
  if (!rendered.dom) throw new Error('the fixture rendered no DOM');
  write(
    {
      name: fixture.name,
      page: fixture.page,
      state: 'fixture',
      caption: fixture.caption,
      careMode: fixture.careMode === true,
      ...(fixture.primary ? { primary: fixture.primary } : {}),
      tabPage: false,
    },
    pageDocument({
      root: rendered.dom,
      pageCss: lastInjectedCss(),
      appCss: appCss(fixture.root),
      title: fixture.caption,
      miniprogramRoot: fixture.root,
    }),
  );
  rendered.detach();
}

beforeEach(() => {
  wx.clearStorageSync();
  (wx.request as unknown as jest.Mock).mockImplementation(realRequest);
  Object.assign(wx, { uploadFile: realUploadFile, chooseMessageFile: chooseNothing });
});

afterAll(() => {
  fs.writeFileSync(path.join(htmlDir, MANIFEST), JSON.stringify(manifest, null, 2));
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

const failed = (entry: Omit<RenderedShot, 'html' | 'error' | 'careMode' | 'tabPage'>, error: unknown) =>
  manifest.push({
    ...entry,
    careMode: false,
    tabPage: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });

for (const fixture of plan.fixtures) {
  it(`renders fixture ${fixture.name}`, () => {
    try {
      renderFixture(fixture);
    } catch (error) {
      failed({ name: fixture.name, page: fixture.page, state: 'fixture', caption: fixture.caption }, error);
    }
  });
}

for (const shot of plan.shots) {
  it(`renders ${shot.name}`, async () => {
    try {
      await renderShot(shot);
    } catch (error) {
      failed({ name: shot.name, page: shot.page, state: shot.state, caption: shot.caption }, error);
    }
  });
}

if (plan.fixtures.length + plan.shots.length === 0) it('has nothing to render', () => undefined);
