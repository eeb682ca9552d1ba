/**
 * `npm run bench`: for towns of 400, 4,000 and 20,000 families (`--huge` adds 100,000; `--sizes 400,4000` picks),
 * seeds a fresh local emulator and measures each action a villager, cadre or clerk uses daily: the database
 * requests it made, how many of them ran one after another (`sequential`: requests sent side by side count once,
 * measured with a 10 ms delay per request so that they overlap), the documents those requests read and tested
 * (`examined`: the same at every size where every query uses an index), the median time over `--runs` runs
 * (default 5; reads five times as many) after a full garbage collection (and, for reads, unmeasured warm-up runs),
 * and what that many sequential requests cost in production at 10 and 30 ms each. `--json FILE` writes the rows
 * (`families`, `action`, `requests`, `sequential`, `medianMs`, `productionMs10`, `productionMs30`, `examined`);
 * `--table FILE` prints the README's table from such a file; `--only TEXT` measures only the actions whose label
 * contains TEXT; `--profile DIR` writes CPU profiles (see `profiled`).
 *
 * The town and the actions are scripts/lib/bench-town.ts (400 families a village). Times are for this machine and
 * vary with its load; request and document counts do not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from 'node:inspector/promises';
import { buildFunctions } from './build-functions';
import { invoke, seedBenchTown, type Measured } from './lib/bench-town';
import { startScratchEmulator } from './lib/scratch-emulator';

const PER_VILLAGE = 400;
/** The delay per database request while counting sequential requests. */
const COUNTING_LATENCY_MS = 10;

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function whole(name: string, fallback: number): number {
  const value = Number(argument(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number`);
  return value;
}

function sizes(): number[] {
  const given = argument('sizes');
  const list = given ? given.split(',').map(Number) : [400, 4000, 20000];
  if (process.argv.includes('--huge')) list.push(100_000);
  if (list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--sizes takes whole numbers: 400,4000');
  return list;
}

/** Pads to a display width, counting Chinese characters as two columns. */
function pad(text: string, width: number): string {
  const shown = Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - shown));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export interface BenchRow {
  families: number;
  action: string;
  requests: number;
  sequential: number;
  medianMs: number;
  productionMs10: number;
  productionMs30: number;
  /** Documents the counted call's requests read and tested: the same at every size where every query uses an index. */
  examined: number;
}

/** Unmeasured calls of a read before its measured runs: the first calls after seeding also pay for JIT and caches. */
const WARMUP_RUNS = 10;
/**
 * A read runs this many times `--runs`: it takes 3–5 ms, where this machine's jitter of a millisecond moves a
 * median of a few runs by a third. Writes (each run needs its own input, and some are bounded per month) run
 * `--runs` times.
 */
const READ_RUNS = 5;

/**
 * A full garbage collection of this process (the emulator's store), so that the garbage of the seeding or of the
 * previous action is not collected during the next action's runs: towns of every size are measured alike.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * `--profile DIR`: a CPU profile of this process (the emulator's database and server; the functions run in worker
 * threads) over each action's measured runs, written to `DIR/<families>-<n>.cpuprofile` (open it in Chrome's
 * DevTools). Without the flag, `measure` just runs.
 */
async function profiled<T>(name: string, measure: () => Promise<T>): Promise<T> {
  const dir = argument('profile');
  if (!dir) return measure();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await measure();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Seeds a town of `families` families and measures every daily action in it. */
async function benchTown(functionsDir: string, families: number, runs: number): Promise<BenchRow[]> {
  const perVillage = Math.min(PER_VILLAGE, families);
  const villages = Math.ceil(families / perVillage);
  const backend = await startScratchEmulator(functionsDir, { name: 'bench' });
  const { emu } = backend;
  const rows: BenchRow[] = [];
  const row = (action: string, measured: Measured[], counted: Measured) => {
    rows.push({
      families,
      action,
      requests: counted.dbRequests,
      sequential: counted.sequential,
      medianMs: Math.round(median(measured.map((m) => m.ms)) * 10) / 10,
      productionMs10: counted.sequential * 10,
      productionMs30: counted.sequential * 30,
      examined: counted.examined,
    });
  };
  try {
    const seedStart = performance.now();
    const { specs, importVillage, scores } = await seedBenchTown(emu, {
      villages,
      perVillage,
      // `runs` measured imports and one with the delay on, to count requests.
      extraVillages: runs + 1,
      runs,
    });
    console.log(
      `${families} families (${villages} × ${perVillage}) and ${scores} period scores seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const only = argument('only');
    for (const spec of specs.filter((s) => !only || s.label.includes(only))) {
      if (!spec.writes)
        for (let i = 0; i < WARMUP_RUNS; i += 1)
          await invoke(emu, spec.fn, spec.action, await spec.input(i), spec.openid);
      collectGarbage();
      const measured: Measured[] = [];
      const times = spec.writes ? runs : runs * READ_RUNS;
      await profiled(`${families}-${specs.indexOf(spec)}`, async () => {
        for (let i = 0; i < times; i += 1)
          measured.push(await invoke(emu, spec.fn, spec.action, await spec.input(i), spec.openid));
      });
      // One more run with a delay per request, so that requests sent side by side overlap and count once.
      const input = await spec.input(runs);
      emu.dbLatencyMs = COUNTING_LATENCY_MS;
      const counted = await invoke(emu, spec.fn, spec.action, input, spec.openid);
      emu.dbLatencyMs = 0;
      row(spec.label, measured, counted);
    }
    // Imports of one more village of the same size into the full town, chunk by chunk as the page drives them:
    // `runs` measured, then one with the delay on to count requests. Rows: the whole import and its largest chunk
    // (each chunk is one call that has to fit the function timeout).
    const largestOf = (chunks: Measured[]) => chunks.reduce((a, m) => (m.dbRequests > a.dbRequests ? m : a));
    const total = (chunks: Measured[]): Measured => ({
      result: { ok: true },
      dbRequests: chunks.reduce((n, m) => n + m.dbRequests, 0),
      sequential: chunks.reduce((n, m) => n + m.sequential, 0),
      examined: chunks.reduce((n, m) => n + m.examined, 0),
      ms: chunks.reduce((n, m) => n + m.ms, 0),
    });
    if (!only || 'families.import'.includes(only)) {
      collectGarbage();
      const imports: Measured[][] = [];
      await profiled(`${families}-import`, async () => {
        for (let r = 0; r < runs; r += 1) imports.push(await importVillage(r));
      });
      emu.dbLatencyMs = COUNTING_LATENCY_MS;
      const counted = await importVillage(runs);
      emu.dbLatencyMs = 0;
      row(`families.import (${perVillage}户)`, imports.map(total), total(counted));
      row(`  其中最大的一块 (${counted.length}块)`, imports.map(largestOf), largestOf(counted));
    }
  } finally {
    await backend.stop();
  }
  return rows;
}

function print(rows: BenchRow[]): void {
  console.log(
    pad('action', 26) +
      'requests'.padStart(9) +
      'sequential'.padStart(11) +
      'examined'.padStart(10) +
      'median ms'.padStart(11) +
      'prod@10ms'.padStart(11) +
      'prod@30ms'.padStart(11),
  );
  for (const r of rows)
    console.log(
      pad(r.action, 26) +
        String(r.requests).padStart(9) +
        String(r.sequential).padStart(11) +
        String(r.examined).padStart(10) +
        r.medianMs.toFixed(1).padStart(11) +
        String(r.productionMs10).padStart(11) +
        String(r.productionMs30).padStart(11),
    );
}

/**
 * The README's table from a run's rows: per action at the largest town, requests, sequential, the median at the
 * documents examined and the median at the smallest and the largest town with the medians' ratio, and the production
 * estimate at 10 / 30 ms per request.
 */
export function markdownTable(rows: BenchRow[]): string {
  const counts = [...new Set(rows.map((r) => r.families))].sort((a, b) => a - b);
  const small = counts[0];
  const large = counts[counts.length - 1];
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `| action | requests | sequential | examined at ${n(small)} / ${n(large)} | median ms at ${n(small)} | median ms at ${n(large)} | ×  | production at 10 / 30 ms |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows.filter((x) => x.families === large)) {
    const base = rows.find((x) => x.families === small && x.action === r.action);
    const ratio = base && base.medianMs > 0 ? (r.medianMs / base.medianMs).toFixed(2) : '—';
    lines.push(
      `| \`${r.action.trim()}\` | ${n(r.requests)} | ${n(r.sequential)} | ${base ? n(base.examined ?? 0) : '—'} / ${n(r.examined ?? 0)} | ${base ? base.medianMs.toFixed(1) : '—'} | ${r.medianMs.toFixed(1)} | ${ratio} | ${n(r.productionMs10)} / ${n(r.productionMs30)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const earlier = argument('table');
  if (earlier) {
    // `--table FILE`: the README's table from the rows an earlier `--json FILE` wrote, without running again.
    console.log(markdownTable(JSON.parse(fs.readFileSync(earlier, 'utf8')) as BenchRow[]));
    return;
  }
  const runs = whole('runs', 5);
  const jsonFile = argument('json');
  const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-bench-functions-'));
  await buildFunctions(functionsDir);
  const all: BenchRow[] = [];
  try {
    for (const families of sizes()) {
      const rows = await benchTown(functionsDir, families, runs);
      console.log(`\ntown of ${families} families, median of ${runs} runs:`);
      print(rows);
      console.log('');
      all.push(...rows);
    }
  } finally {
    fs.rmSync(functionsDir, { recursive: true, force: true });
  }
  const counts = [...new Set(all.map((r) => r.families))];
  if (counts.length > 1) {
    const smallest = counts[0];
    const largest = counts[counts.length - 1];
    console.log(`median ms at ${smallest} → ${largest} families:`);
    for (const r of all.filter((x) => x.families === largest)) {
      const base = all.find((x) => x.families === smallest && x.action === r.action);
      if (!base) continue;
      const ratio = base.medianMs > 0 ? (r.medianMs / base.medianMs).toFixed(2) : '—';
      console.log(
        `  ${pad(r.action, 26)}${base.medianMs.toFixed(1).padStart(9)} → ${r.medianMs.toFixed(1).padStart(9)}  (×${ratio})`,
      );
    }
  }
  if (jsonFile) {
    fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
    fs.writeFileSync(jsonFile, `${JSON.stringify(all, null, 2)}\n`);
    console.log(`\nwrote ${all.length} rows to ${jsonFile}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
