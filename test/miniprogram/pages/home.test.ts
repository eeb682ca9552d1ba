/**
 * 首页 as a villager sees it: points, ranks, the 12-month bars, a suspension notice, the latest lines; the
 * prompt to bind when not linked; an error with 重试; 关怀模式 with only the essentials; entrances.
 */
import type { HomeGetOutput } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, notLinked, ok, openPage } from '../harness';

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
  suspended: false,
  suspendedUntil: null,
  chart: months.map((month, i) => ({ month, earned: i === 10 ? 40 : i === 9 ? 20 : 0 })),
  latest: [
    {
      id: 'e1',
      kind: 'award',
      kindLabel: '加分',
      memberName: '何雄梅',
      ruleTitle: '参加一次志愿活动',
      points: 10,
      pointsText: '+1',
      month: '2026-11',
      reason: '参加河道清理',
      recordedByName: '傅红',
      approvedByName: '罗亚倩',
      onBehalf: false,
      reversesId: null,
      createdAt: '2026-11-20T17:00:00.000Z',
    },
  ],
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
  expect(shown).toContain('可用积分 12.5');
  expect(shown).toContain('30.5 今年获得');
  expect(shown).toContain('1.5 本月获得');
  expect(shown).toContain('第3名 村内排名');
  expect(shown).toContain('第17名 全镇排名');
  expect(shown).toContain('近12个月获得积分');
  expect(shown).toContain('11月');
  // The day is China time: 17:00 UTC on the 20th is the 21st in 斑竹村.
  expect(shown).toContain('2026-11-21 何雄梅：参加河道清理');
  expect(shown).toContain('+1 分');
  const bars = data().bars as { height: number }[];
  expect(bars).toHaveLength(12);
  expect(bars[10].height).toBe(100);
  expect(bars[9].height).toBe(50);
  expect(bars[0].height).toBe(0);
  expect(shown).not.toContain('暂停评比');
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

  await tap('#retry', '.t-button');

  expect(callsTo('points/home.get')).toHaveLength(2);
  expect(text()).toContain('可用积分 12.5');
});

it('says there are no records yet for a new family', async () => {
  backend({
    'points/home.get': ok(home({ latest: [], available: 0, earnedThisYear: 0, earnedThisMonth: 0 })),
  });
  const { methods, text } = await openHome();

  await methods.onLoad();

  expect(text()).toContain('还没有积分记录');
  expect(text()).toContain('可用积分 0');
});

it('opens pages from the entrances: 排行榜 as a tab, 申报积分 as a page', async () => {
  backend({ 'points/home.get': ok(home()) });
  const { methods, tap } = await openHome();
  await methods.onLoad();

  await tap('#entrance-ranking');
  await tap('#entrance-claim');

  expect(wx.switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/ranking/index' }));
  expect(wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/claim/index' }));
});

it('in 关怀模式 shows only the essentials: no chart, three large entrances', async () => {
  (getApp() as IAppOption).globalData.careMode = true;
  backend({ 'points/home.get': ok(home()) });
  const { page, methods, text } = await openHome();

  await methods.onLoad();

  expect(page.querySelector('.care-mode')).toBeTruthy();
  expect(text()).toContain('可用积分 12.5');
  expect(text()).not.toContain('近12个月获得积分');
  expect((page.data as { entrances: { title: string }[] }).entrances.map((e) => e.title)).toEqual([
    '申报积分',
    '积分明细',
    '我的家庭',
  ]);
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

  expect(text()).toContain('可用积分 12.5');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '网络连接失败，请检查网络后重试', icon: 'none' });
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});
