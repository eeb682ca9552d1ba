/**
 * Races under CloudBase's snapshot isolation (the emulator's default): a decision made from a document that the
 * transaction only reads is not protected by the transaction, because another transaction may change that
 * document and both commit. Each test fires many calls at once and checks the fact that must hold.
 */
import { randomUUID } from 'node:crypto';
import { data, startTown, type Backend } from '../support/backend';
import type { BuiltVillage } from '../../scripts/town-builder';

const rid = () => randomUUID().replace(/-/g, '');

describe('races under snapshot isolation', () => {
  let b: Backend & { town: Record<string, BuiltVillage> };
  beforeAll(async () => {
    b = await startTown();
  });
  afterAll(() => b.stop());

  it('20 objections raised at once against one record: exactly one is open', async () => {
    const board = data<{ board: { id: string } }>(
      await b.call(
        'points',
        'boards.publish',
        {
          requestId: rid(),
          villageId: 'banzhu',
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
    // Production's request latency, so that the calls overlap as they would there.
    b.emu.dbLatencyMs = 10;
    // Warm as many instances as calls run at once, so that cold starts do not space the calls out.
    await Promise.all(Array.from({ length: 8 }, () => b.call('points', 'rules.list', {}, 'o-he')));
    const results = await Promise.all(
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
    );
    b.emu.dbLatencyMs = 0;
    const raised = results.filter((r) => r.ok);
    expect(raised).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok))
      expect(r.ok ? '' : `${r.error.code}:${String(r.error.details?.reason ?? '')}`).toMatch(
        /^(REFUSED:OBJECTION_OPEN|CONFLICT:.*)$/,
      );
    const listed = data<{ objections: { target: { type: string; id: string }; status: string }[] }>(
      await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-wan'),
    ).objections.filter((o) => o.target.id === board.id);
    expect(listed.map((o) => o.status)).toEqual(['open']);
  });
});

describe('a month entering 公示 while approvals are written into it', () => {
  let b: Backend & { town: Record<string, BuiltVillage> };
  beforeAll(async () => {
    b = await startTown();
  });
  afterAll(() => b.stop());

  it('no entry counts for the month once its notice has begun: 20 approvals race the notice', async () => {
    const rules = data<{ rules: { id: string; code: string }[] }>(
      await b.call('points', 'rules.list', {}, 'o-he'),
    ).rules;
    const c03 = rules.find((r) => r.code === 'C03')?.id as string; // 建言献策: no photos, no cap
    const claimIds: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const { claim } = data<{ claim: { id: string } }>(
        await b.call(
          'points',
          'claims.submit',
          {
            requestId: rid(),
            memberId: b.town.banzhu.members['何雄梅'].id,
            ruleId: c03,
            deedDate: '2026-10-30',
            text: `第${i + 1}条建议`,
          },
          'o-he',
        ),
      );
      claimIds.push(claim.id);
    }
    // Every write the store commits, in order: the month's state and each entry's month.
    const store = (b.emu as unknown as { store: { apply: (w: unknown[]) => void } }).store;
    const log: string[] = [];
    const apply = store.apply.bind(store);
    store.apply = (writes: unknown[]) => {
      for (const w of writes as {
        coll: string;
        id: string;
        doc: { state?: string; month?: string } | null;
      }[]) {
        if (w.coll === 'months' && w.id === 'banzhu_2026-10') log.push(`month:${w.doc?.state}`);
        if (w.coll === 'entries') log.push(`entry:${w.doc?.month}`);
      }
      apply(writes);
    };
    await Promise.all(Array.from({ length: 8 }, () => b.call('points', 'rules.list', {}, 'o-he')));
    b.emu.dbLatencyMs = 10;
    const [notice, ...approvals] = await Promise.all([
      new Promise((r) => setTimeout(r, 30)).then(() =>
        b.call('points', 'months.startNotice', { villageId: 'banzhu', month: '2026-10' }, 'o-hu'),
      ),
      ...claimIds.map(async (id) => {
        // As the review page does: a busy answer (CONFLICT/BUSY, nothing written) is tried again.
        for (;;) {
          const res = await b.call('points', 'review.approve', { claimIds: [id] }, 'o-luo');
          if (res.ok || res.error.details?.reason !== 'BUSY') return res;
        }
      }),
    ]);
    b.emu.dbLatencyMs = 0;
    store.apply = apply;
    expect(notice.ok).toBe(true);
    expect(approvals.every((a) => a.ok)).toBe(true);
    const noticeAt = log.indexOf('month:notice');
    expect(noticeAt).toBeGreaterThanOrEqual(0);
    const late = log.slice(noticeAt).filter((l) => l === 'entry:2026-10');
    expect(late).toEqual([]);
    expect(log.filter((l) => l.startsWith('entry:'))).toHaveLength(20);
  });
});
