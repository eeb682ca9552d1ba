/**
 * Time in tests is an input. Every backend a test starts reads `TEST_NOW` unless the test sets another instant;
 * no test reads the machine's clock (lint forbids `new Date()` and `Date.now()`).
 */

/** The default instant: Friday 2026-11-20, 10:00 China time. */
export const TEST_NOW = new Date('2026-11-20T10:00:00+08:00');

/**
 * Instants where date code usually breaks. The suites that involve months, boards, objections, rankings and
 * champions also run at each of them (test/functions/time-travel.test.ts, test/core/time.test.ts).
 */
export const HOSTILE_INSTANTS: { name: string; at: Date }[] = [
  // The last half hour of a China month: UTC is eight hours behind, still early afternoon.
  { name: '月末最后半小时（2026-11-30 23:45 北京时间）', at: new Date('2026-11-30T23:45:00+08:00') },
  // A new China year while UTC is still on 31 December.
  { name: '元旦 00:10（北京时间，UTC 仍是 12 月 31 日）', at: new Date('2027-01-01T00:10:00+08:00') },
  { name: '闰日 2028-02-29', at: new Date('2028-02-29T09:00:00+08:00') },
  { name: '多年以后（2039-06-15）', at: new Date('2039-06-15T10:00:00+08:00') },
];

export const DAY_MS = 86_400_000;

/** `at` moved by `days` (negative: back). */
export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);
