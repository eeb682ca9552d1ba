/**
 * The server's side of what the public may see: the facts `core/publicity` decides from (the village's name
 * policy, each family's household number and red-board consent) read once per list, and the board entries still
 * on public surfaces. Boards, the ranking, the 公示 poster, the big screen and the export all come through here.
 */
import { boardIsPublic, publicName } from '../../miniprogram/core/publicity';
import type { NameDisplay } from '../../miniprogram/core/names';
import { _, find } from './data';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type BoardDoc,
  type FamilyDoc,
  type VillageDoc,
} from './model';

export type FamilyFacts = Pick<FamilyDoc, '_id' | 'householdNumber' | 'headName' | 'redBoardConsent'>;

export function namePolicy(village: Pick<VillageDoc, 'settings'> | undefined): NameDisplay {
  return village?.settings?.nameDisplay ?? DEFAULT_VILLAGE_SETTINGS.nameDisplay;
}

/** The household numbers and consents of the families of `familyIds` (one read). */
export async function familyFacts(familyIds: string[]): Promise<Map<string, FamilyFacts>> {
  const ids = [...new Set(familyIds)];
  if (ids.length === 0) return new Map();
  const docs = await find<FamilyFacts>(
    COLLECTIONS.families,
    { _id: _.in(ids) },
    { limit: 1000, fields: { householdNumber: true, headName: true, redBoardConsent: true } },
  );
  return new Map(docs.map((f) => [f._id, f]));
}

/** Published entries still on public surfaces: red ones, and black ones whose suspension has not ended. */
export function publicBoardsWhere(where: Record<string, unknown>, at: Date): object {
  return _.and([
    { ...where, status: 'published' },
    _.or([{ board: 'red' }, { board: 'black', suspensionEndsAt: _.gt(at) }]),
  ]);
}

const asDate = (d: Date | string | null | undefined): Date | null => (d ? new Date(d) : null);

/** The name the public sees on a board entry, or null when the entry is no longer public. */
export function publicBoardName(
  board: BoardDoc,
  family: FamilyFacts | undefined,
  policy: NameDisplay,
  at: Date,
): string | null {
  const suspensionEndsAt = asDate(board.suspensionEndsAt);
  if (board.status !== 'published' || !boardIsPublic({ board: board.board, suspensionEndsAt }, at))
    return null;
  const consent = family?.redBoardConsent;
  return publicName(
    policy,
    board.board === 'red' ? { kind: 'redBoard' } : { kind: 'blackBoard', suspensionEndsAt },
    {
      name: board.personName,
      asFamily: !board.memberId,
      householdNumber: family?.householdNumber ?? '',
      redBoardConsent: consent ? { at: new Date(consent.at) } : null,
    },
    at,
  );
}

/** A family's name in a ranking, the poster's list or the export. */
export function publicFamilyName(
  family: { headName: string; householdNumber?: string },
  policy: NameDisplay,
  at: Date,
): string {
  return (
    publicName(
      policy,
      { kind: 'family' },
      { name: family.headName, asFamily: true, householdNumber: family.householdNumber ?? '—' },
      at,
    ) ?? ''
  );
}
