/**
 * China time (UTC+08:00, no daylight saving) for every period the system reasons about: the month an entry
 * counts for, the year of a ranking, the end of a suspension. Instants are stored as UTC `Date`s; periods are
 * computed here and nowhere else, so the machine's own time zone never matters.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

export const CHINA_OFFSET_MINUTES = 480;

/** A month in China time, `YYYY-MM`. */
export type MonthKey = string;
/** A year in China time, `YYYY`. */
export type YearKey = string;
/** A calendar day in China time, `YYYY-MM-DD`. */
export type DayKey = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function china(instant: Date | number): dayjs.Dayjs {
  return dayjs.utc(instant).utcOffset(CHINA_OFFSET_MINUTES);
}

export function monthOf(instant: Date | number): MonthKey {
  return china(instant).format('YYYY-MM');
}

export function yearOf(instant: Date | number): YearKey {
  return china(instant).format('YYYY');
}

export function dayOf(instant: Date | number): DayKey {
  return china(instant).format('YYYY-MM-DD');
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
