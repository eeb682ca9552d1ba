/** The emulator's reading of CloudBase cron expressions (seven fields, China wall clock). */
import { lastFireBetween, parseCron } from '../../emulator/cron';

const china = (wall: string) => new Date(`${wall}+08:00`).getTime();

describe('timer trigger schedules', () => {
  it('finds the latest fire time a clock move passed, in China time', () => {
    const every10 = parseCron('0 */10 * * * * *');
    expect(lastFireBetween(every10, china('2027-01-10T00:01:00'), china('2027-01-10T00:25:00'))).toBe(
      china('2027-01-10T00:20:00'),
    );
    expect(lastFireBetween(every10, china('2027-01-10T00:01:00'), china('2027-01-10T00:09:59'))).toBeNull();
    const daily2am = parseCron('0 0 2 * * * *');
    expect(lastFireBetween(daily2am, china('2026-12-31T03:00:00'), china('2027-01-02T01:00:00'))).toBe(
      china('2027-01-01T02:00:00'),
    );
  });

  it('looks at most a year back after a long move, and refuses malformed expressions', () => {
    const yearly = parseCron('0 0 0 10 1 * *');
    expect(lastFireBetween(yearly, china('2020-01-01T00:00:00'), china('2030-02-01T00:00:00'))).toBe(
      china('2030-01-10T00:00:00'),
    );
    expect(() => parseCron('*/5 * * * *')).toThrow(RangeError);
    expect(() => parseCron('0 61 * * * * *')).toThrow(RangeError);
  });
});
