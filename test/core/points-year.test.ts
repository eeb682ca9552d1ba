/**
 * What the points year's timer has to do for a village at an instant (archive, expiry, notice), whom it tells,
 * and the words on an expiry entry. Instants are UTC; the policy's days are China time.
 */
import * as pointsYear from '../../miniprogram/core/points-year';

const at = (iso: string) => new Date(iso);
/** 罗峪村: all points available expire on 10 January (00:00 China time = 9 January 16:00 UTC). */
const reset = { kind: 'reset' as const, date: '01-10' };
const chosen = at('2026-06-01T00:00:00.000Z');

describe('pointsYearWork', () => {
  it('has nothing to do for a village that keeps its points', () => {
    expect(pointsYear.pointsYearWork({ kind: 'keep' }, chosen, at('2027-01-10T00:00:00.000Z'))).toBeNull();
  });

  it('tells families in the 30 days before the reset, and nothing is due yet in the year the setting was chosen', () => {
    expect(pointsYear.pointsYearWork(reset, chosen, at('2026-12-20T00:00:00.000Z'))).toEqual({
      archiveYear: null,
      expiry: null,
      notice: at('2027-01-09T16:00:00.000Z'),
    });
    // 31 days before: not yet; exactly 30 days before: told.
    expect(pointsYear.pointsYearWork(reset, chosen, at('2026-12-09T16:00:00.000Z'))?.notice).toBe(null);
    expect(pointsYear.pointsYearWork(reset, chosen, at('2026-12-10T16:00:00.000Z'))?.notice).toEqual(
      at('2027-01-09T16:00:00.000Z'),
    );
  });

  it('posts the reset from its instant on and archives the year before', () => {
    expect(pointsYear.pointsYearWork(reset, chosen, at('2027-01-09T16:00:00.000Z'))).toEqual({
      archiveYear: '2026',
      expiry: at('2027-01-09T16:00:00.000Z'),
      notice: null,
    });
    expect(pointsYear.pointsYearWork(reset, chosen, at('2027-01-09T15:59:59.999Z'))).toEqual({
      archiveYear: '2026',
      expiry: null,
      notice: at('2027-01-09T16:00:00.000Z'),
    });
  });

  it('never applies an expiry at or before the setting was chosen, nor without one', () => {
    const onTheDay = at('2027-01-09T16:00:00.000Z');
    expect(pointsYear.pointsYearWork(reset, onTheDay, at('2027-01-10T00:00:00.000Z'))).toEqual({
      archiveYear: null,
      expiry: null,
      notice: null,
    });
    expect(pointsYear.pointsYearWork(reset, null, at('2027-01-10T00:00:00.000Z'))).toEqual({
      archiveYear: null,
      expiry: null,
      notice: null,
    });
  });

  it('expires on 1 January China time for a policy of years', () => {
    const twoYears = { kind: 'expire' as const, years: 2 };
    expect(pointsYear.pointsYearWork(twoYears, chosen, at('2026-12-31T16:00:00.000Z'))).toEqual({
      archiveYear: '2026',
      expiry: at('2026-12-31T16:00:00.000Z'),
      notice: null,
    });
  });
});

describe('noticeDue', () => {
  const expiresAt = at('2027-01-09T16:00:00.000Z');

  it('tells a family with points to lose once per figure and day', () => {
    expect(pointsYear.noticeDue(120, null, expiresAt)).toBe(true);
    expect(pointsYear.noticeDue(120, { points: 120, at: expiresAt }, expiresAt)).toBe(false);
    expect(pointsYear.noticeDue(120, { points: 120, at: expiresAt.toISOString() }, expiresAt)).toBe(false);
    expect(pointsYear.noticeDue(125, { points: 120, at: expiresAt }, expiresAt)).toBe(true);
    expect(pointsYear.noticeDue(120, { points: 120, at: at('2026-01-09T16:00:00.000Z') }, expiresAt)).toBe(
      true,
    );
  });

  it('tells nobody without points to lose', () => {
    expect(pointsYear.noticeDue(0, null, expiresAt)).toBe(false);
    expect(pointsYear.noticeDue(-5, { points: 10, at: expiresAt }, expiresAt)).toBe(false);
  });
});

describe('expiryReason', () => {
  it('names the reset day or the years of validity', () => {
    expect(pointsYear.expiryReason(reset, at('2027-01-09T16:00:00.000Z'))).toBe('1月10日积分清零');
    expect(pointsYear.expiryReason({ kind: 'expire', years: 2 }, at('2026-12-31T16:00:00.000Z'))).toBe(
      '超过2年有效期的积分过期',
    );
  });
});
