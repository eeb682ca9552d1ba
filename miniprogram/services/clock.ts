/**
 * The mini-program's clock: the only code here that reads the machine's time. Pages and services ask `now()`
 * for "today", "this month" and countdowns.
 *
 * - `setClock(at)` fixes the clock at an instant (tests); `setClock(null)` goes back to the phone's clock.
 * - `syncClock(serverNow)` follows a backend's clock: in local mode the typed client passes the emulator's
 *   `X-Emulator-Now`, so the pages' "today" is the emulated town's day (which `npm run clock` may move).
 *   It keeps the difference to the phone's clock (real or fixed), so time still runs between two answers.
 *
 * It depends only on the pure core's China time, so any module may import it.
 */
import { dayOf, monthOf, type DayKey, type MonthKey } from '../core/time';

/** The instant `setClock` fixed, in ms since the epoch; `null` while the phone's own clock runs. */
let fixedAt: number | null = null;
/** What `syncClock` learnt: the backend's clock minus the phone's (fixed or real), in ms. */
let offsetMs = 0;

function machineMs(): number {
  return fixedAt ?? Date.now();
}

/** Milliseconds since the epoch for a Date, an ISO string or a number; NaN if it is no instant. */
function toMs(at: Date | string | number): number {
  if (at instanceof Date) return at.getTime();
  if (typeof at === 'number') return Number.isFinite(at) ? at : Number.NaN;
  return typeof at === 'string' && at.trim() !== '' ? Date.parse(at) : Number.NaN;
}

/** Now, in milliseconds since the epoch. */
export function nowMs(): number {
  return machineMs() + offsetMs;
}

/** Now, as a Date. */
export function now(): Date {
  return new Date(nowMs());
}

/** Fixes the clock at `at` (a Date, an ISO instant or epoch ms), or returns to the phone's clock with `null`. */
export function setClock(at: Date | string | number | null): void {
  offsetMs = 0;
  if (at === null) {
    fixedAt = null;
    return;
  }
  const ms = toMs(at);
  if (Number.isNaN(ms)) throw new RangeError(`setClock: not an instant: ${String(at)}`);
  fixedAt = ms;
}

/**
 * Follows a backend that told us its time (an ISO instant or epoch ms). Returns false, changing nothing,
 * when `serverNow` is no instant (a missing or garbled header).
 */
export function syncClock(serverNow: string | number): boolean {
  const ms = toMs(serverNow);
  if (Number.isNaN(ms)) return false;
  offsetMs = ms - machineMs();
  return true;
}

/** Today in China, `YYYY-MM-DD`, by this clock unless an instant is given. */
export function chinaToday(at: Date = now()): DayKey {
  return dayOf(at);
}

/** This month in China, `YYYY-MM`, by this clock unless an instant is given. */
export function chinaMonth(at: Date = now()): MonthKey {
  return monthOf(at);
}
