/**
 * Organised activities (志愿服务, 院坝会, 环境整治, trainings) and their QR check-in: the check-in window, the
 * text of a check-in code, and why a check-in is refused. The code's signature is made and checked by the points
 * function (it needs a secret); everything else is here, shared by the function and the pages. Pure.
 */
import { CHINA_OFFSET_MINUTES, isDayKey, startOfDay, type DayKey } from './time';

export type ActivityStatus = 'open' | 'submitted' | 'confirmed' | 'cancelled';

export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  open: '报名签到中',
  submitted: '待确认',
  confirmed: '已计分',
  cancelled: '已取消',
};

/** Check-in opens this long before the start and closes at the end. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** A check-in code is good for its slot and the one after (a code on screen refreshes every slot). */
export const CODE_SLOT_MS = 30_000;
/** The prefix of every check-in code, so the scanner tells it from the shop's and other QR codes. */
export const CHECK_IN_CODE_PREFIX = 'ZJF-CI';

export interface ActivityWindow {
  startAt: Date;
  endAt: Date;
}

/** When members may check in: from 30 minutes before the start to the end. */
export function checkInWindow(activity: ActivityWindow): { from: Date; until: Date } {
  return { from: new Date(activity.startAt.getTime() - CHECK_IN_OPENS_BEFORE_MS), until: activity.endAt };
}

export function withinCheckIn(activity: ActivityWindow, at: Date): boolean {
  const { from, until } = checkInWindow(activity);
  return at.getTime() >= from.getTime() && at.getTime() <= until.getTime();
}

export const codeSlot = (atMs: number): number => Math.floor(atMs / CODE_SLOT_MS);

/** The text a check-in QR code carries: prefix, activity, slot and signature. */
export function checkInCodeText(activityId: string, slot: number, signature: string): string {
  return `${CHECK_IN_CODE_PREFIX}:${activityId}:${slot}:${signature}`;
}

export function parseCheckInCode(
  text: string,
): { activityId: string; slot: number; signature: string } | null {
  const match = /^ZJF-CI:([A-Za-z0-9_-]{1,64}):(\d{1,12}):([a-f0-9]{16,64})$/.exec(text.trim());
  if (!match) return null;
  return { activityId: match[1], slot: Number(match[2]), signature: match[3] };
}

/** A code is current in its own slot and the next one (the phone refreshes it before that ends). */
export const slotIsCurrent = (slot: number, atMs: number): boolean => {
  const now = codeSlot(atMs);
  return slot === now || slot === now - 1;
};

export type CheckInRefusalCode = 'DUPLICATE' | 'OUTSIDE_WINDOW' | 'OTHER_VILLAGE' | 'FULL' | 'CLOSED';

const pad = (n: number) => String(n).padStart(2, '0');

/** `11月20日 09:00` in China time. */
export function chinaDayTime(at: Date): string {
  const wall = new Date(at.getTime() + CHINA_OFFSET_MINUTES * 60_000);
  return `${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日 ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/** `09:00` in China time. */
export const chinaClockTime = (at: Date): string => chinaDayTime(at).slice(-5);

/** `11月20日 09:00–11:30`, or both days in full when it runs over midnight. */
export function activityTimeText(activity: ActivityWindow): string {
  const start = chinaDayTime(activity.startAt);
  const end = chinaDayTime(activity.endAt);
  return start.split(' ')[0] === end.split(' ')[0] ? `${start}–${end.split(' ')[1]}` : `${start}–${end}`;
}

export interface CheckInSubject {
  activity: ActivityWindow & {
    villageId: string;
    villageName: string;
    status: ActivityStatus;
    capacity: number;
    checkedIn: number;
  };
  member: { villageId: string; name: string };
  /** Whether this member already checked in to this activity. */
  already: boolean;
  at: Date;
}

/** Why a member may not check in now, in words for the villager; null when they may. */
export function checkInRefusal(s: CheckInSubject): { code: CheckInRefusalCode; message: string } | null {
  const { activity, member } = s;
  if (member.villageId !== activity.villageId)
    return {
      code: 'OTHER_VILLAGE',
      message: `这是${activity.villageName}的活动，只有${activity.villageName}的村民可以签到`,
    };
  if (activity.status !== 'open') return { code: 'CLOSED', message: '活动签到已结束，名单已提交' };
  if (s.already) return { code: 'DUPLICATE', message: `${member.name}已经签到过了，不能重复签到` };
  if (!withinCheckIn(activity, s.at)) {
    const { from } = checkInWindow(activity);
    return {
      code: 'OUTSIDE_WINDOW',
      message: `现在不在签到时间内（${chinaDayTime(from)}起至${chinaDayTime(activity.endAt)}）`,
    };
  }
  if (activity.capacity > 0 && activity.checkedIn >= activity.capacity)
    return { code: 'FULL', message: `活动人数已满（${activity.capacity}人），不能再签到` };
  return null;
}

/** What the organiser fills in to create an activity, as the form holds it (China-time day and times). */
export interface ActivityDraft {
  title: string;
  ruleId: string;
  place: string;
  day: DayKey;
  /** `HH:mm`, China time. */
  startTime: string;
  endTime: string;
  /** Digits, or empty for no limit. */
  capacity: string;
}

export type ActivityDraftCheck =
  | {
      ok: true;
      value: { title: string; ruleId: string; place: string; startAt: Date; endAt: Date; capacity: number };
    }
  | { ok: false; field: keyof ActivityDraft; message: string };

/** The longest activity the functions accept. */
export const ACTIVITY_MAX_HOURS = 24;

const minutesOf = (time: string): number | null => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
};

/** Checks the create form the way the functions will, with the message for the field that is wrong. */
export function checkActivityDraft(draft: ActivityDraft, nowMs: number): ActivityDraftCheck {
  const refuse = (field: keyof ActivityDraft, message: string): ActivityDraftCheck => ({
    ok: false,
    field,
    message,
  });
  const title = draft.title.trim();
  const place = draft.place.trim();
  if (title.length < 2) return refuse('title', '请填写活动名称（至少2个字）');
  if (title.length > 40) return refuse('title', '活动名称最多40个字');
  if (!draft.ruleId) return refuse('ruleId', '请选择积分细则');
  if (!place) return refuse('place', '请填写活动地点');
  if (place.length > 40) return refuse('place', '活动地点最多40个字');
  const start = minutesOf(draft.startTime);
  const end = minutesOf(draft.endTime);
  if (!isDayKey(draft.day)) return refuse('day', '请选择活动日期');
  if (start === null) return refuse('startTime', '请选择开始时间');
  if (end === null) return refuse('endTime', '请选择结束时间');
  const dayStart = startOfDay(draft.day).getTime();
  const startAt = new Date(dayStart + start * 60_000);
  const endAt = new Date(dayStart + end * 60_000);
  const times = activityTimesRefusal(startAt, endAt, nowMs);
  if (times) return refuse('endTime', times.message);
  const capacityText = draft.capacity.trim();
  if (capacityText !== '' && !/^\d{1,4}$/.test(capacityText))
    return refuse('capacity', '人数上限请填0到1000的整数（不填或0为不限）');
  const capacity = capacityText === '' ? 0 : Number(capacityText);
  if (capacity > 1000) return refuse('capacity', '人数上限请填0到1000的整数（不填或0为不限）');
  return { ok: true, value: { title, ruleId: draft.ruleId, place, startAt, endAt, capacity } };
}

/** Why an activity running from `startAt` to `endAt` can't be created at `nowMs` (every time check is on `endAt`). */
export function activityTimesRefusal(
  startAt: Date,
  endAt: Date,
  nowMs: number,
): { field: 'endAt'; message: string } | null {
  const refuse = (message: string) => ({ field: 'endAt' as const, message });
  if (endAt.getTime() <= startAt.getTime()) return refuse('结束时间要晚于开始时间');
  if (endAt.getTime() - startAt.getTime() > ACTIVITY_MAX_HOURS * 3_600_000)
    return refuse(`一次活动最长${ACTIVITY_MAX_HOURS}小时`);
  if (endAt.getTime() <= nowMs) return refuse('活动已经结束，不能再发起签到');
  return null;
}

export interface SignUpSubject {
  activity: Pick<
    CheckInSubject['activity'],
    'villageId' | 'villageName' | 'status' | 'endAt' | 'capacity'
  > & {
    signedUp: number;
  };
  /** The village of the member signing up. */
  villageId: string;
  /** Whether this member already signed up (a retry: nothing more to check or write). */
  already: boolean;
  at: Date;
}

/** Why a member may not sign up for an activity now, in words for the villager; null when they may (or already did). */
export function signUpRefusal(
  s: SignUpSubject,
): { code: 'OTHER_VILLAGE' | 'CLOSED' | 'FULL'; message: string } | null {
  const { activity } = s;
  if (activity.villageId !== s.villageId)
    return { code: 'OTHER_VILLAGE', message: `这是${activity.villageName}的活动，只有本村村民可以报名` };
  if (activity.status !== 'open' || activity.endAt.getTime() <= s.at.getTime())
    return { code: 'CLOSED', message: '活动已经结束，不能再报名' };
  if (s.already) return null;
  if (activity.capacity > 0 && activity.signedUp >= activity.capacity)
    return { code: 'FULL', message: `报名人数已满（${activity.capacity}人）` };
  return null;
}

/**
 * Why the organiser may not hand in the check-in list now: already handed in (`ALREADY_SUBMITTED`, a conflict for
 * the functions), before the start, or nobody checked in.
 */
export function submitRefusal(
  activity: { status: ActivityStatus; startAt: Date; checkedIn: number },
  at: Date,
): { code: 'ALREADY_SUBMITTED' | 'NOT_STARTED' | 'EMPTY'; message: string } | null {
  if (activity.status !== 'open') return { code: 'ALREADY_SUBMITTED', message: '签到名单已经提交过了' };
  if (activity.startAt.getTime() > at.getTime())
    return { code: 'NOT_STARTED', message: '活动还没有开始，不能提交签到名单' };
  if (activity.checkedIn === 0) return { code: 'EMPTY', message: '还没有人签到，不能提交签到名单' };
  return null;
}

/** Why a list in this status can't be confirmed: not handed in yet, or the activity was cancelled. */
export function confirmRefusal(
  status: ActivityStatus,
): { code: 'NOT_SUBMITTED' | 'CLOSED'; message: string } | null {
  if (status === 'open') return { code: 'NOT_SUBMITTED', message: '组织者还没有提交签到名单' };
  if (status === 'cancelled') return { code: 'CLOSED', message: '活动已取消' };
  return null;
}
