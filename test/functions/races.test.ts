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
