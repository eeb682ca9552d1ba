/**
 * Time in tests is an input. Every backend a test starts reads `TEST_NOW` unless the test sets another instant, and
 * the mini-program tests fix the app's clock there too; no test reads the machine's clock (lint forbids `new Date()`
 * and `Date.now()`).
 */

/**
 * 2026-11-20 10:00 China time (02:00 UTC), a Friday: the current month is 2026-11, whose results are not out
 * yet, so 2026-10's are in 公示 (the notice week) as the page fixtures describe them.
 */
export const TEST_NOW = new Date('2026-11-20T02:00:00.000Z');

/** What China time says of any instant on 2028-02-29, the leap day two of the hostile instants fall on. */
const LEAP_DAY_2028 = {
  day: '2028-02-29',
  lifted: '2028-05-29',
  month: '2028-02',
  monthText: '2028年2月',
  year: '2028',
  previousMonth: '2028-01',
  previousMonthText: '2028年1月',
} as const;

/**
 * Instants at which code that reasons about a month, a day or a year could go wrong (UTC off by one day, month
 * and year ends, a leap day, years ahead). The core's periods, the functions (months, notice, boards, rankings,
 * champions) and the pages that show months all run at each. `day`, `month`, `year` and `previousMonth` are what
 * China time says; `monthText` and `previousMonthText` how pages write those months; `lifted` the China day a
 * black-board suspension that starts at `at` ends.
 */
export const HOSTILE_INSTANTS = [
  {
    name: '2026-11-30 23:45 China time, the last quarter hour of November (UTC is the same day, 15:45)',
    at: '2026-11-30T15:45:00.000Z',
    day: '2026-11-30',
    lifted: '2027-02-28',
    month: '2026-11',
    monthText: '2026年11月',
    year: '2026',
    previousMonth: '2026-10',
    previousMonthText: '2026年10月',
  },
  {
    name: '2026-12-01 00:10 China time, UTC still on 30 November (16:10)',
    at: '2026-11-30T16:10:00.000Z',
    day: '2026-12-01',
    lifted: '2027-03-01',
    month: '2026-12',
    monthText: '2026年12月',
    year: '2026',
    previousMonth: '2026-11',
    previousMonthText: '2026年11月',
  },
  {
    name: '2026-12-31 23:40 China time, the last half hour of the year',
    at: '2026-12-31T15:40:00.000Z',
    day: '2026-12-31',
    lifted: '2027-03-31',
    month: '2026-12',
    monthText: '2026年12月',
    year: '2026',
    previousMonth: '2026-11',
    previousMonthText: '2026年11月',
  },
  {
    name: '2027-01-01 00:10 China time, UTC still in 2026 (31 December 16:10)',
    at: '2026-12-31T16:10:00.000Z',
    day: '2027-01-01',
    lifted: '2027-04-01',
    month: '2027-01',
    monthText: '2027年1月',
    year: '2027',
    previousMonth: '2026-12',
    previousMonthText: '2026年12月',
  },
  {
    name: '2028-02-29 12:00 China time, a leap day',
    at: '2028-02-29T04:00:00.000Z',
    ...LEAP_DAY_2028,
  },
  {
    name: '2028-02-29 00:30 China time, a leap day that is still 28 February in UTC',
    at: '2028-02-28T16:30:00.000Z',
    ...LEAP_DAY_2028,
  },
  {
    name: '2039-06-15 09:00 China time, years ahead',
    at: '2039-06-15T01:00:00.000Z',
    day: '2039-06-15',
    lifted: '2039-09-15',
    month: '2039-06',
    monthText: '2039年6月',
    year: '2039',
    previousMonth: '2039-05',
    previousMonthText: '2039年5月',
  },
] as const;

export const DAY_MS = 86_400_000;

/** `at` moved by `days` (negative: back). */
export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);
