/**
 * 月度结算 as a village cadre and a town admin: what each village owes a shop at cost for the month, the income
 * statement of a shop that sells to the public with each owner village's share, an empty month, another month
 * picked, a villager turned away.
 */
import type { IncomeStatementOutput, SettlementOutput, ShopView } from '../../../miniprogram/contract/shop';
import { type Answers, callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, session, shops, villagesList } from './fixtures';

/** The page opens on this month: the tests' clock says 2026-11-20 in China (test/miniprogram/clock.ts). */
const MONTH = '2026-11';

const central: ShopView = {
  ...shops[1],
  owners: [
    { villageId: 'v1', shareBp: 6000 },
    { villageId: 'v2', shareBp: 4000 },
  ],
};

const settlement = (over: Partial<SettlementOutput> = {}): SettlementOutput => ({
  shopId: 's2',
  shopName: '中心超市',
  month: MONTH,
  villages: [
    { villageId: 'v1', orders: 12, points: 3405, owesFen: 28050 },
    { villageId: 'v2', orders: 3, points: 600, owesFen: 5000 },
  ],
  totalFen: 33050,
  ...over,
});

const income: IncomeStatementOutput = {
  shopId: 's2',
  month: MONTH,
  sales: 40,
  revenueFen: 150000,
  costFen: 120000,
  profitFen: 30000,
  shares: [
    { villageId: 'v1', fen: 18000, shareBp: 6000 },
    { villageId: 'v2', fen: 12000, shareBp: 4000 },
  ],
};

const openSettlement = (over: Answers = {}) =>
  openLoaded('packageShop/settlement/index', {
    'accounts/session.me': session([TOWN_ADMIN], '张镇长'),
    'accounts/villages.list': villagesList,
    'shop/shops.list': ok({ shops: [shops[0], central] }),
    'shop/fund.settlement': (input) => ok(settlement({ shopId: String(input.shopId) })),
    'shop/shops.incomeStatement': ok(income),
    ...over,
  });

quietMocksEachTest();

it('shows what each village owes a village shop at cost, without an income statement', async () => {
  const { text, page } = await openSettlement();
  expect(callsTo('shop/fund.settlement')).toEqual([{ shopId: 's1', month: MONTH }]);
  expect(text()).toRead([
    '斑竹村积分超市 切换',
    '斑竹村 应付280.50元 12单，共340.5分',
    '大路村 应付50.00元 3单，共60分',
    '合计 330.50元',
  ]);
  // The village shop does not sell to the public.
  expect(callsTo('shop/shops.incomeStatement')).toHaveLength(0);
  expect(page.querySelector('#income')).toBeFalsy();
});

it("shows a public shop's settlement and its income statement with each owner's share", async () => {
  // Prepare
  const { page, text } = await openSettlement();

  // Act
  page.querySelector('#shop-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await settle();

  // Assess
  expect(callsTo('shop/fund.settlement')).toEqual([
    { shopId: 's1', month: MONTH },
    { shopId: 's2', month: MONTH },
  ]);
  expect(callsTo('shop/shops.incomeStatement')).toEqual([{ shopId: 's2', month: MONTH }]);
  expect(text()).toContain('中心超市 切换');
  expect(text()).toContain(
    '对外销售损益 销售笔数 40笔 销售额 1500.00元 成本 1200.00元 利润 300.00元 股东村（社区）分配 斑竹村（占股60%） 180.00元 大路村（占股40%） 120.00元',
  );
});

it('says so for a month without redemptions or public sales, after picking it', async () => {
  // Prepare
  const { page, text } = await openSettlement({
    'shop/shops.list': ok({ shops: [central] }),
    'shop/fund.settlement': (input) =>
      ok(settlement({ month: String(input.month), villages: [], totalFen: 0 })),
    'shop/shops.incomeStatement': (input) =>
      ok({ ...income, month: String(input.month), sales: 0, revenueFen: 0, costFen: 0, profitFen: 0 }),
  });

  // Act
  page.querySelector('#month-picker')?.dispatchEvent('change', { detail: { value: '2026-01' } });
  await settle();

  // Assess
  expect(callsTo('shop/fund.settlement')).toEqual([
    { shopId: 's2', month: MONTH },
    { shopId: 's2', month: '2026-01' },
  ]);
  expect(text()).toRead(['月份 2026-01', '本月没有积分兑换订单', '本月没有对外销售']);
});

it("shows a cadre the shops their village runs or is served by, and the server's refusal in its words", async () => {
  const { text } = await openSettlement({
    'accounts/session.me': session([VILLAGER, CADRE]),
    'shop/shops.list': ok({ shops: [central] }),
    'shop/shops.incomeStatement': fail('FORBIDDEN', '只有超市的股东村干部或镇管理员可以查看损益表'),
  });
  expect(text()).toRead([
    '超市 中心超市',
    '斑竹村 应付280.50元',
    '只有超市的股东村干部或镇管理员可以查看损益表',
  ]);
});

it('shows a load failure', async () => {
  const { text } = await openSettlement({ 'shop/shops.list': fail('INTERNAL', '服务繁忙，请稍后再试') });
  expect(text()).toContain('服务繁忙，请稍后再试');
  expect(callsTo('shop/fund.settlement')).toHaveLength(0);
});

it('tells a villager the page is not for them', async () => {
  const { text } = await openSettlement({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部或镇管理员可以查看月度结算');
  expect(callsTo('shop/fund.settlement')).toHaveLength(0);
});
