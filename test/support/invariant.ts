/**
 * The ledger invariant, checked from outside the functions with the real SDK as admin: for every family, the
 * stored available points and every period score equal what its entries add up to.
 */
import type { Emulator } from '../../emulator';
import { totalsFromEntries, type AppliedEntry } from '../../miniprogram/core/ledger';
import { adminDatabase, readAll } from './snapshot';

export async function assertLedgerInvariant(emu: Emulator): Promise<number> {
  const db = adminDatabase(emu);
  const [families, entries, scores] = await Promise.all([
    readAll(db, 'families'),
    readAll(db, 'entries'),
    readAll(db, 'scores'),
  ]);
  for (const family of families) {
    const own: AppliedEntry[] = entries
      .filter((e) => e.familyId === family._id)
      .map((e) => ({
        kind: e.kind,
        points: e.points,
        month: e.month,
        availableChange: e.availableChange,
        reverses: e.reverses ?? undefined,
      }));
    const totals = totalsFromEntries(own);
    expect({ family: family._id, available: family.available }).toEqual({
      family: family._id,
      available: totals.available,
    });
    expect(family.available).toBeGreaterThanOrEqual(0);
    for (const score of scores.filter((s) => s.familyId === family._id)) {
      const expected =
        score.period.length === 4
          ? (totals.earnedByYear[score.period] ?? 0)
          : (totals.earnedByMonth[score.period] ?? 0);
      expect({ score: score._id, earned: score.earned }).toEqual({ score: score._id, earned: expected });
    }
  }
  return families.length;
}
