import * as time from '../../miniprogram/core/time';
import { HOSTILE_INSTANTS } from '../support/clock';

// These tests must hold whatever the machine's time zone is; CI runs them with TZ away from Asia/Shanghai.
describe('China time periods', () => {
  it('puts an instant late on the last UTC day of a month into the next China month', () => {
    const instant = new Date('2026-11-30T16:30:00Z'); // 2026-12-01 00:30 in China
    expect(time.monthOf(instant)).toBe('2026-12');
    expect(time.dayOf(instant)).toBe('2026-12-01');
    expect(time.yearOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027');
    expect(time.monthOf(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });

  it('starts China days and months at 16:00 UTC the day before', () => {
    expect(time.startOfDay('2026-11-26').toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(time.startOfMonth('2026-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(() => time.startOfMonth('2026-13')).toThrow(RangeError);
  });

  it('steps months across year ends', () => {
    expect(time.addMonths('2026-11', 3)).toBe('2027-02');
    expect(time.addMonths('2026-01', -1)).toBe('2025-12');
    expect(time.lastMonths('2026-03', 4)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
  });

  it('validates month and day keys, including impossible dates', () => {
    expect(time.isMonthKey('2026-11')).toBe(true);
    expect(time.isMonthKey('2026-1')).toBe(false);
    expect(time.isDayKey('2028-02-29')).toBe(true);
    expect(time.isDayKey('2026-02-29')).toBe(false);
    expect(time.isDayKey('2026-04-31')).toBe(false);
  });

  it('ends a black-board suspension three China-time months later, clamped to the month end', () => {
    // Entry on 2026-11-30 10:00 China time → suspension ends at the start of 2027-02-28 China time.
    expect(time.suspensionEnd(new Date('2026-11-30T02:00:00Z')).toISOString()).toBe(
      '2027-02-27T16:00:00.000Z',
    );
    // Entry at 00:30 China time on 12-01 (still 11-30 in UTC) → ends at the start of 2027-03-01 China time.
    expect(time.suspensionEnd(new Date('2026-11-30T16:30:00Z')).toISOString()).toBe(
      '2027-02-28T16:00:00.000Z',
    );
  });
});

// The same periods at the suite's hostile instants (test/support/clock.ts), with what a villager expects.
describe('China time for people to read', () => {
  it('labels an instant late in a UTC day with the next China day and its wall-clock time', () => {
    expect(time.chinaDateTime('2026-11-30T16:05:00.000Z')).toBe('2026-12-01 00:05');
    expect(time.chinaDay('2026-11-30T16:05:00.000Z')).toBe('2026-12-01');
    expect(time.chinaShortDay(new Date('2026-11-30T16:05:00.000Z'))).toBe('12月1日');
  });

  it('labels keys without leading zeros', () => {
    expect([time.monthLabel('2026-03'), time.shortMonthLabel('2026-03')]).toEqual(['2026年3月', '3月']);
    expect([time.dayLabel('2026-03-05'), time.shortDayLabel('2026-03-05')]).toEqual([
      '2026年3月5日',
      '3月5日',
    ]);
  });

  it('gives an empty label for a missing or garbled instant', () => {
    expect([
      time.chinaDateTime(''),
      time.chinaDay('not a date'),
      time.chinaShortDay(''),
      time.shortDayLabel(''),
    ]).toEqual(['', '', '', '']);
  });
});

describe.each(HOSTILE_INSTANTS)('at $name', ({ at, day, month, year, lifted }) => {
  const instant = new Date(at);

  it('names the China day, month and year, whatever UTC says', () => {
    expect([time.dayOf(instant), time.monthOf(instant), time.yearOf(instant)]).toEqual([day, month, year]);
    expect(time.startOfDay(day).getTime()).toBeLessThanOrEqual(instant.getTime());
    expect(instant.getTime() - time.startOfDay(day).getTime()).toBeLessThan(86_400_000);
    expect(time.startOfMonth(month).getTime()).toBeLessThanOrEqual(instant.getTime());
    expect(time.startOfMonth(time.addMonths(month, 1)).getTime()).toBeGreaterThan(instant.getTime());
  });

  it('ends a suspension that starts now at the start of the same China day three months on', () => {
    const end = time.suspensionEnd(instant);
    expect(time.dayOf(end)).toBe(lifted);
    expect(end.toISOString()).toBe(time.startOfDay(lifted).toISOString());
  });
});
