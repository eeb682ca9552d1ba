import {
  applyEntry,
  emptyTotals,
  reversalOf,
  totalsDelta,
  totalsFromEntries,
  type EntryEffect,
} from '../../miniprogram/core/ledger';

describe('family totals from ledger entries', () => {
  const award: EntryEffect = { kind: 'award', points: 10, month: '2026-11' };
  const half: EntryEffect = { kind: 'award', points: 5, month: '2026-11' };
  const redemption: EntryEffect = { kind: 'redemption', points: -14, month: '2026-11' };

  it('raises available and earned on an award; redemption lowers available only', () => {
    const totals = totalsFromEntries([award, half, redemption]);
    expect(totals.available).toBe(1);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 15 });
    expect(totals.earnedByYear).toEqual({ '2026': 15 });
  });

  it('lowers both on a black-board deduction', () => {
    const totals = totalsFromEntries([award, { kind: 'board', points: -20, month: '2026-12' }]);
    expect(totals.available).toBe(-10);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 10, '2026-12': -20 });
    expect(totals.earnedByYear).toEqual({ '2026': -10 });
  });

  it('reverses an award in a later month out of that month’s and year’s earned points', () => {
    const totals = totalsFromEntries([award, reversalOf(award, '2027-01')]);
    expect(totals.available).toBe(0);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 10, '2027-01': -10 });
    expect(totals.earnedByYear).toEqual({ '2026': 10, '2027': -10 });
  });

  it('reverses a redemption back into available points without touching the ranking', () => {
    const cancelled = reversalOf(redemption, '2026-11');
    expect(totalsDelta(cancelled)).toEqual({ available: 14, month: 0, year: 0 });
    const totals = totalsFromEntries([award, redemption, cancelled]);
    expect(totals.available).toBe(10);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 10 });
  });

  it('does not mutate the totals it is given', () => {
    const before = emptyTotals();
    applyEntry(before, award);
    expect(before).toEqual(emptyTotals());
  });
});
