/**
 * Writing the ledger. `postEntry` is the only code that changes a family's points: inside the caller's
 * transaction it adds the immutable entry, moves the family's available points and the period scores that
 * rankings read, all from core's `entryChange`.
 */
import { selectChampions } from '../../miniprogram/core/fund';
import { entryChange } from '../../miniprogram/core/ledger';
import type { Tenths } from '../../miniprogram/core/points';
import { decidePoints, type Approved, type PointsWrite } from '../../miniprogram/core/policy';
import { isSuspended } from '../../miniprogram/core/suspension';
import { addToMark, manualMark, txMark } from './marks';
import { approve, checkApproved } from './policy';
import { _, find, txGet, type Tx } from './data';
import { COLLECTIONS, type ClaimDoc, type EntryDoc, type FamilyDoc, type ScoreDoc } from './model';
import { newId } from './writes';
import { callerName, type Caller } from './caller';

/** What an entry is written from: its own fields as the ledger keeps them, the entry it reverses, and when. */
export interface PostEntry extends Pick<
  EntryDoc,
  | 'memberId'
  | 'memberName'
  | 'rule'
  | 'kind'
  | 'points'
  | 'month'
  | 'source'
  | 'reason'
  | 'recordedBy'
  | 'recordedByName'
  | 'approvedBy'
  | 'approvedByName'
  | 'onBehalf'
> {
  reverses?: EntryDoc | null;
  at: Date;
}

/**
 * The entry a claim or a record line earns once `approver` approves it: its member and rule at the rule's score,
 * recorded by whoever submitted it. `month`, `source` and `reason` say where it lands and why (the review, or an
 * upheld objection's late entry).
 */
export function claimEntry(
  claim: ClaimDoc,
  approver: Caller,
  { month, source, reason, at }: Pick<PostEntry, 'month' | 'source' | 'reason' | 'at'>,
): PostEntry {
  return {
    memberId: claim.memberId,
    memberName: claim.memberName,
    rule: claim.rule,
    kind: claim.rule.points >= 0 ? 'award' : 'deduction',
    points: claim.rule.points,
    month,
    source,
    reason,
    recordedBy: claim.submittedBy,
    recordedByName: claim.submittedByName,
    approvedBy: approver.openid,
    approvedByName: callerName(approver),
    onBehalf: claim.onBehalf,
    at,
  };
}

/**
 * A manual entry (a board's points, an objection's adjustment): the policy decides on what the family already got
 * from manual awards in the entry's month, and a positive amount is added to that tally with the entry.
 */
export async function postManualEntry(
  tx: Tx,
  family: FamilyDoc,
  input: PostEntry,
  write: Pick<PointsWrite, 'purpose' | 'maker' | 'checker' | 'settings'>,
): Promise<{ entry: EntryDoc; family: FamilyDoc }> {
  const tally = manualMark(family._id, input.month);
  const familyMonthManual = await txMark(tx, tally);
  const approved = approve(
    decidePoints({ ...write, familyId: family._id, points: input.points, familyMonthManual }),
  );
  const posted = await postEntry(tx, family, input, approved);
  if (input.points > 0) await addToMark(tx, tally, familyMonthManual, input.points, input.at);
  return posted;
}

/** What the caller already knows when it read everything in one request first (review.approve). */
export interface PostEntryKnown {
  /** The ids of the period scores that exist (the others are created): no read per score. */
  scores?: ReadonlySet<string>;
  /** A cap counter on the family document to count this entry in (`family.caps[key]`), written with it. */
  capKey?: string | null;
}

export const scoreId = (familyId: string, period: string): string => `${familyId}_${period}`;

/**
 * A village's scores of `year`, highest first (one read), and its top `topN` families by them (ties share a
 * rank); families suspended at `suspendedAt` are left out (null: none are, as the year's archive keeps them).
 */
export async function yearTop(villageId: string, year: string, topN: number, suspendedAt: Date | null) {
  const scores = await find<ScoreDoc>(
    COLLECTIONS.scores,
    { villageId, period: year },
    { orderBy: [['earned', 'desc']], limit: 1000 },
  );
  const top = selectChampions(
    scores.map((s) => ({
      familyId: s.familyId,
      familyName: `${s.familyName}家`,
      householdNumber: s.householdNumber,
      earned: s.earned,
      suspended:
        suspendedAt !== null &&
        isSuspended(s.suspendedUntil ? new Date(s.suspendedUntil) : null, suspendedAt),
    })),
    topN,
  );
  return { scores, top };
}

/**
 * Posts one entry for `family` (as read in this transaction) and returns the entry and the family as it is
 * afterwards, so several entries can be posted in one transaction. It takes the integrity policy's decision
 * (`core/policy` `decidePoints`) for exactly these points: there is no way to write the ledger without one.
 */
export async function postEntry(
  tx: Tx,
  family: FamilyDoc,
  input: PostEntry,
  approved: Approved<'points'>,
  known: PostEntryKnown = {},
): Promise<{ entry: EntryDoc; family: FamilyDoc }> {
  checkApproved(approved, 'points', input.points);
  const reverses = input.reverses
    ? { id: input.reverses._id, kind: input.reverses.kind, availableChange: input.reverses.availableChange }
    : null;
  const change = entryChange(
    { kind: input.kind, points: input.points, month: input.month, reverses: reverses ?? undefined },
    family.available,
  );
  const entry: EntryDoc = {
    _id: newId('e'),
    townId: family.townId,
    villageId: family.villageId,
    groupId: family.groupId,
    familyId: family._id,
    memberId: input.memberId,
    memberName: input.memberName,
    rule: input.rule,
    points: input.points,
    availableChange: change.available,
    kind: input.kind,
    month: input.month,
    year: input.month.slice(0, 4),
    source: input.source,
    reverses,
    reason: input.reason,
    recordedBy: input.recordedBy,
    recordedByName: input.recordedByName,
    approvedBy: input.approvedBy,
    approvedByName: input.approvedByName,
    onBehalf: input.onBehalf,
    createdAt: input.at,
  };
  const { _id, ...entryData } = entry;
  await tx.collection(COLLECTIONS.entries).doc(_id).set({ data: entryData });
  const familyUpdate: Record<string, unknown> = {};
  if (change.available !== 0) familyUpdate.available = _.inc(change.available);
  if (known.capKey) familyUpdate[`caps.${known.capKey}`] = _.inc(1);
  if (Object.keys(familyUpdate).length > 0) {
    await tx.collection(COLLECTIONS.families).doc(family._id).update({ data: familyUpdate });
  }
  if (change.earned !== 0) {
    for (const period of [input.month, input.month.slice(0, 4)]) {
      const exists = known.scores ? known.scores.has(scoreId(family._id, period)) : undefined;
      await addToScore(tx, family, period, change.earned, exists);
    }
  }
  return { entry, family: { ...family, available: family.available + change.available } };
}

/** Adds to a period score; `exists` when the caller already knows whether it does (else it is read). */
async function addToScore(
  tx: Tx,
  family: FamilyDoc,
  period: string,
  earned: Tenths,
  exists?: boolean,
): Promise<void> {
  const id = scoreId(family._id, period);
  if (exists ?? (await txGet<ScoreDoc>(tx, COLLECTIONS.scores, id)) !== null) {
    await tx
      .collection(COLLECTIONS.scores)
      .doc(id)
      .update({ data: { earned: _.inc(earned) } });
    return;
  }
  await tx
    .collection(COLLECTIONS.scores)
    .doc(id)
    .set({ data: newScore(family, period, earned, family.suspendedUntil) });
}

/** A family's score document for a period it has none in yet (what rankings read). */
export function newScore(
  family: FamilyDoc,
  period: string,
  earned: Tenths,
  suspendedUntil: Date | null,
): Omit<ScoreDoc, '_id'> {
  return {
    townId: family.townId,
    villageId: family.villageId,
    familyId: family._id,
    period,
    familyName: family.headName,
    householdNumber: family.householdNumber,
    earned,
    suspendedUntil,
  };
}

/**
 * How many awards a cap counter holds: the counter on the family document (written with the family by postEntry)
 * plus a `caps` document of the same key, where counts were kept before they moved onto the family.
 */
export function capCount(
  family: FamilyDoc,
  key: string,
  legacy: { count: number } | null | undefined,
): number {
  return (family.caps?.[key] ?? 0) + (legacy?.count ?? 0);
}

/**
 * Who made an entry that no second person checks (a redemption, its cancellation, a wish's charge: the family
 * presented its card or QR, or accepted the quote), and when: the fields of postEntry's input those writers share.
 */
export function unchecked(caller: Caller, at: Date) {
  return {
    recordedBy: caller.openid,
    recordedByName: callerName(caller),
    approvedBy: null,
    approvedByName: null,
    onBehalf: false,
    at,
  };
}
