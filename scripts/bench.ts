/**
 * `npm run bench`: for towns of 400, 4,000 and 20,000 families (`--huge` adds 100,000; `--sizes 400,4000` picks),
 * seeds a fresh local emulator and measures each action a villager, cadre or clerk uses daily: the database
 * requests it made, how many of them ran one after another (`sequential`: requests sent side by side count once,
 * measured with a 10 ms delay per request so that they overlap), the median time over `--runs` runs (default 5),
 * and what that many sequential requests cost in production at 10 and 30 ms each. `--json FILE` writes the rows
 * (`families`, `action`, `requests`, `sequential`, `medianMs`, `productionMs10`, `productionMs30`); `--table FILE`
 * prints the README's table from such a file; `--only TEXT` measures only the actions whose label contains TEXT;
 * `--profile DIR` writes CPU profiles (see `profiled`).
 *
 * Households come in through the real import action (400 per village); the period scores that rankings read are
 * written directly as admin (approving 20,000 claims one by one would only measure the seeding), with the shape
 * the ledger writes. Times are for this machine and vary with its load; request counts do not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from 'node:inspector/promises';
import type { Emulator } from '../emulator';
import { adminEnv, startEmulator } from '../emulator';
import { dayOf, monthOf, yearOf } from '../miniprogram/core/time';
import { buildFunctions } from './build-functions';
import { DEMO_FUNCTION_ENV, DEMO_TOWN_ADMIN, registerCsv } from './demo-town';
import { must } from './lib/call';
import { emulatorCall } from './seed-demo';
import { importRegister } from './setup-town';
import type { FamiliesImportOutput } from '../miniprogram/contract/accounts';

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
}

interface Measured {
  result: { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  dbRequests: number;
  sequential: number;
  ms: number;
}

async function invoke(
  emu: Emulator,
  fn: string,
  action: string,
  input: unknown,
  openid: string,
): Promise<Measured> {
  const started = performance.now();
  const r = await emu.invoke(fn, { action, input }, { openid });
  const ms = performance.now() - started;
  const result = r.result as Measured['result'];
  if (!result.ok) throw new Error(`${fn}/${action}: ${result.error?.code} ${result.error?.message}`);
  return { result, dbRequests: r.dbRequests, sequential: r.sequentialDbRequests, ms };
}

/** An action as a bench runs it: the input for run `i` (writes need fresh request ids), and what to do first. */
interface Spec {
  label: string;
  fn: string;
  action: string;
  openid: string;
  input: (i: number) => unknown | Promise<unknown>;
  /** It changes the town (each run needs its own input): no unmeasured warm-up runs. */
  writes?: true;
}

/** Unmeasured calls of a read before its measured runs: the first calls after seeding also pay for JIT and caches. */
const WARMUP_RUNS = 3;

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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-bench-'));
  const emu = await startEmulator({
    port: 0,
    dataDir,
    functionsDir,
    quiet: true,
    functionEnv: DEMO_FUNCTION_ENV,
  });
  const call = emulatorCall(emu);
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
    });
  };
  try {
    const seedStart = performance.now();
    const villageIds = Array.from({ length: villages }, (_, i) => `v${String(i + 1).padStart(3, '0')}`);
    const groups = ['一组', '二组', '三组', '四组'];
    await must(
      call,
      'accounts',
      'town.setup',
      {
        name: '基准测试镇',
        // Empty villages imported last: `runs` measured imports and one with the delay on, to count requests.
        villages: [
          ...villageIds.map((id, i) => ({ id, name: `测试${i + 1}村`, groups })),
          ...Array.from({ length: runs + 1 }, (_, r) => ({
            id: `vnew${r}`,
            name: `测试新${r + 1}村`,
            groups,
          })),
        ],
      },
      DEMO_TOWN_ADMIN,
    );
    for (const [i, id] of villageIds.entries()) {
      const csv = registerCsv(`测试${i + 1}村`, groups, perVillage, i + 100);
      await importRegister(call, { villageId: id, csv }, DEMO_TOWN_ADMIN);
    }

    // Period scores for every family, as the ledger would have written them.
    adminEnv(emu);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk');
    cloud.init({ env: emu.envId });
    const db = cloud.database();
    const now = emu.clock.now();
    const month = monthOf(now);
    const year = yearOf(now);
    let n = 0;
    for (const villageId of villageIds) {
      const res = await db.collection('families').where({ villageId }).limit(1000).get();
      await Promise.all(
        (res.data as { _id: string; townId: string; headName: string }[]).flatMap((family) => {
          n += 1;
          const earned = ((n * 7919) % 400) * 5;
          return [month, year].map((period) =>
            db
              .collection('scores')
              .doc(`${family._id}_${period}`)
              .set({
                data: {
                  townId: family.townId,
                  villageId,
                  familyId: family._id,
                  period,
                  familyName: family.headName,
                  earned,
                  suspendedUntil: null,
                },
              }),
          );
        }),
      );
    }
    console.log(
      `${families} families (${villages} × ${perVillage}) and ${n * 2} period scores seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    // A villager of the first village, a cadre of it (also the central shop's clerk), a card, a shop.
    const first = (
      await db.collection('members').where({ villageId: villageIds[0], relation: '户主' }).limit(2).get()
    ).data as { _id: string; familyId: string }[];
    const villager = 'o-bench-villager';
    const cadre = 'o-bench-cadre';
    for (const [openid, member] of [
      [villager, first[0]._id],
      [cadre, first[1]._id],
    ]) {
      const invite = await must(call, 'accounts', 'invites.create', { memberId: member }, DEMO_TOWN_ADMIN);
      await must(call, 'accounts', 'invites.redeem', { code: invite.code }, openid);
    }
    await must(
      call,
      'accounts',
      'roles.grant',
      { memberId: first[1]._id, role: 'villageCadre' },
      DEMO_TOWN_ADMIN,
    );
    await must(
      call,
      'shop',
      'shops.setup',
      {
        shops: [
          { id: 'central', name: '基准中心超市', kind: 'central', villageId: villageIds[0], seedGoods: true },
        ],
      },
      DEMO_TOWN_ADMIN,
    );
    await must(
      call,
      'accounts',
      'roles.grant',
      { memberId: first[1]._id, role: 'shopClerk', scopeId: 'central' },
      DEMO_TOWN_ADMIN,
    );
    const familyId = first[0].familyId;
    const rules = await must(call, 'points', 'rules.list', {}, villager);
    const c03 = rules.rules.find((r) => r.code === 'C03')?.id;
    if (!c03) throw new Error('the default catalogue has no C03');
    const bound = await must(
      call,
      'shop',
      'cards.bind',
      { uid: '04A1B2C3D4E5F6', memberId: first[0]._id, writesToken: true },
      villager,
    );
    const card = { uid: bound.card.uid, token: bound.token };
    const claimInput = (tag: string) => ({
      requestId: `bench-claim-${tag}`,
      memberId: first[0]._id,
      ruleId: c03,
      deedDate: dayOf(now),
      text: '建议增设路灯',
    });

    const specs: Spec[] = [
      { label: 'rules.list', fn: 'points', action: 'rules.list', openid: villager, input: () => ({}) },
      { label: 'home.get', fn: 'points', action: 'home.get', openid: villager, input: () => ({}) },
      {
        label: 'ranking.list 村·本月',
        fn: 'points',
        action: 'ranking.list',
        openid: villager,
        input: () => ({ scope: 'village', period: month }),
      },
      {
        label: 'ranking.list 镇·本年',
        fn: 'points',
        action: 'ranking.list',
        openid: villager,
        input: () => ({ scope: 'town', period: year }),
      },
      {
        label: 'claims.submit',
        writes: true,
        fn: 'points',
        action: 'claims.submit',
        openid: villager,
        input: (i) => claimInput(`s${i}`),
      },
      {
        label: 'review.queue',
        fn: 'points',
        action: 'review.queue',
        openid: cadre,
        input: () => ({ villageId: villageIds[0] }),
      },
      {
        label: 'review.approve (1)',
        writes: true,
        fn: 'points',
        action: 'review.approve',
        openid: cadre,
        input: async (i) => {
          const submitted = await must(call, 'points', 'claims.submit', claimInput(`a${i}`), villager);
          return { claimIds: [submitted.claim.id] };
        },
      },
      {
        label: 'review.bulkStart (25条)',
        writes: true,
        fn: 'points',
        action: 'review.bulkStart',
        openid: cadre,
        input: async (i) => {
          const recorded = await must(
            call,
            'points',
            'records.create',
            {
              requestId: `bench-records-${i}`,
              villageId: villageIds[0],
              lines: Array.from({ length: 25 }, () => ({
                memberId: first[0]._id,
                ruleId: c03,
                deedDate: dayOf(now),
              })),
            },
            DEMO_TOWN_ADMIN, // recorded by the town admin, approved by the village's cadre
          );
          return {
            requestId: `bench-bulk-${i}`,
            villageId: villageIds[0],
            claimIds: recorded.lines.map((l) => l.id),
          };
        },
      },
      { label: 'ledger.list', fn: 'points', action: 'ledger.list', openid: villager, input: () => ({}) },
      { label: 'boards.list', fn: 'points', action: 'boards.list', openid: villager, input: () => ({}) },
      { label: 'claims.mine', fn: 'points', action: 'claims.mine', openid: villager, input: () => ({}) },
      {
        label: 'boards.publish (红榜)',
        writes: true,
        fn: 'points',
        action: 'boards.publish',
        openid: cadre,
        input: (i) => ({
          requestId: `bench-red-${i}`,
          villageId: villageIds[0],
          board: 'red',
          familyId,
          title: '好人好事',
          // All runs together within a village's default monthly bound for manual awards (100 分), in half points.
          points: Math.max(5, Math.floor(1000 / (runs + 1) / 5) * 5),
          date: dayOf(now),
        }),
      },
      {
        label: 'counter.identify (刷卡)',
        fn: 'shop',
        action: 'counter.identify',
        openid: cadre,
        input: () => ({ shopId: 'central', card }),
      },
      {
        label: 'counter.redeem (1行)',
        writes: true,
        fn: 'shop',
        action: 'counter.redeem',
        openid: cadre,
        input: (i) => ({
          requestId: `bench-order-${i}`,
          shopId: 'central',
          familyId,
          card,
          items: [{ goodsId: 'central-G001', quantity: 1 }],
        }),
      },
    ];
    const only = argument('only');
    for (const spec of specs.filter((s) => !only || s.label.includes(only))) {
      if (!spec.writes)
        for (let i = 0; i < WARMUP_RUNS; i += 1)
          await invoke(emu, spec.fn, spec.action, await spec.input(i), spec.openid);
      collectGarbage();
      const measured: Measured[] = [];
      await profiled(`${families}-${specs.indexOf(spec)}`, async () => {
        for (let i = 0; i < runs; i += 1)
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
    const importVillage = async (r: number): Promise<Measured[]> => {
      const csv = registerCsv(`测试新${r + 1}村`, groups, perVillage, 9000 + r);
      const chunks: Measured[] = [];
      let progress: FamiliesImportOutput | null = null;
      while (!progress?.finished) {
        const m: Measured = progress
          ? await invoke(emu, 'accounts', 'families.importNext', { jobId: progress.jobId }, DEMO_TOWN_ADMIN)
          : await invoke(emu, 'accounts', 'families.import', { villageId: `vnew${r}`, csv }, DEMO_TOWN_ADMIN);
        chunks.push(m);
        progress = m.result.data as FamiliesImportOutput;
      }
      return chunks;
    };
    const largestOf = (chunks: Measured[]) => chunks.reduce((a, m) => (m.dbRequests > a.dbRequests ? m : a));
    const total = (chunks: Measured[]): Measured => ({
      result: { ok: true },
      dbRequests: chunks.reduce((n, m) => n + m.dbRequests, 0),
      sequential: chunks.reduce((n, m) => n + m.sequential, 0),
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
    await emu.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

function print(rows: BenchRow[]): void {
  console.log(
    pad('action', 26) +
      'requests'.padStart(9) +
      'sequential'.padStart(11) +
      'median ms'.padStart(11) +
      'prod@10ms'.padStart(11) +
      'prod@30ms'.padStart(11),
  );
  for (const r of rows)
    console.log(
      pad(r.action, 26) +
        String(r.requests).padStart(9) +
        String(r.sequential).padStart(11) +
        r.medianMs.toFixed(1).padStart(11) +
        String(r.productionMs10).padStart(11) +
        String(r.productionMs30).padStart(11),
    );
}

/**
 * The README's table from a run's rows: per action at the largest town, requests, sequential, the median at the
 * smallest and the largest town with their ratio, and the production estimate at 10 / 30 ms per request.
 */
export function markdownTable(rows: BenchRow[]): string {
  const counts = [...new Set(rows.map((r) => r.families))].sort((a, b) => a - b);
  const small = counts[0];
  const large = counts[counts.length - 1];
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `| action | requests | sequential | median ms at ${n(small)} | median ms at ${n(large)} | ×  | production at 10 / 30 ms |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows.filter((x) => x.families === large)) {
    const base = rows.find((x) => x.families === small && x.action === r.action);
    const ratio = base && base.medianMs > 0 ? (r.medianMs / base.medianMs).toFixed(2) : '—';
    lines.push(
      `| \`${r.action.trim()}\` | ${n(r.requests)} | ${n(r.sequential)} | ${base ? base.medianMs.toFixed(1) : '—'} | ${r.medianMs.toFixed(1)} | ${ratio} | ${n(r.productionMs10)} / ${n(r.productionMs30)} |`,
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
