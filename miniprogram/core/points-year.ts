/**
 * The points year (积分年度), a village setting: spendable points are kept, or expire N years after the year they
 * were earned in (oldest first), or are reset on a date every year (罗峪村: 1月10日). Expiry only ever lowers points
 * available, never what a family earned: rankings, history and champions keep every year's earned points.
 * Pure: the instants are China time; the functions post what `expiringPoints` says as `expiry` entries.
 */
import { formatPoints, type Tenths } from './points';
import { CHINA_OFFSET_MINUTES, dayOf, yearOf, type DayKey, type YearKey } from './time';

export type PointsYearPolicy =
  | { kind: 'keep' }
  /** Points earned in year Y can be spent through year Y + years and expire on 1 January after it (`newerYears`). */
  | { kind: 'expire'; years: number }
  /** `MM-DD`: every year on that day (00:00 China time) all points available expire. */
  | { kind: 'reset'; date: string };

export const KEEP_POINTS: PointsYearPolicy = { kind: 'keep' };

/** Families are told this many days before their points expire. */
export const EXPIRY_NOTICE_DAYS = 30;
const DAY_MS = 86_400_000;

export function isResetDate(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const month = Number(match[1]);
  const day = Number(match[2]);
  // 29 February would skip three years in four: not a reset date.
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

/** The instant (00:00 China time) a policy takes points in `year`; null for `keep`. */
export function expiryInstant(policy: PointsYearPolicy, year: number): Date | null {
  if (policy.kind === 'keep') return null;
  const monthDay = policy.kind === 'reset' ? policy.date : '01-01';
  const [m, d] = monthDay.split('-').map(Number);
  return new Date(Date.UTC(year, m - 1, d) - CHINA_OFFSET_MINUTES * 60_000);
}

/** The latest expiry instant at or before `now` (this year's, or last year's if this year's is ahead). */
export function dueExpiry(policy: PointsYearPolicy, now: Date): Date | null {
  const year = Number(yearOf(now));
  const thisYear = expiryInstant(policy, year);
  if (!thisYear) return null;
  return thisYear.getTime() <= now.getTime() ? thisYear : expiryInstant(policy, year - 1);
}

/** The next expiry instant after `now`. */
export function nextExpiry(policy: PointsYearPolicy, now: Date): Date | null {
  const year = Number(yearOf(now));
  const thisYear = expiryInstant(policy, year);
  if (!thisYear) return null;
  return thisYear.getTime() > now.getTime() ? thisYear : expiryInstant(policy, year + 1);
}

/** Whether `now` is in the notice period before `expiry` (the 30 days before it). */
export const inNoticePeriod = (expiry: Date, now: Date): boolean =>
  now.getTime() < expiry.getTime() && expiry.getTime() - now.getTime() <= EXPIRY_NOTICE_DAYS * DAY_MS;

/**
 * For `expire`: at the instant of year Z, points earned in years up to Z − years − 1 expire (years = 1: what 2026
 * earned can be spent through 2027 and expires on 2028-01-01). The newer years are those from Z − years on.
 */
export function newerYears(policy: PointsYearPolicy, instant: Date, now: Date): YearKey[] {
  if (policy.kind !== 'expire') return [];
  const first = Number(yearOf(instant)) - policy.years;
  const last = Number(yearOf(now));
  const years: YearKey[] = [];
  for (let y = first; y <= last; y += 1) years.push(String(y));
  return years;
}

/**
 * How many points expire: for a reset, everything available; for `expire`, oldest first, so what is left of the
 * expired years is what available exceeds the newer years' earnings (spending takes the oldest points first).
 */
export function expiringPoints(
  policy: PointsYearPolicy,
  available: Tenths,
  newerEarned: readonly Tenths[],
): Tenths {
  if (policy.kind === 'keep' || available <= 0) return 0;
  if (policy.kind === 'reset') return available;
  const newer = newerEarned.reduce((sum, e) => sum + Math.max(e, 0), 0);
  return Math.max(0, available - newer);
}

/** `1月10日`, China time. */
export function monthDayText(at: Date): string {
  const day: DayKey = dayOf(at);
  return `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/** The home page's notice: `您家有 12 分将于 1月10日 到期` (from that day on they are gone). */
export function expiryNoticeText(points: Tenths, at: Date): string {
  return `您家有 ${formatPoints(points)} 分将于 ${monthDayText(at)} 到期`;
}

export function policyText(policy: PointsYearPolicy): string {
  switch (policy.kind) {
    case 'keep':
      return '积分长期有效';
    case 'expire':
      return `积分有效期${policy.years}年：每年1月1日，${policy.years}年前获得的积分按先得先用过期`;
    case 'reset': {
      const [m, d] = policy.date.split('-').map(Number);
      return `每年${m}月${d}日清零可用积分（排名和历年积分保留）`;
    }
  }
}

/** What one run of the points year has to do for a village (null: a village that keeps its points has nothing). */
export interface PointsYearWork {
  /** Last year, to archive once the setting was chosen by then. */
  archiveYear: YearKey | null;
  /** The expiry to post: the latest one passed, if it came after the setting was chosen. */
  expiry: Date | null;
  /** The coming expiry families are told about, inside its notice period. */
  notice: Date | null;
}

/** The work due at `now` for a village whose policy was chosen at `since` (expiries before it never apply). */
export function pointsYearWork(
  policy: PointsYearPolicy,
  since: Date | null,
  now: Date,
): PointsYearWork | null {
  if (policy.kind === 'keep') return null;
  const lastYear = String(Number(yearOf(now)) - 1);
  const due = dueExpiry(policy, now);
  const next = nextExpiry(policy, now);
  return {
    archiveYear: since && yearOf(since) <= lastYear ? lastYear : null,
    expiry: due && since && due.getTime() > since.getTime() ? due : null,
    notice: next && inNoticePeriod(next, now) ? next : null,
  };
}

/**
 * Whether a family is told (again) that `points` expire at `expiresAt`: it has points to lose, and was not already
 * told this figure for this day.
 */
export function noticeDue(
  points: Tenths,
  told: { points: Tenths; at: Date | string } | null | undefined,
  expiresAt: Date,
): boolean {
  if (points <= 0) return false;
  return !told || told.points !== points || dayOf(new Date(told.at)) !== dayOf(expiresAt);
}

/** The reason on an expiry entry: `1月10日积分清零`, or `超过2年有效期的积分过期`. */
export function expiryReason(policy: PointsYearPolicy, expiresAt: Date): string {
  return policy.kind === 'reset'
    ? `${monthDayText(expiresAt)}积分清零`
    : `超过${policy.kind === 'expire' ? policy.years : ''}年有效期的积分过期`;
}
