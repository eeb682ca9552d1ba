/**
 * Sorted index buckets are kept up to date on every write (emulator/indexes.ts) instead of re-sorted on the next
 * read, and range counts come from their width: after rounds of writes that move scores up and down, suspend and
 * lift suspensions, delete and re-insert documents, and briefly give a score a value that can't be ordered, range
 * counts (with and without the suspension), the rank's two counts and sorted pages still equal mingo over the
 * whole collection.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Aggregator } from 'mingo';
import { DatabaseService } from '../../emulator/database';
import { Store } from '../../emulator/store';
import { parseSchema } from '../../emulator/schema';
import { aggregateViaEmulator } from '../support/aggregate';
import { TEST_NOW } from '../support/clock';

type Doc = Record<string, unknown>;

const key = (field: string) => ({ field, direction: 1 });
const schema = parseSchema({
  collections: [
    { name: 'towns', indexes: [] },
    {
      name: 'scores',
      indexes: [
        { name: 'town_period_earned', keys: [key('townId'), key('period'), key('earned')], unique: false },
        {
          name: 'town_period_suspended',
          keys: [key('townId'), key('period'), key('suspendedUntil')],
          unique: false,
        },
      ],
    },
  ],
});

const later = new Date(TEST_NOW.getTime() + 86_400_000);

/** A small deterministic generator, so that a failure replays. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('sorted buckets kept up to date on writes equal mingo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-sorted-'));
  const store = new Store(dir);
  const db = new DatabaseService(store, schema);
  const docs = new Map<string, Doc>();
  const commit = (writes: { id: string; doc: Doc | null }[]) => {
    (db as unknown as { commitWrites(w: unknown[]): void }).commitWrites(
      writes.map((w) => ({ coll: 'scores', ...w })),
    );
    for (const w of writes) {
      if (w.doc) docs.set(w.id, w.doc);
      else docs.delete(w.id);
    }
  };
  const score = (i: number, earned: unknown, suspended: boolean): Doc => ({
    _id: `f${i}`,
    townId: 't',
    period: '2026',
    familyId: `f${i}`,
    earned,
    suspendedUntil: suspended ? later : null,
  });
  beforeAll(() => {
    (db as unknown as { commitWrites(w: unknown[]): void }).commitWrites([
      { coll: 'towns', id: 't', doc: { _id: 't' } },
    ]);
    commit(
      Array.from({ length: 200 }, (_, i) => ({ id: `f${i}`, doc: score(i, (i % 25) * 5, i % 17 === 0) })),
    );
  });
  afterAll(() => {
    db.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = (match: Doc, as: string) => ({
    $lookup: { from: 'scores', pipeline: [{ $match: match }, { $count: 'n' }], as },
  });
  const stagesFor = (earned: number): Doc[] => [
    { $addFields: { scopeKey: 't', myEarned: earned } },
    count({ townId: 't', period: '2026', earned: { $gt: earned } }, 'above'),
    count({ townId: 't', period: '2026', earned: { $gte: earned, $lt: earned + 30 } }, 'between'),
    count({ townId: 't', period: '2026', suspendedUntil: { $gt: TEST_NOW } }, 'suspended'),
    {
      $lookup: {
        from: 'scores',
        let: { scope: '$scopeKey', earned: '$myEarned' },
        pipeline: [
          {
            $match: {
              period: '2026',
              suspendedUntil: { $gt: TEST_NOW },
              $expr: { $and: [{ $eq: ['$townId', '$$scope'] }, { $gt: ['$earned', '$$earned'] }] },
            },
          },
          { $count: 'n' },
        ],
        as: 'aboveSuspended',
      },
    },
    count(
      { townId: 't', period: '2026', earned: { $gt: earned }, suspendedUntil: { $not: { $gt: TEST_NOW } } },
      'aboveRanked',
    ),
    {
      $lookup: {
        from: 'scores',
        pipeline: [
          { $match: { townId: 't', period: '2026' } },
          { $sort: { earned: -1, familyId: 1 } },
          { $skip: 3 },
          { $limit: 20 },
        ],
        as: 'top',
      },
    },
  ];
  const viaEmulator = (stages: Doc[]) => aggregateViaEmulator(db, 'towns', stages);
  const COUNTS = ['above', 'between', 'suspended', 'aboveSuspended', 'aboveRanked'];
  const viaMingo = (stages: Doc[]) =>
    (
      new Aggregator(stages, {
        collectionResolver: (name: string) => structuredClone(name === 'scores' ? [...docs.values()] : []),
      }).run([{ _id: 't' }]) as Doc[]
    ).map((row) => {
      // mingo's `$count` of nothing gives `{n: 0}`; MongoDB (and so the emulator) gives no document.
      for (const field of COUNTS) {
        const value = row[field] as { n: number }[] | undefined;
        if (value?.length === 1 && value[0].n === 0) row[field] = [];
      }
      return row;
    });

  it.each([1, 2, 3, 4, 5, 6])('after round %i of writes', async (round) => {
    const next = random(round);
    const writes: { id: string; doc: Doc | null }[] = [];
    for (let k = 0; k < 40; k += 1) {
      const i = Math.floor(next() * 220); // a few ids beyond the first 200 are inserts
      const roll = next();
      if (roll < 0.1) writes.push({ id: `f${i}`, doc: null });
      else if (roll < 0.15)
        writes.push({ id: `f${i}`, doc: score(i, null, false) }); // a missing score
      else writes.push({ id: `f${i}`, doc: score(i, Math.floor(next() * 30) * 5, next() < 0.1) });
    }
    // One value a range can't order (a string) for a round, then a number again: rebuilt, then kept again.
    if (round === 3) writes.push({ id: 'f5', doc: score(5, 'viel', false) });
    if (round === 4) writes.push({ id: 'f5', doc: score(5, 40, true) });
    // Applied one at a time, as separate commits, so each one moves the kept buckets.
    for (const w of writes) commit([w]);
    for (const earned of [0, 35, 70, 145]) {
      const stages = stagesFor(earned);
      expect(await viaEmulator(stages)).toEqual(viaMingo(stages));
    }
  });
});
