/** A black-board entry suspends the family from ranking and redemption for 3 months, lifted automatically. */
import { suspensionEnd } from './time';

export const SUSPENSION_MONTHS = 3;

export function isSuspended(suspendedUntil: Date | null | undefined, now: Date): boolean {
  return !!suspendedUntil && now.getTime() < suspendedUntil.getTime();
}

/**
 * The suspension end after a black entry dated `entryDate`, given any suspension already running:
 * the later of the two, so a second black entry extends but never shortens it.
 */
export function extendSuspension(current: Date | null | undefined, entryDate: Date): Date {
  const end = suspensionEnd(entryDate, SUSPENSION_MONTHS);
  return current && current.getTime() > end.getTime() ? current : end;
}

/**
 * The family's suspension once one black entry is withdrawn: the latest end among its other black entries that is
 * still ahead, or none.
 */
export function suspensionAfterWithdrawal(
  otherBlackEnds: readonly (Date | string | null | undefined)[],
  now: Date,
): Date | null {
  let latest: Date | null = null;
  for (const value of otherBlackEnds) {
    if (!value) continue;
    const end = new Date(value);
    if (!latest || end > latest) latest = end;
  }
  return latest && latest > now ? latest : null;
}
