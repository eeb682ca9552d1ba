/**
 * The monthly close (公示与锁定): a village's months with their state, the notice that opens objections, and the
 * lock once the notice is over and every objection is decided.
 */
import {
  canLock,
  canStartNotice,
  MONTH_STATE_LABELS,
  noticeDaysLeft,
  objectionsOpen,
  OPEN_MONTH,
} from '../../miniprogram/core/month';
import { addMonths, monthOf } from '../../miniprogram/core/time';
import { requireManage, requireOversee } from '../common/access';
import type { MonthStatus } from '../../miniprogram/core/month';
import type { Caller } from '../common/caller';
import { _, find, now, transaction, type Tx } from '../common/data';
import { ConflictError, RefusedError } from '../common/errors';
import { COLLECTIONS, DEFAULT_VILLAGE_SETTINGS, type MonthDoc, type VillageDoc } from '../common/model';
import { villageById } from '../common/places';
import { monthDocId, txMonthStatus } from './claims';
import { definePointsActions, monthInput, monthsListInput } from './schemas';
import { setWithTrail, updateWithTrail, villagePlace } from '../common/writes';

/** A step of a village's month (公示, 锁定) by its cadres: the month's state read in the step's transaction. */
async function monthStep<T>(
  caller: Caller,
  villageId: string,
  month: string,
  step: (tx: Tx, village: VillageDoc, status: MonthStatus, at: Date) => Promise<T>,
): Promise<T> {
  requireManage(caller, villageId);
  const v = await villageById(villageId);
  const at = now();
  return transaction(async (tx) => step(tx, v, await txMonthStatus(tx, villageId, month), at));
}

export const monthsActions = definePointsActions({
  /** 公示与锁定: the last months of a village with their state. */
  'months.list': {
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
  },

  'months.startNotice': {
    input: monthInput,
    handler: async ({ villageId, month }, { caller }) =>
      monthStep(caller, villageId, month, async (tx, v, status, at) => {
        const refusal = canStartNotice(month, status, monthOf(at));
        if (refusal === 'MONTH_NOT_OVER') throw new RefusedError(refusal, '本月尚未结束，不能开始公示');
        if (refusal) throw new ConflictError(`${month}已${MONTH_STATE_LABELS[status.state]}`);
        const days = v.settings?.noticeDays ?? DEFAULT_VILLAGE_SETTINGS.noticeDays;
        const noticeEndsAt = new Date(at.getTime() + days * 86_400_000);
        const doc: MonthDoc = {
          _id: monthDocId(villageId, month),
          villageId,
          month,
          state: 'notice',
          noticeStartedAt: at,
          noticeEndsAt,
          lockedAt: null,
        };
        await setWithTrail(tx, caller, COLLECTIONS.months, doc, villagePlace(v), {
          action: 'months.startNotice',
          summary: `${month}积分结果开始公示${days}天`,
          at,
        });
        return { month, state: 'notice', noticeEndsAt };
      }),
  },

  'months.lock': {
    input: monthInput,
    handler: async ({ villageId, month }, { caller }) =>
      monthStep(caller, villageId, month, async (tx, v, status, at) => {
        const id = monthDocId(villageId, month);
        const refusal = canLock(status, at);
        if (refusal === 'NOTICE_NOT_OVER')
          throw new RefusedError(refusal, `公示期还有${noticeDaysLeft(status, at)}天，结束后才能锁定`);
        if (refusal)
          throw new ConflictError(`${month}${status.state === 'locked' ? '已锁定' : '尚未公示，不能锁定'}`);
        const locked = { state: 'locked', lockedAt: at };
        await updateWithTrail(tx, caller, COLLECTIONS.months, id, locked, villagePlace(v), {
          action: 'months.lock',
          summary: `${month}积分结果锁定`,
          at,
        });
        return { month, state: 'locked' as const };
      }),
  },
});
