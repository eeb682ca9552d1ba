/**
 * Property: whatever insiders try, in whatever order, the store keeps its integrity. Random sequences of actions
 * by random people (villagers, cadres, the supervisor, the clerk, another village's cadre, the town admin) run
 * against the functions on the emulator; after each step:
 * - no family's points rose except through an entry checked by someone outside that family (or a cancelled
 *   redemption given back at the counter);
 * - stored totals equal the ledger (test/support/invariant);
 * - each entry is corrected at most once, and a correction never is;
 * - no stock is negative, and no cash paid out took a fund below zero;
 * - a request id never returned another request's result.
 * Bounded: PROPERTY_RUNS sequences (30) of PROPERTY_STEPS steps (15) on one town; the counts are printed.
 */
import fc from 'fast-check';
import type { Envelope } from '../../miniprogram/core/envelope';
import { dayOf } from '../../miniprogram/core/time';
import type { BuiltVillage } from '../../scripts/setup-town';
import { ADMIN, data, startTown, type Backend } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import { snapshot } from '../support/snapshot';
import { CENTRAL_SHOP, rid, setUpShops, SHOP_SECRETS, uploadFile } from '../support/town-actions';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Town = Backend & { town: Record<string, BuiltVillage> };

const RUNS = Number(process.env.PROPERTY_RUNS ?? 30);
const STEPS = Number(process.env.PROPERTY_STEPS ?? 15);
const today = dayOf(TEST_NOW);
const PEOPLE = ['o-he', 'o-he-son', 'o-fu', 'o-wan', 'o-luo', 'o-hu', 'o-zhang', 'o-li', ADMIN];
const VILLAGERS = ['o-he', 'o-he-son', 'o-fu', 'o-wan', 'o-luo', 'o-hu', 'o-zhang', 'o-li'];
const BANZHU = ['何雄梅', '傅红', '万有志', '罗亚倩', '胡焱'];
const GOODS = ['central-G001', 'central-G002', 'central-G003'];

const person = fc.constantFrom(...PEOPLE);
const action = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), by: fc.constantFrom(...VILLAGERS), checker: person }),
  fc.record({
    kind: fc.constant('record' as const),
    by: fc.constantFrom('o-fu', 'o-luo', 'o-hu', 'o-zhang'),
    name: fc.constantFrom(...BANZHU),
    checker: person,
  }),
  fc.record({
    kind: fc.constant('red' as const),
    by: person,
    name: fc.constantFrom(...BANZHU),
    points: fc.constantFrom(10, 100, 200, 300, 600),
    checker: person,
  }),
  fc.record({ kind: fc.constant('black' as const), by: person, name: fc.constantFrom(...BANZHU) }),
  fc.record({
    kind: fc.constant('objection' as const),
    by: fc.constantFrom(...VILLAGERS),
    decider: person,
    pick: fc.nat(),
    month: fc.boolean(),
    adjust: fc.constantFrom(...BANZHU),
    amount: fc.constantFrom(10, 500, 1000),
    confirmer: person,
  }),
  fc.record({
    kind: fc.constant('redeem' as const),
    family: fc.constantFrom('o-he', 'o-fu', 'o-wan', 'o-hu'),
    goods: fc.constantFrom(...GOODS),
    quantity: fc.integer({ min: 1, max: 4 }),
    clerk: fc.constantFrom('o-fu', 'o-luo', ADMIN),
    reuse: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('stock' as const),
    by: person,
    goods: fc.constantFrom(...GOODS),
    move: fc.constantFrom('restock', 'loss', 'correction'),
    quantity: fc.integer({ min: -30, max: 30 }).filter((q) => q !== 0),
    reuse: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('expense' as const),
    by: person,
    amount: fc.constantFrom(100, 50_000, 500_000),
  }),
  fc.record({ kind: fc.constant('cancel' as const), by: fc.constantFrom('o-fu', 'o-luo'), pick: fc.nat() }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

describe('property: integrity under random insiders', () => {
  let b: Town;
  let rules: { id: string; code: string }[];
  const photos = new Map<string, string>();
  const families = new Map<string, string | null>(); // openid → family
  const requests = new Map<string, { action: string; input: string; result: unknown }>();
  const orders: string[] = [];
  const lastIds: string[] = [];
  const counts = { sequences: 0, steps: 0, ok: 0, refused: 0 };
  const reasons = new Map<string, number>();
  const member = (name: string) => b.town.banzhu.members[name];

  const upload = (openid: string) => uploadFile(b, openid, `claims/${openid}/p.jpg`);

  beforeAll(async () => {
    b = await startTown({ env: SHOP_SECRETS });
    rules = data(await b.call('points', 'rules.list', {}, 'o-he')).rules;
    await setUpShops(
      b,
      [{ ...CENTRAL_SHOP, owners: [{ villageId: 'banzhu', shareBp: 10000 }] }],
      [{ name: '傅红', shopId: 'central' }],
    );
    data(
      await b.call(
        'shop',
        'fund.donate',
        { requestId: rid(), villageId: 'banzhu', amountFen: 100_000, donor: '爱心企业', note: '' },
        ADMIN,
      ),
    );
    for (const openid of VILLAGERS) photos.set(openid, await upload(openid));
    const users = (await snapshot(b.emu, ['users'])).users;
    for (const u of users) families.set(u._id, u.familyId ?? null);
  }, 120_000);
  afterAll(() => b.stop());

  /** Calls with a request id, remembering what it answered; a reused id must never answer another request. */
  async function withId(
    fn: string,
    name: string,
    input: Record<string, unknown>,
    openid: string,
    reuse: boolean,
  ) {
    const requestId = reuse && lastIds.length ? lastIds[lastIds.length - 1] : rid();
    const full = { ...input, requestId };
    const res = await b.send(fn, name, full, openid);
    const key = `${openid}|${name}|${requestId}`;
    const seen = requests.get(key);
    const shape = JSON.stringify(full);
    if (seen && res.ok) {
      // Only a true retry (same caller, action, input) may be answered, and with the first result.
      expect(seen.input).toBe(shape);
      expect(res.data).toEqual(seen.result);
    }
    if (!seen && res.ok) requests.set(key, { action: name, input: shape, result: res.data });
    lastIds.push(requestId);
    return res;
  }

  async function run(step: Action): Promise<Envelope<unknown>[]> {
    const out: Envelope<unknown>[] = [];
    const p = (name: string, input: unknown, openid: string) => b.send('points', name, input, openid);
    switch (step.kind) {
      case 'claim': {
        const mine = families.get(step.by);
        const memberId = Object.values(b.town.banzhu.members).find((m) => m.familyId === mine)?.id;
        if (!memberId) return out;
        const rule = rules.find((r) => r.code === 'C01') as { id: string };
        const res = await p(
          'claims.submit',
          {
            requestId: rid(),
            memberId,
            ruleId: rule.id,
            deedDate: today,
            text: '参加志愿活动',
            photos: [photos.get(step.by)],
          },
          step.by,
        );
        out.push(res);
        if (res.ok)
          out.push(await p('review.approve', { claimIds: [(res.data as any).claim.id] }, step.checker));
        return out;
      }
      case 'record': {
        const rule = rules.find((r) => r.code === 'C01') as { id: string };
        const res = await p(
          'records.create',
          {
            requestId: rid(),
            villageId: 'banzhu',
            lines: [{ memberId: member(step.name).id, ruleId: rule.id, deedDate: today }],
          },
          step.by,
        );
        out.push(res);
        if (res.ok)
          out.push(await p('review.approve', { claimIds: [(res.data as any).lines[0].id] }, step.checker));
        return out;
      }
      case 'red':
      case 'black': {
        const res = await p(
          'boards.publish',
          {
            requestId: rid(),
            villageId: 'banzhu',
            board: step.kind,
            familyId: member(step.name).familyId,
            title: step.kind === 'red' ? '好人好事' : '乱倒垃圾',
            points: step.kind === 'red' ? step.points : -5,
            date: today,
          },
          step.by,
        );
        out.push(res);
        const board = res.ok ? (res.data as any).board : null;
        if (step.kind === 'red' && board?.status === 'pending')
          out.push(await p('boards.confirm', { boardId: board.id }, step.checker));
        return out;
      }
      case 'objection': {
        const entries = (await snapshot(b.emu, ['entries'])).entries.filter(
          (e: any) => e.villageId === 'banzhu',
        );
        const target = step.month
          ? { type: 'month', id: '2026-11' }
          : entries.length
            ? { type: 'entry', id: entries[step.pick % entries.length]._id }
            : null;
        if (!target) return out;
        const raised = await p('objections.raise', { requestId: rid(), target, reason: '有异议' }, step.by);
        out.push(raised);
        if (!raised.ok) return out;
        const id = (raised.data as any).objection.id;
        const adjustments = step.month
          ? [{ familyId: member(step.adjust).familyId, points: step.amount }]
          : [];
        const decided = await p(
          'objections.decide',
          { objectionId: id, outcome: 'upheld', reason: '核实', adjustments },
          step.decider,
        );
        out.push(decided);
        if (decided.ok && step.month)
          out.push(await p('objections.confirmAdjustments', { objectionId: id }, step.confirmer));
        return out;
      }
      case 'redeem': {
        const qr = await b.call('shop', 'qr.issue', {}, step.family);
        if (!qr.ok) return out;
        const res = await withId(
          'shop',
          'counter.redeem',
          {
            shopId: 'central',
            familyId: families.get(step.family),
            qr: (qr.data as any).token,
            items: [{ goodsId: step.goods, quantity: step.quantity }],
          },
          step.clerk,
          step.reuse,
        );
        if (res.ok) orders.push((res.data as any).order.id);
        out.push(res);
        return out;
      }
      case 'stock':
        out.push(
          await withId(
            'shop',
            'goods.stock',
            {
              shopId: 'central',
              goodsId: step.goods,
              kind: step.move,
              quantity: step.quantity,
              reason: '盘点',
            },
            step.by,
            step.reuse,
          ),
        );
        return out;
      case 'expense':
        out.push(
          await withId(
            'shop',
            'fund.expense',
            { villageId: 'banzhu', amountFen: step.amount, note: '购置奖品' },
            step.by,
            false,
          ),
        );
        return out;
      case 'cancel':
        if (!orders.length) return out;
        out.push(
          await b.call(
            'shop',
            'counter.cancel',
            { orderId: orders[step.pick % orders.length], reason: '顾客退货' },
            step.by,
          ),
        );
        return out;
    }
  }

  async function checkAfter(before: any) {
    const now = await snapshot(b.emu, ['entries', 'goods', 'fundMovements', 'funds', 'users']);
    for (const u of now.users) families.set(u._id, u.familyId ?? null);
    const known = new Set(before.entries.map((e: any) => e._id));
    for (const entry of now.entries.filter((e: any) => !known.has(e._id))) {
      if (entry.availableChange <= 0 && !(entry.points > 0 && entry.kind !== 'reversal')) continue;
      const giveBack = entry.kind === 'reversal' && entry.reverses?.kind === 'redemption';
      if (giveBack) continue;
      expect({ entry: entry._id, checked: !!entry.approvedBy }).toEqual({ entry: entry._id, checked: true });
      expect({ entry: entry._id, checkerFamily: families.get(entry.approvedBy) ?? null }).not.toEqual({
        entry: entry._id,
        checkerFamily: entry.familyId,
      });
    }
    // Each entry is corrected at most once, and a correction never is.
    const reversed = now.entries.filter((e: any) => e.reverses).map((e: any) => e.reverses.id);
    expect(reversed.length).toBe(new Set(reversed).size);
    const byId = new Map(now.entries.map((e: any) => [e._id, e]));
    for (const id of reversed) expect((byId.get(id) as any)?.kind).not.toBe('reversal');
    for (const g of now.goods)
      expect({ goods: g._id, negative: g.stock < 0 }).toEqual({ goods: g._id, negative: false });
    const balance = new Map<string, number>(before.funds.map((f: any) => [f._id, f.balanceFen]));
    const knownMoves = new Set(before.fundMovements.map((m: any) => m._id));
    for (const m of now.fundMovements.filter((x: any) => !knownMoves.has(x._id))) {
      if (['expense', 'champion', 'service'].includes(m.kind))
        expect((balance.get(m.villageId) ?? 0) + m.amountFen).toBeGreaterThanOrEqual(0);
      balance.set(m.villageId, (balance.get(m.villageId) ?? 0) + m.amountFen);
    }
    await assertLedgerInvariant(b.emu);
  }

  it(`holds over ${RUNS} random sequences of ${STEPS} steps`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: STEPS, maxLength: STEPS }), async (steps) => {
        counts.sequences += 1;
        for (const step of steps) {
          const before = await snapshot(b.emu, ['entries', 'goods', 'fundMovements', 'funds']);
          const results = await run(step);
          for (const r of results) {
            if (r.ok) counts.ok += 1;
            else {
              counts.refused += 1;
              expect(r.error.code).not.toBe('INTERNAL');
              const reason = `${r.error.code}${r.error.details?.reason ? `:${String(r.error.details.reason)}` : ''}`;
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
            }
          }
          counts.steps += 1;
          await checkAfter(before);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(
      `integrity property: ${counts.sequences} sequences, ${counts.steps} steps, ${counts.ok} calls answered, ${counts.refused} refused`,
      JSON.stringify(Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1]))),
    );
    expect(counts.steps).toBe(RUNS * STEPS);
  }, 1_500_000);
});
