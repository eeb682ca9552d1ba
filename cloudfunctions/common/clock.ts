/**
 * The functions' clock: the only server code that reads the machine's time. Every period (the month a deed
 * counts for, a notice window, a suspension, the champions' year) is computed from `now()`.
 *
 * In production CloudBase sets nothing here and `now()` is the machine's time. The local emulator runs the same
 * bundles and moves their clock for a rehearsal (`npm run clock`) or a test: it sets `ZJF_EMULATOR=1` and
 * `ZJF_CLOCK_OFFSET_MS` on every invocation. The offset is honoured only with that marker, and the deploy
 * refuses to ship either variable (scripts/deploy/plan.ts), so a production function cannot be time-travelled.
 */
export const EMULATOR_MARKER = 'ZJF_EMULATOR';
export const CLOCK_OFFSET_VAR = 'ZJF_CLOCK_OFFSET_MS';

/** The clock offset (ms) the emulator set for this invocation; 0 outside the emulator. */
export function clockOffsetMs(env: NodeJS.ProcessEnv = process.env): number {
  if (env[EMULATOR_MARKER] !== '1') return 0;
  const offset = Number(env[CLOCK_OFFSET_VAR] ?? 0);
  return Number.isFinite(offset) ? offset : 0;
}

export function now(): Date {
  return new Date(Date.now() + clockOffsetMs());
}

/** Milliseconds since the epoch on the functions' clock (for ids and file names that sort by time). */
export function nowMs(): number {
  return now().getTime();
}
