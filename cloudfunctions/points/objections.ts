/**
 * Objections (异议). Any member of the village may object to an entry, a claim decision,
 * a board entry or a month's results while the month takes objections; the village's supervisors decide by a
 * deadline. Upholding writes the corrections (reversals, the withheld award, board withdrawal); in a closed
 * month they go into the current month, pointing back.
 */
import {
  entryMonth,
  objectionDeadline,
  objectionOverdue,
  objectionsOpen,
} from '../../miniprogram/core/month';
import { reversalOf } from '../../miniprogram/core/ledger';
import {
  decidePoints,
  integrityOf,
  objectionTargetRefusal,
  pointsBoundsRefusal,
  SECOND_CHECK_MESSAGE,
  type Actor,
} from '../../miniprogram/core/policy';
import { capKey, capRefusal } from '../../miniprogram/core/review';
import { actorOf, approve } from '../common/policy';
import { addToMark, correctionMark, manualMark, openObjectionMark, txMark } from '../common/marks';
import { displayName, familyDisplayName, maskName, type NameDisplay } from '../../miniprogram/core/names';
import { familyFacts, publicBoardName } from '../common/public';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { dayOf, monthOf } from '../../miniprogram/core/time';
import {
  requireFamily,
  canOverseeVillage,
  requireManage,
  requireOversee,
  requireSupervisor,
} from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import {
  _,
  count,
  find,
  getById,
  now,
  transaction,
  txGet,
  type Tx,
  getExisting,
  txGetExisting,
} from '../common/data';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type AuditDoc,
  type BoardDoc,
  type CapDoc,
  type ClaimDoc,
  type EntryDoc,
  type FamilyDoc,
  type MonthDoc,
  type ObjectionDoc,
  type RuleDoc,
} from '../common/model';
import { notify } from '../common/notify';
import { villageById, txFamilyById } from '../common/places';
import {
  derivedId,
  inputHash,
  setWithTrail,
  updateWithTrail,
  txEarlierRequest,
  earlierRequest,
} from '../common/writes';
import { setSuspension } from './boards';
import { suspensionAfterWithdrawal } from '../../miniprogram/core/suspension';
import { claimView, monthDocId, txMonthStatus } from './claims';
import { claimTitle, entryTitle } from './objection-targets';
import { capCount, claimEntry, postEntry, postManualEntry } from '../common/ledger';
import { entryView } from './views';
import {
  definePointsActions,
  objectionDecideInput,
  objectionGetInput,
  objectionRaiseInput,
  objectionsListInput,
  objectionsMineInput,
  pendingAdjustmentsInput,
} from './schemas';

const TARGET_LABELS = { entry: '积分记录', claim: '审核结果', board: '红黑榜', month: '月度结果' } as const;

function objectionView(o: ObjectionDoc, at: Date) {
  return {
    id: o._id,
    villageId: o.villageId,
    target: o.target,
    targetLabel: TARGET_LABELS[o.target.type],
    targetTitle: o.targetTitle ?? '',
    month: o.month,
    reason: o.reason,
    raisedByName: o.raisedByName,
    createdAt: o.createdAt,
    deadline: o.deadline,
    overdue: objectionOverdue(o, at),
    status: o.status,
    statusLabel: { open: '调查中', upheld: '异议成立', dismissed: '异议不成立' }[o.status],
    decisionReason: o.decisionReason,
    decidedAt: o.decidedAt,
  };
}

/** Where the disputed thing lives and which month it concerns. */
async function locateTarget(type: ObjectionDoc['target']['type'], id: string, villageId: string) {
  switch (type) {
    case 'entry': {
      const entry = await getById<EntryDoc>(COLLECTIONS.entries, id);
      if (!entry || entry.villageId !== villageId) break;
      return { month: entry.month, entry, title: entryTitle(entry) };
    }
    case 'claim': {
      const claim = await getById<ClaimDoc>(COLLECTIONS.claims, id);
      if (
        !claim ||
        claim.villageId !== villageId ||
        (claim.status !== 'approved' && claim.status !== 'rejected')
      )
        break;
      return { month: claim.deedDate.slice(0, 7), entry: null, title: claimTitle(claim) };
    }
    case 'board': {
      const board = await getById<BoardDoc>(COLLECTIONS.boards, id);
      if (!board || board.villageId !== villageId || board.status !== 'published') break;
      return { month: board.date.slice(0, 7), entry: null, title: '' };
    }
    case 'month':
      if (/^\d{4}-(0[1-9]|1[0-2])$/.test(id)) return { month: id, entry: null, title: '' };
      break;
  }
  throw new NotFoundError('找不到要提出异议的记录');
}

/** The person who raised an objection, as the policy sees them (the maker of its corrections). */
function raiserOf(o: ObjectionDoc): Actor {
  return { openid: o.raisedBy, familyId: o.raisedByFamilyId, townAdmin: false };
}

/**
 * Reverses an entry inside the transaction, into the month its own month's state allows, with the policy's
 * decision: the decider is not of the entry's family, a redemption is corrected only at the counter, a
 * correction is never corrected, and each entry at most once.
 */
async function reverseEntry(
  tx: Tx,
  caller: Caller,
  entryId: string,
  o: ObjectionDoc,
  at: Date,
): Promise<string> {
  const original = await txGetExisting<EntryDoc>(tx, COLLECTIONS.entries, entryId, '找不到原积分记录');
  const family = await txFamilyById(tx, original.familyId);
  const status = await txMonthStatus(tx, original.villageId, original.month);
  const month = entryMonth(original.month, status, monthOf(at));
  const effect = reversalOf({ ...original, reverses: original.reverses ?? undefined }, month);
  const mark = correctionMark(original._id);
  const corrected = await txMark(tx, mark);
  const approved = approve(
    decidePoints({
      purpose: 'objectionReverse',
      maker: raiserOf(o),
      checker: actorOf(caller),
      familyId: family._id,
      points: effect.points,
      corrects: { kind: original.kind, sourceType: original.source.type, alreadyCorrected: corrected > 0 },
    }),
  );
  const { entry } = await postEntry(
    tx,
    family,
    {
      memberId: original.memberId,
      memberName: original.memberName,
      rule: original.rule,
      kind: 'reversal',
      points: effect.points,
      month,
      source: { type: 'objection', id: o._id },
      reverses: original,
      reason: `冲正：${original.reason}`,
      recordedBy: o.raisedBy,
      recordedByName: o.raisedByName,
      approvedBy: caller.openid,
      approvedByName: callerName(caller),
      onBehalf: false,
      at,
    },
    approved,
  );
  await addToMark(tx, mark, corrected, 1, at);
  return entry._id;
}

/** Whether a month's results exist to object to: the month is not in the future and has a notice or entries. */
async function monthExists(villageId: string, month: string, at: Date): Promise<boolean> {
  if (month > monthOf(at)) return false;
  if (await getById<MonthDoc>(COLLECTIONS.months, monthDocId(villageId, month))) return true;
  return (await count(COLLECTIONS.entries, { villageId, month })) > 0;
}

/** A page of the objections matching `query` in `order`, as the lists show them (overdue as of now). */
async function objectionsPage(
  query: Record<string, unknown>,
  order: [keyof ObjectionDoc & string, 'asc' | 'desc'],
  offset: number,
  limit: number,
) {
  const list = await find<ObjectionDoc>(COLLECTIONS.objections, query, {
    orderBy: [order],
    skip: offset,
    limit,
  });
  const at = now();
  return { objections: list.map((o) => objectionView(o, at)) };
}

export const objectionsActions = definePointsActions({
  'objections.raise': {
    input: objectionRaiseInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const id = derivedId('o', caller, input.requestId);
      const earlier = await earlierRequest<ObjectionDoc>(COLLECTIONS.objections, id, input);
      if (earlier) return { objection: objectionView(earlier, now()) };
      const { month, entry, title } = await locateTarget(input.target.type, input.target.id, mine.villageId);
      const at = now();
      if (input.target.type === 'month' && !(await monthExists(mine.villageId, month, at)))
        throw new RefusedError('MONTH_NOT_FOUND', `${month}没有可提出异议的积分结果`);
      const untouchable =
        entry && objectionTargetRefusal({ kind: entry.kind, sourceType: entry.source.type });
      if (untouchable) throw new RefusedError(untouchable.code, untouchable.message);
      const open = await find<ObjectionDoc>(
        COLLECTIONS.objections,
        {
          villageId: mine.villageId,
          'target.type': input.target.type,
          'target.id': input.target.id,
          status: 'open',
        },
        { limit: 1 },
      );
      if (open.length > 0)
        throw new RefusedError('OBJECTION_OPEN', '已有人对这条记录提出异议，正在调查中，请等待处理结果');
      const v = await villageById(mine.villageId);
      return transaction(async (tx) => {
        const again = await txEarlierRequest<ObjectionDoc>(tx, COLLECTIONS.objections, id, input);
        if (again) return { objection: objectionView(again, at) };
        const status = await txMonthStatus(tx, mine.villageId, month);
        if (!objectionsOpen(status, at)) {
          throw new RefusedError('MONTH_CLOSED', `${month}的公示期已结束，不能再提出异议`);
        }
        // One open objection per target, decided in the transaction through the target's guard document.
        const guard = openObjectionMark(mine.villageId, input.target.type, input.target.id);
        const openNow = await txMark(tx, guard);
        if (openNow > 0)
          throw new RefusedError('OBJECTION_OPEN', '已有人对这条记录提出异议，正在调查中，请等待处理结果');
        await addToMark(tx, guard, openNow, 1, at);
        const objection: ObjectionDoc = {
          _id: id,
          townId: v.townId,
          villageId: mine.villageId,
          target: input.target,
          targetTitle: title,
          month,
          reason: input.reason,
          raisedBy: caller.openid,
          raisedByName: callerName(caller),
          raisedByFamilyId: mine.familyId,
          createdAt: at,
          deadline: objectionDeadline(at),
          status: 'open',
          decidedBy: null,
          decidedAt: null,
          decisionReason: null,
          correctionEntryIds: [],
          requestHash: inputHash(input),
        };
        await setWithTrail(tx, caller, COLLECTIONS.objections, objection, objection, {
          action: 'objections.raise',
          summary: `对${TARGET_LABELS[input.target.type]}提出异议：${input.reason}`,
          at,
        });
        return { objection: objectionView(objection, at) };
      });
    },
  },

  'objections.mine': {
    input: objectionsMineInput,
    handler: async ({ offset }, { caller }) =>
      objectionsPage({ raisedBy: caller.openid }, ['createdAt', 'desc'], offset, 20),
  },

  /** Supervisors' list (cadres and town admins may read it too). */
  'objections.list': {
    input: objectionsListInput,
    handler: async ({ villageId, status, offset }, { caller }) => {
      requireOversee(caller, villageId);
      return objectionsPage(status ? { villageId, status } : { villageId }, ['deadline', 'asc'], offset, 30);
    },
  },

  /** One objection with the disputed record and its trail. */
  'objections.get': {
    input: objectionGetInput,
    handler: async ({ objectionId }, { caller }) => {
      const o = await getExisting<ObjectionDoc>(COLLECTIONS.objections, objectionId, '找不到该异议');
      if (o.raisedBy !== caller.openid) requireOversee(caller, o.villageId);
      const [record, trail] = await Promise.all([
        disputedRecord(
          o,
          canOverseeVillage(caller, o.villageId)
            ? null
            : ((await villageById(o.villageId)).settings?.nameDisplay ??
                DEFAULT_VILLAGE_SETTINGS.nameDisplay),
        ),
        find<AuditDoc>(
          COLLECTIONS.audit,
          { 'target.id': o.target.id },
          { orderBy: [['at', 'asc']], limit: 50 },
        ),
      ]);
      return {
        objection: objectionView(o, now()),
        record,
        trail: trail.map((a) => ({ actorName: a.actorName, action: a.action, summary: a.summary, at: a.at })),
      };
    },
  },

  'objections.decide': {
    input: objectionDecideInput,
    handler: async (input, { caller }) => {
      const o = await getExisting<ObjectionDoc>(COLLECTIONS.objections, input.objectionId, '找不到该异议');
      requireSupervisor(caller, o.villageId);
      if (o.raisedByFamilyId && o.raisedByFamilyId === caller.profile?.familyId) {
        throw new RefusedError('OWN_FAMILY', '不能处理本家庭提出的异议，请由其他监督员处理');
      }
      // Nobody decides an objection about their own family's record, whichever way (dismissing keeps its points).
      const targetFamily = await targetFamilyId(o);
      const mine = caller.profile?.familyId ?? null;
      if (mine && targetFamily === mine)
        throw new RefusedError('OWN_FAMILY', '不能处理涉及本家庭记录的异议，需由其他监督员或镇管理员处理');
      // A board withdrawn on appeal may end a suspension: the end is the latest of the family's other black entries.
      let board: BoardDoc | null = null;
      let otherBlack: BoardDoc[] = [];
      if (o.target.type === 'board') {
        board = await getById<BoardDoc>(COLLECTIONS.boards, o.target.id);
        if (board?.board === 'black') {
          const withdrawn = board._id;
          otherBlack = (
            await find<BoardDoc>(
              COLLECTIONS.boards,
              { familyId: board.familyId, board: 'black', status: 'published' },
              { limit: 1000 },
            )
          ).filter((other) => other._id !== withdrawn);
        }
      }
      const at = now();
      const decided = await transaction(async (tx) => {
        const current = await txGet<ObjectionDoc>(tx, COLLECTIONS.objections, o._id);
        if (!current || current.status !== 'open') throw new ConflictError('该异议已处理');
        const corrections: string[] = [];
        let pending: ObjectionDoc['adjustments'] = [];
        if (input.outcome !== 'upheld' && input.adjustments.length > 0)
          throw new InvalidInputError([{ path: 'adjustments', message: '异议不成立时不能调整积分' }]);
        if (input.outcome === 'upheld') {
          switch (o.target.type) {
            case 'entry':
              corrections.push(await reverseEntry(tx, caller, o.target.id, o, at));
              break;
            case 'claim': {
              const claim = await txGetExisting<ClaimDoc>(
                tx,
                COLLECTIONS.claims,
                o.target.id,
                '找不到原申报',
              );
              if (claim.status === 'approved' && claim.entryId) {
                corrections.push(await reverseEntry(tx, caller, claim.entryId, o, at));
              } else if (claim.status === 'rejected') {
                corrections.push(await awardRejectedClaim(tx, caller, claim, o, at));
              }
              break;
            }
            case 'board': {
              if (!board || board.status !== 'published') throw new ConflictError('该榜单记录已撤下');
              if (board.entryId) corrections.push(await reverseEntry(tx, caller, board.entryId, o, at));
              await tx
                .collection(COLLECTIONS.boards)
                .doc(board._id)
                .update({ data: { status: 'withdrawn' } });
              if (board.board === 'black') {
                const family = await txFamilyById(tx, board.familyId);
                const until = suspensionAfterWithdrawal(
                  otherBlack.map((other) => other.suspensionEndsAt),
                  at,
                );
                await setSuspension(tx, family, until, at);
              }
              break;
            }
            case 'month':
              // Adjustments wait for a second cadre (or the town admin where the village has one cadre).
              pending = await proposeAdjustments(tx, caller, o, input.adjustments, at);
              break;
          }
        }
        const update = {
          status: input.outcome,
          decidedBy: caller.openid,
          decidedAt: at,
          decisionReason: input.reason,
          decidedByFamilyId: caller.profile?.familyId ?? null,
          decidedByName: callerName(caller),
          correctionEntryIds: corrections,
          adjustments: pending,
          adjustmentsConfirmedBy: null,
        };
        const guard = openObjectionMark(o.villageId, o.target.type, o.target.id);
        await addToMark(tx, guard, 0, 0, at);
        await updateWithTrail(tx, caller, COLLECTIONS.objections, o._id, update, o, {
          action: 'objections.decide',
          summary: `异议${input.outcome === 'upheld' ? '成立' : '不成立'}：${input.reason}${corrections.length ? `（更正${corrections.length}条）` : ''}${pending?.length ? `（${pending.length}户调整待${SECOND_CHECK_MESSAGE}）` : ''}`,
          at,
        });
        return { ...o, ...update };
      });
      await notify('objectionDecided', o.raisedBy, 'pages/objections/index', {
        thing1: TARGET_LABELS[o.target.type],
        phrase2: input.outcome === 'upheld' ? '异议成立' : '异议不成立',
        thing3: input.reason,
        date4: dayOf(at),
      });
      return {
        objection: objectionView(decided, at),
        corrections: decided.correctionEntryIds,
        needsSecondCheck: decided.adjustments?.length ? SECOND_CHECK_MESSAGE : null,
      };
    },
  },

  /**
   * The second pair of eyes on a month objection's adjustments: a cadre of the village (or the town admin) other
   * than the deciding supervisor and outside every family adjusted. The entries are written now.
   */
  'objections.confirmAdjustments': {
    input: objectionGetInput,
    handler: async ({ objectionId }, { caller }) => {
      const o = await getExisting<ObjectionDoc>(COLLECTIONS.objections, objectionId, '找不到该异议');
      requireManage(caller, o.villageId);
      const village = await villageById(o.villageId);
      const settings = integrityOf(village.settings);
      const at = now();
      const done = await transaction(async (tx) => {
        const current = await txGet<ObjectionDoc>(tx, COLLECTIONS.objections, o._id);
        if (
          !current ||
          current.status !== 'upheld' ||
          !current.adjustments?.length ||
          current.adjustmentsConfirmedBy
        )
          throw new ConflictError('该异议没有待确认的积分调整');
        const maker: Actor = {
          openid: current.decidedBy ?? '',
          familyId: current.decidedByFamilyId ?? null,
          townAdmin: false,
        };
        const month = monthOf(at);
        const mark = correctionMark(current._id);
        if ((await txMark(tx, mark)) > 0)
          throw new RefusedError('ALREADY_CORRECTED', '这条异议的调整已经确认过');
        const entries: string[] = [];
        for (const adjustment of current.adjustments) {
          const family = await txFamilyById(tx, adjustment.familyId);
          const { entry } = await postManualEntry(
            tx,
            family,
            {
              memberId: null,
              memberName: null,
              rule: null,
              kind: 'adjustment',
              points: adjustment.points,
              month,
              source: { type: 'objection', id: current._id },
              reason: `异议成立调整（${current.month}）：${current.decisionReason ?? ''}`.slice(0, 200),
              recordedBy: maker.openid,
              recordedByName: current.decidedByName ?? '监督员',
              approvedBy: caller.openid,
              approvedByName: callerName(caller),
              onBehalf: false,
              at,
            },
            { purpose: 'adjustment', maker, checker: actorOf(caller), settings },
          );
          entries.push(entry._id);
        }
        await addToMark(tx, mark, 0, 1, at);
        const update = {
          correctionEntryIds: [...current.correctionEntryIds, ...entries],
          adjustmentsConfirmedBy: caller.openid,
        };
        await updateWithTrail(tx, caller, COLLECTIONS.objections, current._id, update, current, {
          action: 'objections.confirmAdjustments',
          summary: `确认异议调整${entries.length}户（${current.month}）`,
          at,
        });
        return { ...current, ...update };
      });
      return { objection: objectionView(done, at), corrections: done.correctionEntryIds };
    },
  },

  /**
   * The village's upheld month objections whose adjustments wait for a second cadre, each with the families and
   * points, and why this cadre may not confirm them (`conflict`, as objections.confirmAdjustments would refuse).
   */
  'objections.pendingAdjustments': {
    input: pendingAdjustmentsInput,
    handler: async ({ villageId }, { caller }) => {
      requireManage(caller, villageId);
      const [village, waiting] = await Promise.all([
        villageById(villageId),
        find<ObjectionDoc>(
          COLLECTIONS.objections,
          { villageId, status: 'upheld', 'target.type': 'month', adjustmentsConfirmedBy: null },
          { orderBy: [['deadline', 'asc']], limit: 50 },
        ),
      ]);
      const pending = waiting.filter((o) => (o.adjustments?.length ?? 0) > 0);
      const familyIds = [...new Set(pending.flatMap((o) => (o.adjustments ?? []).map((a) => a.familyId)))];
      const families = familyIds.length
        ? await find<FamilyDoc>(COLLECTIONS.families, { _id: _.in(familyIds) }, { limit: 1000 })
        : [];
      const names = new Map(families.map((f) => [f._id, `${f.headName}家（户号 ${f.householdNumber}）`]));
      const checker = actorOf(caller);
      const at = now();
      return {
        villageName: village.name,
        objections: pending.map((o) => {
          const maker: Actor = {
            openid: o.decidedBy ?? '',
            familyId: o.decidedByFamilyId ?? null,
            townAdmin: false,
          };
          // Who checks, as the confirmation decides it (the month's bounds are checked again when confirming).
          const refusal = (o.adjustments ?? [])
            .map((a) =>
              decidePoints({ purpose: 'adjustment', maker, checker, familyId: a.familyId, points: a.points }),
            )
            .find((d) => !d.ok && (d.code === 'SAME_PERSON' || d.code === 'OWN_FAMILY'));
          return {
            objection: objectionView(o, at),
            decidedByName: o.decidedByName ?? '监督员',
            adjustments: (o.adjustments ?? []).map((a) => ({
              familyId: a.familyId,
              familyName: names.get(a.familyId) ?? '（家庭已不存在）',
              points: a.points,
              pointsText: formatSignedPoints(a.points),
            })),
            conflict: refusal && !refusal.ok ? refusal.message : null,
          };
        }),
      };
    },
  },
});

/** The disputed record; names on a board entry are shown per the village setting unless the reader oversees it. */
async function disputedRecord(o: ObjectionDoc, nameDisplay: NameDisplay | null) {
  switch (o.target.type) {
    case 'entry': {
      const entry = await getById<EntryDoc>(COLLECTIONS.entries, o.target.id);
      return entry ? { type: 'entry' as const, entry: entryView(entry) } : null;
    }
    case 'claim': {
      const claim = await getById<ClaimDoc>(COLLECTIONS.claims, o.target.id);
      return claim ? { type: 'claim' as const, claim: claimView(claim) } : null;
    }
    case 'board': {
      const board = await getById<BoardDoc>(COLLECTIONS.boards, o.target.id);
      const family = board ? (await familyFacts([board.familyId])).get(board.familyId) : undefined;
      return board
        ? {
            type: 'board' as const,
            board: {
              title: board.title,
              // An overseer reads it in full; a villager as the public may (a lifted black entry: masked).
              personName:
                nameDisplay === null
                  ? board.memberId
                    ? displayName(board.personName, 'full')
                    : familyDisplayName(board.personName, 'full')
                  : (publicBoardName(board, family, nameDisplay, now()) ??
                    (board.memberId
                      ? maskName(board.personName)
                      : familyDisplayName(board.personName, 'masked'))),
              board: board.board,
              pointsText: formatSignedPoints(board.points),
              date: board.date,
              status: board.status,
            },
          }
        : null;
    }
    case 'month':
      return { type: 'month' as const, month: o.target.id };
  }
}

/**
 * An upheld objection to a rejected claim awards it, once, under its cap, with the policy's decision (the decider
 * is not of the claimant's family).
 */
async function awardRejectedClaim(
  tx: Tx,
  caller: Caller,
  claim: ClaimDoc,
  o: ObjectionDoc,
  at: Date,
): Promise<string> {
  const mark = correctionMark(claim._id);
  const corrected = await txMark(tx, mark);
  const family = await txFamilyById(tx, claim.familyId);
  const approved = approve(
    decidePoints({
      purpose: 'objectionAward',
      maker: raiserOf(o),
      checker: actorOf(caller),
      familyId: family._id,
      points: claim.rule.points,
      corrects: { kind: 'award', sourceType: claim.kind, alreadyCorrected: corrected > 0 },
    }),
  );
  const rule = await txGet<RuleDoc>(tx, COLLECTIONS.rules, claim.rule.id);
  const cap = rule?.cap ?? null;
  const key = cap ? capKey(claim.rule.code, cap, claim, claim.deedDate.slice(0, 7)) : null;
  const counted = key ? capCount(family, key, await txGet<CapDoc>(tx, COLLECTIONS.caps, key)) : 0;
  const capped = capRefusal(claim.rule.title, cap, counted);
  if (capped) throw new RefusedError(capped.code, capped.message);
  const status = await txMonthStatus(tx, claim.villageId, claim.deedDate.slice(0, 7));
  const { entry } = await postEntry(
    tx,
    family,
    claimEntry(claim, caller, {
      month: entryMonth(claim.deedDate.slice(0, 7), status, monthOf(at)),
      source: { type: 'objection', id: o._id },
      reason: `异议成立补记：${claim.rule.title}`,
      at,
    }),
    approved,
    { capKey: key },
  );
  await addToMark(tx, mark, corrected, 1, at);
  return entry._id;
}

/**
 * A month objection's adjustments as the deciding supervisor proposes them: each family of the village, once, none
 * their own, each within the village's bounds. Nothing moves until a second cadre confirms.
 */
async function proposeAdjustments(
  tx: Tx,
  caller: Caller,
  o: ObjectionDoc,
  adjustments: { familyId: string; points: number }[],
  at: Date,
): Promise<{ familyId: string; points: number }[]> {
  if (adjustments.length === 0) return [];
  const village = await villageById(o.villageId);
  const settings = integrityOf(village.settings);
  const seen = new Set<string>();
  for (const [index, adjustment] of adjustments.entries()) {
    if (seen.has(adjustment.familyId))
      throw new InvalidInputError([
        { path: `adjustments.${index}.familyId`, message: '同一家庭只能调整一次' },
      ]);
    seen.add(adjustment.familyId);
    const family = await txFamilyById(tx, adjustment.familyId);
    if (family.villageId !== o.villageId) throw new ForbiddenError('只能调整本村（社区）家庭的积分');
    const refusal = pointsBoundsRefusal({
      purpose: 'adjustment',
      maker: actorOf(caller),
      checker: null,
      familyId: family._id,
      points: adjustment.points,
      familyMonthManual: await txMark(tx, manualMark(family._id, monthOf(at))),
      settings,
    });
    if (refusal) throw new RefusedError(refusal.code, refusal.message, { index });
  }
  return adjustments.map((a) => ({ familyId: a.familyId, points: a.points }));
}

/** The family whose record an objection is about (null for a month's results: its adjustments are checked each). */
async function targetFamilyId(o: ObjectionDoc): Promise<string | null> {
  switch (o.target.type) {
    case 'entry':
      return (await getById<EntryDoc>(COLLECTIONS.entries, o.target.id))?.familyId ?? null;
    case 'claim':
      return (await getById<ClaimDoc>(COLLECTIONS.claims, o.target.id))?.familyId ?? null;
    case 'board':
      return (await getById<BoardDoc>(COLLECTIONS.boards, o.target.id))?.familyId ?? null;
    case 'month':
      return null;
  }
}
