/**
 * 家庭积分档案 as a village cadre preparing 评先评优: picks a family from the village's households and reads its
 * history by year and month, board entries and champion titles; a family with nothing yet; the server's
 * refusal shown; a villager turned away.
 */
import type { FamilyReportOutput } from '../../../miniprogram/contract/shop';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, VILLAGER, familiesList, session, villagesList, type Answers } from './fixtures';

const report: FamilyReportOutput = {
  familyId: 'f1',
  familyName: '王建国家',
  available: 125,
  years: [
    {
      year: '2026',
      earned: 185,
      months: [
        { month: '2026-01', earned: 30 },
        { month: '2026-02', earned: 15 },
      ],
    },
    { year: '2025', earned: 420, months: [] },
  ],
  boards: [
    { board: 'red', title: '照顾孤寡老人', date: '2026-03-10', points: 10 },
    { board: 'black', title: '乱倒建筑垃圾', date: '2025-06-02', points: -20 },
  ],
  championTitles: [{ year: '2025', rank: 2, amountFen: 50_000 }],
};

const openReport = (over: Answers = {}) =>
  openLoaded('packageCadre/report/index', {
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'accounts/families.list': familiesList('g1'),
    'shop/report.family': (input) =>
      input.familyId === 'f1'
        ? ok(report)
        : ok({
            familyId: 'f2',
            familyName: '何雄梅家',
            available: 0,
            years: [],
            boards: [],
            championTitles: [],
          }),
    ...over,
  });

quietMocksEachTest();

it("shows a family's history by year, its boards and champion titles", async () => {
  // Prepare
  const { page, text } = await openReport();
  expect(callsTo('accounts/families.list')).toEqual([{ villageId: 'v1', offset: 0 }]);

  // Act
  page.querySelector('#family-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();

  // Assess
  expect(callsTo('shop/report.family')).toEqual([{ familyId: 'f1' }]);
  const shown = text();
  expect(shown).toRead([
    '王建国户（001）',
    '王建国家 可用积分 12.5 分',
    '历年积分 2026年 18.5 分 1月 3，2月 1.5 2025年 42 分',
    '红黑榜 红榜 照顾孤寡老人 +1 分 2026-03-10 黑榜 乱倒建筑垃圾 -2 分 2025-06-02',
    '积分冠军 2025年 积分冠军 第2名，奖励500.00元',
  ]);
});

it('says so when a family has nothing yet', async () => {
  const { page, text } = await openReport();
  page.querySelector('#family-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await settle();
  expect(text()).toRead(['还没有积分记录', '没有上过红黑榜', '还没有获得积分冠军']);
});

it("shows the server's refusal and retries", async () => {
  const { page, tap, text } = await openReport({
    'shop/report.family': fail('FORBIDDEN', '只能查看本家庭的积分报告'),
  });
  page.querySelector('#family-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();
  expect(text()).toContain('只能查看本家庭的积分报告');
  await tap('#reload', '.t-button');
  expect(callsTo('shop/report.family')).toHaveLength(2);
});

it('turns a villager away', async () => {
  const { text } = await openReport({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部、监督员和镇管理员可以查看家庭积分档案');
});
