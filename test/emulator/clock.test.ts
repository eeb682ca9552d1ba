// The emulator's clock commands (`npm run clock`, the page's form, POST /clock) and the gateway that moves it.
import { Clock, parseClockCommand } from '../../emulator/clock';
import { TEST_NOW } from '../support/clock';
import { startTestEmulator } from './helpers';

const DAY = 86_400_000;

describe('clock commands', () => {
  it('steps by seconds, minutes, hours, days and weeks, forwards and back', () => {
    expect(parseClockCommand('+8d', TEST_NOW)).toEqual({ kind: 'advance', ms: 8 * DAY });
    expect(parseClockCommand('-2h', TEST_NOW)).toEqual({ kind: 'advance', ms: -2 * 3_600_000 });
    expect(parseClockCommand('+30m', TEST_NOW)).toEqual({ kind: 'advance', ms: 30 * 60_000 });
    expect(parseClockCommand('+1w', TEST_NOW)).toEqual({ kind: 'advance', ms: 7 * DAY });
  });

  it('steps calendar months on the China wall clock, clamped to the month end', () => {
    const jan31 = new Date('2027-01-31T23:30:00+08:00'); // still 31 January 15:30 in UTC
    const step = parseClockCommand('+1mo', jan31);
    expect(step.kind === 'advance' && new Date(jan31.getTime() + step.ms).toISOString()).toBe(
      new Date('2027-02-28T23:30:00+08:00').toISOString(),
    );
    const back = parseClockCommand('-3mo', new Date('2028-05-29T10:00:00+08:00'));
    expect(back.kind === 'advance' && back.ms).toBe(-90 * DAY); // to 2028-02-29, a leap day
  });

  it('reads a day as China-time midnight, an instant without a zone as China time, and reset', () => {
    expect(parseClockCommand('2027-01-05', TEST_NOW)).toEqual({
      kind: 'at',
      at: new Date('2027-01-04T16:00:00.000Z'),
    });
    expect(parseClockCommand('2027-01-05T09:30', TEST_NOW)).toEqual({
      kind: 'at',
      at: new Date('2027-01-05T01:30:00.000Z'),
    });
    expect(parseClockCommand('2027-01-05T09:30:00Z', TEST_NOW)).toEqual({
      kind: 'at',
      at: new Date('2027-01-05T09:30:00.000Z'),
    });
    expect(parseClockCommand('reset', TEST_NOW)).toEqual({ kind: 'reset' });
  });

  it('refuses what it cannot read, saying what it takes', () => {
    expect(() => parseClockCommand('tomorrow', TEST_NOW)).toThrow(/\+8d/);
    expect(() => parseClockCommand('+1.5mo', TEST_NOW)).toThrow(/whole/);
    expect(() => parseClockCommand('2027-13-45', TEST_NOW)).toThrow(RangeError);
  });

  it('keeps running from where it was set, and reports each change', () => {
    const saved: number[] = [];
    const clock = new Clock(0, (offset) => saved.push(offset));
    clock.setAt(TEST_NOW);
    expect(Math.abs(clock.nowMs() - TEST_NOW.getTime())).toBeLessThan(1000);
    clock.advance(DAY);
    expect(clock.nowMs() - TEST_NOW.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(saved).toHaveLength(2);
    expect(clock.reset().offsetMs).toBe(0);
  });
});

describe('the gateway’s clock', () => {
  it('GET /clock tells the time in China; POST moves it; bad commands change nothing', async () => {
    const emu = await startTestEmulator({ clockAt: TEST_NOW });
    try {
      const view = (await (await fetch(`${emu.url}/clock`)).json()) as { china: string };
      expect(view.china).toMatch(/^2026-11-20 10:00/);
      const moved = await fetch(`${emu.url}/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: '+8d' }),
      });
      expect(((await moved.json()) as { china: string }).china).toMatch(/^2026-11-28 10:00/);
      const bad = await fetch(`${emu.url}/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'next week' }),
      });
      expect(bad.status).toBe(400);
      expect(emu.clock.now().toISOString()).toMatch(/^2026-11-28T02:00/);
      // The page's form answers with a redirect back to the page, which shows the moved clock.
      const form = await fetch(`${emu.url}/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'command=2027-01-05',
        redirect: 'manual',
      });
      expect(form.status).toBe(303);
      expect(await (await fetch(`${emu.url}/`)).text()).toContain('2027-01-05 00:00');
    } finally {
      await emu.stop();
    }
  });
});
