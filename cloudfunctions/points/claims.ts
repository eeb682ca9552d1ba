/**
 * Claims (积分申报) by residents, lines recorded in the monthly pass by group leaders and cadres, and their
 * review. Maker ≠ checker; nobody approves points for their own family; caps are enforced at approval, and each
 * approval is one transaction that writes the ledger.
 */
import { ENTRY_KIND_LABELS } from '../../miniprogram/core/ledger';
import { entryMonth, OPEN_MONTH, type MonthStatus } from '../../miniprogram/core/month';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { capKey, REVIEW_CONFLICT_MESSAGES, reviewConflict, withinCap } from '../../miniprogram/core/review';
import { addMonths, dayOf, monthOf } from '../../miniprogram/core/time';
import { decidePoints, deedDateRefusal } from '../../miniprogram/core/policy';
import { actorOf, approve } from '../common/policy';
import {
  canManageVillage,
  canRecordForGroup,
  profileOf,
  requireFamily,
  requireManage,
} from '../common/access';
import type { Caller } from '../common/caller';
import { callerName, withProfile } from '../common/caller';
import { _, aggregate, collection, find, getById, now, transaction, txGet, type Tx } from '../common/data';
import { jobView, ownJob, recordChunk } from '../common/jobs';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../common/errors';
import {
  COLLECTIONS,
  type CapDoc,
  type ClaimDoc,
  type FamilyDoc,
  type JobDoc,
  type JobOutcome,
  type MemberDoc,
  type MonthDoc,
  type RuleDoc,
  type UserDoc,
  type VillageDoc,
} from '../common/model';
import { townId } from '../common/env';
import { cloud } from '../common/cloud';
import { notify, textIsSafe } from '../common/notify';
import { audit, checkSameRequest, derivedId, inputHash } from '../common/writes';
import { capCount, postEntry } from './ledger';
import { ruleFor, snapshot } from './rules';
import {
  claimIdInput,
  claimsMineInput,
  claimSubmitInput,
  definePointsActions,
  recordsCreateInput,
  reviewApproveInput,
  reviewBulkStartInput,
  jobNextInput,
  reviewQueueInput,
  reviewRejectInput,
  reviewTownQueueInput,
} from './schemas';
import type { ReviewOutcome } from '../../miniprogram/contract/points';

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
async function checkDeedDate(
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

type Outcome = ReviewOutcome;

async function decideEach(
  claimIds: string[],
  decide: (id: string) => Promise<ClaimDoc['status']>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const id of [...new Set(claimIds)]) {
    try {
      outcomes.push({ id, ok: true, status: await decide(id) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({
        id,
        ok: false,
        error: {
          code: error.code,
          message: error.message,
          ...(typeof error.details?.reason === 'string' ? { reason: error.details.reason } : {}),
        },
      });
    }
  }
  return outcomes;
}

/** For a single claim, the outcome's error is the action's error, so the page shows the server's message. */
function singleOrAll(outcomes: Outcome[]) {
  if (outcomes.length === 1 && !outcomes[0].ok) {
    const { error } = outcomes[0];
    throw new AppError(
      error.code as AppError['code'],
      error.message,
      error.reason ? { reason: error.reason } : undefined,
    );
  }
  return { outcomes, decided: outcomes.filter((o) => o.ok).length };
}

async function claimInTx(tx: Tx, caller: Caller, id: string): Promise<ClaimDoc> {
  return checkDecidable(caller, await txGet<ClaimDoc>(tx, COLLECTIONS.claims, id));
}

/** A claim the caller may decide now: it exists, is theirs to manage, still pending, and not their own. */
function checkDecidable(caller: Caller, claim: ClaimDoc | null | undefined): ClaimDoc {
  if (!claim) throw new NotFoundError('找不到该申报记录');
  requireManage(caller, claim.villageId);
  if (claim.status !== 'pending') throw new ConflictError('该记录已处理，请刷新列表');
  const conflict = reviewConflict(claim, {
    openid: caller.openid,
    familyId: caller.profile?.familyId ?? null,
  });
  if (conflict) throw new RefusedError(conflict, REVIEW_CONFLICT_MESSAGES[conflict]);
  return claim;
}

interface ApprovalRow extends ClaimDoc {
  user: UserDoc[];
  ruleDoc: RuleDoc[];
  monthDoc: MonthDoc[];
  family: FamilyDoc[];
  scores: { _id: string }[];
  caps: CapDoc[];
}

/**
 * Everything an approval decides from, in one aggregation from the claim: the approver's users document, the
 * rule as it stands (its cap), the month of the deed, the family, the period scores the entry may move and the
 * claim's cap counters. Read right after the transaction started, so every document the approval then writes
 * (claim, month guard, family, scores) conflicts if it changed after its snapshot, as if read inside it.
 */
async function readApproval(id: string, openid: string, at: Date): Promise<ApprovalRow | undefined> {
  const deedMonth = { $substrCP: ['$deedDate', 0, 7] };
  const deedYear = { $substrCP: ['$deedDate', 0, 4] };
  const scoreOf = (period: unknown) => ({ $concat: ['$familyId', '_', period] });
  const capOf = (subject: unknown, period: unknown) => ({
    $concat: ['$rule.code', '_', subject, '_', period],
  });
  const member = { $concat: ['m-', '$memberId'] };
  const family = { $concat: ['f-', '$familyId'] };
  const [row] = await aggregate<ApprovalRow>(COLLECTIONS.claims, [
    ['match', { _id: id }],
    ['lookup', { from: COLLECTIONS.users, pipeline: [{ $match: { _id: openid } }], as: 'user' }],
    [
      'addFields',
      {
        monthKey: { $concat: ['$villageId', '_', deedMonth] },
        scoreKeys: [
          scoreOf(deedMonth),
          scoreOf(deedYear),
          scoreOf({ $literal: monthOf(at) }),
          scoreOf({ $literal: monthOf(at).slice(0, 4) }),
        ],
        capKeys: [
          capOf(member, deedMonth),
          capOf(member, deedYear),
          capOf(family, deedMonth),
          capOf(family, deedYear),
        ],
      },
    ],
    ['lookup', { from: COLLECTIONS.rules, localField: 'rule.id', foreignField: '_id', as: 'ruleDoc' }],
    ['lookup', { from: COLLECTIONS.months, localField: 'monthKey', foreignField: '_id', as: 'monthDoc' }],
    ['lookup', { from: COLLECTIONS.families, localField: 'familyId', foreignField: '_id', as: 'family' }],
    ['lookup', { from: COLLECTIONS.scores, localField: 'scoreKeys', foreignField: '_id', as: 'scores' }],
    ['lookup', { from: COLLECTIONS.caps, localField: 'capKeys', foreignField: '_id', as: 'caps' }],
  ]);
  return row;
}

const NOT_APPROVER = '只有村干部可以审核积分';

const STATUS_TEXT = { approved: '已通过', rejected: '未通过' } as const;

export const claimsActions = definePointsActions({
  /** A resident claims points for a member of their own family. */
  'claims.submit': {
    input: claimSubmitInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const id = claimId(caller, input.requestId);
      const earlier = await getById<ClaimDoc>(COLLECTIONS.claims, id);
      if (earlier) {
        checkSameRequest(earlier, input);
        return { claim: claimView(earlier) };
      }
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
      const claim = await insertOnce({
        _id: id,
        requestHash: inputHash(input),
        kind: 'claim',
        townId: member.townId,
        villageId: member.villageId,
        groupId: member.groupId,
        familyId: member.familyId,
        memberId: member._id,
        memberName: member.name,
        rule: snapshot(rule),
        deedDate: input.deedDate,
        text: input.text,
        photos: input.photos,
        status: 'pending',
        submittedBy: caller.openid,
        submittedByName: callerName(caller),
        onBehalf: false,
        createdAt: at,
        decidedBy: null,
        decidedByName: null,
        decidedAt: null,
        rejectReason: null,
        entryId: null,
      });
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
        await tx
          .collection(COLLECTIONS.claims)
          .doc(id)
          .update({ data: { status: 'withdrawn', decidedAt: at } });
        await audit(tx, caller, {
          townId: claim.townId,
          villageId: claim.villageId,
          action: 'claims.withdraw',
          target: { collection: COLLECTIONS.claims, id },
          summary: `撤回申报“${claim.rule.title}”`,
          at,
        });
        return { claim: claimView({ ...claim, status: 'withdrawn', decidedAt: at }) };
      }),
  },

  /** The caller's family's claims and recorded lines, newest first. */
  'claims.mine': {
    input: claimsMineInput,
    handler: async ({ status, offset }, { caller }) => {
      const { familyId } = requireFamily(caller);
      const claims = await find<ClaimDoc>(COLLECTIONS.claims, status ? { familyId, status } : { familyId }, {
        orderBy: [['createdAt', 'desc']],
        skip: offset,
        limit: 20,
      });
      return { claims: claims.map(claimView) };
    },
  },

  /** The monthly pass: a group leader or cadre records many lines at once; each still needs someone else's approval. */
  'records.create': {
    input: recordsCreateInput,
    handler: async (input, { caller }) => {
      const at = now();
      for (const [index, line] of input.lines.entries()) {
        await checkDeedDate(line.deedDate, input.villageId, at, `lines.${index}.deedDate`);
      }
      const memberIds = [...new Set(input.lines.map((l) => l.memberId))];
      const ruleIds = [...new Set(input.lines.map((l) => l.ruleId))];
      const [members, rules] = await Promise.all([
        find<MemberDoc>(COLLECTIONS.members, { _id: _.in(memberIds) }, { limit: 1000 }),
        find<RuleDoc>(COLLECTIONS.rules, { _id: _.in(ruleIds) }, { limit: 1000 }),
      ]);
      const claims: ClaimDoc[] = input.lines.map((line, index) => {
        const member = members.find((m) => m._id === line.memberId);
        if (!member || member.villageId !== input.villageId) {
          throw new InvalidInputError([
            { path: `lines.${index}.memberId`, message: '成员不属于本村（社区）' },
          ]);
        }
        if (!canRecordForGroup(caller, member.villageId, member.groupId)) {
          throw new ForbiddenError(`您不能为${member.name}所在的村民小组录入积分`);
        }
        const rule = rules.find((r) => r._id === line.ruleId);
        if (!rule || !rule.current || (rule.villageId !== null && rule.villageId !== member.villageId)) {
          throw new InvalidInputError([{ path: `lines.${index}.ruleId`, message: '积分细则不存在或已修改' }]);
        }
        return {
          _id: claimId(caller, input.requestId, index),
          requestHash: inputHash(input),
          kind: 'record',
          townId: member.townId,
          villageId: member.villageId,
          groupId: member.groupId,
          familyId: member.familyId,
          memberId: member._id,
          memberName: member.name,
          rule: snapshot(rule),
          deedDate: line.deedDate,
          text: line.note,
          photos: [],
          status: 'pending',
          submittedBy: caller.openid,
          submittedByName: callerName(caller),
          onBehalf: input.onBehalf,
          createdAt: at,
          decidedBy: null,
          decidedByName: null,
          decidedAt: null,
          rejectReason: null,
          entryId: null,
        };
      });
      const recorded = await transaction(async (tx) => {
        let created = 0;
        for (const claim of claims) {
          const existing = await txGet<ClaimDoc>(tx, COLLECTIONS.claims, claim._id);
          if (existing) {
            checkSameRequest(existing, input);
            continue;
          }
          const { _id, ...data } = claim;
          await tx.collection(COLLECTIONS.claims).doc(_id).set({ data });
          created += 1;
        }
        if (created > 0) {
          await audit(tx, caller, {
            townId: claims[0].townId,
            villageId: input.villageId,
            action: 'records.create',
            target: { collection: COLLECTIONS.claims, id: claims[0]._id },
            summary: `月度采集录入${created}条${input.onBehalf ? '（代老年村民录入）' : ''}`,
            onBehalfOf: input.onBehalf ? claims.map((c) => c.memberId).join(',') : null,
            at,
          });
        }
        return created;
      });
      return {
        recorded,
        lines: claims.map((c) => ({ id: c._id, memberName: c.memberName, ruleTitle: c.rule.title })),
      };
    },
  },

  /** The cadre's queue: pending claims and recorded lines of the village, newest first, with conflicts flagged. */
  'review.queue': {
    input: reviewQueueInput,
    handler: async ({ villageId, groupId, offset }, { caller }) => {
      // Cadres review the whole village; a group leader may follow (not decide) the lines of their group.
      if (!(groupId ? canRecordForGroup(caller, villageId, groupId) : canManageVillage(caller, villageId))) {
        requireManage(caller, villageId);
      }
      const pending = await find<ClaimDoc>(
        COLLECTIONS.claims,
        groupId ? { villageId, groupId, status: 'pending' } : { villageId, status: 'pending' },
        { orderBy: [['createdAt', 'desc']], skip: offset, limit: 50 },
      );
      const reviewer = { openid: caller.openid, familyId: caller.profile?.familyId ?? null };
      return {
        items: pending.map((claim) => {
          const conflict = reviewConflict(claim, reviewer);
          return { ...claimView(claim), conflict: conflict ? REVIEW_CONFLICT_MESSAGES[conflict] : null };
        }),
      };
    },
  },

  /**
   * The town admin's queue: pending records of villages with one cadre (or none) that their cadre may not
   * review (their own, or their family's). The town admin is that village's second pair of eyes.
   */
  'review.townQueue': {
    input: reviewTownQueueInput,
    roles: ['townAdmin'],
    handler: async ({ offset }) => {
      const [villages, users, pending] = await Promise.all([
        find<VillageDoc>(COLLECTIONS.villages, { townId: townId() }, { limit: 1000 }),
        find<UserDoc>(COLLECTIONS.users, { townId: townId() }, { limit: 1000 }),
        find<ClaimDoc>(
          COLLECTIONS.claims,
          { status: 'pending' },
          { orderBy: [['createdAt', 'asc']], limit: 1000 },
        ),
      ]);
      const cadresOf = (villageId: string) =>
        users.filter((u) =>
          (u.roles ?? []).some(
            (r) => r.role === 'villageCadre' && r.scope.kind === 'village' && r.scope.id === villageId,
          ),
        );
      const items = pending.filter((claim) => {
        const cadres = cadresOf(claim.villageId);
        if (cadres.length >= 2) return false;
        return cadres.every((c) => reviewConflict(claim, { openid: c._id, familyId: c.familyId }) !== null);
      });
      return {
        items: items.slice(offset, offset + 50).map((claim) => ({
          ...claimView(claim),
          villageId: claim.villageId,
          villageName: villages.find((v) => v._id === claim.villageId)?.name ?? '',
          reason: '本村（社区）只有一名干部，需由镇管理员审核',
        })),
      };
    },
  },

  /**
   * Approves one or many: each its own transaction (entry, totals, scores, caps on the family, claim, trail) of
   * 10 database requests: one aggregation reads what it decides from, right after the start.
   */
  'review.approve': {
    input: reviewApproveInput,
    profile: 'handler',
    handler: async ({ claimIds }, context) => {
      const decided: ClaimDoc[] = [];
      const outcomes = await decideEach(claimIds, async (id) => {
        decided.push(await approveClaim(context.caller, id));
        return 'approved';
      });
      // Someone who approves nothing is refused as a whole, as before any claim is looked at.
      if (outcomes.every((o) => !o.ok && o.error.reason === 'NOT_APPROVER'))
        throw new ForbiddenError(NOT_APPROVER);
      await notifyDecided(decided);
      return singleOrAll(outcomes);
    },
  },

  /**
   * A bulk approval: the listed claims, or every pending claim of the village, approved in chunks of
   * APPROVE_CHUNK (each approval its own transaction, as above), the first at once, the rest by `review.bulkNext`.
   */
  'review.bulkStart': {
    input: reviewBulkStartInput,
    roles: ['villageCadre', 'townAdmin'],
    handler: async (input, { caller }) => {
      requireManage(caller, input.villageId);
      const jobId = derivedId('j', caller, input.requestId);
      const earlier = await getById<JobDoc>(COLLECTIONS.jobs, jobId);
      if (earlier) return jobView(...(await approveChunk(caller, earlier)));
      const claimIds =
        input.claimIds ??
        (
          await find<ClaimDoc>(
            COLLECTIONS.claims,
            { villageId: input.villageId, status: 'pending' },
            { orderBy: [['createdAt', 'asc']], limit: 1000, fields: { _id: true } },
          )
        ).map((c) => c._id);
      const at = now();
      const job: JobDoc = {
        _id: jobId,
        kind: 'reviewApprove',
        townId: townId(),
        villageId: input.villageId,
        createdBy: caller.openid,
        createdAt: at,
        total: new Set(claimIds).size,
        done: 0,
        finished: claimIds.length === 0,
        chunks: {},
        claimIds: [...new Set(claimIds)],
        updatedAt: at,
      };
      const { _id, ...data } = job;
      await collection(COLLECTIONS.jobs).doc(_id).set({ data });
      return jobView(...(await approveChunk(caller, job)));
    },
  },

  /** The next chunk of the caller's bulk approval; a finished one is returned as it is. */
  'review.bulkNext': {
    input: jobNextInput,
    roles: ['villageCadre', 'townAdmin'],
    handler: async ({ jobId }, { caller }) =>
      jobView(...(await approveChunk(caller, await ownJob(caller, jobId, 'reviewApprove')))),
  },

  'review.reject': {
    input: reviewRejectInput,
    handler: async ({ claimIds, reason }, { caller }) => {
      const decided: ClaimDoc[] = [];
      const outcomes = await decideEach(claimIds, async (id) => {
        const claim = await transaction(async (tx) => {
          const claim = await claimInTx(tx, caller, id);
          const at = now();
          const update = {
            status: 'rejected',
            decidedBy: caller.openid,
            decidedByName: callerName(caller),
            decidedAt: at,
            rejectReason: reason,
          };
          await tx.collection(COLLECTIONS.claims).doc(id).update({ data: update });
          await audit(tx, caller, {
            townId: claim.townId,
            villageId: claim.villageId,
            action: 'review.reject',
            target: { collection: COLLECTIONS.claims, id },
            summary: `驳回${claim.memberName}“${claim.rule.title}”：${reason}`,
            at,
          });
          return { ...claim, ...update } as ClaimDoc;
        });
        decided.push(claim);
        return 'rejected';
      });
      await notifyDecided(decided);
      return singleOrAll(outcomes);
    },
  },
});

/**
 * Claims per chunk of a bulk approval: 10 requests each, with the caller's profile, the job and the progress
 * 25 × 10 + 3 = 253, inside CHUNK_REQUEST_BUDGET (333: 10 s at 30 ms per request).
 */
export const APPROVE_CHUNK = 25;

/**
 * The next claims of a bulk approval. A claim this job approved before (a chunk that failed halfway, run again)
 * counts as approved again, so the outcomes are those of one clean run.
 */
async function approveChunk(caller: Caller, job: JobDoc): Promise<[JobDoc, JobOutcome[]]> {
  if (job.finished) return [job, []];
  const start = job.done;
  const ids = (job.claimIds ?? []).slice(start, start + APPROVE_CHUNK);
  const decided: ClaimDoc[] = [];
  const outcomes: JobOutcome[] = [];
  for (const id of ids) {
    try {
      const claim = await approveClaim(caller, id, job._id);
      if (claim.jobId === job._id && claim.decidedAt && !decided.some((d) => d._id === id))
        decided.push(claim);
      outcomes.push({
        key: id,
        label: `${claim.memberName}·${claim.rule.title}`,
        ok: true,
        message: '已通过',
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ key: id, label: '', ok: false, message: error.message });
    }
  }
  await notifyDecided(decided);
  return [await recordChunk(job, start, outcomes, now()), outcomes];
}

/**
 * Approves one claim in one transaction. `identified` is the caller as the platform names them: their roles come
 * from the users document the approval reads with everything else. `job`: the bulk approval this belongs to,
 * written on the claim, so that a retried chunk finds the claims it already approved.
 */
async function approveClaim(identified: Caller, id: string, job?: string): Promise<ClaimDoc> {
  return transaction(async (tx) => {
    const at = now();
    const row = await readApproval(id, identified.openid, at);
    const caller = withProfile(identified, profileOf(row?.user[0]));
    if (!caller.roles.some((r) => r.role === 'villageCadre' || r.role === 'townAdmin')) {
      throw new ForbiddenError(NOT_APPROVER, { reason: 'NOT_APPROVER' });
    }
    if (job && row && row.status === 'approved' && row.jobId === job) return row as ClaimDoc;
    const {
      user: _user,
      ruleDoc,
      monthDoc,
      family: families,
      scores,
      caps,
      ...rest
    } = row ?? ({} as ApprovalRow);
    const claim = checkDecidable(caller, row ? (rest as ClaimDoc) : null);
    const rule = claim.rule;
    const late = deedDateRefusal(claim.deedDate, dayOf(at), OPEN_MONTH, true);
    if (late) throw new RefusedError(late.code, late.message);
    const cap = ruleDoc[0]?.cap ?? null;
    const family = families[0];
    if (!family) throw new NotFoundError('找不到该家庭');
    let key: string | null = null;
    if (cap) {
      key = capKey(rule.code, cap, claim, claim.deedDate.slice(0, 7));
      if (
        !withinCap(
          cap,
          capCount(
            family,
            key,
            caps.find((c) => c._id === key),
          ),
        )
      ) {
        throw new RefusedError('CAP_REACHED', `“${rule.title}”已达上限（${cap.count}次），不能再加分`);
      }
    }
    const deedMonth = claim.deedDate.slice(0, 7);
    const status = await guardMonth(tx, claim.villageId, deedMonth, monthDoc[0]);
    const month = entryMonth(deedMonth, status, monthOf(at));
    const { entry } = await postEntry(
      tx,
      family,
      {
        memberId: claim.memberId,
        memberName: claim.memberName,
        rule,
        kind: rule.points >= 0 ? 'award' : 'deduction',
        points: rule.points,
        month,
        source: { type: claim.kind, id: claim._id },
        reason: rule.title,
        recordedBy: claim.submittedBy,
        recordedByName: claim.submittedByName,
        approvedBy: caller.openid,
        approvedByName: callerName(caller),
        onBehalf: claim.onBehalf,
        at,
      },
      approve(
        decidePoints({
          purpose: 'review',
          maker: { openid: claim.submittedBy, familyId: null, townAdmin: false },
          checker: actorOf(caller),
          familyId: family._id,
          points: rule.points,
        }),
      ),
      { scores: new Set(scores.map((s) => s._id)), capKey: key },
    );
    const update = {
      status: 'approved',
      decidedBy: caller.openid,
      decidedByName: callerName(caller),
      decidedAt: at,
      entryId: entry._id,
      ...(job ? { jobId: job } : {}),
    };
    await tx.collection(COLLECTIONS.claims).doc(id).update({ data: update });
    await audit(tx, caller, {
      townId: claim.townId,
      villageId: claim.villageId,
      action: 'review.approve',
      target: { collection: COLLECTIONS.claims, id },
      summary: `通过${claim.memberName}“${rule.title}”${ENTRY_KIND_LABELS[entry.kind]}${formatSignedPoints(rule.points)}分`,
      onBehalfOf: claim.onBehalf ? claim.memberId : null,
      at,
    });
    return { ...claim, ...update } as ClaimDoc;
  });
}

async function notifyDecided(claims: ClaimDoc[]): Promise<void> {
  for (const claim of claims) {
    if (claim.kind !== 'claim') continue;
    const status = claim.status === 'approved' ? STATUS_TEXT.approved : STATUS_TEXT.rejected;
    await notify('claimDecided', claim.submittedBy, 'pages/my-claims/index', {
      thing1: claim.rule.title,
      phrase2: status,
      thing3: claim.rejectReason ?? `${formatSignedPoints(claim.rule.points)}分已计入家庭积分`,
      date4: claim.decidedAt ? dayOf(claim.decidedAt) : '',
    });
  }
}
