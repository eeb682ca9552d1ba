/**
 * Races under CloudBase's snapshot isolation (the emulator's default): a decision made from a document that the
 * transaction only reads is not protected by the transaction, because another transaction may change that
 * document and both commit. Each test fires many calls at once and checks the fact that must hold.
 */
import type { CounterRedeemInput } from '../../miniprogram/contract/shop';
import type { Envelope } from '../../miniprogram/core/envelope';
import { ADMIN, atOnce, data, townForDescribe, type Backend, type Town } from '../support/backend';
import { assertLedgerInvariant } from '../support/invariant';
import {
  publishBoard,
  requestWish,
  rid,
  setUpShops,
  SHOP_SECRETS,
  submitSuggestions,
} from '../support/town-actions';

/** Calls again while the answer is CONFLICT/BUSY (nothing written), as the pages do. */
async function untilNotBusy(call: () => Promise<Envelope<unknown>>): Promise<Envelope<unknown>> {
  for (;;) {
    const res = await call();
    if (res.ok || res.error.details?.reason !== 'BUSY') return res;
  }
}

/**
 * 傅红 at the central shop's counter redeems `items` for `familyId`, shown as `shown` says (a QR code or a card,
 * and a PIN), with a fresh request id, again while busy.
 */
const redeemAtCounter = (
  b: Backend,
  familyId: string,
  shown: Pick<CounterRedeemInput, 'qr' | 'card' | 'pin'>,
  items: CounterRedeemInput['items'],
) =>
  untilNotBusy(() =>
    b.call(
      'shop',
      'counter.redeem',
      { requestId: rid(), shopId: 'central', familyId, ...shown, items },
      'o-fu',
    ),
  );

type Write = { coll: string; id: string; doc: Record<string, unknown> | null };

/**
 * Records, in commit order, what `pick` says of each write the emulator's store commits; `stop()` ends the
 * recording and returns the log.
 */
function commitLog(emu: unknown, pick: (w: Write) => string | null): { stop: () => string[] } {
  const store = (emu as { store: { apply: (w: Write[]) => void } }).store;
  const log: string[] = [];
  const apply = store.apply.bind(store);
  store.apply = (writes: Write[]) => {
    for (const w of writes) {
      const line = pick(w);
      if (line !== null) log.push(line);
    }
    apply(writes);
  };
  return {
    stop: () => {
      store.apply = apply;
      return log;
    },
  };
}

/** The central shop (seeded goods) with 傅红 as its clerk. */
async function openCentralShop(b: Town): Promise<void> {
  await setUpShops(
    b,
    [{ id: 'central', name: '福禄中心积分超市', kind: 'central', villageId: 'banzhu', seedGoods: true }],
    [{ name: '傅红', shopId: 'central' }],
  );
}

/** Points for a family to spend: the town admin's red board (within the bound that needs no second check). */
async function fundFamily(b: Backend, familyId: string, points: number): Promise<void> {
  data(
    await publishBoard(b, { board: 'red', familyId, title: '好人好事', points, date: '2026-11-20' }, ADMIN),
  );
}

describe('races under snapshot isolation', () => {
  const b = townForDescribe();

  it('20 objections raised at once against one record: exactly one is open', async () => {
    const board = data(
      await publishBoard(
        b,
        {
          board: 'black',
          familyId: b.town.banzhu.members['胡焱'].familyId,
          title: '焚烧秸秆',
          points: -5,
          date: '2026-11-20',
        },
        'o-luo',
      ),
    ).board;
    const raisers = ['o-he', 'o-fu', 'o-hu', 'o-he-son'];
    const results = await atOnce(b, 'points', () =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          b
            .measure(
              'points',
              'objections.raise',
              {
                requestId: rid(),
                target: { type: 'board', id: board.id },
                reason: `第${i + 1}份异议：不是我家`,
              },
              raisers[i % raisers.length],
            )
            .then((m) => m.res),
        ),
      ),
    );
    const raised = results.filter((r) => r.ok);
    expect(raised).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok))
      expect(r.ok ? '' : `${r.error.code}:${String(r.error.details?.reason ?? '')}`).toMatch(
        /^(REFUSED:OBJECTION_OPEN|CONFLICT:.*)$/,
      );
    const listed = data(
      await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-wan'),
    ).objections.filter((o) => o.target.id === board.id);
    expect(listed.map((o) => o.status)).toEqual(['open']);
  });
});

describe('a month entering 公示 while approvals are written into it', () => {
  const b = townForDescribe();

  it('no entry counts for the month once its notice has begun: 20 approvals race the notice', async () => {
    const claimIds = await submitSuggestions(
      b,
      {
        memberId: b.town.banzhu.members['何雄梅'].id,
        deedDate: '2026-10-30',
        count: 20,
        text: (i) => `第${i + 1}条建议`,
      },
      'o-he',
    );
    // Every write the store commits, in order: the month's state and each entry's month.
    const recording = commitLog(b.emu, (w) =>
      w.coll === 'months' && w.id === 'banzhu_2026-10'
        ? `month:${String(w.doc?.state)}`
        : w.coll === 'entries'
          ? `entry:${String(w.doc?.month)}`
          : null,
    );
    const [notice, ...approvals] = await atOnce(b, 'points', () =>
      Promise.all([
        new Promise((r) => setTimeout(r, 30)).then(() =>
          untilNotBusy(() =>
            b.call('points', 'months.startNotice', { villageId: 'banzhu', month: '2026-10' }, 'o-hu'),
          ),
        ),
        ...claimIds.map((id) =>
          untilNotBusy(() => b.call('points', 'review.approve', { claimIds: [id] }, 'o-luo')),
        ),
      ]),
    );
    const log = recording.stop();
    expect(notice.ok).toBe(true);
    expect(approvals.every((a) => a.ok)).toBe(true);
    const noticeAt = log.indexOf('month:notice');
    expect(noticeAt).toBeGreaterThanOrEqual(0);
    const late = log.slice(noticeAt).filter((l) => l === 'entry:2026-10');
    expect(late).toEqual([]);
    expect(log.filter((l) => l.startsWith('entry:'))).toHaveLength(20);
  });
});

describe('the counter and the wish desk at once', () => {
  const b = townForDescribe({ env: SHOP_SECRETS, prepare: openCentralShop });

  const family = () => b.town.banzhu.members['何雄梅'].familyId;
  const spendable = async () => {
    const home = data(await b.call('points', 'home.get', {}, 'o-he'));
    const store = (
      b.emu as unknown as {
        store: { get: (c: string, id: string) => { doc: { reserved: number } } | undefined };
      }
    ).store;
    return { available: home.available, reserved: store.get('holds', family())?.doc.reserved ?? 0 };
  };

  const twentyPoints = () => fundFamily(b, family(), 200);

  it('10 wishes accepted and 10 redemptions at once never spend points reserved for a wish', async () => {
    // 20 分 to spend (the town admin's red board), 10 wishes quoted 2 分 each, 10 carts of 3.5 分.
    await twentyPoints();
    const wishIds: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const { wish } = data(
        await requestWish(b, { kind: 'labour', description: `请人帮忙收割第${i + 1}块田` }, 'o-he'),
      );
      data(await b.call('shop', 'wishes.quote', { wishId: wish.id, points: 20, note: '半天' }, 'o-luo'));
      wishIds.push(wish.id);
    }
    const { token } = data(await b.call('shop', 'qr.issue', {}, 'o-he'));
    const results = await atOnce(b, 'shop', () =>
      Promise.all([
        ...wishIds.map((wishId) =>
          untilNotBusy(() => b.call('shop', 'wishes.accept', { wishId, quotePoints: 20 }, 'o-he')),
        ),
        ...wishIds.map(() =>
          redeemAtCounter(b, family(), { qr: token }, [{ goodsId: 'central-G001', quantity: 1 }]),
        ),
      ]),
    );
    const accepted = results.slice(0, 10).filter((r) => r.ok).length;
    const redeemed = results.slice(10).filter((r) => r.ok).length;
    for (const r of results.filter((x) => !x.ok))
      expect(r.ok ? '' : String(r.error.details?.reason)).toBe('INSUFFICIENT_POINTS');
    const after = await spendable();
    expect(after.reserved).toBe(accepted * 20);
    expect(after.available).toBe(200 - redeemed * 35);
    // What is reserved for wishes was never spent at the counter.
    expect(after.available).toBeGreaterThanOrEqual(after.reserved);
    await assertLedgerInvariant(b.emu);
  });

  it('a card reported lost while 19 redemptions with it are under way: none is charged after the block', async () => {
    const bound = data(
      await b.call(
        'shop',
        'cards.bind',
        { uid: '04AABBCCDD0011', memberId: b.town.banzhu.members['何雄梅'].id, writesToken: true },
        'o-he',
      ),
    );
    await twentyPoints();
    const card = { uid: bound.card.uid, token: bound.token ?? undefined };
    const recording = commitLog(b.emu, (w) =>
      w.coll === 'cards' && w.id === card.uid
        ? `card:${String(w.doc?.status)}`
        : w.coll === 'entries' && w.doc?.kind === 'redemption'
          ? 'redeemed'
          : null,
    );
    await atOnce(b, 'shop', () =>
      Promise.all([
        new Promise((r) => setTimeout(r, 250)).then(() =>
          untilNotBusy(() => b.call('shop', 'cards.block', { uid: card.uid, reason: '卡丢了' }, 'o-he')),
        ),
        ...Array.from({ length: 19 }, () =>
          redeemAtCounter(b, family(), { card }, [{ goodsId: 'central-G002', quantity: 1 }]),
        ),
      ]),
    );
    const log = recording.stop();
    const blockedAt = log.indexOf('card:blocked');
    expect(blockedAt).toBeGreaterThanOrEqual(0);
    expect(log.slice(blockedAt).filter((l) => l === 'redeemed')).toEqual([]);
  });
});

describe('a family put on the black board while its redemptions are under way', () => {
  const b = townForDescribe({ env: SHOP_SECRETS, prepare: openCentralShop });

  it('19 redemptions race the black board: none is charged after the suspension', async () => {
    const family = b.town.banzhu.members['何雄梅'].familyId;
    await fundFamily(b, family, 200);
    const { token } = data<{ token: string }>(await b.call('shop', 'qr.issue', {}, 'o-he'));
    const recording = commitLog(b.emu, (w) =>
      w.coll === 'families' && w.id === family && w.doc?.suspendedUntil
        ? 'suspended'
        : w.coll === 'entries' && w.doc?.kind === 'redemption'
          ? 'redeemed'
          : null,
    );
    const [black, ...redemptions] = await atOnce(b, 'shop', () =>
      Promise.all([
        new Promise((r) => setTimeout(r, 250)).then(() =>
          untilNotBusy(() =>
            publishBoard(
              b,
              { board: 'black', familyId: family, title: '乱倒垃圾', points: -5, date: '2026-11-20' },
              'o-luo',
            ),
          ),
        ),
        ...Array.from({ length: 19 }, () =>
          redeemAtCounter(b, family, { qr: token }, [{ goodsId: 'central-G002', quantity: 1 }]),
        ),
      ]),
    );
    const log = recording.stop();
    expect(black.ok).toBe(true);
    const suspendedAt = log.indexOf('suspended');
    expect(suspendedAt).toBeGreaterThanOrEqual(0);
    expect(log.slice(suspendedAt).filter((l) => l === 'redeemed')).toEqual([]);
    for (const r of redemptions.filter((x) => !x.ok))
      expect(r.ok ? '' : String(r.error.details?.reason)).toMatch(/^(SUSPENDED|INSUFFICIENT_POINTS)$/);
    await assertLedgerInvariant(b.emu);
  });
});

describe('approvals under one cap at once', () => {
  const b = townForDescribe();

  it('20 approvals of 义务投工投劳 for one member (4 a month): exactly 4 are awarded', async () => {
    const rules = data<{ rules: { id: string; code: string }[] }>(
      await b.call('points', 'rules.list', {}, 'o-he'),
    ).rules;
    const c02 = rules.find((r) => r.code === 'C02')?.id as string; // 义务投工投劳: at most 4 per member per month
    const member = b.town.banzhu.members['何雄梅'];
    const { lines } = data<{ lines: { id: string }[] }>(
      await b.call(
        'points',
        'records.create',
        {
          requestId: rid(),
          villageId: 'banzhu',
          lines: Array.from({ length: 20 }, () => ({
            memberId: member.id,
            ruleId: c02,
            deedDate: '2026-11-18',
          })),
        },
        'o-luo',
      ),
    );
    expect(lines).toHaveLength(20);
    const results = await atOnce(b, 'points', () =>
      Promise.all(
        lines.map((line) =>
          untilNotBusy(() => b.call('points', 'review.approve', { claimIds: [line.id] }, ADMIN)),
        ),
      ),
    );
    const refusals = results.map((r) => (r.ok ? 'ok' : String(r.error.details?.reason ?? r.error.code)));
    expect(refusals.filter((r) => r === 'ok')).toHaveLength(4);
    expect(refusals.filter((r) => r !== 'ok').every((r) => r === 'CAP_REACHED')).toBe(true);
    const entries = (
      b.emu as unknown as { store: { all: (c: string) => { doc: Record<string, unknown> }[] } }
    ).store
      .all('entries')
      .filter(
        (e) => e.doc.memberId === member.id && (e.doc.rule as { code?: string } | null)?.code === 'C02',
      );
    expect(entries).toHaveLength(4);
    await assertLedgerInvariant(b.emu);
  });
});

describe('many PIN tries at once', () => {
  const b = townForDescribe({
    env: SHOP_SECRETS,
    prepare: async (town) => {
      await openCentralShop(town);
      data(
        await town.call(
          'shop',
          'fund.configure',
          { villageId: 'banzhu', fenPerPoint: 100, pinAbovePoints: 50 },
          ADMIN,
        ),
      );
      data(await town.call('shop', 'pins.set', { pin: '2468' }, 'o-he'));
    },
  });

  it('20 guesses in parallel, the right one last: at most 5 are compared and the PIN ends locked', async () => {
    const family = b.town.banzhu.members['何雄梅'].familyId;
    await fundFamily(b, family, 200);
    const guesses = [...Array.from({ length: 19 }, (_, i) => String(1000 + i)), '2468'];
    const tokens: string[] = [];
    for (let i = 0; i < guesses.length; i += 1)
      tokens.push(data<{ token: string }>(await b.call('shop', 'qr.issue', {}, 'o-he')).token);
    const results = await atOnce(b, 'shop', () =>
      Promise.all(
        guesses.map((pin, i) =>
          redeemAtCounter(b, family, { qr: tokens[i], pin }, [{ goodsId: 'central-G001', quantity: 5 }]),
        ),
      ),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : String(r.error.details?.reason ?? r.error.code)));
    // Each comparison is counted first: five tries at most, wrong or right, then the lock refuses the rest.
    const compared = codes.filter((c) => c === 'PIN_WRONG' || c === 'ok');
    expect(compared.length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => !['PIN_WRONG', 'ok'].includes(c)).every((c) => c === 'PIN_LOCKED')).toBe(true);
    const pin = (
      b.emu as unknown as {
        store: { get: (c: string, id: string) => { doc: { lockedUntil?: unknown } } | undefined };
      }
    ).store.get('pins', family);
    if (!codes.includes('ok')) expect(pin?.doc.lockedUntil).toBeTruthy();
    await assertLedgerInvariant(b.emu);
  });
});
