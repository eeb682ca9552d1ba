/**
 * The family ledger's arithmetic. Entries are immutable; a family's stored totals are a fold over its entries,
 * so "stored totals equal the sum of the entries" is checkable at any time (`totalsFromEntries`).
 */
import type { Tenths } from './points';
import type { MonthKey } from './time';

export type EntryKind = 'award' | 'deduction' | 'board' | 'redemption' | 'reversal' | 'adjustment';

export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  award: '加分',
  deduction: '扣分',
  board: '红黑榜',
  redemption: '兑换',
  reversal: '冲正',
  adjustment: '调整',
};

/** What a family's totals are made of. */
export interface FamilyTotals {
  /** Points the family can spend now. */
  available: Tenths;
  /** Points earned (for ranking) per China-time month `YYYY-MM` and per year `YYYY`. */
  earnedByMonth: Record<MonthKey, Tenths>;
  earnedByYear: Record<string, Tenths>;
}

export interface EntryEffect {
  kind: EntryKind;
  points: Tenths;
  /** The month the entry counts for (China time). */
  month: MonthKey;
  /**
   * For a reversal: the kind of the entry it reverses, so reversing a redemption restores available points
   * without touching the earned ones.
   */
  reverses?: EntryKind;
}

export const emptyTotals = (): FamilyTotals => ({ available: 0, earnedByMonth: {}, earnedByYear: {} });

/** Whether an entry of this kind counts toward the ranking (earned points). Redemption never does. */
export function countsAsEarned(effect: Pick<EntryEffect, 'kind' | 'reverses'>): boolean {
  if (effect.kind === 'redemption') return false;
  if (effect.kind === 'reversal') return effect.reverses !== 'redemption';
  return true;
}

/** The changes one entry makes to the stored totals: what the transaction `$inc`s. */
export function totalsDelta(effect: EntryEffect): { available: Tenths; month: Tenths; year: Tenths } {
  const earned = countsAsEarned(effect) ? effect.points : 0;
  return { available: effect.points, month: earned, year: earned };
}

export function applyEntry(totals: FamilyTotals, effect: EntryEffect): FamilyTotals {
  const delta = totalsDelta(effect);
  const year = effect.month.slice(0, 4);
  const next: FamilyTotals = {
    available: totals.available + delta.available,
    earnedByMonth: { ...totals.earnedByMonth },
    earnedByYear: { ...totals.earnedByYear },
  };
  if (delta.month !== 0 || effect.month in next.earnedByMonth) {
    next.earnedByMonth[effect.month] = (next.earnedByMonth[effect.month] ?? 0) + delta.month;
  }
  if (delta.year !== 0 || year in next.earnedByYear) {
    next.earnedByYear[year] = (next.earnedByYear[year] ?? 0) + delta.year;
  }
  return next;
}

export function totalsFromEntries(effects: readonly EntryEffect[]): FamilyTotals {
  return effects.reduce(applyEntry, emptyTotals());
}

/** The entry that undoes `original`: same month bucket of the current period is the caller's choice. */
export function reversalOf(original: EntryEffect, month: MonthKey): EntryEffect {
  return { kind: 'reversal', points: -original.points, month, reverses: original.kind };
}
