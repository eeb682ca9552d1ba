/**
 * The instants mini-program tests run at. No test reads the machine's clock: setup.ts fixes the app's clock
 * (miniprogram/services/clock) at TEST_NOW when a test file starts and fresh-app.ts before every page test;
 * a test that cares about time sets its own instant with `setClock`.
 */

/**
 * 2026-11-20 10:00 China time (02:00 UTC), a Friday: the current month is 2026-11, whose results are not out
 * yet, so 2026-10's are in 公示 (the notice week) as the fixtures describe them.
 */
export const TEST_NOW = '2026-11-20T02:00:00.000Z';

/**
 * Instants at which a page that shows a month or a day could go wrong (phone in any zone, UTC off by one day,
 * month and year ends, a leap day, years ahead). `day`, `month`, `year` and `previousMonth` are what China
 * time says; `monthText` and `previousMonthText` how pages write those months.
 */
export const HOSTILE_INSTANTS = [
  {
    name: '2026-11-30 23:45 China time, the last quarter hour of November (UTC is the same day, 15:45)',
    at: '2026-11-30T15:45:00.000Z',
    day: '2026-11-30',
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
    month: '2027-01',
    monthText: '2027年1月',
    year: '2027',
    previousMonth: '2026-12',
    previousMonthText: '2026年12月',
  },
  {
    name: '2028-02-29 12:00 China time, a leap day',
    at: '2028-02-29T04:00:00.000Z',
    day: '2028-02-29',
    month: '2028-02',
    monthText: '2028年2月',
    year: '2028',
    previousMonth: '2028-01',
    previousMonthText: '2028年1月',
  },
  {
    name: '2028-02-29 00:30 China time, a leap day that is still 28 February in UTC',
    at: '2028-02-28T16:30:00.000Z',
    day: '2028-02-29',
    month: '2028-02',
    monthText: '2028年2月',
    year: '2028',
    previousMonth: '2028-01',
    previousMonthText: '2028年1月',
  },
  {
    name: '2039-06-15 09:00 China time, years ahead',
    at: '2039-06-15T01:00:00.000Z',
    day: '2039-06-15',
    month: '2039-06',
    monthText: '2039年6月',
    year: '2039',
    previousMonth: '2039-05',
    previousMonthText: '2039年5月',
  },
] as const;
