// Transactions: runTransaction retries on conflict, isolation between transactions, expiry, bad ids.
import type { Emulator } from '../../emulator';
import type { Cloud } from './helpers';
import { adminCloud, errorOf, rawAdmin, startTestEmulator } from './helpers';

let emu: Emulator;
let db: Cloud;
let _: Cloud;

beforeAll(async () => {
  emu = await startTestEmulator();
  const cloud = adminCloud(emu);
  db = cloud.database();
  _ = db.command;
});

afterAll(async () => {
  await emu.stop();
});

async function startTx(): Promise<string> {
  const r = await rawAdmin(emu, { action: 'database.startTransaction' });
  expect(typeof r.transactionId).toBe('string');
  return r.transactionId as string;
}

function txUpdate(tx: string, coll: string, id: string, data: string) {
  return rawAdmin(emu, {
    action: 'database.modifyDocument',
    collectionName: coll,
    transactionId: tx,
    queryType: 'DOC',
    query: JSON.stringify({ _id: id }),
    data,
    multi: false,
    merge: true,
    upsert: false,
  });
}

it('20 parallel read-modify-write transactions lose no increment', async () => {
  await db.collection('counters').add({ data: { _id: 'c20', n: 0 } });
  const outcomes = await Promise.allSettled(
    Array.from({ length: 20 }, () =>
      db.runTransaction(async (t: Cloud) => {
        const { data } = await t.collection('counters').doc('c20').get();
        await t
          .collection('counters')
          .doc('c20')
          .update({ data: { n: data.n + 1 } });
        return data.n + 1;
      }),
    ),
  );
  const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
  expect(ok).toBeGreaterThan(1); // conflicts reach runTransaction with their code, so it retries
  for (const o of outcomes) {
    if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  }
  const { data } = await db.collection('counters').doc('c20').get();
  expect(data.n).toBe(ok);
  const values = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value as number] : []));
  expect(new Set(values).size).toBe(ok); // every success saw a distinct value
});

it('a transfer inside runTransaction moves the value atomically; a thrown error rolls back', async () => {
  await db.collection('accounts').add({ data: { _id: 'a', bal: 100 } });
  await db.collection('accounts').add({ data: { _id: 'b', bal: 0 } });
  await db.runTransaction(async (t: Cloud) => {
    const a = (await t.collection('accounts').doc('a').get()).data;
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { bal: a.bal - 30 } });
    await t
      .collection('accounts')
      .doc('b')
      .update({ data: { bal: _.inc(30) } });
    await t.collection('notes').add({ data: { transfer: 30 } });
  });
  const err = await errorOf(
    db.runTransaction(async (t: Cloud) => {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { bal: _.inc(-50) } });
      throw new Error('changed my mind');
    }),
  );
  expect((err as Error).message).toBe('changed my mind');
  expect((await db.collection('accounts').doc('a').get()).data.bal).toBe(70);
  expect((await db.collection('accounts').doc('b').get()).data.bal).toBe(30);
  expect((await db.collection('notes').where({ transfer: 30 }).count()).total).toBe(1);
});

it('startTransaction + rollback writes nothing; reads see the transaction’s own writes', async () => {
  const t = await db.startTransaction();
  await t.collection('notes').add({ data: { _id: 'tx-added', v: 1 } });
  const inside = await t.collection('notes').doc('tx-added').get();
  expect(inside.data).toEqual({ _id: 'tx-added', v: 1 });
  await t.rollback();
  expect((await db.collection('notes').where({ _id: 'tx-added' }).count()).total).toBe(0);
});

it('two transactions writing the same document: the second to commit gets DATABASE_TRANSACTION_CONFLICT', async () => {
  await db.collection('counters').add({ data: { _id: 'iso', n: 0 } });
  const t1 = await startTx();
  const t2 = await startTx();
  expect((await txUpdate(t1, 'counters', 'iso', '{"$inc":{"n":1}}')).data.updated).toBe(1);
  expect((await txUpdate(t2, 'counters', 'iso', '{"$inc":{"n":10}}')).data.updated).toBe(1);
  expect(await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t1 })).not.toHaveProperty(
    'code',
  );
  const second = await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t2 });
  expect(second.code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect((await db.collection('counters').doc('iso').get()).data.n).toBe(1);
});

it('a transaction whose reads were overwritten outside it cannot commit', async () => {
  await db.collection('counters').add({ data: { _id: 'stale', n: 0 } });
  const readIn = (t: string) =>
    rawAdmin(emu, {
      action: 'database.getDocument',
      collectionName: 'counters',
      transactionId: t,
      queryType: 'DOC',
      query: '{"_id":"stale"}',
    });
  const t1 = await startTx();
  const t2 = await startTx();
  expect((await readIn(t1)).data.list).toHaveLength(1);
  expect((await readIn(t2)).data.list).toHaveLength(1);
  await db
    .collection('counters')
    .doc('stale')
    .update({ data: { n: 5 } });
  await txUpdate(t1, 'counters', 'stale', '{"$set":{"n":1}}');
  for (const t of [t1, t2]) {
    expect((await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t })).code).toBe(
      'DATABASE_TRANSACTION_CONFLICT',
    );
  }
  expect((await db.collection('counters').doc('stale').get()).data.n).toBe(5);
});

it('only single-document operations are allowed inside a transaction', async () => {
  const t = await startTx();
  const where = await rawAdmin(emu, {
    action: 'database.modifyDocument',
    collectionName: 'counters',
    transactionId: t,
    queryType: 'WHERE',
    query: '{}',
    data: '{"$set":{"x":1}}',
    multi: true,
    merge: true,
  });
  expect(where.code).toBe('DATABASE_REQUEST_FAILED');
  expect(where.message).toMatch(/single-document/);
  await rawAdmin(emu, { action: 'database.abortTransaction', transactionId: t });
});

it('unknown and ended transaction ids get an error and write nothing', async () => {
  const unknown = await txUpdate('tx-nope', 'counters', 'iso', '{"$inc":{"n":1}}');
  expect(unknown.code).toBe('DATABASE_TRANSACTION_FAIL');
  const t = await startTx();
  await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t });
  expect((await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t })).code).toBe(
    'DATABASE_TRANSACTION_FAIL',
  );
  expect((await db.collection('counters').doc('iso').get()).data.n).toBe(1);
});

it('transactions idle longer than transactionTimeoutMs expire and write nothing', async () => {
  const short = await startTestEmulator({ transactionTimeoutMs: 300 });
  try {
    const send = async (body: unknown) =>
      (await (
        await fetch(`${short.url}/admin?env=${short.envId}`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as { code?: string; transactionId?: string };
    const { transactionId } = await send({ action: 'database.startTransaction' });
    await send({
      action: 'database.insertDocument',
      collectionName: 'notes',
      transactionId,
      data: ['{"_id":"late"}'],
    });
    await new Promise((r) => setTimeout(r, 900));
    expect((await send({ action: 'database.commitTransaction', transactionId })).code).toBe(
      'DATABASE_TRANSACTION_FAIL',
    );
    expect(short.documentCount('notes')).toBe(0);
  } finally {
    await short.stop();
  }
});

it('the older transaction API (get/updateDoc/deleteDocInTransaction) works too', async () => {
  await db.collection('notes').add({ data: { _id: 'old-api', v: 1 } });
  const t = await startTx();
  const got = await rawAdmin(emu, {
    action: 'database.getInTransaction',
    collectionName: 'notes',
    transactionId: t,
    _id: 'old-api',
  });
  expect(JSON.parse(got.data as string)).toEqual({ _id: 'old-api', v: { $numberInt: '1' } });
  const upd = await rawAdmin(emu, {
    action: 'database.updateDocInTransaction',
    collectionName: 'notes',
    transactionId: t,
    _id: 'old-api',
    data: '{"$set":{"v":2}}',
  });
  expect(upd.updated).toBe('1');
  const del = await rawAdmin(emu, {
    action: 'database.deleteDocInTransaction',
    collectionName: 'notes',
    transactionId: t,
    _id: 'old-api',
  });
  expect(del.deleted).toBe('1');
  await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t });
  expect((await db.collection('notes').where({ _id: 'old-api' }).count()).total).toBe(0);
});
