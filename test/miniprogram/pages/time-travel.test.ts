/**
 * The pages that show a day, a month or a year, at instants where that could go wrong (test/miniprogram/clock.ts):
 * the last minutes of a China month or year, the first minutes of one while UTC is still on the day before, a
 * leap day, years ahead. Each sets the app's clock and checks what the page computes from it: 异议's preselected
 * month, 排行榜's month and year, 统计's month, 月度采集's and 申报's default date, 积分明细's last month,
 * 月度结算's month, 年终积分冠军's year, and 我的二维码's countdown. Also dates.ts and clock.ts themselves, and
 * local mode, where the pages' today is the emulator's (X-Emulator-Now), wherever `npm run clock` moved it.
 */
import type { RankingListOutput } from '../../../miniprogram/contract/points';
import { chinaMonth, chinaToday, now, nowMs, setClock, syncClock } from '../../../miniprogram/services/clock';
import { BACKEND_STORAGE_KEY } from '../../../miniprogram/services/config';
import { chinaDay } from '../../../miniprogram/core/time';
import { CADRE, GROUP_LEADER, TOWN_ADMIN, session as sessionWith, villagesList } from '../cadre/fixtures';
import { HOSTILE_INSTANTS, TEST_NOW } from '../clock';
import { backend, callsTo, ok, openPage, rule, settle, type backend as Backend } from '../harness';
import { familyView, villagerSessionView } from '../views';
import { shops } from '../shop/fixtures';

const villagerSession = ok(villagerSessionView());

const family = ok(
  familyView({}, [
    { id: 'm2', name: '何雄梅', relation: '户主', partyMember: false, linked: true, isMe: true },
  ]),
);

const monthView = (month: string, state: 'open' | 'notice' | 'locked', daysLeft = 0) => ({
  month,
  state,
  stateLabel: { open: '采集中', notice: '公示中', locked: '已锁定' }[state],
  noticeEndsAt: null,
  daysLeft,
  objectionsOpen: state !== 'locked',
  canStartNotice: false,
  canLock: false,
});

/** What 异议 asks for, for 何雄梅 of 斑竹村 (7 days of 公示) with no objections yet and these `months`. */
const objectionsPage = (months: ReturnType<typeof monthView>[]) => ({
  'accounts/session.me': villagerSession,
  'points/objections.mine': ok({ objections: [] }),
  'points/months.list': ok({ villageName: '斑竹村', noticeDays: 7, months }),
});

const ranking = (scope: string, period: string): RankingListOutput => ({
  scope: scope as RankingListOutput['scope'],
  period,
  rows: [
    {
      familyId: 'f1',
      name: '何*梅家',
      villageName: '斑竹村',
      earned: 99,
      pointsText: '',
      rank: 1,
      rankText: '第1名',
      suspended: false,
      mine: true,
    },
  ],
  cursor: null,
  hasMore: false,
  me: { earned: 99, rank: 1, suspended: false },
});

const issued = (token: string) => ({ token, issuedAt: '', expiresAt: '', ttlSeconds: 120 });

beforeEach(() => {
  jest.clearAllMocks();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe.each(HOSTILE_INSTANTS)('at $name', (instant) => {
  beforeEach(() => setClock(instant.at));

  it('the clock and dates.ts give China’s day, month and year', () => {
    expect(now().toISOString()).toBe(instant.at);
    expect(chinaToday()).toBe(instant.day);
    expect(chinaMonth()).toBe(instant.month);
    expect(chinaToday().slice(0, 4)).toBe(instant.year);
    expect(chinaDay(instant.at)).toBe(instant.day);
    // The same with the instant passed in, and with it written in China time.
    expect(chinaToday(new Date(instant.at))).toBe(instant.day);
    expect(chinaMonth(new Date(instant.at))).toBe(instant.month);
    setClock(new Date(nowMs() + 8 * 3_600_000).toISOString().replace('Z', '+08:00'));
    expect(now().toISOString()).toBe(instant.at);
  });

  it('异议 preselects last month, the one in 公示', async () => {
    backend(
      objectionsPage([
        monthView(instant.month, 'open'),
        monthView(instant.previousMonth, 'notice', 3),
        monthView('2020-01', 'locked'),
      ]),
    );
    const { methods, text, data } = await openPage('pages/objections/index');

    await methods.onLoad({});
    await settle();

    expect(data().monthIndex).toBe(1);
    expect(text()).toContain(`异议对象：月度结果 ${instant.previousMonthText}（公示中，还剩3天）`);
  });

  it('排行榜 ranks this month, then this year', async () => {
    backend({
      'points/ranking.list': (input) => ok(ranking(String(input.scope), String(input.period))),
    });
    const { methods, tap, text } = await openPage('pages/ranking/index');

    await methods.onLoad();
    expect(callsTo('points/ranking.list')).toEqual([{ scope: 'village', period: instant.month, offset: 0 }]);
    expect(text()).toContain(`我家 · ${instant.monthText} 第1名`);

    await tap('#period-year');
    expect(callsTo('points/ranking.list')[1]).toEqual({ scope: 'village', period: instant.year, offset: 0 });
    expect(text()).toContain(`我家 · ${instant.year}年 第1名`);
  });

  it('统计与导出 opens on this month, up to this month', async () => {
    backend({
      'accounts/session.me': sessionWith([CADRE]),
      'accounts/villages.list': villagesList,
      // The figures are not the point here: unanswered, their sections show an error.
    });
    const { methods, text, data } = await openPage('packageCadre/stats/index');

    await methods.onLoad();
    await settle();

    expect(data()).toMatchObject({ thisMonth: instant.month, month: instant.month, year: instant.year });
    expect(callsTo('points/stats.points')[0]).toEqual({ villageId: 'v1', period: instant.month });
    expect(text()).toContain(`${instant.monthText} 选择月份`);
  });

  it('月度采集 dates the deeds today', async () => {
    backend({
      'accounts/session.me': sessionWith([GROUP_LEADER], '傅红'),
      'accounts/villages.list': villagesList,
      'accounts/families.list': ok({ families: [], nextOffset: null }),
      'points/rules.list': ok({ rules: [] }),
    });
    const { methods, data } = await openPage('packageCadre/monthly/index');

    await methods.onLoad();
    await settle();

    expect(data()).toMatchObject({ today: instant.day, deedDate: instant.day });
  });

  it('申报 dates the claim today, and no later', async () => {
    backend({
      'points/rules.list': ok({ rules: [rule({})] }),
      'accounts/families.get': family,
      'accounts/session.me': villagerSession,
    });
    const { methods, text, data } = await openPage('pages/claim/index');

    await methods.onLoad();
    await settle();

    expect(data()).toMatchObject({ today: instant.day, deedDate: instant.day });
    expect(text()).toContain(instant.day);
  });

  it('积分明细 offers months up to this one', async () => {
    backend({});
    const { methods, data } = await openPage('pages/ledger/index');

    await methods.onLoad();
    await settle();

    expect(data().monthEnd).toBe(instant.month);
  });

  it('月度结算 opens on this month', async () => {
    backend({
      'accounts/session.me': sessionWith([TOWN_ADMIN], '张镇长'),
      'accounts/villages.list': villagesList,
      'shop/shops.list': ok({ shops: [shops[0]] }),
      'shop/fund.settlement': (input) =>
        ok({ shopId: 's1', shopName: shops[0].name, month: String(input.month), villages: [], totalFen: 0 }),
    });
    const { methods, text } = await openPage('packageShop/settlement/index');

    await methods.onLoad();
    await settle();

    expect(callsTo('shop/fund.settlement')).toEqual([{ shopId: 's1', month: instant.month }]);
    expect(text()).toContain(instant.month);
  });

  it('年终积分冠军 opens on this year', async () => {
    backend({
      'accounts/session.me': sessionWith([CADRE]),
      'accounts/villages.list': villagesList,
      'shop/champions.list': ok({ champions: null }),
    });
    const { methods, text } = await openPage('packageShop/champions/index');

    await methods.onLoad();
    await settle();

    expect(callsTo('shop/champions.list')).toEqual([{ villageId: 'v1', year: instant.year }]);
    expect(text()).toContain(`${instant.year}年`);
  });

  it('我的二维码 counts down across the hour, and fetches a new code before it expires', async () => {
    const tokens = ['qr1.f1.m1.abc.mac111aaa', 'qr1.f1.m1.abd.mac222bbb'];
    backend({ 'shop/qr.issue': () => ok(issued(tokens.shift() ?? 'none')) });
    const { methods, text } = await openPage('pages/qr/index');

    await methods.onLoad();
    expect(text()).toContain('120秒后自动更新');

    setClock(nowMs() + 60_000);
    await methods.onTick();
    expect(text()).toContain('60秒后自动更新');
    expect(callsTo('shop/qr.issue')).toHaveLength(1);

    setClock(nowMs() + 51_000);
    await methods.onTick();
    expect(callsTo('shop/qr.issue')).toHaveLength(2);
    expect(text()).toContain('码号 222BBB');
    expect(text()).toContain('120秒后自动更新');
    methods.onUnload();
  });
});

describe('the clock', () => {
  it('starts every test at TEST_NOW, 2026-11-20 10:00 China time', () => {
    expect(now().toISOString()).toBe(TEST_NOW);
    expect(chinaToday()).toBe('2026-11-20');
  });

  it('takes a Date, an ISO instant in any zone or epoch ms, and refuses what is no instant', () => {
    setClock(new Date('2027-01-01T00:10:00+08:00'));
    expect(now().toISOString()).toBe('2026-12-31T16:10:00.000Z');
    setClock('2028-02-29T00:30:00+08:00');
    expect(chinaToday()).toBe('2028-02-29');
    setClock(Date.UTC(2039, 5, 15, 1));
    expect(chinaToday()).toBe('2039-06-15');
    expect(() => setClock('tomorrow')).toThrow(RangeError);
    expect(() => setClock(Number.NaN)).toThrow(RangeError);
    expect(chinaToday()).toBe('2039-06-15');
  });

  it('follows a backend’s clock and keeps running from there', () => {
    setClock('2026-11-20T02:00:00.000Z');
    expect(syncClock('2027-01-01T00:10:00+08:00')).toBe(true);
    expect(chinaToday()).toBe('2027-01-01');
    // The phone's clock moves on a minute: so does the synced one.
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-20T02:01:00.000Z'));
    setClock(null);
    expect(syncClock('2027-01-01T00:10:00+08:00')).toBe(true);
    (Date.now as jest.Mock).mockReturnValue(Date.parse('2026-11-20T02:02:00.000Z'));
    expect(now().toISOString()).toBe('2026-12-31T16:11:00.000Z');
    // A garbled time changes nothing; setClock forgets the backend.
    expect(syncClock('')).toBe(false);
    expect(syncClock('not a time')).toBe(false);
    expect(now().toISOString()).toBe('2026-12-31T16:11:00.000Z');
    setClock(null);
    expect(now().toISOString()).toBe('2026-11-20T02:02:00.000Z');
  });
});

describe('in local mode, the emulator’s clock', () => {
  /** The emulator's gateway over `wx.request`: `answers` per `fn/action`, each answer stamped with `emulatorNow`. */
  function emulator(answers: Parameters<typeof Backend>[0], emulatorNow: string): void {
    wx.setStorageSync(BACKEND_STORAGE_KEY, {
      mode: 'local',
      baseUrl: 'http://127.0.0.1:3000',
      openid: 'o-he',
    });
    (wx.request as unknown as jest.Mock).mockImplementation((options: WechatMiniprogram.RequestOption) => {
      const fn = options.url.split('/').pop();
      const { action, input } = options.data as { action: string; input: Record<string, unknown> };
      const answer = answers[`${fn}/${action}`];
      const envelope = typeof answer === 'function' ? answer(input) : answer;
      options.success?.({
        data: envelope,
        statusCode: 200,
        header: { 'X-Emulator-Now': emulatorNow },
      } as never);
    });
  }

  beforeEach(() => wx.clearStorageSync());
  afterEach(() => wx.clearStorageSync());

  it('sets 异议’s month: on the emulator it is already January 2027', async () => {
    // The phone says 2026-11-20 (TEST_NOW); the town's emulator was moved to 2027-01-01 00:10 China time.
    emulator(
      objectionsPage([
        monthView('2027-01', 'open'),
        monthView('2026-12', 'notice', 7),
        monthView('2026-11', 'locked'),
      ]),
      '2026-12-31T16:10:00.000Z',
    );
    const { methods, text } = await openPage('pages/objections/index');

    await methods.onLoad({});
    await settle();

    expect(wx.cloud.callFunction).not.toHaveBeenCalled();
    expect(text()).toContain('异议对象：月度结果 2026年12月（公示中，还剩7天）');
  });

  it('dates 申报 and ranks 排行榜 by the emulator’s day once it has answered', async () => {
    emulator(
      {
        'points/rules.list': ok({ rules: [rule({})] }),
        'accounts/families.get': family,
        'accounts/session.me': villagerSession,
        'points/ranking.list': (input) => ok(ranking(String(input.scope), String(input.period))),
      },
      '2028-02-28T16:30:00.000Z',
    );
    const first = await openPage('pages/claim/index');
    await first.methods.onLoad();
    await settle();

    const claim = await openPage('pages/claim/index');
    await claim.methods.onLoad();
    await settle();
    expect(claim.data()).toMatchObject({ today: '2028-02-29', deedDate: '2028-02-29' });

    const board = await openPage('pages/ranking/index');
    await board.methods.onLoad();
    expect(board.text()).toContain('我家 · 2028年2月 第1名');
    const periods = (wx.request as unknown as jest.Mock).mock.calls
      .map(([options]) => (options as { data: { action: string; input: { period?: string } } }).data)
      .filter((event) => event.action === 'ranking.list')
      .map((event) => event.input.period);
    expect(periods).toEqual(['2028-02']);
  });
});
