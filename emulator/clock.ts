// The emulator's clock: the only emulator code that reads the machine's time. What the emulator calls "now"
// (db.serverDate(), upload times, document ids, and the time every function invocation sees) is the machine's
// time plus an offset. The offset is kept in the store, so a rehearsal's moved clock survives a restart and every
// function sees the same time. Durations and timeouts use performance.now() and are never moved.

export const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;

export interface ClockState {
  /** The emulated instant, ISO. */
  now: string;
  /** How far the emulated clock is ahead of the machine's (negative: behind), in ms. */
  offsetMs: number;
}

export class Clock {
  constructor(
    private offset = 0,
    private readonly onChange: (offsetMs: number) => void = () => {},
  ) {}

  nowMs(): number {
    return Date.now() + this.offset;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock so that it reads `at` now (and runs on from there). */
  setAt(at: Date | number): ClockState {
    const target = typeof at === 'number' ? at : at.getTime();
    if (!Number.isFinite(target)) throw new RangeError('not an instant');
    return this.setOffset(target - Date.now());
  }

  /** Moves the clock by `ms` (negative: back). */
  advance(ms: number): ClockState {
    if (!Number.isFinite(ms)) throw new RangeError('not a duration');
    return this.setOffset(this.offset + ms);
  }

  /** Back to the machine's time. */
  reset(): ClockState {
    return this.setOffset(0);
  }

  state(): ClockState {
    return { now: this.now().toISOString(), offsetMs: this.offset };
  }

  private setOffset(offsetMs: number): ClockState {
    this.offset = Math.round(offsetMs);
    this.onChange(this.offset);
    return this.state();
  }
}

/**
 * Parses a clock command: `+8d`, `-2h`, `+30m`, `+3mo` (calendar months), `--at`-style instants
 * (`2027-01-05`, read as China-time midnight, or a full ISO instant), or `reset`.
 * Returns what to do, or throws a RangeError with a message for people.
 */
export type ClockCommand = { kind: 'advance'; ms: number } | { kind: 'at'; at: Date } | { kind: 'reset' };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

export function parseClockCommand(text: string, current: Date): ClockCommand {
  const value = text.trim();
  if (value === 'reset' || value === 'now') return { kind: 'reset' };
  const step = /^([+-])(\d+(?:\.\d+)?)(mo|[smhdw])$/.exec(value);
  if (step) {
    const sign = step[1] === '-' ? -1 : 1;
    const amount = Number(step[2]);
    if (step[3] === 'mo') {
      if (!Number.isInteger(amount)) throw new RangeError(`months must be whole: ${value}`);
      // Calendar months on China's wall clock, clamped to the month's last day (01-31 + 1mo = 02-28/29).
      const wall = new Date(current.getTime() + CHINA_MS);
      const y = wall.getUTCFullYear();
      const m = wall.getUTCMonth() + sign * amount;
      const day = Math.min(wall.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
      const moved = Date.UTC(y, m, day) + (wall.getTime() % DAY_MS) - CHINA_MS;
      return { kind: 'advance', ms: moved - current.getTime() };
    }
    return { kind: 'advance', ms: sign * amount * UNIT_MS[step[3]] };
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const at = new Date(`${value}T00:00:00+08:00`);
    if (Number.isNaN(at.getTime())) throw new RangeError(`not a date: ${value}`);
    return { kind: 'at', at };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
    const at = new Date(hasZone ? value : `${value}+08:00`);
    if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: ${value}`);
    return { kind: 'at', at };
  }
  throw new RangeError(
    `unknown clock command "${value}": use +8d, -2h, +1mo, 2027-01-05, 2027-01-05T09:30 (China time) or reset`,
  );
}
