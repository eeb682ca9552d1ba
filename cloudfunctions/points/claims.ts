/**
 * Claims (积分申报) by residents: submit with photos, withdraw, and the resident's own list; and what claims,
 * records (records.ts) and review (review.ts) share: the claim's id and view, the deed date's check and the
 * month's state as a transaction sees it.
 */
import { OPEN_MONTH, type MonthStatus } from '../../miniprogram/core/month';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { addMonths, dayOf, monthOf } from '../../miniprogram/core/time';
import { deedDateRefusal } from '../../miniprogram/core/policy';
import { requireFamily } from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { _, getById, now, transaction, txGet, type Tx, newestFirst } from '../common/data';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../common/errors';
import { COLLECTIONS, type ClaimDoc, type MemberDoc, type MonthDoc, type RuleDoc } from '../common/model';
import { cloud } from '../common/cloud';
import { textIsSafe } from '../common/notify';
import { checkSameRequest, derivedId, inputHash, updateWithTrail, earlierRequest } from '../common/writes';
import { ruleFor, snapshot } from './rules';
import { claimIdInput, claimsMineInput, claimSubmitInput, definePointsActions } from './schemas';

/** A claim's id comes from the caller and the phone's request id, so a retried submit finds the first one. */
export const claimId = (caller: Caller, requestId: string, line = 0): string =>
  derivedId('c', caller, requestId, line);

/**
 * Photos must be files this user uploaded, in this environment: the mini-program uploads under
 * `claims/<openid>/`. The path is checked after decoding (no `..`, no encoded tricks).
 */
export function ownsPhoto(fileId: string, openid: string, envId = process.env.TCB_ENV ?? ''): boolean {
  const match = /^cloud:\/\/([^./]+)\.[^/]+\/(.+)$/.exec(fileId);
  if (!match || (envId && match[1] !== envId)) return false;
  let path: string;
  try {
    path = decodeURIComponent(match[2]);
  } catch {
    return false;
  }
  if (path !== match[2] || path.includes('..') || path.includes('\\') || path.includes('//')) return false;
  return path.startsWith(`claims/${openid}/`) && path.length > `claims/${openid}/`.length;
}

/** Whether every file exists in storage (one call); a photo never uploaded is refused. */
async function photosExist(fileIds: string[]): Promise<boolean> {
  if (fileIds.length === 0) return true;
  const res = (await cloud.getTempFileURL({
    fileList: fileIds.map((fileID) => ({ fileID, maxAge: 60 })),
  })) as {
    fileList?: { fileID: string; status?: number; code?: string; tempFileURL?: string }[];
  };
  const list = res.fileList ?? [];
  return (
    list.length === fileIds.length &&
    list.every(
      (f) =>
        (f.status === undefined || f.status === 0) && (f.code ?? 'SUCCESS') === 'SUCCESS' && !!f.tempFileURL,
    )
  );
}

export const monthDocId = (villageId: string, month: string) => `${villageId}_${month}`;

/**
 * A month's state, read inside a transaction that writes something decided from it (an entry counted for this
 * month, an objection in its notice window). The month document is written too (its `guard` counter, or the
 * document itself while the month is still open and has none): under CloudBase's snapshot isolation a document
 * only read is not protected, so without this write a 公示 or a lock committed meanwhile and the entry would both
 * commit. With it, the two transactions write the same document and one of them conflicts and is retried.
 */
export async function txMonthStatus(tx: Tx, villageId: string, month: string): Promise<MonthStatus> {
  const doc = await txGet<MonthDoc>(tx, COLLECTIONS.months, monthDocId(villageId, month));
  return guardMonth(tx, villageId, month, doc);
}

/**
 * The month's state from its document as read in (or, by review.approve, right after the start of) this
 * transaction, and the guard write that makes a concurrent 公示 or lock conflict with it.
 */
export async function guardMonth(
  tx: Tx,
  villageId: string,
  month: string,
  doc: MonthDoc | null | undefined,
): Promise<MonthStatus> {
  const id = monthDocId(villageId, month);
  if (doc)
    await tx
      .collection(COLLECTIONS.months)
      .doc(id)
      .update({ data: { guard: _.inc(1) } });
  else {
    const open: Omit<MonthDoc, '_id'> = {
      villageId,
      month,
      state: 'open',
      noticeStartedAt: null,
      noticeEndsAt: null,
      lockedAt: null,
      guard: 1,
    };
    await tx.collection(COLLECTIONS.months).doc(id).set({ data: open });
  }
  return doc
    ? { state: doc.state, noticeEndsAt: doc.noticeEndsAt ? new Date(doc.noticeEndsAt) : null }
    : OPEN_MONTH;
}

export interface ClaimView {
  id: string;
  kind: ClaimDoc['kind'];
  memberId: string;
  memberName: string;
  familyId: string;
  groupId: string;
  rule: ClaimDoc['rule'];
  pointsText: string;
  deedDate: string;
  text: string;
  photos: string[];
  status: ClaimDoc['status'];
  submittedByName: string;
  onBehalf: boolean;
  createdAt: Date;
  decidedByName: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
}

export function claimView(claim: ClaimDoc): ClaimView {
  return {
    id: claim._id,
    kind: claim.kind,
    memberId: claim.memberId,
    memberName: claim.memberName,
    familyId: claim.familyId,
    groupId: claim.groupId,
    rule: claim.rule,
    pointsText: formatSignedPoints(claim.rule.points),
    deedDate: claim.deedDate,
    text: claim.text,
    photos: claim.photos,
    status: claim.status,
    submittedByName: claim.submittedByName,
    onBehalf: claim.onBehalf,
    createdAt: claim.createdAt,
    decidedByName: claim.decidedByName,
    decidedAt: claim.decidedAt,
    rejectReason: claim.rejectReason,
  };
}

/** A deed date must lie in a month still open for recording (`core/policy` `deedDateRefusal`). */
export async function checkDeedDate(
  deedDate: string,
  villageId: string,
  at: Date,
  path = 'deedDate',
): Promise<void> {
  if (deedDate > dayOf(at)) throw new InvalidInputError([{ path, message: '日期不能晚于今天' }]);
  const previous = await monthStatus(villageId, addMonths(monthOf(at), -1));
  const refusal = deedDateRefusal(deedDate, dayOf(at), previous);
  if (refusal) throw new RefusedError(refusal.code, refusal.message, { path });
}

async function monthStatus(villageId: string, month: string): Promise<MonthStatus> {
  const doc = await getById<MonthDoc>(COLLECTIONS.months, monthDocId(villageId, month));
  return doc
    ? { state: doc.state, noticeEndsAt: doc.noticeEndsAt ? new Date(doc.noticeEndsAt) : null }
    : OPEN_MONTH;
}

/** A claim or a monthly-pass line as it waits for review: the member's place, the rule as it was, who sent it. */
export function pendingClaim(p: {
  id: string;
  requestHash: string;
  kind: ClaimDoc['kind'];
  member: MemberDoc;
  rule: RuleDoc;
  deedDate: string;
  text: string;
  photos: string[];
  caller: Caller;
  onBehalf: boolean;
  at: Date;
}): ClaimDoc {
  return {
    _id: p.id,
    requestHash: p.requestHash,
    kind: p.kind,
    townId: p.member.townId,
    villageId: p.member.villageId,
    groupId: p.member.groupId,
    familyId: p.member.familyId,
    memberId: p.member._id,
    memberName: p.member.name,
    rule: snapshot(p.rule),
    deedDate: p.deedDate,
    text: p.text,
    photos: p.photos,
    status: 'pending',
    submittedBy: p.caller.openid,
    submittedByName: callerName(p.caller),
    onBehalf: p.onBehalf,
    createdAt: p.at,
    decidedBy: null,
    decidedByName: null,
    decidedAt: null,
    rejectReason: null,
    entryId: null,
  };
}

/** Inserts a claim under its derived id; a retry finds the first one instead of a second claim. */
async function insertOnce(claim: ClaimDoc): Promise<ClaimDoc> {
  const existing = await getById<ClaimDoc>(COLLECTIONS.claims, claim._id);
  if (existing) return existing;
  const { _id, ...data } = claim;
  try {
    await transaction(async (tx) => {
      if (await txGet<ClaimDoc>(tx, COLLECTIONS.claims, _id)) return;
      await tx.collection(COLLECTIONS.claims).doc(_id).set({ data });
    });
  } catch (error) {
    const again = await getById<ClaimDoc>(COLLECTIONS.claims, _id);
    if (again) return again;
    throw error;
  }
  return (await getById<ClaimDoc>(COLLECTIONS.claims, _id)) ?? claim;
}

export const claimsActions = definePointsActions({
  /** A resident claims points for a member of their own family. */
  'claims.submit': {
    input: claimSubmitInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const id = claimId(caller, input.requestId);
      const earlier = await earlierRequest<ClaimDoc>(COLLECTIONS.claims, id, input);
      if (earlier) return { claim: claimView(earlier) };
      const member = await getById<MemberDoc>(COLLECTIONS.members, input.memberId);
      if (!member || member.familyId !== mine.familyId)
        throw new ForbiddenError('只能为本家庭的成员申报积分');
      const rule = await ruleFor(input.ruleId, member.villageId);
      if (!rule.selfClaim)
        throw new RefusedError('NOT_SELF_CLAIM', `“${rule.title}”由村组干部统一采集，不能自行申报`);
      if (rule.photosRequired && input.photos.length === 0) {
        throw new InvalidInputError([{ path: 'photos', message: '该细则需要上传照片作为凭证' }]);
      }
      if (input.photos.some((p) => !ownsPhoto(p, caller.openid))) {
        throw new ForbiddenError('只能使用您本人在本小程序上传的照片', { reason: 'PHOTO_NOT_OWN' });
      }
      if (!(await photosExist(input.photos)))
        throw new RefusedError('PHOTO_MISSING', '照片没有上传成功，请重新选择照片后再提交');
      const at = now();
      await checkDeedDate(input.deedDate, member.villageId, at);
      if (!(await textIsSafe(input.text, caller.openid))) {
        throw new RefusedError('RISKY_CONTENT', '申报说明含有不当内容，请修改后再提交');
      }
      const claim = await insertOnce(
        pendingClaim({
          id,
          requestHash: inputHash(input),
          kind: 'claim',
          member,
          rule,
          deedDate: input.deedDate,
          text: input.text,
          photos: input.photos,
          caller,
          onBehalf: false,
          at,
        }),
      );
      checkSameRequest(claim, input);
      return { claim: claimView(claim) };
    },
  },

  'claims.withdraw': {
    input: claimIdInput,
    handler: async ({ claimId: id }, { caller }) =>
      transaction(async (tx) => {
        const claim = await txGet<ClaimDoc>(tx, COLLECTIONS.claims, id);
        if (!claim || claim.submittedBy !== caller.openid || claim.kind !== 'claim') {
          throw new NotFoundError('找不到您的这条申报');
        }
        if (claim.status !== 'pending') throw new ConflictError('只有待审核的申报可以撤回');
        const at = now();
        const withdrawn = { status: 'withdrawn' as const, decidedAt: at };
        await updateWithTrail(tx, caller, COLLECTIONS.claims, id, withdrawn, claim, {
          action: 'claims.withdraw',
          summary: `撤回申报“${claim.rule.title}”`,
          at,
        });
        return { claim: claimView({ ...claim, ...withdrawn }) };
      }),
  },

  /** The caller's family's claims and recorded lines, newest first. */
  'claims.mine': {
    input: claimsMineInput,
    handler: async ({ status, offset }, { caller }) => {
      const { familyId } = requireFamily(caller);
      const where = status ? { familyId, status } : { familyId };
      const claims = await newestFirst<ClaimDoc>(COLLECTIONS.claims, where, 'createdAt', offset, 20);
      return { claims: claims.map(claimView) };
    },
  },
});
