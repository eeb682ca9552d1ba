/**
 * Points arithmetic. Every amount of points in 攒积分 is an integer number of tenths of a point
 * (0.5 分 = 5, 1 分 = 10, -2 分 = -20): never a float, so halves add up exactly.
 */

/** An integer count of tenths of a point. */
export type Tenths = number;

/** Rule scores move in half-point steps. */
export const HALF_POINT: Tenths = 5;

/** The largest single score a rule may carry (±100 分); guards against a typo becoming a fortune. */
export const MAX_RULE_SCORE: Tenths = 1000;

export function isTenths(value: unknown): value is Tenths {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** A rule score: a non-zero whole number of half points within ±MAX_RULE_SCORE. */
export function isRuleScore(value: unknown): value is Tenths {
  return isTenths(value) && value !== 0 && value % HALF_POINT === 0 && Math.abs(value) <= MAX_RULE_SCORE;
}

/** Sum of amounts in tenths; throws on anything that is not an integer (a float slipping in is a bug). */
export function sumTenths(values: readonly Tenths[]): Tenths {
  let total = 0;
  for (const value of values) {
    if (!isTenths(value)) throw new TypeError(`not an amount in tenths: ${String(value)}`);
    total += value;
  }
  return total;
}

/** `15` → `"1.5"`, `-20` → `"-2"`, `0` → `"0"`. Exact: integer division, no float formatting. */
export function formatPoints(value: Tenths): string {
  if (!isTenths(value)) throw new TypeError(`not an amount in tenths: ${String(value)}`);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 10);
  const tenth = abs % 10;
  return tenth === 0 ? `${sign}${whole}` : `${sign}${whole}.${tenth}`;
}

/** Like formatPoints but always signed, for scores and ledger lines: `5` → `"+0.5"`. */
export function formatSignedPoints(value: Tenths): string {
  return value > 0 ? `+${formatPoints(value)}` : formatPoints(value);
}

/**
 * Parses what a person types ("1", "0.5", "-2", "+1.5") into tenths. Returns null for anything that is
 * not a number with at most one decimal digit, so "0.25" or "1e3" never sneak in through rounding.
 */
export function parsePoints(text: string): Tenths | null {
  const match = /^\s*([+-]?)(\d{1,6})(?:\.(\d))?\s*$/.exec(text);
  if (!match) return null;
  const [, sign, whole, tenth] = match;
  const value = Number(whole) * 10 + (tenth ? Number(tenth) : 0);
  return sign === '-' ? -value : value;
}
