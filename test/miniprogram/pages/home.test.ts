/**
 * 首页 as a villager sees it: points in 分 against last month, ranks out of how many families, the 12-month
 * bars, a suspension notice, the latest lines (reason only when it differs from the title, Chinese dates); the
 * prompt to bind when not linked; an error with 重试; two large actions and an icon grid; 关怀模式 switched on
 * the home page, keeping 我的二维码 and 积分商城.
 */
import type { HomeGetOutput } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, notLinked, ok, openPage } from '../harness';
import { entryView } from '../views';

const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

const home = (over: Partial<HomeGetOutput> = {}): HomeGetOutput => ({
  family: { id: 'f1', name: '何雄梅家', villageName: '斑竹村' },
  available: 125,
  earnedThisYear: 305,
  earnedThisMonth: 15,
  year: '2026',
  month: '2026-11',
  villageRank: 3,
  townRank: 17,
  villageRanked: 12,
  townRanked: 80,
  suspended: false,
  suspendedUntil: null,
  chart: months.map((month, i) => ({ month, earned: i === 10 ? 40 : i === 9 ? 20 : 0 })),
  latest: [entryView({ createdAt: '2026-11-20T17:00:00.000Z' })],
  ...over,
});

interface HomeMethods {
  onLoad(): Promise<void>;
  onPullDownRefresh(): Promise<void>;
}

const openHome = () => openPage<HomeMethods & Record<string, never>>('pages/home/index');

beforeEach(() => {
  jest.clearAllMocks();
  wx.clearStorageSync();
  (getApp() as IAppOption).globalData.careMode = false;
});

it('shows the points, ranks, bars and the latest lines with reasons', async () => {
  // Prepare
  backend({ 'points/home.get': ok(home()) });
  const { methods, text, data } = await openHome();

  // Act
  await methods.onLoad();

  // Assess
  const shown = text();
  expect(shown).toContain('何雄梅家 · 斑竹村');
  expect(shown).toContain('可用积分 12.5 分');
  // This month 1.5 against October's 2 (the chart's second-last month).
  expect(shown).toRead([
    '本月获得1.5分，比上月少0.5分',
    '30.5分 今年获得',
    '第3名 / 共12户 村内排名',
    '第17名 / 共80户 全镇排名',
    '近12个月获得积分',
    '2 10 4 11 12 月份',
  ]);
  // The day is China time: 17:00 UTC on the 20th is the 21st in 斑竹村.
  expect(shown).toContain('参加一次志愿活动 11月21日 · 何雄梅 · 参加河道清理');
  expect(shown).toContain('+1分');
  const bars = data().bars as { height: number }[];
  expect(bars).toHaveLength(12);
  expect(bars[10].height).toBe(100);
  expect(bars[9].height).toBe(50);
  expect(bars[0].height).toBe(0);
  expect(shown).not.toContain('暂停评比');
  expect(shown).not.toContain('2026-11');
});

it('does not repeat the title as the reason, and names the kind of a line without a rule', async () => {
  backend({
    'points/home.get': ok(
      home({
        latest: [
          { ...home().latest[0], id: 'e1', reason: '参加一次志愿活动', memberName: null },
          {
            ...home().latest[0],
            id: 'e2',
            kind: 'redemption',
            kindLabel: '兑换',
            ruleTitle: null,
            points: -140,
            pointsText: '-14',
            reason: '洗洁精×1',
            memberName: null,
            createdAt: '2026-11-02T03:00:00.000Z',
          },
        ],
      }),
    ),
  });
  const { methods, text } = await openHome();

  await methods.onLoad();

  expect(text()).toContain('参加一次志愿活动 11月21日 +1分');
  expect(text()).toContain('兑换 11月2日 · 洗洁精×1 -14分');
});

it('compares with last month in words', async () => {
  const chart = (last: number) => months.map((month, i) => ({ month, earned: i === 9 ? last : 0 }));
  for (const [last, words] of [
    [15, '与上月持平'],
    [5, '比上月多1分'],
  ] as const) {
    backend({ 'points/home.get': ok(home({ chart: chart(last) })) });
    const { methods, text } = await openHome();
    await methods.onLoad();
    expect(text()).toContain(`本月获得1.5分，${words}`);
  }
});

it('tells a suspended family until when, and shows 暂停评比 instead of ranks', async () => {
  backend({
    'points/home.get': ok(
      home({
        suspended: true,
        suspendedUntil: '2027-01-31T16:00:00.000Z',
        villageRank: null,
        townRank: null,
      }),
    ),
  });
  const { methods, text } = await openHome();

  await methods.onLoad();

  expect(text()).toContain('因上黑榜，您家暂停评比和兑换，至2027年2月1日恢复');
  expect(text()).toContain('暂停评比 村内排名');
  expect(text()).not.toContain('共12户');
});

it('asks a villager who is not linked to bind the family with an invite code', async () => {
  // Prepare
  backend({ 'points/home.get': notLinked() });
  const { methods, text, tap } = await openHome();
  await methods.onLoad();
  expect(text()).toContain('您的微信还没有绑定家庭');
  expect(text()).not.toContain('可用积分');

  // Act
  await tap('#bind', '.t-button');

  // Assess
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/family/index' }));
});

it('shows the error, and 重试 loads again', async () => {
  let calls = 0;
  backend({
    'points/home.get': () => {
      calls += 1;
      return calls === 1 ? fail('INTERNAL', '服务繁忙，请稍后再试') : ok(home());
    },
  });
  const { methods, text, tap } = await openHome();
  await methods.onLoad();
  expect(text()).toContain('服务繁忙，请稍后再试');

  await tap('#state >>> #retry', '.t-button');

  expect(callsTo('points/home.get')).toHaveLength(2);
  expect(text()).toContain('可用积分 12.5 分');
});

it('says there are no records yet for a new family', async () => {
  backend({
    'points/home.get': ok(home({ latest: [], available: 0, earnedThisYear: 0, earnedThisMonth: 0 })),
  });
  const { methods, text } = await openHome();

  await methods.onLoad();

  expect(text()).toContain('还没有积分记录');
  expect(text()).toContain('可用积分 0 分');
});

it('opens pages from the entrances: 排行榜 as a tab, 申报积分 as a page', async () => {
  backend({ 'points/home.get': ok(home()) });
  const { methods, tap, page } = await openHome();
  await methods.onLoad();
  // Two large actions lead; the rest are an icon grid.
  const primary = Array.from(page.querySelectorAll('.primary__title')).map((n) => n.dom?.textContent);
  expect(primary).toEqual(['申报积分', '我的二维码']);
  expect(page.querySelectorAll('.grid__item')).toHaveLength(11);

  await tap('#entrance-ranking');
  await tap('#entrance-claim');

  expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/ranking/index' }));
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/claim/index' }));
});

it('in 关怀模式 shows the essentials: no chart, 申报积分 and 我的二维码, 积分明细, 积分商城 and 我的家庭', async () => {
  (getApp() as IAppOption).globalData.careMode = true;
  backend({ 'points/home.get': ok(home()) });
  const { page, methods, text } = await openHome();

  await methods.onLoad();

  expect(page.querySelector('.care-mode')).toBeTruthy();
  expect(text()).toContain('可用积分 12.5 分');
  expect(text()).not.toContain('近12个月获得积分');
  expect(text()).toContain('申报积分 我的二维码 积分明细 积分商城 我的家庭 关怀模式');
  expect((page.data as { grid: { title: string }[] }).grid.map((e) => e.title)).toEqual([
    '积分明细',
    '积分商城',
    '我的家庭',
  ]);
});

it('switches 关怀模式 on from the home page, remembered on this phone', async () => {
  // Prepare
  backend({ 'points/home.get': ok(home()) });
  const { page, methods, text } = await openHome();
  await methods.onLoad();
  expect(page.querySelector('.care-mode')).toBeFalsy();
  expect(text()).toContain('近12个月获得积分');

  // Act
  page.querySelector('#care-mode')?.dispatchEvent('change', { detail: { value: true } });
  await new Promise((resolve) => setTimeout(resolve, 0));

  // Assess
  expect(page.querySelector('.care-mode')).toBeTruthy();
  expect(text()).not.toContain('近12个月获得积分');
  expect(text()).toContain('我的二维码');
  expect(text()).toContain('积分商城');
  expect(wx.getStorageSync('zanjifen.careMode')).toBe(true);
  expect((getApp() as IAppOption).globalData.careMode).toBe(true);
});

it('keeps the figures when a pull-down refresh fails, and says why', async () => {
  let calls = 0;
  backend({
    'points/home.get': () => {
      calls += 1;
      return calls === 1 ? ok(home()) : fail('NETWORK', '网络连接失败，请检查网络后重试');
    },
  });
  const { methods, text } = await openHome();
  await methods.onLoad();

  await methods.onPullDownRefresh();

  expect(text()).toContain('可用积分 12.5 分');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '网络连接失败，请检查网络后重试', icon: 'none' });
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});
