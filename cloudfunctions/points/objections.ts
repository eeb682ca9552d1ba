/**
 * Objections (异议) and the monthly close. Any member of the village may object to an entry, a claim decision,
 * a board entry or a month's results while the month takes objections; the village's supervisors decide by a
 * deadline. Upholding writes the corrections (reversals, the withheld award, board withdrawal); in a closed
 * month they go into the current month, pointing back.
 */
import {
  canLock,
  canStartNotice,
  entryMonth,
  MONTH_STATE_LABELS,
  noticeDaysLeft,
  objectionsOpen,
  OPEN_MONTH,
} from '../../miniprogram/core/month';
import { reversalOf } from '../../miniprogram/core/ledger';
import { displayName, familyDisplayName, type NameDisplay } from '../../miniprogram/core/names';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { addMonths, dayOf, monthOf } from '../../miniprogram/core/time';
import {
  isTownAdmin,
  requireFamily,
  canOverseeVillage,
  requireManage,
  requireOversee,
  requireSupervisor,
} from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { _, find, getById, now, transaction, txGet, type Tx } from '../common/data';
import { ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type AuditDoc,
  type BoardDoc,
  type ClaimDoc,
  type EntryDoc,
  type MonthDoc,
  type ObjectionDoc,
} from '../common/model';
import { notify } from '../common/notify';
import { villageById } from '../common/places';
import { action } from '../common/router';
import { audit, derivedId } from '../common/writes';
import { setSuspension } from './boards';
import { claimView, monthDocId, txMonthStatus } from './claims';
import { claimTitle, entryTitle } from './objection-targets';
import { postEntry, txFamily } from './ledger';
import { entryView } from './views';
import {
  auditListInput,
  monthInput,
  monthsListInput,
  objectionDecideInput,
  objectionGetInput,
  objectionRaiseInput,
  objectionsListInput,
  objectionsMineInput,
} from './schemas';

/** Supervisors have this long to decide an objection. */
const DECISION_DAYS = 7;

const TARGET_LABELS = { entry: '积分记录', claim: '审核结果', board: '红黑榜', month: '月度结果' } as const;

function objectionView(o: ObjectionDoc, at: Date) {
  return {
    id: o._id,
    target: o.target,
    targetLabel: TARGET_LABELS[o.target.type],
    targetTitle: o.targetTitle ?? '',
    month: o.month,
    reason: o.reason,
    raisedByName: o.raisedByName,
    createdAt: o.createdAt,
    deadline: o.deadline,
    overdue: o.status === 'open' && new Date(o.deadline).getTime() < at.getTime(),
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
      return { month: entry.month, title: entryTitle(entry) };
    }
    case 'claim': {
      const claim = await getById<ClaimDoc>(COLLECTIONS.claims, id);
      if (
        !claim ||
        claim.villageId !== villageId ||
        (claim.status !== 'approved' && claim.status !== 'rejected')
      )
        break;
      return { month: claim.deedDate.slice(0, 7), title: claimTitle(claim) };
    }
    case 'board': {
      const board = await getById<BoardDoc>(COLLECTIONS.boards, id);
      if (!board || board.villageId !== villageId || board.status !== 'published') break;
      return { month: board.date.slice(0, 7), title: '' };
    }
    case 'month':
      if (/^\d{4}-(0[1-9]|1[0-2])$/.test(id)) return { month: id, title: '' };
      break;
  }
  throw new NotFoundError('找不到要提出异议的记录');
}

/** Reverses an entry inside the transaction, into the month its own month's state allows. */
async function reverseEntry(
  tx: Tx,
  caller: Caller,
  entryId: string,
  reason: string,
  at: Date,
): Promise<string> {
  const original = await txGet<EntryDoc>(tx, COLLECTIONS.entries, entryId);
  if (!original) throw new NotFoundError('找不到原积分记录');
  const family = await txFamily(tx, original.familyId);
  const status = await txMonthStatus(tx, original.villageId, original.month);
  const month = entryMonth(original.month, status, monthOf(at));
  const effect = reversalOf({ ...original, reverses: original.reverses ?? undefined }, month);
  const { entry } = await postEntry(tx, family, {
    memberId: original.memberId,
    memberName: original.memberName,
    rule: original.rule,
    kind: 'reversal',
    points: effect.points,
    month,
    source: { type: 'objection', id: reason },
    reverses: original,
    reason: `冲正：${original.reason}`,
    recordedBy: caller.openid,
    recordedByName: callerName(caller),
    approvedBy: caller.openid,
    approvedByName: callerName(caller),
    onBehalf: false,
    at,
  });
  return entry._id;
}

export const objectionsActions = {
  'objections.raise': action({
    input: objectionRaiseInput,
    handler: async (input, { caller }) => {
      const mine = requireFamily(caller);
      const id = derivedId('o', caller, input.requestId);
      const earlier = await getById<ObjectionDoc>(COLLECTIONS.objections, id);
      if (earlier) return { objection: objectionView(earlier, now()) };
      const { month, title } = await locateTarget(input.target.type, input.target.id, mine.villageId);
      const v = await villageById(mine.villageId);
      const at = now();
      return transaction(async (tx) => {
        const again = await txGet<ObjectionDoc>(tx, COLLECTIONS.objections, id);
        if (again) return { objection: objectionView(again, at) };
        const status = await txMonthStatus(tx, mine.villageId, month);
        if (!objectionsOpen(status, at)) {
          throw new RefusedError('MONTH_CLOSED', `${month}的公示期已结束，不能再提出异议`);
        }
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
          deadline: new Date(at.getTime() + DECISION_DAYS * 86_400_000),
          status: 'open',
          decidedBy: null,
          decidedAt: null,
          decisionReason: null,
          correctionEntryIds: [],
        };
        const { _id, ...data } = objection;
        await tx.collection(COLLECTIONS.objections).doc(_id).set({ data });
        await audit(tx, caller, {
          townId: objection.townId,
          villageId: mine.villageId,
          action: 'objections.raise',
          target: { collection: COLLECTIONS.objections, id },
          summary: `对${TARGET_LABELS[input.target.type]}提出异议：${input.reason}`,
          at,
        });
        return { objection: objectionView(objection, at) };
      });
    },
  }),

  'objections.mine': action({
    input: objectionsMineInput,
    handler: async ({ offset }, { caller }) => {
      const list = await find<ObjectionDoc>(
        COLLECTIONS.objections,
        { raisedBy: caller.openid },
        {
          orderBy: [['createdAt', 'desc']],
          skip: offset,
          limit: 20,
        },
      );
      const at = now();
      return { objections: list.map((o) => objectionView(o, at)) };
    },
  }),

  /** Supervisors' list (cadres and town admins may read it too). */
  'objections.list': action({
    input: objectionsListInput,
    handler: async ({ villageId, status, offset }, { caller }) => {
      requireOversee(caller, villageId);
      const list = await find<ObjectionDoc>(
        COLLECTIONS.objections,
        status ? { villageId, status } : { villageId },
        {
          orderBy: [['deadline', 'asc']],
          skip: offset,
          limit: 30,
        },
      );
      const at = now();
      return { objections: list.map((o) => objectionView(o, at)) };
    },
  }),

  /** One objection with the disputed record and its trail. */
  'objections.get': action({
    input: objectionGetInput,
    handler: async ({ objectionId }, { caller }) => {
      const o = await getById<ObjectionDoc>(COLLECTIONS.objections, objectionId);
      if (!o) throw new NotFoundError('找不到该异议');
      if (o.raisedBy !== caller.openid) requireOversee(caller, o.villageId);
      const [record, trail] = await Promise.all([
        disputedRecord(
          o,
          canOverseeVillage(caller, o.villageId)
            ? 'full'
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
  }),

  'objections.decide': action({
    input: objectionDecideInput,
    handler: async (input, { caller }) => {
      const o = await getById<ObjectionDoc>(COLLECTIONS.objections, input.objectionId);
      if (!o) throw new NotFoundError('找不到该异议');
      requireSupervisor(caller, o.villageId);
      if (o.raisedByFamilyId && o.raisedByFamilyId === caller.profile?.familyId) {
        throw new RefusedError('OWN_FAMILY', '不能处理本家庭提出的异议，请由其他监督员处理');
      }
      // A board withdrawn on appeal may end a suspension: the end is the latest of the family's other black entries.
      let board: BoardDoc | null = null;
      let otherBlackEnds: Date | null = null;
      if (o.target.type === 'board') {
        board = await getById<BoardDoc>(COLLECTIONS.boards, o.target.id);
        if (board?.board === 'black') {
          const others = await find<BoardDoc>(
            COLLECTIONS.boards,
            { familyId: board.familyId, board: 'black', status: 'published' },
            { limit: 1000 },
          );
          for (const other of others) {
            if (other._id === board._id || !other.suspensionEndsAt) continue;
            const end = new Date(other.suspensionEndsAt);
            if (!otherBlackEnds || end > otherBlackEnds) otherBlackEnds = end;
          }
        }
      }
      const at = now();
      const decided = await transaction(async (tx) => {
        const current = await txGet<ObjectionDoc>(tx, COLLECTIONS.objections, o._id);
        if (!current || current.status !== 'open') throw new ConflictError('该异议已处理');
        const corrections: string[] = [];
        if (input.outcome === 'upheld') {
          switch (o.target.type) {
            case 'entry':
              corrections.push(await reverseEntry(tx, caller, o.target.id, o._id, at));
              break;
            case 'claim': {
              const claim = await txGet<ClaimDoc>(tx, COLLECTIONS.claims, o.target.id);
              if (!claim) throw new NotFoundError('找不到原申报');
              if (claim.status === 'approved' && claim.entryId) {
                corrections.push(await reverseEntry(tx, caller, claim.entryId, o._id, at));
              } else if (claim.status === 'rejected') {
                const family = await txFamily(tx, claim.familyId);
                const status = await txMonthStatus(tx, claim.villageId, claim.deedDate.slice(0, 7));
                const { entry } = await postEntry(tx, family, {
                  memberId: claim.memberId,
                  memberName: claim.memberName,
                  rule: claim.rule,
                  kind: claim.rule.points >= 0 ? 'award' : 'deduction',
                  points: claim.rule.points,
                  month: entryMonth(claim.deedDate.slice(0, 7), status, monthOf(at)),
                  source: { type: 'objection', id: o._id },
                  reason: `异议成立补记：${claim.rule.title}`,
                  recordedBy: claim.submittedBy,
                  recordedByName: claim.submittedByName,
                  approvedBy: caller.openid,
                  approvedByName: callerName(caller),
                  onBehalf: claim.onBehalf,
                  at,
                });
                corrections.push(entry._id);
              }
              break;
            }
            case 'board': {
              if (!board || board.status !== 'published') throw new ConflictError('该榜单记录已撤下');
              if (board.entryId) corrections.push(await reverseEntry(tx, caller, board.entryId, o._id, at));
              await tx
                .collection(COLLECTIONS.boards)
                .doc(board._id)
                .update({ data: { status: 'withdrawn' } });
              if (board.board === 'black') {
                const family = await txFamily(tx, board.familyId);
                await setSuspension(
                  tx,
                  family,
                  otherBlackEnds && otherBlackEnds > at ? otherBlackEnds : null,
                  at,
                );
              }
              break;
            }
            case 'month':
              for (const adjustment of input.adjustments) {
                const family = await txFamily(tx, adjustment.familyId);
                if (family.villageId !== o.villageId)
                  throw new ForbiddenError('只能调整本村（社区）家庭的积分');
                const { entry } = await postEntry(tx, family, {
                  memberId: null,
                  memberName: null,
                  rule: null,
                  kind: 'adjustment',
                  points: adjustment.points,
                  month: monthOf(at),
                  source: { type: 'objection', id: o._id },
                  reason: `异议成立调整（${o.month}）：${input.reason}`,
                  recordedBy: caller.openid,
                  recordedByName: callerName(caller),
                  approvedBy: caller.openid,
                  approvedByName: callerName(caller),
                  onBehalf: false,
                  at,
                });
                corrections.push(entry._id);
              }
              break;
          }
        }
        const update = {
          status: input.outcome,
          decidedBy: caller.openid,
          decidedAt: at,
          decisionReason: input.reason,
          correctionEntryIds: corrections,
        };
        await tx.collection(COLLECTIONS.objections).doc(o._id).update({ data: update });
        await audit(tx, caller, {
          townId: o.townId,
          villageId: o.villageId,
          action: 'objections.decide',
          target: { collection: COLLECTIONS.objections, id: o._id },
          summary: `异议${input.outcome === 'upheld' ? '成立' : '不成立'}：${input.reason}${corrections.length ? `（更正${corrections.length}条）` : ''}`,
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
      return { objection: objectionView(decided, at), corrections: decided.correctionEntryIds };
    },
  }),

  /** 公示与锁定: the last months of a village with their state. */
  'months.list': action({
    input: monthsListInput,
    handler: async ({ villageId }, { caller }) => {
      const v = await villageById(villageId);
      if (caller.profile?.villageId !== villageId) requireOversee(caller, villageId);
      const at = now();
      const current = monthOf(at);
      const months = Array.from({ length: 6 }, (_, i) => addMonths(current, -i));
      const docs = await find<MonthDoc>(
        COLLECTIONS.months,
        { villageId, month: _.in(months) },
        { limit: 12 },
      );
      return {
        villageName: v.name,
        noticeDays: v.settings?.noticeDays ?? DEFAULT_VILLAGE_SETTINGS.noticeDays,
        months: months.map((month) => {
          const doc = docs.find((d) => d.month === month);
          const status = doc
            ? { state: doc.state, noticeEndsAt: doc.noticeEndsAt ? new Date(doc.noticeEndsAt) : null }
            : OPEN_MONTH;
          return {
            month,
            state: status.state,
            stateLabel: MONTH_STATE_LABELS[status.state],
            noticeEndsAt: status.noticeEndsAt,
            daysLeft: noticeDaysLeft(status, at),
            objectionsOpen: objectionsOpen(status, at),
            canStartNotice: canStartNotice(month, status, current) === null,
            canLock: canLock(status, at) === null,
          };
        }),
      };
    },
  }),

  'months.startNotice': action({
    input: monthInput,
    handler: async ({ villageId, month }, { caller }) => {
      requireManage(caller, villageId);
      const v = await villageById(villageId);
      const at = now();
      return transaction(async (tx) => {
        const status = await txMonthStatus(tx, villageId, month);
        const refusal = canStartNotice(month, status, monthOf(at));
        if (refusal === 'MONTH_NOT_OVER') throw new RefusedError(refusal, '本月尚未结束，不能开始公示');
        if (refusal) throw new ConflictError(`${month}已${MONTH_STATE_LABELS[status.state]}`);
        const days = v.settings?.noticeDays ?? DEFAULT_VILLAGE_SETTINGS.noticeDays;
        const doc: Omit<MonthDoc, '_id'> = {
          villageId,
          month,
          state: 'notice',
          noticeStartedAt: at,
          noticeEndsAt: new Date(at.getTime() + days * 86_400_000),
          lockedAt: null,
        };
        await tx.collection(COLLECTIONS.months).doc(monthDocId(villageId, month)).set({ data: doc });
        await audit(tx, caller, {
          townId: v.townId,
          villageId,
          action: 'months.startNotice',
          target: { collection: COLLECTIONS.months, id: monthDocId(villageId, month) },
          summary: `${month}积分结果开始公示${days}天`,
          at,
        });
        return { month, state: doc.state, noticeEndsAt: doc.noticeEndsAt };
      });
    },
  }),

  'months.lock': action({
    input: monthInput,
    handler: async ({ villageId, month }, { caller }) => {
      requireManage(caller, villageId);
      const v = await villageById(villageId);
      const at = now();
      return transaction(async (tx) => {
        const id = monthDocId(villageId, month);
        const status = await txMonthStatus(tx, villageId, month);
        const refusal = canLock(status, at);
        if (refusal === 'NOTICE_NOT_OVER')
          throw new RefusedError(refusal, `公示期还有${noticeDaysLeft(status, at)}天，结束后才能锁定`);
        if (refusal)
          throw new ConflictError(`${month}${status.state === 'locked' ? '已锁定' : '尚未公示，不能锁定'}`);
        await tx
          .collection(COLLECTIONS.months)
          .doc(id)
          .update({ data: { state: 'locked', lockedAt: at } });
        await audit(tx, caller, {
          townId: v.townId,
          villageId,
          action: 'months.lock',
          target: { collection: COLLECTIONS.months, id },
          summary: `${month}积分结果锁定`,
          at,
        });
        return { month, state: 'locked' as const };
      });
    },
  }),

  /** The audit trail of a village (or of one record), for supervisors and town admins. */
  'audit.list': action({
    input: auditListInput,
    handler: async ({ villageId, targetId, offset }, { caller }) => {
      if (!isTownAdmin(caller)) requireOversee(caller, villageId);
      const where: Record<string, string> = { villageId };
      if (targetId) where['target.id'] = targetId;
      const trail = await find<AuditDoc>(COLLECTIONS.audit, where, {
        orderBy: [['at', 'desc']],
        skip: offset,
        limit: 50,
      });
      return {
        trail: trail.map((a) => ({
          actorName: a.actorName,
          action: a.action,
          summary: a.summary,
          onBehalfOf: a.onBehalfOf,
          target: a.target,
          at: a.at,
        })),
      };
    },
  }),
};

/** The disputed record; names on a board entry are shown per the village setting unless the reader oversees it. */
async function disputedRecord(o: ObjectionDoc, nameDisplay: NameDisplay) {
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
      return board
        ? {
            type: 'board' as const,
            board: {
              title: board.title,
              personName: board.memberId
                ? displayName(board.personName, nameDisplay)
                : familyDisplayName(board.personName, nameDisplay),
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
