/**
 * Display dates for pages, in China time (+08:00) whatever the phone's zone: the server sends ISO instants
 * (`createdAt`) and China-time keys (`YYYY-MM`, `YYYY-MM-DD`).
 */
import { now as clockNow } from './clock';

const CHINA_OFFSET_MS = 8 * 3_600_000;

function chinaIso(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
}

/** `2026-03-05` for an ISO instant (or a Date). */
export function chinaDay(at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(date.getTime()) ? '' : chinaIso(date).slice(0, 10);
}

/** Today in China, `YYYY-MM-DD` (by the app's clock unless an instant is given). */
export function chinaToday(now: Date = clockNow()): string {
  return chinaIso(now).slice(0, 10);
}

/** This month in China, `YYYY-MM` (by the app's clock unless an instant is given). */
export function chinaMonth(now: Date = clockNow()): string {
  return chinaIso(now).slice(0, 7);
}

/** `2026-03` → `2026年3月`. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${year}年${Number(m)}月`;
}

/** `2026-03-05` → `3月5日`: the one date style of list lines and cards. */
export function shortDayLabel(day: string): string {
  return day ? `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` : '';
}

/** `2026-03` → `3月`. */
export function shortMonthLabel(month: string): string {
  return `${Number(month.slice(5, 7))}月`;
}

/** `2026-03-05` → `2026年3月5日`. */
export function dayLabel(day: string): string {
  const [year, month, date] = day.split('-');
  return `${year}年${Number(month)}月${Number(date)}日`;
}
