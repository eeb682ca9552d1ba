/**
 * Review (审核): the queue of pending claims and records, approval and rejection one by one or in chunks. Maker ≠
 * checker; nobody approves points for their own family; caps are enforced at approval, and each approval is one
 * transaction that writes the ledger.
 */
import { claimView, guardMonth } from './claims';
import { ENTRY_KIND_LABELS } from '../../miniprogram/core/ledger';
import { entryMonth, OPEN_MONTH } from '../../miniprogram/core/month';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { capKey, capRefusal, REVIEW_CONFLICT_MESSAGES, reviewConflict } from '../../miniprogram/core/review';
import { dayOf, monthOf } from '../../miniprogram/core/time';
import { decidePoints, deedDateRefusal } from '../../miniprogram/core/policy';
import { actorOf, approve } from '../common/policy';
import { canManageVillage, canRecordForGroup, profileOf, requireManage } from '../common/access';
import type { Caller } from '../common/caller';
import { callerName, withProfile } from '../common/caller';
import {
  aggregate,
  collection,
  find,
  getById,
  now,
  transaction,
  txGet,
  type Tx,
  newestFirst,
} from '../common/data';
import { jobView, ownJob, recordChunk } from '../common/jobs';
import { AppError, ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type CapDoc,
  type ClaimDoc,
  type FamilyDoc,
  type JobDoc,
  type JobOutcome,
  type MonthDoc,
  type RuleDoc,
  type UserDoc,
  type VillageDoc,
} from '../common/model';
import { townId } from '../common/env';
import { notify } from '../common/notify';
import { derivedId, updateWithTrail } from '../common/writes';
import { capCount, claimEntry, postEntry } from '../common/ledger';
import {
  definePointsActions,
  reviewApproveInput,
  reviewBulkStartInput,
  jobNextInput,
  reviewQueueInput,
  reviewRejectInput,
  reviewTownQueueInput,
} from './schemas';
import type { ReviewOutcome } from '../../miniprogram/contract/points';

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

export const reviewActions = definePointsActions({
  /** The cadre's queue: pending claims and recorded lines of the village, newest first, with conflicts flagged. */
  'review.queue': {
    input: reviewQueueInput,
    handler: async ({ villageId, groupId, offset }, { caller }) => {
      // Cadres review the whole village; a group leader may follow (not decide) the lines of their group.
      if (!(groupId ? canRecordForGroup(caller, villageId, groupId) : canManageVillage(caller, villageId))) {
        requireManage(caller, villageId);
      }
      const where = groupId ? { villageId, groupId, status: 'pending' } : { villageId, status: 'pending' };
      const pending = await newestFirst<ClaimDoc>(COLLECTIONS.claims, where, 'createdAt', offset, 50);
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
          await updateWithTrail(tx, caller, COLLECTIONS.claims, id, update, claim, {
            action: 'review.reject',
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
 * counts as approved again, so the outcomes, and the residents told, are those of one clean run.
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
  // Told once the chunk's progress is recorded: a chunk that fails before that is run again and tells them then
  // (its claims approved by this job count again); one recorded is never run again, and of two runs at once only
  // the one that recorded it tells, so nobody is told twice.
  const { job: recorded, advanced } = await recordChunk(job, start, outcomes, now());
  if (advanced) await notifyDecided(decided);
  return [recorded, outcomes];
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
    const key = cap ? capKey(rule.code, cap, claim, claim.deedDate.slice(0, 7)) : null;
    const legacy = caps.find((c) => c._id === key);
    const approvedBefore = key ? capCount(family, key, legacy) : 0;
    const capped = capRefusal(rule.title, cap, approvedBefore);
    if (capped) throw new RefusedError(capped.code, capped.message);
    const deedMonth = claim.deedDate.slice(0, 7);
    const status = await guardMonth(tx, claim.villageId, deedMonth, monthDoc[0]);
    const month = entryMonth(deedMonth, status, monthOf(at));
    const { entry } = await postEntry(
      tx,
      family,
      claimEntry(claim, caller, {
        month,
        source: { type: claim.kind, id: claim._id },
        reason: rule.title,
        at,
      }),
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
    await updateWithTrail(tx, caller, COLLECTIONS.claims, id, update, claim, {
      action: 'review.approve',
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
