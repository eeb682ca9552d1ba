import {
  entryChange,
  reversalOf,
  totalsFromEntries,
  type AppliedEntry,
  type EntryEffect,
} from '../../miniprogram/core/ledger';

/** Applies effects one by one as the functions do, recording what each actually changed. */
function post(effects: EntryEffect[]): AppliedEntry[] {
  let available = 0;
  return effects.map((effect) => {
    const change = entryChange(effect, available);
    available += change.available;
    return { ...effect, availableChange: change.available };
  });
}

describe('family totals from ledger entries', () => {
  const award: EntryEffect = { kind: 'award', points: 10, month: '2026-11' };
  const half: EntryEffect = { kind: 'award', points: 5, month: '2026-11' };
  const redemption: EntryEffect = { kind: 'redemption', points: -14, month: '2026-11' };

  it('raises available and earned on an award; redemption lowers available only', () => {
    const totals = totalsFromEntries(post([award, half, redemption]));
    expect(totals.available).toBe(1);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 15 });
    expect(totals.earnedByYear).toEqual({ '2026': 15 });
  });

  it('takes at most the balance on a deduction, but counts the whole deduction against the ranking', () => {
    const entries = post([award, { kind: 'board', points: -20, month: '2026-12' }]);
    expect(entries[1].availableChange).toBe(-10);
    const totals = totalsFromEntries(entries);
    expect(totals.available).toBe(0);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 10, '2026-12': -20 });
    expect(totals.earnedByYear).toEqual({ '2026': -10 });
  });

  it('gives back exactly what a reversed deduction took', () => {
    const [a, deduction] = post([award, { kind: 'board', points: -20, month: '2026-11' }]);
    const undo = reversalOf(deduction, '2026-12');
    expect(entryChange(undo, 0)).toEqual({ available: 10, earned: 20 });
    const totals = totalsFromEntries([a, deduction, { ...undo, availableChange: 10 }]);
    expect(totals.available).toBe(10);
    expect(totals.earnedByYear).toEqual({ '2026': 10 });
  });

  it('reverses an award in a later month out of that month’s and year’s earned points', () => {
    const [a] = post([award]);
    const totals = totalsFromEntries(post([award, reversalOf(a, '2027-01')]));
    expect(totals.available).toBe(0);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 10, '2027-01': -10 });
    expect(totals.earnedByYear).toEqual({ '2026': 10, '2027': -10 });
  });

  it('reverses a redemption back into available points without touching the ranking', () => {
    const [a, h, r] = post([award, half, redemption]);
    const cancelled = reversalOf(r, '2026-11');
    expect(entryChange(cancelled, 1)).toEqual({ available: 14, earned: 0 });
    const totals = totalsFromEntries([a, h, r, { ...cancelled, availableChange: 14 }]);
    expect(totals.available).toBe(15);
    expect(totals.earnedByMonth).toEqual({ '2026-11': 15 });
  });

  it('never takes available points below zero, even reversing an award already spent', () => {
    const [a, r] = post([award, { kind: 'redemption', points: -8, month: '2026-11' }]);
    expect(entryChange(reversalOf(a, '2026-11'), 2)).toEqual({ available: -2, earned: -10 });
    expect(totalsFromEntries([a, r]).available).toBe(2);
  });
});
