// CloudBase timer triggers' cron expressions (seven fields: second minute hour day month weekday year, read on
// China's wall clock as CloudBase does), enough for the emulator to tell when a trigger's time has passed.
// Supports numbers, `*`, `a-b`, `a,b`, `*/n` and `a/n`; month and weekday names are not needed by our configs.

const CHINA_MS = 8 * 3_600_000;
const MINUTE_MS = 60_000;
/** A clock moved further than this is only looked at over its last year (every schedule we use fires in a year). */
const LOOK_BACK_MS = 366 * 86_400_000;

const RANGES: [number, number][] = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
  [1970, 2099],
];

export type Cron = Set<number>[];

function parseField(text: string, [min, max]: [number, number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`bad cron step: ${part}`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range.split('-').map(Number);
      if (!Number.isInteger(a)) throw new RangeError(`bad cron field: ${part}`);
      from = a;
      to = b === undefined ? (stepText === undefined ? a : max) : b;
    }
    if (from < min || to > max || from > to) throw new RangeError(`cron field out of range: ${part}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): Cron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 7) throw new RangeError(`a CloudBase cron has 7 fields: "${expression}"`);
  return fields.map((f, i) => parseField(f, RANGES[i]));
}

/** The latest time in (fromMs, toMs] the schedule fires at, or null when it does not fire in between. */
export function lastFireBetween(cron: Cron, fromMs: number, toMs: number): number | null {
  if (toMs <= fromMs) return null;
  const [seconds, minutes, hours, days, months, weekdays, years] = cron;
  const lowest = Math.max(fromMs, toMs - LOOK_BACK_MS);
  const secondList = [...seconds].sort((a, b) => b - a);
  for (
    let minute = Math.floor(toMs / MINUTE_MS) * MINUTE_MS;
    minute + MINUTE_MS > lowest;
    minute -= MINUTE_MS
  ) {
    const wall = new Date(minute + CHINA_MS);
    if (
      !minutes.has(wall.getUTCMinutes()) ||
      !hours.has(wall.getUTCHours()) ||
      !days.has(wall.getUTCDate()) ||
      !months.has(wall.getUTCMonth() + 1) ||
      !weekdays.has(wall.getUTCDay()) ||
      !years.has(wall.getUTCFullYear())
    )
      continue;
    for (const s of secondList) {
      const at = minute + s * 1000;
      if (at <= toMs && at > fromMs) return at;
    }
  }
  return null;
}
