/**
 * 排行榜: village/town × month/year tabs, the family's own place pinned, suspended families as 暂停评比, load
 * more continuing the ranks with the server's cursor; empty, not linked and error states.
 */
import type { RankingListOutput, RankingRowView } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, notLinked, ok, openPage, type PagedListMethods } from '../harness';

/** The page opens on this month: the tests' clock says 2026-11-20 in China (test/miniprogram/clock.ts). */
const MONTH = '2026-11';

const row = (n: number, over: Partial<RankingRowView> = {}): RankingRowView => ({
  familyId: `f${n}`,
  name: `家庭${n}`,
  villageName: '斑竹村',
  earned: 100 - n,
  pointsText: '',
  rank: n,
  rankText: `第${n}名`,
  suspended: false,
  mine: false,
  ...over,
});

const ranking = (over: Partial<RankingListOutput> = {}): RankingListOutput => ({
  scope: 'village',
  period: MONTH,
  rows: [
    row(1, { name: '何*梅家', mine: true }),
    row(2, { name: '傅*家' }),
    row(3, { name: '万*志家', rank: null, suspended: true }),
  ],
  cursor: { ranked: 2, rank: 2, earned: 98 },
  hasMore: false,
  me: { earned: 99, rank: 1, suspended: false },
  ...over,
});

const openRanking = () => openPage<PagedListMethods & Record<string, never>>('pages/ranking/index');

beforeEach(() => {
  jest.clearAllMocks();
});

it('shows this month in the village, with our place pinned and suspended families unranked', async () => {
  backend({ 'points/ranking.list': ok(ranking()) });
  const { methods, text } = await openRanking();

  await methods.onLoad();

  expect(callsTo('points/ranking.list')[0]).toEqual({ scope: 'village', period: MONTH, offset: 0 });
  const shown = text();
  expect(shown).toRead([
    '我家 · 2026年11月 第1名 获得 9.9 分',
    '1 何*梅家 （我家） 9.9 分',
    '2 傅*家 9.8 分',
    '暂停评比 万*志家 9.7 分',
  ]);
});

it('switches to the town and to the year, showing villages in the town ranking', async () => {
  backend({
    'points/ranking.list': (input) =>
      ok(ranking({ scope: input.scope as 'village' | 'town', period: String(input.period) })),
  });
  const { methods, tap, text } = await openRanking();
  await methods.onLoad();

  await tap('#scope-town');
  await tap('#period-year');

  const calls = callsTo('points/ranking.list');
  expect(calls[1]).toEqual({ scope: 'town', period: MONTH, offset: 0 });
  expect(calls[2]).toEqual({ scope: 'town', period: '2026', offset: 0 });
  expect(text()).toContain('我家 · 2026年');
  expect(text()).toContain('何*梅家 （我家） 斑竹村');
});

it('pins 暂停评比 for a suspended family', async () => {
  backend({ 'points/ranking.list': ok(ranking({ me: { earned: 50, rank: null, suspended: true } })) });
  const { methods, text } = await openRanking();

  await methods.onLoad();

  expect(text()).toMatch(/我家 · .* 暂停评比 获得 5 分/);
});

it('loads more with the cursor, so ranks continue across pages', async () => {
  backend({
    'points/ranking.list': (input) =>
      input.offset === 0
        ? ok(ranking({ hasMore: true }))
        : ok(ranking({ rows: [row(21, { name: '第二页家' })], cursor: null, hasMore: false })),
  });
  const { methods, text } = await openRanking();
  await methods.onLoad();

  await methods.onReachBottom();

  expect(callsTo('points/ranking.list')[1]).toEqual({
    scope: 'village',
    period: MONTH,
    offset: 3,
    after: { ranked: 2, rank: 2, earned: 98 },
  });
  expect(text()).toContain('21 第二页家');
});

it('says when nobody has points yet, asks to bind when not linked, and shows errors with 重试', async () => {
  backend({ 'points/ranking.list': ok(ranking({ rows: [], me: null })) });
  let opened = await openRanking();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('还没有家庭获得积分');

  backend({ 'points/ranking.list': notLinked() });
  opened = await openRanking();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('绑定家庭后可查看本村排行榜');

  backend({ 'points/ranking.list': fail('INTERNAL', '服务繁忙，请稍后再试') });
  opened = await openRanking();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('服务繁忙，请稍后再试');
  backend({ 'points/ranking.list': ok(ranking()) });
  await opened.tap('#state >>> #retry', '.t-button');
  expect(opened.text()).toContain('傅*家');
});
