/**
 * What the public may see (个人信息保护法 art. 25): the one decision every public surface takes — the boards and
 * the ranking in the mini-program, the 公示 poster, the big screen and the export for the county platforms.
 *
 * - The village's name policy (full name, masked, household number only) applies everywhere.
 * - The black board never shows more than a masked name (the village may go further, to household numbers), and
 *   an entry leaves every public surface once its suspension has ended; it stays in the family's own ledger and
 *   the audit, which are not public.
 * - The red board shows a full name only where the village shows full names AND the family has consented (recorded
 *   and withdrawable in 我的家庭); otherwise it is masked (or the household number, where that is the policy).
 */
import { stricterDisplay, displayName, familyDisplayName, type NameDisplay } from './names';

export type PublicSurface =
  /** A family's row in a ranking, the poster's list or the export. */
  { kind: 'family' } | { kind: 'redBoard' } | { kind: 'blackBoard'; suspensionEndsAt: Date | null };

export interface PublicSubject {
  /** The person's name (a board naming a member) or the family head's name. */
  name: string;
  /** true: `name` is the family head and the family is meant (`张*家`); false: a member by name. */
  asFamily: boolean;
  householdNumber: string;
  /** The family's recorded consent to its full name on the red board (null or absent: none, or withdrawn). */
  redBoardConsent?: { at: Date } | null;
}

/** The level of naming a surface allows for a subject; null: not shown at all. */
export function publicDisplay(
  policy: NameDisplay,
  surface: PublicSurface,
  subject: PublicSubject,
  at: Date,
): NameDisplay | null {
  switch (surface.kind) {
    case 'family':
      return policy;
    case 'redBoard':
      return policy === 'full' && subject.redBoardConsent ? 'full' : stricterDisplay(policy, 'masked');
    case 'blackBoard':
      if (!boardIsPublic({ board: 'black', suspensionEndsAt: surface.suspensionEndsAt }, at)) return null;
      return stricterDisplay(policy, 'masked');
  }
}

/** The name the public sees for a subject on a surface, or null when the subject must not appear there. */
export function publicName(
  policy: NameDisplay,
  surface: PublicSurface,
  subject: PublicSubject,
  at: Date,
): string | null {
  const level = publicDisplay(policy, surface, subject, at);
  if (level === null) return null;
  return subject.asFamily
    ? familyDisplayName(subject.name, level, subject.householdNumber)
    : displayName(subject.name, level, subject.householdNumber);
}

/** Whether a published board entry is still on public surfaces (a black one until its suspension ends). */
export function boardIsPublic(
  board: { board: 'red' | 'black'; suspensionEndsAt: Date | null },
  at: Date,
): boolean {
  if (board.board === 'red') return true;
  return !board.suspensionEndsAt || board.suspensionEndsAt.getTime() > at.getTime();
}
