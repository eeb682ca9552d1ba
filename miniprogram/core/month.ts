/**
 * The monthly close of a village: open → 公示 (notice, for a set number of days, objections allowed) → locked.
 * Which month a new entry counts for follows from it: a month already in notice or locked takes no new entries,
 * they count for the current month instead (and point back to what they correct).
 */
import type { MonthKey } from './time';

export type MonthState = 'open' | 'notice' | 'locked';

export const MONTH_STATE_LABELS: Record<MonthState, string> = {
  open: '采集中',
  notice: '公示中',
  locked: '已锁定',
};

export interface MonthStatus {
  state: MonthState;
  /** When the notice window ends (set when the notice starts). */
  noticeEndsAt: Date | null;
}

export const OPEN_MONTH: MonthStatus = { state: 'open', noticeEndsAt: null };

/** Default notice window in days (a village setting may change it). */
export const DEFAULT_NOTICE_DAYS = 7;

export type MonthRefusal = 'MONTH_NOT_OVER' | 'NOT_OPEN' | 'NOT_IN_NOTICE' | 'NOTICE_NOT_OVER';

/** Whether a notice may start for `month` now: only once the month is over, and only from open. */
export function canStartNotice(
  month: MonthKey,
  status: MonthStatus,
  currentMonth: MonthKey,
): MonthRefusal | null {
  if (status.state !== 'open') return 'NOT_OPEN';
  if (month >= currentMonth) return 'MONTH_NOT_OVER';
  return null;
}

export function canLock(status: MonthStatus, now: Date): MonthRefusal | null {
  if (status.state !== 'notice' || !status.noticeEndsAt) return 'NOT_IN_NOTICE';
  if (now.getTime() < status.noticeEndsAt.getTime()) return 'NOTICE_NOT_OVER';
  return null;
}

/** Objections are taken while a month is open or inside its notice window; not once it is locked. */
export function objectionsOpen(status: MonthStatus, now: Date): boolean {
  if (status.state === 'open') return true;
  if (status.state === 'notice')
    return !!status.noticeEndsAt && now.getTime() < status.noticeEndsAt.getTime();
  return false;
}

/** Supervisors have this long to decide an objection. */
export const OBJECTION_DECISION_DAYS = 7;

/** By when an objection raised at `raisedAt` is to be decided. */
export function objectionDeadline(raisedAt: Date): Date {
  return new Date(raisedAt.getTime() + OBJECTION_DECISION_DAYS * 86_400_000);
}

/** Whether an objection is still open after its deadline. */
export function objectionOverdue(
  objection: { status: 'open' | 'upheld' | 'dismissed'; deadline: Date | string },
  now: Date,
): boolean {
  return objection.status === 'open' && new Date(objection.deadline).getTime() < now.getTime();
}

/** The month a new entry for a deed in `deedMonth` counts for. */
export function entryMonth(deedMonth: MonthKey, status: MonthStatus, currentMonth: MonthKey): MonthKey {
  if (status.state === 'open' && deedMonth <= currentMonth) return deedMonth;
  return currentMonth;
}

/** Whole days left in a notice window (rounded up), 0 when it is over. */
export function noticeDaysLeft(status: MonthStatus, now: Date): number {
  if (status.state !== 'notice' || !status.noticeEndsAt) return 0;
  const ms = status.noticeEndsAt.getTime() - now.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / 86_400_000);
}
