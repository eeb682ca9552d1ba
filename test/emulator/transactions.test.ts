// Transactions as CloudBase documents them: snapshot isolation with write locks (emulator/README.md cites it).
// Reads see the snapshot and take no lock, so write skew commits; a second transaction's write to a locked
// document fails at once with the conflict; a write outside transactions waits for the lock; commit applies the
// writes atomically. Also expiry, bad ids, the older API and the optional strict mode.
import type { Emulator } from '../../emulator';
import type { Cloud } from './helpers';
import {
  adminCloud,
  errorOf,
  modifyDocumentBody,
  rawAdmin,
  startTestEmulator,
  transferAToB,
} from './helpers';

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
  return rawAdmin(emu, modifyDocumentBody(coll, { _id: id }, data, { transactionId: tx }));
}

/** A retry on write conflicts, as the functions' transaction() does (wx-server-sdk rewraps the conflict code). */
async function withRetry<T>(work: () => Promise<T>, tries = 40): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= tries || !/conflict/i.test(String((error as Error).message))) throw error;
      await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 10)));
    }
  }
}

it('20 parallel read-modify-write transactions lose no increment; a losing writer fails at once and is retried', async () => {
  await db.collection('counters').add({ data: { _id: 'c20', n: 0 } });
  const failures: string[] = [];
  const values = await Promise.all(
    Array.from({ length: 20 }, () =>
      withRetry(async () => {
        try {
          return await db.runTransaction(async (t: Cloud) => {
            const { data } = await t.collection('counters').doc('c20').get();
            await t
              .collection('counters')
              .doc('c20')
              .update({ data: { n: data.n + 1 } });
            return data.n + 1;
          }, 0);
        } catch (error) {
          failures.push(String((error as Error).message));
          throw error;
        }
      }),
    ),
  );
  expect(failures.length).toBeGreaterThan(0);
  for (const f of failures) expect(f).toMatch(/write conflict/);
  const { data } = await db.collection('counters').doc('c20').get();
  expect(data.n).toBe(20);
  expect(new Set(values).size).toBe(20); // every transaction saw a distinct value
});

it('a transfer inside runTransaction moves the value atomically; a thrown error rolls back', async () => {
  await db.collection('accounts').add({ data: { _id: 'a', bal: 100 } });
  await db.collection('accounts').add({ data: { _id: 'b', bal: 0 } });
  await transferAToB(db, 30, (t) => t.collection('notes').add({ data: { transfer: 30 } }));
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

it('write–write: the second transaction’s write to a locked document fails at once and ends it', async () => {
  await db.collection('counters').add({ data: { _id: 'iso', n: 0 } });
  const t1 = await startTx();
  const t2 = await startTx();
  expect((await txUpdate(t1, 'counters', 'iso', '{"$inc":{"n":1}}')).data.updated).toBe(1);
  const second = await txUpdate(t2, 'counters', 'iso', '{"$inc":{"n":10}}');
  expect(second.code).toBe('DATABASE_TRANSACTION_CONFLICT');
  expect((await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t2 })).code).toBe(
    'DATABASE_TRANSACTION_FAIL',
  );
  expect(await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t1 })).not.toHaveProperty(
    'code',
  );
  expect((await db.collection('counters').doc('iso').get()).data.n).toBe(1);
});

it('write skew: two transactions that read A and B and each write the other both commit, as in CloudBase', async () => {
  await db.collection('counters').add({ data: { _id: 'skew-a', on: true } });
  await db.collection('counters').add({ data: { _id: 'skew-b', on: true } });
  const read = (t: string, id: string) =>
    rawAdmin(emu, {
      action: 'database.getDocument',
      collectionName: 'counters',
      transactionId: t,
      queryType: 'DOC',
      query: JSON.stringify({ _id: id }),
    });
  const t1 = await startTx();
  const t2 = await startTx();
  for (const t of [t1, t2])
    for (const id of ['skew-a', 'skew-b']) expect((await read(t, id)).data.list).toHaveLength(1);
  // Each sees both on and switches one off: together they break "at least one stays on".
  expect((await txUpdate(t1, 'counters', 'skew-a', '{"$set":{"on":false}}')).data.updated).toBe(1);
  expect((await txUpdate(t2, 'counters', 'skew-b', '{"$set":{"on":false}}')).data.updated).toBe(1);
  for (const t of [t1, t2])
    expect(
      await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t }),
    ).not.toHaveProperty('code');
  const after = (
    await db
      .collection('counters')
      .where({ _id: _.in(['skew-a', 'skew-b']) })
      .get()
  ).data as {
    on: boolean;
  }[];
  expect(after.map((d) => d.on)).toEqual([false, false]);
});

it('reads see the snapshot: a change committed outside stays unseen, and writing that document then conflicts', async () => {
  await db.collection('counters').add({ data: { _id: 'stale', n: 0 } });
  const readIn = async (t: string) =>
    (
      await rawAdmin(emu, {
        action: 'database.getDocument',
        collectionName: 'counters',
        transactionId: t,
        queryType: 'DOC',
        query: '{"_id":"stale"}',
      })
    ).data.list as string[];
  const t1 = await startTx();
  const t2 = await startTx();
  expect(await readIn(t1)).toHaveLength(1);
  await db
    .collection('counters')
    .doc('stale')
    .update({ data: { n: 5 } });
  // t2 only reads: its snapshot still shows 0, and it commits (reads take no lock and never conflict).
  expect(JSON.parse((await readIn(t2))[0]).n).toEqual({ $numberInt: '0' });
  expect(await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t2 })).not.toHaveProperty(
    'code',
  );
  // t1 writes the document changed since its snapshot: first committer wins.
  expect((await txUpdate(t1, 'counters', 'stale', '{"$set":{"n":1}}')).code).toBe(
    'DATABASE_TRANSACTION_CONFLICT',
  );
  expect((await db.collection('counters').doc('stale').get()).data.n).toBe(5);
});

it('a write outside transactions waits for the document’s lock, then applies on top of the commit', async () => {
  await db.collection('counters').add({ data: { _id: 'wait', n: 0 } });
  await db.collection('counters').add({ data: { _id: 'free', n: 0 } });
  const t = await startTx();
  await txUpdate(t, 'counters', 'wait', '{"$inc":{"n":1}}');
  let done = false;
  const outside = db
    .collection('counters')
    .doc('wait')
    .update({ data: { n: _.inc(10) } })
    .then(() => {
      done = true;
    });
  await new Promise((r) => setTimeout(r, 150));
  expect(done).toBe(false);
  // A write to another document never waits, even while the locked one's write does.
  await db
    .collection('counters')
    .doc('free')
    .update({ data: { n: _.inc(1) } });
  expect((await db.collection('counters').doc('free').get()).data.n).toBe(1);
  expect(done).toBe(false);
  await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t });
  await outside;
  expect((await db.collection('counters').doc('wait').get()).data.n).toBe(11);
});

it('strict isolation (an option) fails a commit whose reads were overwritten', async () => {
  const strict = await startTestEmulator({ transactionIsolation: 'strict' });
  try {
    const send = async (body: unknown) =>
      (await (
        await fetch(`${strict.url}/admin?env=${strict.envId}`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as { code?: string; transactionId?: string };
    await send({
      action: 'database.insertDocument',
      collectionName: 'counters',
      data: ['{"_id":"s","n":0}'],
    });
    const { transactionId } = await send({ action: 'database.startTransaction' });
    await send({
      action: 'database.getDocument',
      collectionName: 'counters',
      transactionId,
      queryType: 'DOC',
      query: '{"_id":"s"}',
    });
    await send(modifyDocumentBody('counters', { _id: 's' }, '{"$set":{"n":5}}'));
    expect((await send({ action: 'database.commitTransaction', transactionId })).code).toBe(
      'DATABASE_TRANSACTION_CONFLICT',
    );
  } finally {
    await strict.stop();
  }
});

it('only single-document operations are allowed inside a transaction', async () => {
  const t = await startTx();
  const where = await rawAdmin(
    emu,
    modifyDocumentBody('counters', {}, '{"$set":{"x":1}}', {
      queryType: 'WHERE',
      multi: true,
      transactionId: t,
    }),
  );
  expect(where.code).toBe('DATABASE_REQUEST_FAILED');
  expect(where.message).toMatch(/single-document/);
  await rawAdmin(emu, { action: 'database.abortTransaction', transactionId: t });
});

it('unknown and ended transaction ids get an error and write nothing', async () => {
  await db.collection('counters').add({ data: { _id: 'bad-ids', n: 1 } });
  const unknown = await txUpdate('tx-nope', 'counters', 'bad-ids', '{"$inc":{"n":1}}');
  expect(unknown.code).toBe('DATABASE_TRANSACTION_FAIL');
  const t = await startTx();
  await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t });
  expect((await rawAdmin(emu, { action: 'database.commitTransaction', transactionId: t })).code).toBe(
    'DATABASE_TRANSACTION_FAIL',
  );
  expect((await db.collection('counters').doc('bad-ids').get()).data.n).toBe(1);
});

it('a transaction older than its lifetime (transactionTimeoutMs; CloudBase: 30 s) ends and writes nothing', async () => {
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
