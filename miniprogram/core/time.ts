/**
 * China time (UTC+08:00, no daylight saving) for every period the system reasons about and every date a person
 * reads: the month an entry counts for, the year of a ranking, the end of a suspension, `2026年3月5日`.
 * Instants are stored as UTC `Date`s; periods and labels are computed here and nowhere else, by plain arithmetic
 * on the instant shifted by eight hours, so the machine's own time zone never matters. No dependencies: the
 * functions bundle it and the mini-program's pages import it as it is.
 */

export const CHINA_OFFSET_MINUTES = 480;
const CHINA_OFFSET_MS = CHINA_OFFSET_MINUTES * 60_000;

/** A month in China time, `YYYY-MM`. */
export type MonthKey = string;
/** A year in China time, `YYYY`. */
export type YearKey = string;
/** A calendar day in China time, `YYYY-MM-DD`. */
export type DayKey = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `YYYY-MM-DDTHH:mm:ss.sss` of the instant on a China wall clock (years 0–9999). */
function chinaWallClock(instant: Date | number): string {
  const ms = instant instanceof Date ? instant.getTime() : instant;
  if (!Number.isFinite(ms)) throw new RangeError('not an instant');
  return new Date(ms + CHINA_OFFSET_MS).toISOString();
}

export function monthOf(instant: Date | number): MonthKey {
  return chinaWallClock(instant).slice(0, 7);
}

export function yearOf(instant: Date | number): YearKey {
  return chinaWallClock(instant).slice(0, 4);
}

export function dayOf(instant: Date | number): DayKey {
  return chinaWallClock(instant).slice(0, 10);
}

export function isMonthKey(value: string): boolean {
  return MONTH_RE.test(value);
}

export function isDayKey(value: string): boolean {
  const match = DAY_RE.exec(value);
  if (!match) return false;
  // Reject 2026-02-30 and friends: the day must survive a round trip through the calendar.
  const [y, m, d] = value.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/** The instant a China-time day starts, e.g. `2026-11-26` → 2026-11-25T16:00:00Z. */
export function startOfDay(day: DayKey): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - CHINA_OFFSET_MINUTES * 60_000);
}

/** The instant a China-time month starts. */
export function startOfMonth(month: MonthKey): Date {
  if (!isMonthKey(month)) throw new RangeError(`not a month: ${month}`);
  return startOfDay(`${month}-01`);
}

/** The month `count` months after (or before, if negative) `month`. */
export function addMonths(month: MonthKey, count: number): MonthKey {
  if (!isMonthKey(month)) throw new RangeError(`not a month: ${month}`);
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + count;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The last `count` months ending with `month`, oldest first (for the home page's 12-month chart). */
export function lastMonths(month: MonthKey, count: number): MonthKey[] {
  return Array.from({ length: count }, (_, i) => addMonths(month, i - count + 1));
}

/**
 * The instant a suspension that starts on `instant` ends: the same China-time calendar day `months` later
 * (clamped to the month's last day, so 11-30 + 3 months is 02-28/29), at the start of that day.
 */
export function suspensionEnd(instant: Date | number, months = 3): Date {
  // Calendar arithmetic on the China day's numbers: date libraries step months through the machine's own zone,
  // which moves the result by an hour (and so a day) across a daylight-saving change there.
  const [y, m, d] = dayOf(instant).split('-').map(Number);
  const [year, month] = addMonths(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`, months)
    .split('-')
    .map(Number);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
  return startOfDay(day);
}

// Labels for people: the server sends ISO instants (`createdAt`) and China-time keys (`YYYY-MM`, `YYYY-MM-DD`).

/** The instant of an ISO string or a Date, or null when it is none (a missing or garbled field). */
function instantOf(at: string | Date): Date | null {
  const date = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `2026-03-05` for an ISO instant (or a Date); '' when it is none. */
export function chinaDay(at: string | Date): DayKey {
  const date = instantOf(at);
  return date ? dayOf(date) : '';
}

/** `2026-11-27 14:05` for an ISO instant (or a Date); '' when it is none. */
export function chinaDateTime(at: string | Date): string {
  const date = instantOf(at);
  return date ? chinaWallClock(date).slice(0, 16).replace('T', ' ') : '';
}

/** `2026-03` → `2026年3月`. */
export function monthLabel(month: MonthKey): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/** `2026-03` → `3月`. */
export function shortMonthLabel(month: MonthKey): string {
  return `${Number(month.slice(5, 7))}月`;
}

/** `2026-03-05` → `2026年3月5日`. */
export function dayLabel(day: DayKey): string {
  const [year, month, date] = day.split('-');
  return `${year}年${Number(month)}月${Number(date)}日`;
}

/** `2026-03-05` → `3月5日`: the one date style of list lines and cards; '' for ''. */
export function shortDayLabel(day: DayKey): string {
  return day ? `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` : '';
}

/** `11月27日` for an ISO instant; '' when it is none. */
export function chinaShortDay(at: string | Date): string {
  return shortDayLabel(chinaDay(at));
}
