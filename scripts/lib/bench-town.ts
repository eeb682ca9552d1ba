/**
 * The town `npm run bench` measures, and the daily actions it measures in it (scripts/bench.ts; the same town,
 * smaller, in test/functions/scale.test.ts). Households come in through the real import action; the period scores
 * that rankings read are written directly as admin (approving 20,000 claims one by one would only measure the
 * seeding), with the shape the ledger writes.
 */
import type { Emulator } from '../../emulator';
import { adminEnv } from '../../emulator';
import { dayOf, monthOf, yearOf } from '../../miniprogram/core/time';
import type { FamiliesImportOutput } from '../../miniprogram/contract/accounts';
import { DEMO_TOWN_ADMIN, registerCsv } from '../demo-town';
import { emulatorCall } from '../seed-demo';
import { importRegister } from '../setup-town';
import { must } from './call';

/** What one call cost. */
export interface Measured {
  result: { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  dbRequests: number;
  sequential: number;
  /** Documents its requests read and tested: the same at every town size where every query uses an index. */
  examined: number;
  ms: number;
}

/** Calls one action as the bench does and what it cost; throws on an error answer. */
export async function invoke(
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
  return {
    result,
    dbRequests: r.dbRequests,
    sequential: r.sequentialDbRequests,
    examined: r.dbExamined,
    ms,
  };
}

/** An action as a bench runs it: the input for run `i` (writes need fresh request ids), and what to do first. */
export interface Spec {
  label: string;
  fn: string;
  action: string;
  openid: string;
  input: (i: number) => unknown | Promise<unknown>;
  /** It changes the town (each run needs its own input): no unmeasured warm-up runs. */
  writes?: true;
}

export interface BenchTown {
  /** The daily actions, in the order they are measured. */
  specs: Spec[];
  /**
   * Imports the register of one more village of `perVillage` households into the seeded town (`r` from 0 to
   * `extraVillages` − 1), chunk by chunk as the page drives it: what each chunk cost.
   */
  importVillage(r: number): Promise<Measured[]>;
  /** Period scores written. */
  scores: number;
}

/**
 * Seeds `villages` villages of `perVillage` families each, and `extraVillages` empty ones for `importVillage`, in
 * the emulator's town; `runs` is how often each action will run (the red-board awards are sized so that all of
 * them stay within a village's monthly bound).
 */
export async function seedBenchTown(
  emu: Emulator,
  {
    villages,
    perVillage,
    extraVillages,
    runs,
  }: {
    villages: number;
    perVillage: number;
    extraVillages: number;
    runs: number;
  },
): Promise<BenchTown> {
  const call = emulatorCall(emu);
  const villageIds = Array.from({ length: villages }, (_, i) => `v${String(i + 1).padStart(3, '0')}`);
  const groups = ['一组', '二组', '三组', '四组'];
  await must(
    call,
    'accounts',
    'town.setup',
    {
      name: '基准测试镇',
      villages: [
        ...villageIds.map((id, i) => ({ id, name: `测试${i + 1}村`, groups })),
        ...Array.from({ length: extraVillages }, (_, r) => ({
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
  return { specs, importVillage, scores: n * 2 };
}
