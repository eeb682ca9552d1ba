/**
 * The family ledger's arithmetic. Entries are immutable; a family's stored totals are a fold over its entries,
 * so "stored totals equal the sum of the entries" is checkable at any time (`totalsFromEntries`).
 *
 * Two totals move: points available (what the family can spend) and points earned per month and year (what
 * rankings count). Available points never go below zero: a deduction larger than the balance takes the balance,
 * and the entry records what it actually took (`availableChange`), so the fold stays exact.
 */
import type { Tenths } from './points';
import type { MonthKey } from './time';

export const ENTRY_KINDS = [
  'award',
  'deduction',
  'board',
  'redemption',
  'reversal',
  'adjustment',
  'expiry',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  award: '加分',
  deduction: '扣分',
  board: '红黑榜',
  redemption: '兑换',
  reversal: '冲正',
  adjustment: '调整',
  expiry: '过期',
};

export interface FamilyTotals {
  available: Tenths;
  earnedByMonth: Record<MonthKey, Tenths>;
  earnedByYear: Record<string, Tenths>;
}

export interface EntryEffect {
  kind: EntryKind;
  /** The entry's score: what it says it is worth. */
  points: Tenths;
  /** The month it counts for (China time). */
  month: MonthKey;
  /** For a reversal: the entry it reverses, as it was applied. */
  reverses?: { kind: EntryKind; availableChange: Tenths };
}

export interface EntryChange {
  /** Change to points available; never takes the balance below zero. */
  available: Tenths;
  /** Change to points earned in the entry's month and year. */
  earned: Tenths;
}

/** A stored entry as the fold needs it. */
export interface AppliedEntry extends EntryEffect {
  availableChange: Tenths;
}

export const emptyTotals = (): FamilyTotals => ({ available: 0, earnedByMonth: {}, earnedByYear: {} });

/** Kinds that only move points available: spending and expiry never lower what a family earned. */
const SPENDING_KINDS: ReadonlySet<EntryKind> = new Set<EntryKind>(['redemption', 'expiry']);

/** Whether an entry counts toward the ranking. Redemptions and expiries (and their reversals) never do. */
export function countsAsEarned(effect: Pick<EntryEffect, 'kind' | 'reverses'>): boolean {
  if (SPENDING_KINDS.has(effect.kind)) return false;
  if (effect.kind === 'reversal') return !effect.reverses || !SPENDING_KINDS.has(effect.reverses.kind);
  return true;
}

/** What an entry does to the totals, given the points available before it. */
export function entryChange(effect: EntryEffect, availableBefore: Tenths): EntryChange {
  const earned = countsAsEarned(effect) ? effect.points : 0;
  const wanted = effect.reverses ? -effect.reverses.availableChange : effect.points;
  const available = wanted < 0 ? Math.max(wanted, -Math.max(availableBefore, 0)) : wanted;
  return { available, earned };
}

function addTo(record: Record<string, Tenths>, key: string, value: Tenths): void {
  if (value !== 0 || key in record) record[key] = (record[key] ?? 0) + value;
}

/** Folds stored entries into totals: what the family's stored totals must equal. */
export function totalsFromEntries(entries: readonly AppliedEntry[]): FamilyTotals {
  const totals = emptyTotals();
  for (const entry of entries) {
    totals.available += entry.availableChange;
    const earned = countsAsEarned(entry) ? entry.points : 0;
    addTo(totals.earnedByMonth, entry.month, earned);
    addTo(totals.earnedByYear, entry.month.slice(0, 4), earned);
  }
  return totals;
}

/** The entry that undoes `original`, counted in `month` (the current one when the original's month is closed). */
export function reversalOf(original: AppliedEntry, month: MonthKey): EntryEffect {
  return {
    kind: 'reversal',
    points: -original.points,
    month,
    reverses: { kind: original.kind, availableChange: original.availableChange },
  };
}
