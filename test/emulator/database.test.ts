// Conformance: the real wx-server-sdk against the emulator's database, action by action.
import fs from 'fs';
import path from 'path';
import type { Emulator } from '../../emulator';
import type { Cloud } from './helpers';
import { TEST_NOW } from '../support/clock';
import { adminCloud, errorOf, modifyDocumentBody, rawAdmin, startTestEmulator, tempDir } from './helpers';

let emu: Emulator;
let cloud: Cloud;
let db: Cloud;
let _: Cloud;

beforeAll(async () => {
  emu = await startTestEmulator();
  cloud = adminCloud(emu);
  db = cloud.database();
  _ = db.command;
});

afterAll(async () => {
  await emu.stop();
});

describe('collections', () => {
  it('answers DATABASE_COLLECTION_NOT_EXIST for a missing collection, until it is created', async () => {
    const err = await errorOf(db.collection('later').get());
    expect(err.errCode).toBe(-502005);
    await db.createCollection('later');
    const res = await db.collection('later').get();
    expect(res.data).toEqual([]);
    const again = await rawAdmin(emu, { action: 'database.addCollection', collectionName: 'later' });
    expect(again.code).toBe('DATABASE_COLLECTION_ALREADY_EXIST');
  });

  it('creates the collections declared in the schema at startup', () => {
    expect(emu.collections()).toEqual(
      expect.arrayContaining(['notes', 'counters', 'accounts', 'members', 'uploads']),
    );
  });
});

describe('add / get', () => {
  it('add returns a generated _id; doc().get returns the document with dates intact', async () => {
    const at = new Date('2024-05-01T08:00:00.000Z');
    const added = await db
      .collection('notes')
      .add({ data: { title: 't1', n: 1, at, nested: { x: [1, 2] } } });
    expect(typeof added._id).toBe('string');
    expect(added._id).toHaveLength(32);
    const got = await db.collection('notes').doc(added._id).get();
    expect(got.data).toEqual({ _id: added._id, title: 't1', n: 1, at, nested: { x: [1, 2] } });
    expect(got.data.at).toBeInstanceOf(Date);
  });

  it('keeps a caller-chosen _id and refuses a duplicate one', async () => {
    await db.collection('notes').add({ data: { _id: 'fixed-id', v: 1 } });
    const err = await errorOf(db.collection('notes').add({ data: { _id: 'fixed-id', v: 2 } }));
    expect(err.errCode).toBe(-502001);
    expect(err.errMsg).toMatch(/duplicate key/);
    expect((await db.collection('notes').doc('fixed-id').get()).data.v).toBe(1);
  });

  it('doc().get of a missing document fails like CloudBase', async () => {
    const err = await errorOf(db.collection('notes').doc('nope').get());
    expect(err.errMsg).toMatch(/does not exist/);
  });

  it('serverDate() becomes the emulator clock’s time (plus offset)', async () => {
    emu.clock.setAt(TEST_NOW);
    const before = emu.clock.nowMs();
    const { _id } = await db
      .collection('notes')
      .add({ data: { s: db.serverDate(), later: db.serverDate({ offset: 60000 }) } });
    const after = emu.clock.nowMs();
    const { data } = await db.collection('notes').doc(_id).get();
    expect(data.s).toBeInstanceOf(Date);
    expect(data.s.getTime()).toBeGreaterThanOrEqual(before);
    expect(data.s.getTime()).toBeLessThanOrEqual(after);
    expect(data.later.getTime() - data.s.getTime()).toBe(60000);
  });
});

describe('queries', () => {
  beforeAll(async () => {
    await db.createCollection('items');
    const docs = Array.from({ length: 150 }, (_x, i) => ({
      _id: `item-${String(i).padStart(3, '0')}`,
      i,
      group: i % 3,
      name: i % 2 ? `Odd ${i}` : `even ${i}`,
      meta: { tag: i < 10 ? 'low' : 'high' },
    }));
    for (let k = 0; k < docs.length; k += 25) {
      await Promise.all(docs.slice(k, k + 25).map((d) => db.collection('items').add({ data: d })));
    }
  });

  it('get() returns at most 100 by default; limit is honoured; the SDK clamps to 1000', async () => {
    expect((await db.collection('items').get()).data).toHaveLength(100);
    expect((await db.collection('items').limit(7).get()).data).toHaveLength(7);
    expect((await db.collection('items').limit(5000).get()).data).toHaveLength(150);
    const raw = await rawAdmin(emu, {
      action: 'database.getDocument',
      collectionName: 'items',
      queryType: 'WHERE',
      query: '{}',
      limit: 5000,
    });
    expect(raw.data.limit).toBe(1000);
  });

  it('where with command operators, orderBy, skip, limit and field()', async () => {
    const res = await db
      .collection('items')
      .where({ i: _.gte(10).and(_.lt(40)), group: _.in([0, 1]) })
      .orderBy('group', 'desc')
      .orderBy('i', 'asc')
      .skip(2)
      .limit(5)
      .field({ i: true, group: true })
      .get();
    expect(res.data.map((d: { i: number }) => d.i)).toEqual([16, 19, 22, 25, 28]);
    expect(Object.keys(res.data[0]).sort()).toEqual(['_id', 'group', 'i']);
  });

  it('or, nested fields, regexes (db.RegExp and JS), exists, neq, nin', async () => {
    const or = await db
      .collection('items')
      .where(_.or([{ i: _.lt(2) }, { i: _.gt(147) }]))
      .get();
    expect(or.data.map((d: { i: number }) => d.i).sort((a: number, b: number) => a - b)).toEqual([
      0, 1, 148, 149,
    ]);
    expect((await db.collection('items').where({ 'meta.tag': 'low' }).count()).total).toBe(10);
    expect(
      (
        await db
          .collection('items')
          .where({ meta: { tag: 'low' } })
          .count()
      ).total,
    ).toBe(10);
    const re1 = await db
      .collection('items')
      .where({ name: db.RegExp({ regexp: '^odd 1', options: 'i' }) })
      .count();
    const re2 = await db
      .collection('items')
      .where({ name: /^Odd 1/ })
      .count();
    expect(re1.total).toBe(re2.total);
    expect(re1.total).toBeGreaterThan(0);
    expect(
      (
        await db
          .collection('items')
          .where({ missing: _.exists(false), i: _.neq(0) })
          .count()
      ).total,
    ).toBe(149);
    expect(
      (
        await db
          .collection('items')
          .where({ group: _.nin([0, 1]) })
          .count()
      ).total,
    ).toBe(50);
  });

  it('count() and aggregate()', async () => {
    expect((await db.collection('items').where({ group: 0 }).count()).total).toBe(50);
    const $ = db.command.aggregate;
    const agg = await db
      .collection('items')
      .aggregate()
      .match({ i: _.lt(30) })
      .group({ _id: '$group', total: $.sum(1), max: $.max('$i') })
      .sort({ _id: 1 })
      .end();
    expect(agg.list).toEqual([
      { _id: 0, total: 10, max: 27 },
      { _id: 1, total: 10, max: 28 },
      { _id: 2, total: 10, max: 29 },
    ]);
  });

  it('aggregate $lookup reads another collection', async () => {
    await db.collection('notes').add({ data: { _id: 'note-for-item-1', itemId: 'item-001', text: 'hello' } });
    const res = await db
      .collection('items')
      .aggregate()
      .match({ _id: 'item-001' })
      .lookup({ from: 'notes', localField: '_id', foreignField: 'itemId', as: 'notes' })
      .end();
    expect(res.list[0].notes.map((n: { text: string }) => n.text)).toEqual(['hello']);
  });
});

describe('updates', () => {
  it('doc().update applies every update operator', async () => {
    const { _id } = await db.collection('notes').add({
      data: {
        n: 10,
        m: 3,
        lo: 5,
        hi: 5,
        old: 'x',
        gone: true,
        arr: [1, 2, 3],
        q: [1, 2, 3],
        tags: ['a', 'b', 'c', 'b'],
        rm: [1, 2, 3, 2],
        set: ['a'],
        obj: { a: 1 },
      },
    });
    const r = await db
      .collection('notes')
      .doc(_id)
      .update({
        data: {
          n: _.inc(5),
          m: _.mul(4),
          lo: _.min(2),
          hi: _.max(9),
          old: _.rename('renamed'),
          gone: _.remove(),
          arr: _.push({ each: [0], position: 0 }),
          q: _.pop(),
          tags: _.pull('b'),
          rm: _.pullAll([2, 3]),
          set: _.addToSet({ $each: ['a', 'z'] }),
          'obj.b': 2,
          fresh: 'new',
        },
      });
    expect(r.stats.updated).toBe(1);
    const { data } = await db.collection('notes').doc(_id).get();
    expect(data).toEqual({
      _id,
      n: 15,
      m: 12,
      lo: 2,
      hi: 9,
      renamed: 'x',
      arr: [0, 1, 2, 3],
      q: [1, 2],
      tags: ['a', 'c'],
      rm: [1],
      set: ['a', 'z'],
      obj: { a: 1, b: 2 },
      fresh: 'new',
    });
    await db
      .collection('notes')
      .doc(_id)
      .update({ data: { q: _.shift(), arr: _.unshift([-1]) } });
    const after = (await db.collection('notes').doc(_id).get()).data;
    expect(after.q).toEqual([2]);
    expect(after.arr).toEqual([-1, 0, 1, 2, 3]);
  });

  it('addToSet with $each on a missing field adds each value once; pull takes a condition', async () => {
    const { _id } = await db.collection('notes').add({ data: { nums: [1, 5, 9] } });
    await db
      .collection('notes')
      .doc(_id)
      .update({ data: { fresh: _.addToSet({ $each: ['a', 'a', 'b'] }), nums: _.pull(_.gt(4)) } });
    const { data } = await db.collection('notes').doc(_id).get();
    expect(data.fresh).toEqual(['a', 'b']);
    expect(data.nums).toEqual([1]);
  });

  it('where().update is multi and reports stats.updated; no match reports 0', async () => {
    await db.createCollection('bulk');
    await Promise.all([1, 2, 3].map((v) => db.collection('bulk').add({ data: { v, flag: false } })));
    const r = await db
      .collection('bulk')
      .where({ v: _.gte(2) })
      .update({ data: { flag: true } });
    expect(r.stats.updated).toBe(2);
    const none = await db
      .collection('bulk')
      .where({ v: 99 })
      .update({ data: { flag: true } });
    expect(none.stats.updated).toBe(0);
    expect((await db.collection('bulk').where({ flag: true }).count()).total).toBe(2);
  });

  it('doc().set replaces the document, or creates it (upsert)', async () => {
    await db.collection('notes').add({ data: { _id: 'to-set', a: 1, b: 2 } });
    const replaced = await db
      .collection('notes')
      .doc('to-set')
      .set({ data: { c: 3 } });
    expect(replaced.stats).toEqual({ updated: 1, created: 0 });
    expect((await db.collection('notes').doc('to-set').get()).data).toEqual({ _id: 'to-set', c: 3 });
    const created = await db
      .collection('notes')
      .doc('brand-new')
      .set({ data: { d: 4 } });
    expect(created.stats).toEqual({ updated: 0, created: 1 });
    expect((await db.collection('notes').doc('brand-new').get()).data).toEqual({ _id: 'brand-new', d: 4 });
  });

  it('refuses operators in set and changes to _id (raw protocol), writing nothing', async () => {
    await db.collection('notes').add({ data: { _id: 'guarded', a: 1 } });
    const setWithOp = await rawAdmin(
      emu,
      modifyDocumentBody('notes', { _id: 'guarded' }, '{"a":{"$inc":1}}', { merge: false, upsert: true }),
    );
    expect(setWithOp.code).toBe('DATABASE_INVALID_OPERRATOR');
    const idChange = await rawAdmin(
      emu,
      modifyDocumentBody('notes', { _id: 'guarded' }, '{"$set":{"_id":"other"}}'),
    );
    expect(idChange.code).toBe('DATABASE_REQUEST_FAILED');
    expect(idChange.message).toMatch(/immutable/);
    expect((await db.collection('notes').doc('guarded').get()).data).toEqual({ _id: 'guarded', a: 1 });
  });

  it('updateAndReturn (database.modifyAndReturnDoc) returns the updated document', async () => {
    await db.collection('counters').add({ data: { _id: 'seq', n: 1 } });
    const r = await rawAdmin(emu, {
      action: 'database.modifyAndReturnDoc',
      collectionName: 'counters',
      queryType: 'WHERE',
      query: '{"_id":"seq"}',
      data: '{"$inc":{"n":{"$numberInt":"5"}}}',
    });
    expect(r.data.updated).toBe(1);
    expect(JSON.parse(r.data.doc)).toEqual({ _id: 'seq', n: { $numberInt: '6' } });
  });
});

describe('remove', () => {
  it('doc().remove and where().remove report counts', async () => {
    await db.createCollection('trash');
    await Promise.all([1, 2, 3, 4].map((v) => db.collection('trash').add({ data: { _id: `t${v}`, v } })));
    expect((await db.collection('trash').doc('t1').remove()).stats.removed).toBe(1);
    expect((await db.collection('trash').doc('t1').remove()).stats.removed).toBe(0);
    expect(
      (
        await db
          .collection('trash')
          .where({ v: _.gt(2) })
          .remove()
      ).stats.removed,
    ).toBe(2);
    expect((await db.collection('trash').count()).total).toBe(1);
  });
});

describe('unique indexes from the schema', () => {
  it('enforces declared unique indexes on add and update with the duplicate-key error', async () => {
    const members = db.collection('members');
    await members.add({ data: { villageId: 'v1', phone: '138', name: 'A', points: 1 } });
    await members.add({ data: { villageId: 'v2', phone: '138', name: 'B', points: 2 } });
    const dup = await errorOf(members.add({ data: { villageId: 'v1', phone: '138', name: 'C' } }));
    expect(dup.errCode).toBe(-502001);
    expect(dup.errMsg).toMatch(/E11000 duplicate key error collection: members index: village_phone/);
    const upd = await errorOf(members.where({ name: 'B' }).update({ data: { villageId: 'v1' } }));
    expect(upd.errCode).toBe(-502001);
    expect((await members.where({ villageId: 'v1' }).count()).total).toBe(1);
  });
});

describe('queries served from the declared indexes', () => {
  // members declares (villageId, phone) unique and (points): equality and $in on them read one bucket; results,
  // their order and the unique checks must be those of a full scan.
  it('answers equality, $in and prefix queries exactly as a scan would, in insertion order', async () => {
    const members = db.collection('members');
    const _ = db.command;
    for (const [villageId, phone, points] of [
      ['ix-a', 'p1', 5],
      ['ix-b', 'p1', 7],
      ['ix-a', 'p2', 5],
      ['ix-c', 'p9', 7],
    ] as const)
      await members.add({ data: { villageId, phone, points, tag: 'ix' } });
    // An array value and a missing field: they match as CloudBase matches them.
    await members.add({ data: { villageId: ['ix-a', 'ix-z'], phone: 'p3', points: 5, tag: 'ix' } });
    await members.add({ data: { phone: 'p4', tag: 'ix' } });
    const phones = async (where: object) =>
      ((await members.where(where).orderBy('phone', 'asc').get()).data as { phone: string }[]).map(
        (m) => m.phone,
      );
    const natural = async (where: object) =>
      ((await members.where(where).get()).data as { phone: string }[]).map((m) => m.phone);
    expect(await phones({ villageId: 'ix-a' })).toEqual(['p1', 'p2', 'p3']);
    expect(await phones({ villageId: _.in(['ix-b', 'ix-c']) })).toEqual(['p1', 'p9']);
    expect(await phones({ villageId: 'ix-a', phone: 'p2' })).toEqual(['p2']);
    expect(await phones({ villageId: _.eq('ix-a'), points: 5 })).toEqual(['p1', 'p2', 'p3']);
    expect(await phones({ points: 7, tag: 'ix' })).toEqual(['p1', 'p9']);
    expect(await phones({ villageId: null, tag: 'ix' })).toEqual(['p4']);
    expect((await members.where({ villageId: 'ix-none' }).count()).total).toBe(0);
    // Natural order survives an update that moves a document to another bucket.
    await members.where({ phone: 'p1', villageId: 'ix-a' }).update({ data: { points: 7 } });
    expect(await natural({ points: 7, tag: 'ix' })).toEqual(['p1', 'p1', 'p9']);
    expect(await natural({ tag: 'ix', points: _.in([5, 7]) })).toEqual(['p1', 'p1', 'p2', 'p9', 'p3']);
    await members.where({ tag: 'ix' }).remove();
    expect(await natural({ villageId: 'ix-a' })).toEqual([]);
  });

  it('lets one commit hand a unique key from one document to another, and refuses a key held elsewhere', async () => {
    const members = db.collection('members');
    const a = await members.add({ data: { villageId: 'ux', phone: '1', tag: 'ux' } });
    await members.add({ data: { villageId: 'ux', phone: '2', tag: 'ux' } });
    await db.runTransaction(async (tx: Cloud) => {
      await tx
        .collection('members')
        .doc(a._id)
        .update({ data: { phone: '3' } });
      await tx.collection('members').add({ data: { villageId: 'ux', phone: '1', tag: 'ux' } });
    });
    const dup = await errorOf(members.doc(a._id).update({ data: { phone: '2' } }));
    expect(dup.errMsg).toMatch(/E11000 duplicate key error collection: members index: village_phone/);
    const left = (await members.where({ villageId: 'ux' }).orderBy('phone', 'asc').get()).data as {
      phone: string;
    }[];
    expect(left.map((m) => m.phone)).toEqual(['1', '2', '3']);
  });
});

describe('@cloudbase/node-sdk against the same emulator', () => {
  it('add, get and where().updateAndReturn()', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tcb = require('@cloudbase/node-sdk') as Cloud;
    const app = tcb.init({ env: emu.envId });
    const coll = app.database().collection('counters');
    const { id } = await coll.add({ name: 'node-sdk', n: 1 });
    expect((await coll.doc(id).get()).data).toEqual([{ _id: id, name: 'node-sdk', n: 1 }]);
    const r = await coll.where({ name: 'node-sdk' }).updateAndReturn({ n: app.database().command.inc(2) });
    expect(r).toMatchObject({ updated: 1, doc: { _id: id, name: 'node-sdk', n: 3 } });
  });
});

describe('data directory lock', () => {
  it('refuses a data directory another live emulator process holds, and takes over a stale lock', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'emulator.pid'), String(process.ppid));
    await expect(startTestEmulator({ dataDir: dir })).rejects.toThrow(/in use by another emulator/);
    fs.writeFileSync(path.join(dir, 'emulator.pid'), '999999999');
    const taken = await startTestEmulator({ dataDir: dir });
    expect(fs.readFileSync(path.join(dir, 'emulator.pid'), 'utf8')).toBe(String(process.pid));
    await taken.stop();
    expect(fs.existsSync(path.join(dir, 'emulator.pid'))).toBe(false);
  });
});
