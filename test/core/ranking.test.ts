import { rankFamilies, rankFromAbove, rankPage, rankText } from '../../miniprogram/core/ranking';

const row = (familyId: string, earned: number, suspended = false) => ({ familyId, earned, suspended });

describe('ranking', () => {
  it('shares a rank between ties and skips after them', () => {
    const ranked = rankFamilies([row('a', 10), row('b', 30), row('c', 30), row('d', 5)]);
    expect(ranked.map((r) => [r.familyId, r.rank])).toEqual([
      ['b', 1],
      ['c', 1],
      ['a', 3],
      ['d', 4],
    ]);
  });

  it('shows suspended families without a rank and without taking a place', () => {
    const ranked = rankFamilies([row('a', 50, true), row('b', 30), row('c', 20)]);
    expect(ranked.map((r) => [r.familyId, r.rank])).toEqual([
      ['a', null],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('computes a rank from the count above, and none when suspended', () => {
    expect(rankFromAbove(0, false)).toBe(1);
    expect(rankFromAbove(4, false)).toBe(5);
    expect(rankFromAbove(4, true)).toBeNull();
  });

  it('keeps ties across a page boundary', () => {
    const first = rankPage([row('a', 40), row('x', 35, true), row('b', 30)], null);
    expect(first.rows.map((r) => r.rank)).toEqual([1, null, 2]);
    expect(first.cursor).toEqual({ ranked: 2, rank: 2, earned: 30 });
    const second = rankPage([row('c', 30), row('d', 20)], first.cursor);
    expect(second.rows.map((r) => r.rank)).toEqual([2, 4]);
    expect(rankPage([row('a', 9), row('b', 9)], null).rows.map((r) => r.rank)).toEqual([1, 1]);
  });
});

describe('families without points', () => {
  it('take no rank and show 暂无积分', () => {
    const { rows } = rankPage(
      [
        { familyId: 'a', earned: 20, suspended: false },
        { familyId: 'b', earned: 0, suspended: false },
        { familyId: 'c', earned: -5, suspended: true },
      ],
      null,
    );
    expect(rows.map((r) => [r.familyId, r.rank, rankText(r)])).toEqual([
      ['a', 1, '第1名'],
      ['b', null, '暂无积分'],
      ['c', null, '暂停评比'],
    ]);
    expect(rankFromAbove(3, false, 0)).toBeNull();
  });
});
