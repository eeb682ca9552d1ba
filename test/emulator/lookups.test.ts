/**
 * The emulator's aggregation engine against mingo itself: `$lookup` stages served from the indexes (equality
 * lookups, sub-pipelines with `let` variables compared in `$expr`, range counts, sorted pages) give exactly what
 * mingo's own `$lookup` over the whole collection gives, including ties, missing fields, arrays and suspended rows.
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

const schema = parseSchema({
  collections: [
    { name: 'towns', indexes: [] },
    {
      name: 'scores',
      indexes: [
        {
          name: 'town_period_earned',
          keys: [
            { field: 'townId', direction: 1 },
            { field: 'period', direction: 1 },
            { field: 'earned', direction: -1 },
          ],
          unique: false,
        },
        {
          name: 'family_period',
          keys: [
            { field: 'familyId', direction: 1 },
            { field: 'period', direction: 1 },
          ],
          unique: false,
        },
      ],
    },
    {
      name: 'families',
      indexes: [{ name: 'town', keys: [{ field: 'townId', direction: 1 }], unique: false }],
    },
  ],
});

describe('$lookup served from indexes equals mingo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-lookups-'));
  const store = new Store(dir);
  const db = new DatabaseService(store, schema);
  const data: Record<string, Doc[]> = { towns: [{ _id: 't' }], scores: [], families: [] };
  const later = new Date(TEST_NOW.getTime() + 86_400_000);
  for (let i = 0; i < 300; i += 1) {
    data.families.push({
      _id: `f${i}`,
      townId: 't',
      tags: i % 7 === 0 ? ['a', 'b'] : 'a',
      suspendedUntil: i % 11 === 0 ? later : null,
    });
    // Ties (earned in steps of 5 among 20 values), a missing score, suspended rows.
    const score: Doc = {
      _id: `f${i}_2026`,
      townId: 't',
      period: '2026',
      familyId: `f${i}`,
      suspendedUntil: null,
    };
    if (i !== 17) score.earned = (i % 20) * 5;
    if (i % 13 === 0) score.suspendedUntil = later;
    data.scores.push(score);
    data.scores.push({ _id: `f${i}_2025`, townId: 't', period: '2025', familyId: `f${i}`, earned: i % 50 });
  }
  beforeAll(() => {
    const writes = Object.entries(data).flatMap(([coll, docs]) =>
      docs.map((doc) => ({ coll, id: String(doc._id), doc })),
    );
    (db as unknown as { commitWrites(w: unknown[]): void }).commitWrites(writes);
  });
  afterAll(() => {
    db.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const viaEmulator = (stages: Doc[]) => aggregateViaEmulator(db, 'towns', stages);
  // mingo's `$count` of nothing gives `{n: 0}`; MongoDB (and so CloudBase) gives no document, as the emulator does.
  const COUNTS = ['above', 'ranked', 'tagged', 'all', 'suspended', 'none'];
  const viaMingo = (stages: Doc[]) =>
    (
      new Aggregator(stages, {
        collectionResolver: (name: string) => structuredClone(data[name] ?? []),
      }).run(structuredClone(data.towns)) as Doc[]
    ).map((row) => {
      for (const field of COUNTS) {
        const value = row[field] as { n: number }[] | undefined;
        if (value?.length === 1 && value[0].n === 0) row[field] = [];
      }
      return row;
    });

  const cases: [string, Doc[]][] = [];
  for (const [family, period] of [
    ['f5', '2026'],
    ['f17', '2026'],
    ['f0', '2026'],
    ['nobody', '2026'],
    ['f5', '2025'],
    ['f49', '2025'],
  ]) {
    cases.push([
      `rank of ${family} in ${period}: own score, range count above it, not suspended`,
      [
        { $addFields: { familyKey: family, scopeKey: 't' } },
        {
          $lookup: {
            from: 'scores',
            let: { family: '$familyKey' },
            pipeline: [{ $match: { period, $expr: { $eq: ['$familyId', '$$family'] } } }],
            as: 'mine',
          },
        },
        { $addFields: { myEarned: { $ifNull: [{ $arrayElemAt: ['$mine.earned', 0] }, 0] } } },
        {
          $lookup: {
            from: 'scores',
            let: { scope: '$scopeKey', earned: '$myEarned' },
            pipeline: [
              {
                $match: {
                  period,
                  suspendedUntil: { $not: { $gt: TEST_NOW } },
                  $expr: { $and: [{ $eq: ['$townId', '$$scope'] }, { $gt: ['$earned', '$$earned'] }] },
                },
              },
              { $count: 'n' },
            ],
            as: 'above',
          },
        },
      ],
    ]);
  }
  for (const [period, skip, dir] of [
    ['2026', 0, -1],
    ['2026', 20, -1],
    ['2026', 280, -1],
    ['2026', 0, 1],
    ['2025', 0, -1],
    ['2025', 37, -1],
    ['2025', 290, 1],
  ] as const)
    cases.push([
      `a sorted page of ${period} (skip ${skip}, ${dir === -1 ? 'desc' : 'asc'}) with ties${period === '2026' ? ' and a missing score' : ''}`,
      [
        {
          $lookup: {
            from: 'scores',
            pipeline: [
              { $match: { townId: 't', period } },
              { $sort: { earned: dir, familyId: 1 } },
              { $skip: skip },
              { $limit: 20 },
            ],
            as: 'top',
          },
        },
      ],
    ]);
  cases.push([
    'equality lookups by local field, scalar and array, and a count of families not suspended',
    [
      { $addFields: { ids: ['f1', 'f2', 'missing'], one: 'f3' } },
      { $lookup: { from: 'families', localField: 'ids', foreignField: '_id', as: 'many' } },
      { $lookup: { from: 'families', localField: 'one', foreignField: '_id', as: 'single' } },
      { $lookup: { from: 'scores', localField: 'one', foreignField: 'familyId', as: 'scores' } },
      {
        $lookup: {
          from: 'families',
          pipeline: [
            { $match: { townId: 't', suspendedUntil: { $not: { $gt: TEST_NOW } } } },
            { $count: 'n' },
          ],
          as: 'ranked',
        },
      },
      {
        $lookup: {
          from: 'families',
          pipeline: [{ $match: { townId: 't', tags: 'b' } }, { $count: 'n' }],
          as: 'tagged',
        },
      },
      { $lookup: { from: 'families', pipeline: [{ $match: { townId: 't' } }, { $count: 'n' }], as: 'all' } },
      {
        $lookup: {
          from: 'families',
          pipeline: [{ $match: { townId: 't', suspendedUntil: { $gt: TEST_NOW } } }, { $count: 'n' }],
          as: 'suspended',
        },
      },
      {
        $lookup: {
          from: 'families',
          pipeline: [{ $match: { townId: 't', suspendedUntil: { $gt: later } } }, { $count: 'n' }],
          as: 'none',
        },
      },
    ],
  ]);

  it.each(cases)('%s', async (_label, stages) => {
    expect(await viaEmulator(stages)).toEqual(viaMingo(stages));
  });

  it('still equals mingo after writes change the sorted buckets', async () => {
    (db as unknown as { commitWrites(w: unknown[]): void }).commitWrites([
      { coll: 'scores', id: 'f3_2025', doc: { ...data.scores[7], earned: 95 } },
    ]);
    data.scores[7] = { ...data.scores[7], earned: 95 };
    const stages = cases.find(([label]) =>
      label.startsWith('a sorted page of 2025 (skip 0, desc)'),
    )?.[1] as Doc[];
    expect(await viaEmulator(stages)).toEqual(viaMingo(stages));
  });
});
