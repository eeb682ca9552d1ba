/**
 * 统计与导出 as a village cadre: the month's figures (participation, points, rules, claims, boards, and the
 * redemptions the article reports), the switch to the year, the export of the ledger downloaded and opened,
 * a download failure and a server refusal shown; a town admin sees the whole town; a villager is turned away.
 */
import type { StatsPointsOutput } from '../../../miniprogram/contract/points';
import type { ShopStatsOutput } from '../../../miniprogram/contract/shop';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, session, villagesList, type Answers } from './fixtures';

const pointsOf = (period: string): StatsPointsOutput => ({
  period,
  villageId: 'v1',
  families: 320,
  participatingFamilies: period.length === 4 ? 300 : 136,
  participationRate: period.length === 4 ? 93.8 : 42.5,
  pointsAwarded: period.length === 4 ? 50_000 : 4_215,
  pointsDeducted: -20,
  byRule: [
    { code: 'B01', title: '党员每月按时参加组织生活', count: 40, points: 200, pointsText: '+20' },
    { code: 'C01', title: '参加一次志愿活动', count: 85, points: 850, pointsText: '+85' },
  ],
  claims: { pending: 3, approved: 85, rejected: 2 },
  boards: { red: 4, black: 1 },
});

const shopOf = (period: string): ShopStatsOutput => ({
  period,
  villageId: 'v1',
  orders: 3100,
  familiesRedeemed: 1200,
  villagersRedeemed: period.length === 4 ? 2600 : 230,
  pointsRedeemed: period.length === 4 ? 500_000 : 41_000,
  goodsValueFen: period.length === 4 ? 16_000_000 : 1_234_550,
  servicesDone: 12,
  servicePoints: 600,
});

const exported = {
  fileID: 'cloud://env.bucket/exports/v1/2026-10-ledger-1.xlsx',
  tempFileURL: 'https://tmp.example/2026-10-ledger.xlsx',
  fileName: '斑竹村2026-10积分明细.xlsx',
  bytes: 20_480,
};

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'points/stats.points': (input) => ok({ ...pointsOf(String(input.period)) }),
    'shop/stats.get': (input) => ok(shopOf(String(input.period))),
    'points/reports.export': ok(exported),
    ...over,
  };
}

let cloudDownload: jest.Mock;
let openDocument: jest.Mock;

quietMocksEachTest();

beforeEach(() => {
  cloudDownload = jest.fn((options: { success: (res: object) => void }) =>
    options.success({ tempFilePath: 'wxfile://tmp/ledger.xlsx', statusCode: 200 }),
  );
  openDocument = jest.fn((options: { success: () => void }) => options.success());
  Object.assign(wx.cloud, { downloadFile: cloudDownload });
  Object.assign(wx, { openDocument, downloadFile: jest.fn() });
});

const openStats = (over: Answers = {}) => openLoaded('packageCadre/stats/index', answers(over));

it("shows the village's month: participation, points, rules, claims, boards and redemptions", async () => {
  // Act
  const { text, data } = await openStats();

  // Assess
  const month = String(data().month);
  // This month by the tests' clock (2026-11-20 in China, test/miniprogram/clock.ts).
  expect(month).toBe('2026-11');
  expect(callsTo('points/stats.points')).toEqual([{ villageId: 'v1', period: month }]);
  expect(callsTo('shop/stats.get')).toEqual([{ villageId: 'v1', period: month }]);
  const shown = text();
  expect(shown).toRead([
    '斑竹村',
    '参与家庭 136 / 320 户 参与率 42.5% 加分 +421.5 分 扣分 -2 分',
    '申报（累计） 待审核 3，已通过 85，已驳回 2',
    '红黑榜（累计） 红榜 4 条，黑榜 1 条',
    'C01 参加一次志愿活动 85 次 +85 分',
  ]);
  expect(shown).toContain(
    '兑换家庭 1200 户 兑换村民 230 人 兑换积分 4100 分 商品价值（成本） 12345.50元 心愿服务 12 次（60 分）',
  );
});

it('switches to the year and to another month', async () => {
  // Prepare
  const { page, tap, text } = await openStats();

  // Act
  await tap('#mode-year');
  page.querySelector('#year-picker')?.dispatchEvent('change', { detail: { value: '2025' } });
  await settle();

  // Assess
  expect(callsTo('points/stats.points').at(-1)).toEqual({ villageId: 'v1', period: '2025' });
  expect(callsTo('shop/stats.get').at(-1)).toEqual({ villageId: 'v1', period: '2025' });
  const shown = text();
  expect(shown).toRead([
    '2025年',
    '兑换村民 2600 人 兑换积分 50000 分 商品价值（成本） 160000.00元',
    '导出按村、按月进行',
  ]);

  // Act: back to a month
  await tap('#mode-month');
  page.querySelector('#month-picker')?.dispatchEvent('change', { detail: { value: '2026-10' } });
  await settle();

  // Assess
  expect(callsTo('points/stats.points').at(-1)).toEqual({ villageId: 'v1', period: '2026-10' });
  expect(text()).toContain('2026年10月');
});

it("exports the month's ledger, downloads it and opens it", async () => {
  // Prepare
  const { page, tap, text } = await openStats();
  page.querySelector('#month-picker')?.dispatchEvent('change', { detail: { value: '2026-10' } });
  await settle();

  // Act
  await tap('#export-ledger', '.t-button');
  await settle();

  // Assess
  expect(callsTo('points/reports.export')).toEqual([{ villageId: 'v1', month: '2026-10', sheet: 'ledger' }]);
  expect(cloudDownload).toHaveBeenCalledWith(expect.objectContaining({ fileID: exported.fileID }));
  expect(openDocument).toHaveBeenCalledWith(
    expect.objectContaining({ filePath: 'wxfile://tmp/ledger.xlsx', fileType: 'xlsx', showMenu: true }),
  );
  expect(text()).toContain('已打开斑竹村2026-10积分明细.xlsx（20 KB）');
});

it('shows a download failure, and falls back to the temporary link first', async () => {
  // Prepare
  cloudDownload.mockImplementation((options: { fail: (err: object) => void }) =>
    options.fail({ errMsg: 'downloadFile:fail' }),
  );
  const linkDownload = jest.fn((options: { fail: (err: object) => void }) =>
    options.fail({ errMsg: 'downloadFile:fail timeout' }),
  );
  Object.assign(wx, { downloadFile: linkDownload });
  const { tap, text } = await openStats();

  // Act
  await tap('#export-notice', '.t-button');
  await settle();

  // Assess
  expect(callsTo('points/reports.export')).toEqual([expect.objectContaining({ sheet: 'notice' })]);
  expect(linkDownload).toHaveBeenCalledWith(expect.objectContaining({ url: exported.tempFileURL }));
  expect(openDocument).not.toHaveBeenCalled();
  expect(text()).toContain('斑竹村2026-10积分明细.xlsx已生成，但下载失败：网络连接失败，请检查网络后重试');
});

it("shows the server's refusal to export", async () => {
  const { tap, text } = await openStats({
    'points/reports.export': fail('FORBIDDEN', '只有本村干部、监督员和镇管理员可以查看'),
  });
  await tap('#export-ranking', '.t-button');
  expect(text()).toContain('导出失败：只有本村干部、监督员和镇管理员可以查看');
  expect(cloudDownload).not.toHaveBeenCalled();
});

it('shows a town admin the whole town, without exports', async () => {
  const { text, data } = await openStats({ 'accounts/session.me': session([TOWN_ADMIN]) });
  expect(callsTo('points/stats.points')).toEqual([{ period: data().month }]);
  expect(text()).toContain('全镇');
  expect(text()).toContain('导出按村、按月进行');
});

it('shows one section failing without hiding the other', async () => {
  const { text } = await openStats({ 'shop/stats.get': fail('INTERNAL', '服务繁忙') });
  expect(text()).toContain('参与率 42.5%');
  expect(text()).toContain('服务繁忙');
});

it('turns a villager away', async () => {
  const { text } = await openStats({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部、监督员和镇管理员可以查看统计');
  expect(callsTo('points/stats.points')).toEqual([]);
});
