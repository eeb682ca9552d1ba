// The database half of CloudBase's admin protocol (database.* actions), on top of Store + mingo.
import crypto from 'crypto';
import { Query, find, update as mingoUpdate } from 'mingo';
import { Clock } from './clock';
import type { Doc } from './ejson';
import { ProtocolError, copyDoc, isPlainObject, parseEjson, parseEjsonObject, toEjson } from './ejson';
import type { Schema } from './schema';
import { runPipeline, type LookupSource } from './lookups';
import { NeedsMingo, compilePredicate } from './predicate';
import type { DocWrite, Store, StoredDoc } from './store';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pop',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$bit',
  '$currentDate',
]);

const E = {
  notExist: (name: string) =>
    new ProtocolError(
      'DATABASE_COLLECTION_NOT_EXIST',
      `Db or Table not exist: ${name}. Please check your request, but if the problem cannot be solved, contact us.`,
    ),
  failed: (message: string) => new ProtocolError('DATABASE_REQUEST_FAILED', message),
  operator: (message: string) => new ProtocolError('DATABASE_INVALID_OPERRATOR', message),
  param: (message: string) => new ProtocolError('INVALID_PARAM', message),
  conflict: () =>
    new ProtocolError(
      'DATABASE_TRANSACTION_CONFLICT',
      'Transaction is conflicting with another transaction (write conflict), please retry',
    ),
  txGone: (id: string) =>
    new ProtocolError(
      'DATABASE_TRANSACTION_FAIL',
      `Transaction ${id} does not exist, has ended or has expired`,
    ),
  lockTimeout: () =>
    new ProtocolError(
      'DATABASE_TRANSACTION_FAIL',
      'The document is locked by a transaction that did not end in time; the write was not applied',
    ),
  txSingle: () =>
    new ProtocolError(
      'DATABASE_REQUEST_FAILED',
      'Only single-document operations (doc().get/set/update/remove, add) are allowed in a transaction',
    ),
  immutableId: () =>
    new ProtocolError(
      'DATABASE_REQUEST_FAILED',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    ),
};

// Transactions follow CloudBase's documented snapshot isolation (emulator/README.md): reads see the snapshot taken
// at the start (older versions are kept while a snapshot may need them), the first write to a document locks it
// (another transaction's write fails at once with DATABASE_TRANSACTION_CONFLICT and that transaction is ended; a
// write outside transactions waits for the lock), writes are buffered and applied atomically at commit. A write
// to a document changed since the snapshot conflicts too (first committer wins). The `strict` option keeps the
// older optimistic check instead: reads record versions and commit fails if any of them changed.
interface Tx {
  id: string;
  /** When it started (performance.now()): CloudBase ends a transaction 30 s after its start. */
  started: number;
  /** The store version its snapshot shows (snapshot isolation). */
  snapshot: number;
  reads: Map<string, number>; // strict isolation: key -> version seen (0 = absent)
  writes: Map<string, DocWrite>;
  doomed: boolean; // strict isolation: saw a document change under it, commit will fail with a conflict
}

/** A version of a document that a newer write replaced, kept while a transaction's snapshot may still show it. */
interface OldVersion {
  ver: number; // 0: the document did not exist
  doc: Doc | null;
  replacedAt: number; // the version of the write that replaced it
}

export type TransactionIsolation = 'snapshot' | 'strict';

export interface DatabaseOptions {
  /** A transaction's lifetime from its start (CloudBase: 30 s). */
  transactionTimeoutMs?: number;
  /**
   * `snapshot` (default), CloudBase's model: a transaction reads its snapshot, its first write to a document takes
   * that document's lock (a second transaction's write to it fails at once with the conflict; a write outside any
   * transaction waits for the lock), reads take no lock, commit applies the writes. `strict`: the older optimistic
   * check, where commit fails if any document the transaction read has changed (no write skew at all).
   */
  transactionIsolation?: TransactionIsolation;
  /** What "now" is for db.serverDate() and new ids (the emulator's clock); the machine's time by default. */
  clock?: Clock;
}

const keyOf = (coll: string, id: string): string => `${coll}\u0000${id}`;

export function newDocId(nowMs: number): string {
  return nowMs.toString(16).padStart(12, '0') + crypto.randomBytes(10).toString('hex');
}

function getPath(doc: Doc, field: string): unknown {
  let cur: unknown = doc;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

function hasOperatorKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasOperatorKey);
  if (!isPlainObject(value)) return false;
  return Object.keys(value).some((k) => k.startsWith('$') || hasOperatorKey(value[k]));
}

function mingoError(e: unknown): ProtocolError {
  if (e instanceof ProtocolError) return e;
  return E.failed(`[FailedOperation] ${(e as Error).message}`);
}

/** Actions that write outside a transaction when they carry no transactionId (they wait for write locks). */
const WRITES_OUTSIDE_TX = new Set([
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.modifyAndReturnDoc',
]);

export class DatabaseService {
  private readonly txs = new Map<string, Tx>();
  /** Document key -> the transaction holding its write lock. */
  private readonly locks = new Map<string, string>();
  /** Document key -> versions replaced while transactions were open, oldest first. */
  private readonly history = new Map<string, OldVersion[]>();
  private readonly isolation: TransactionIsolation;
  private readonly txTimeoutMs: number;
  private readonly clock: Clock;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    schema: Schema,
    opts: DatabaseOptions = {},
  ) {
    this.txTimeoutMs = opts.transactionTimeoutMs ?? 30_000;
    this.isolation = opts.transactionIsolation ?? 'snapshot';
    this.clock = opts.clock ?? new Clock();
    for (const c of schema.collections) {
      this.store.createCollection(c.name, this.clock.nowMs());
      if (c.indexes.length) this.store.defineIndexes(c.name, c.indexes);
    }
    this.sweeper = setInterval(() => this.expireTransactions(), Math.min(5000, this.txTimeoutMs));
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.txs.clear();
    this.locks.clear();
    this.history.clear();
  }

  activeTransactions(): number {
    this.expireTransactions();
    return this.txs.size;
  }

  private expireTransactions(): void {
    const now = performance.now();
    for (const tx of [...this.txs.values()]) if (now - tx.started > this.txTimeoutMs) this.endTx(tx);
  }

  /** Ends a transaction (committed, aborted, expired or failed): its locks go, and history nobody needs. */
  private endTx(tx: Tx): void {
    this.txs.delete(tx.id);
    for (const [key, owner] of this.locks) if (owner === tx.id) this.locks.delete(key);
    if (this.txs.size === 0) {
      this.history.clear();
      return;
    }
    const oldest = Math.min(...[...this.txs.values()].map((t) => t.snapshot));
    for (const [key, versions] of this.history) {
      const kept = versions.filter((v) => v.replacedAt > oldest);
      if (kept.length) this.history.set(key, kept);
      else this.history.delete(key);
    }
  }

  /**
   * Documents read and tested so far (every document a query tested, a whole collection for a fallback copy; an
   * index count reads none): how much work a request did, whatever this machine's speed.
   */
  private examined = 0;

  /**
   * Handles one database.* action; resolves to the reply (without requestId) or rejects with a ProtocolError.
   * `examined` hears how many documents the action read and tested.
   */
  async handle(action: string, body: Doc, examined?: (n: number) => void): Promise<Doc> {
    if (WRITES_OUTSIDE_TX.has(action) && !body.transactionId) {
      await this.waitForLocks(() => this.targets(action, body, this.clock.nowMs()));
    }
    const before = this.examined;
    try {
      return this.handleNow(action, body);
    } finally {
      examined?.(this.examined - before);
    }
  }

  private handleNow(action: string, body: Doc): Doc {
    const now = this.clock.nowMs();
    switch (action) {
      case 'database.addCollection':
        return this.addCollection(body);
      case 'database.getDocument':
        return this.getDocument(body, now);
      case 'database.insertDocument':
        return this.insertDocument(body, now);
      case 'database.modifyDocument':
        return this.modifyDocument(body, now);
      case 'database.removeDocument':
        return this.removeDocument(body, now);
      case 'database.calculateDocument':
        return this.calculateDocument(body, now);
      case 'database.aggregateDocuments':
        return this.aggregateDocuments(body, now);
      case 'database.modifyAndReturnDoc':
        return this.modifyAndReturnDoc(body, now);
      case 'database.startTransaction':
        return this.startTransaction();
      case 'database.commitTransaction':
        return this.commitTransaction(body);
      case 'database.abortTransaction':
        return this.abortTransaction(body);
      case 'database.getInTransaction':
        return this.getInTransaction(body);
      case 'database.updateDocInTransaction':
        return this.updateDocInTransaction(body, now);
      case 'database.deleteDocInTransaction':
        return this.deleteDocInTransaction(body);
      default:
        throw new ProtocolError('INVALID_ACTION', `Unknown or unsupported action: ${action}`);
    }
  }

  // ---------- helpers ----------

  private collection(body: Doc): string {
    const name = body.collectionName;
    if (typeof name !== 'string' || !name) throw E.param('collectionName is required');
    if (!this.store.hasCollection(name)) throw E.notExist(name);
    return name;
  }

  private query(body: Doc, now: number): Doc {
    if (body.query === undefined || body.query === '') return {};
    return parseEjsonObject(body.query, 'query', now);
  }

  private docIdFromQuery(body: Doc, now: number): string {
    const q = this.query(body, now);
    const id = q._id;
    if (typeof id !== 'string' && typeof id !== 'number') throw E.param('a DOC query needs an _id');
    return String(id);
  }

  private tx(body: Doc): Tx | undefined {
    const id = body.transactionId;
    if (id === undefined || id === null || id === '') return undefined;
    if (typeof id !== 'string') throw E.param('transactionId must be a string');
    this.expireTransactions();
    const tx = this.txs.get(id);
    if (!tx) throw E.txGone(id);
    return tx;
  }

  /** The documents matching `query`, in natural order (`ordered`, as a scan returns them) or in any order. */
  private matching(coll: string, query: Doc, ordered = true): [string, Doc][] {
    let q: Query | undefined;
    const mingoQuery = (): Query => {
      try {
        return (q ??= new Query(query));
      } catch (e) {
        throw mingoError(e);
      }
    };
    // Validates the query as mingo would (an unknown operator is an error even when nothing is tested).
    if (!compilePredicate(query)) mingoQuery();
    if (typeof query._id === 'string') {
      const d = this.store.get(coll, query._id);
      if (!d) return [];
      if (Object.keys(query).length === 1) {
        this.examined += 1;
        return [[query._id, d.doc]];
      }
      return this.testAll(mingoQuery, query, [[query._id, d]]);
    }
    const idIn = isPlainObject(query._id) ? query._id.$in : undefined;
    if (
      Array.isArray(idIn) &&
      Object.keys(query._id as Doc).length === 1 &&
      idIn.every((v) => typeof v === 'string')
    ) {
      const found = [...new Set(idIn as string[])].flatMap((id) => {
        const d = this.store.get(coll, id);
        return d ? [[id, d] as [string, StoredDoc]] : [];
      });
      return this.testAll(mingoQuery, query, this.store.naturalOrder(coll, found));
    }
    // Equality or $in on a declared index's leading fields (and a range on the next one) reads only what the
    // index narrows to (emulator/indexes.ts).
    const ids = this.store.indexesOf(coll)?.candidates(query, ordered);
    const entries: [string, StoredDoc][] = ids
      ? ids.flatMap((id) => {
          const d = this.store.get(coll, id);
          return d ? [[id, d] as [string, StoredDoc]] : [];
        })
      : this.store.allEntries(coll);
    return this.testAll(mingoQuery, query, entries);
  }

  /** The entries that match: by a compiled predicate for simple queries (emulator/predicate.ts), else by mingo. */
  private testAll(q: () => Query, query: Doc, entries: [string, StoredDoc][]): [string, Doc][] {
    this.examined += entries.length;
    const fast = compilePredicate(query);
    const out: [string, Doc][] = [];
    for (const [id, d] of entries) {
      try {
        let hit: boolean;
        try {
          hit = fast ? fast(d.doc) : q().test(d.doc);
        } catch (e) {
          if (!(e instanceof NeedsMingo)) throw e;
          hit = q().test(d.doc);
        }
        if (hit) out.push([id, d.doc]);
      } catch (e) {
        throw mingoError(e);
      }
    }
    return out;
  }

  private project(docs: Doc[], projection: Doc | undefined): Doc[] {
    if (!projection || Object.keys(projection).length === 0) return docs;
    try {
      return find(docs, {}, projection).all() as Doc[];
    } catch (e) {
      throw mingoError(e);
    }
  }

  /** Applies update data to a copy of `doc`. merge=true: operators only; merge=false: replacement, no operators. */
  private applyUpdate(doc: Doc, id: string, data: Doc, merge: boolean): { doc: Doc; changed: boolean } {
    if (!merge) {
      if (hasOperatorKey(data))
        throw E.operator('update operator complicit: set() replaces the document and takes no operators');
      if ('_id' in data && String(data._id) !== id) throw E.immutableId();
      const next: Doc = { _id: doc._id ?? id };
      for (const [k, v] of Object.entries(data)) if (k !== '_id') next[k] = v;
      return { doc: next, changed: toEjson(next) !== toEjson(doc) };
    }
    const keys = Object.keys(data);
    if (keys.length === 0) throw E.param('update data must not be empty');
    for (const op of keys) {
      if (!op.startsWith('$')) throw E.operator(`update data must use operators, got field '${op}'`);
      if (!UPDATE_OPERATORS.has(op)) throw E.operator(`unsupported update operator ${op}`);
      const spec = data[op];
      if (!isPlainObject(spec)) throw E.operator(`${op} needs an object`);
      for (const [field, v] of Object.entries(spec)) {
        const touchesId = (f: string) => f === '_id' || f.startsWith('_id.');
        if (touchesId(field) || (op === '$rename' && typeof v === 'string' && touchesId(v))) {
          if (op === '$set' && field === '_id' && String(v) === id) continue;
          throw E.immutableId();
        }
      }
    }
    const copy = copyDoc(doc);
    // $addToSet with $each on a missing field must still add each value once (mingo adds duplicates there).
    const addToSet = data.$addToSet;
    if (isPlainObject(addToSet)) {
      for (const [field, v] of Object.entries(addToSet)) {
        if (isPlainObject(v) && Array.isArray(v.$each) && getPath(copy, field) === undefined) {
          const seen = new Set<string>();
          v.$each = v.$each.filter((x) => {
            const k = toEjson({ x });
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        }
      }
    }
    let fields: string[];
    try {
      fields = mingoUpdate(copy, data as never);
    } catch (e) {
      throw mingoError(e);
    }
    return { doc: copy, changed: fields.length > 0 };
  }

  private upsertBase(query: Doc, id: string | undefined): Doc {
    const base: Doc = {};
    for (const [k, v] of Object.entries(query)) {
      if (k.startsWith('$') || k.includes('.')) continue;
      if (isPlainObject(v)) {
        if ('$eq' in v) base[k] = v.$eq;
        else if (!Object.keys(v).some((x) => x.startsWith('$'))) base[k] = v;
      } else if (!(v instanceof RegExp)) base[k] = v;
    }
    base._id = id ?? (typeof base._id === 'string' ? base._id : newDocId(this.clock.nowMs()));
    return base;
  }

  /** Throws CloudBase's duplicate-key error if the final state of `coll` would violate a unique index. */
  private checkUnique(coll: string, changes: Map<string, Doc | null>): void {
    const indexes = this.store.indexesOf(coll)?.unique;
    if (!indexes?.length || changes.size === 0) return;
    for (const ix of indexes) {
      const fail = (d: Doc) => {
        const dup = ix.spec.keys
          .map((k) => `${k.field}: ${JSON.stringify(getPath(d, k.field) ?? null)}`)
          .join(', ');
        throw E.failed(
          `[DuplicateWrite] E11000 duplicate key error collection: ${coll} index: ${ix.spec.name} dup key: { ${dup} }`,
        );
      };
      // The changed documents among themselves, then against the stored ones they do not replace.
      const claimed = new Map<string, string>();
      for (const [id, d] of changes) {
        if (!d) continue;
        const t = ix.tuple(d);
        const other = claimed.get(t);
        if (other !== undefined && other !== id) fail(d);
        claimed.set(t, id);
        const owner = ix.owner(t);
        if (owner !== undefined && owner !== id && !changes.has(owner)) fail(d);
      }
    }
  }

  private commitWrites(writes: DocWrite[]): void {
    const byColl = new Map<string, Map<string, Doc | null>>();
    for (const w of writes) {
      if (!byColl.has(w.coll)) byColl.set(w.coll, new Map());
      byColl.get(w.coll)!.set(w.id, w.doc);
    }
    for (const [coll, changes] of byColl) this.checkUnique(coll, changes);
    this.applyWrites(writes);
  }

  /** Writes to the store, first keeping the versions they replace for the snapshots of open transactions. */
  private applyWrites(writes: DocWrite[]): void {
    if (this.txs.size > 0 && this.isolation === 'snapshot') {
      let ver = this.store.currentVersion();
      for (const w of writes) {
        ver += 1;
        const key = keyOf(w.coll, w.id);
        const current = this.store.get(w.coll, w.id);
        const versions = this.history.get(key) ?? [];
        versions.push({ ver: current?.ver ?? 0, doc: current?.doc ?? null, replacedAt: ver });
        this.history.set(key, versions);
      }
    }
    this.store.apply(writes);
  }

  /** The version of a document a snapshot shows: the newest written at or before it. */
  private snapshotOf(coll: string, id: string, snapshot: number): { ver: number; doc: Doc | null } {
    const current = this.store.get(coll, id);
    const versions = this.history.get(keyOf(coll, id));
    if (versions) {
      // The first version replaced after the snapshot is the one the snapshot saw.
      const seen = versions.find((v) => v.replacedAt > snapshot);
      if (seen) return { ver: seen.ver, doc: seen.doc };
    }
    return { ver: current?.ver ?? 0, doc: current?.doc ?? null };
  }

  private duplicateId(coll: string, id: string): ProtocolError {
    return E.failed(
      `[DuplicateWrite] E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: "${id}" }`,
    );
  }

  // transaction-local reads and writes
  private txRead(tx: Tx, coll: string, id: string): Doc | undefined {
    const key = keyOf(coll, id);
    const w = tx.writes.get(key);
    if (w) return w.doc ?? undefined;
    if (this.isolation === 'snapshot') return this.snapshotOf(coll, id, tx.snapshot).doc ?? undefined;
    const current = this.store.get(coll, id);
    const ver = current?.ver ?? 0;
    const seen = tx.reads.get(key);
    if (seen === undefined) tx.reads.set(key, ver);
    else if (seen !== ver) tx.doomed = true;
    return current?.doc;
  }

  private txWrite(tx: Tx, coll: string, id: string, doc: Doc | null): void {
    const key = keyOf(coll, id);
    if (this.isolation === 'snapshot' && !tx.writes.has(key)) {
      const owner = this.locks.get(key);
      // Written (or inserted, or removed) since the snapshot: the version the snapshot shows is not the current one.
      const changed = this.snapshotOf(coll, id, tx.snapshot).ver !== this.store.version(coll, id);
      if ((owner !== undefined && owner !== tx.id) || changed) {
        // The write fails at once, and CloudBase ends the transaction with it (its locks go).
        this.endTx(tx);
        throw E.conflict();
      }
      this.locks.set(key, tx.id);
    }
    tx.writes.set(key, { coll, id, doc });
  }

  /**
   * A write outside transactions to a document a transaction has locked waits until the lock is released (commit,
   * rollback or the transaction's end), at most one transaction lifetime.
   */
  private async waitForLocks(keys: () => string[]): Promise<void> {
    if (this.isolation !== 'snapshot' || this.locks.size === 0) return;
    const deadline = performance.now() + this.txTimeoutMs;
    while (keys().some((k) => this.locks.has(k))) {
      if (performance.now() > deadline) throw E.lockTimeout();
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.expireTransactions();
    }
  }

  /** The documents a write outside transactions is about to touch (for waiting on their locks). */
  private targets(action: string, body: Doc, now: number): string[] {
    if (typeof body.collectionName !== 'string' || !this.store.hasCollection(body.collectionName)) return [];
    const coll = body.collectionName;
    if (action === 'database.insertDocument') {
      const items = Array.isArray(body.data) ? body.data : [body.data];
      return items.flatMap((item) => {
        try {
          const d = typeof item === 'string' ? parseEjsonObject(item, 'data', now) : undefined;
          return typeof d?._id === 'string' ? [keyOf(coll, d._id)] : [];
        } catch {
          return [];
        }
      });
    }
    try {
      return this.matching(coll, this.query(body, now)).map(([id]) => keyOf(coll, id));
    } catch {
      return [];
    }
  }

  // ---------- actions ----------

  private addCollection(body: Doc): Doc {
    const name = body.collectionName;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(name)) {
      throw E.param('collectionName must be 1-32 characters of letters, digits, _ and -');
    }
    if (!this.store.createCollection(name, this.clock.nowMs())) {
      throw new ProtocolError('DATABASE_COLLECTION_ALREADY_EXIST', `Table exist: ${name}`);
    }
    return {};
  }

  private getDocument(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    const tx = this.tx(body);
    const projection =
      body.projection !== undefined ? parseEjsonObject(body.projection, 'projection', now) : undefined;
    if (tx) {
      if (body.queryType !== 'DOC') throw E.txSingle();
      const doc = this.txRead(tx, coll, this.docIdFromQuery(body, now));
      const list = doc ? this.project([doc], projection) : [];
      return { data: { list: list.map(toEjson), limit: 1, offset: 0 } };
    }
    const query = this.query(body, now);
    let limit = DEFAULT_LIMIT;
    if (body.limit !== undefined && body.limit !== null) {
      if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 0) {
        throw E.param('limit must be a non-negative integer');
      }
      limit = Math.min(body.limit || DEFAULT_LIMIT, MAX_LIMIT);
    }
    let offset = 0;
    if (body.offset !== undefined && body.offset !== null) {
      if (typeof body.offset !== 'number' || !Number.isInteger(body.offset) || body.offset < 0) {
        throw E.param('offset must be a non-negative integer');
      }
      offset = body.offset;
    }
    const order = body.order !== undefined ? parseEjsonObject(body.order, 'order', now) : undefined;
    const docs = this.matching(coll, query).map(([, d]) => d);
    let list: Doc[];
    try {
      let cursor = find(docs, {}, projection && Object.keys(projection).length ? projection : undefined);
      if (order && Object.keys(order).length) cursor = cursor.sort(order as Record<string, 1 | -1>);
      list = cursor.skip(offset).limit(limit).all() as Doc[];
    } catch (e) {
      throw mingoError(e);
    }
    return { data: { list: list.map(toEjson), limit, offset } };
  }

  private parseInsertData(body: Doc, now: number): Doc[] {
    const raw = body.data;
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw E.param('data must not be empty');
    return items.map((item, i) => {
      const d = typeof item === 'string' ? parseEjsonObject(item, `data[${i}]`, now) : undefined;
      if (!d) throw E.param(`data[${i}] must be an Extended JSON string`);
      if (d._id === undefined || d._id === null) d._id = newDocId(now);
      else if (typeof d._id !== 'string') throw E.param('_id must be a string');
      return d;
    });
  }

  private insertDocument(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    const tx = this.tx(body);
    const docs = this.parseInsertData(body, now);
    if (tx) {
      if (docs.length !== 1) throw E.txSingle();
      const d = docs[0]!;
      const id = d._id as string;
      if (this.txRead(tx, coll, id)) throw this.duplicateId(coll, id);
      this.txWrite(tx, coll, id, d);
      return { data: { insertedIds: [id] } };
    }
    const writes: DocWrite[] = [];
    const ids = new Set<string>();
    for (const d of docs) {
      const id = d._id as string;
      if (ids.has(id) || this.store.get(coll, id)) throw this.duplicateId(coll, id);
      ids.add(id);
      writes.push({ coll, id, doc: d });
    }
    this.commitWrites(writes);
    return { data: { insertedIds: [...ids] } };
  }

  private modifyDocument(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    const tx = this.tx(body);
    const merge = body.merge !== false;
    const upsert = body.upsert === true;
    const multi = body.multi === true;
    const data = parseEjsonObject(body.data, 'data', now);
    if (tx) {
      if (body.queryType !== 'DOC' || multi) throw E.txSingle();
      const id = this.docIdFromQuery(body, now);
      const current = this.txRead(tx, coll, id);
      if (!current) {
        if (!upsert) return { data: { updated: 0 } };
        const next = this.applyUpdate({ _id: id }, id, data, merge).doc;
        this.txWrite(tx, coll, id, next);
        return { data: { updated: 0, upsert_id: id } };
      }
      const r = this.applyUpdate(current, id, data, merge);
      if (r.changed) this.txWrite(tx, coll, id, r.doc);
      return { data: { updated: r.changed ? 1 : 0 } };
    }
    const query = this.query(body, now);
    if (body.queryType === 'DOC' && query._id === undefined) throw E.param('a DOC query needs an _id');
    let matches = this.matching(coll, query);
    if (!multi) matches = matches.slice(0, 1);
    if (matches.length === 0) {
      if (!upsert) return { data: { updated: 0 } };
      const base = this.upsertBase(query, typeof query._id === 'string' ? query._id : undefined);
      const id = base._id as string;
      const next = merge
        ? this.applyUpdate(base, id, data, true).doc
        : this.applyUpdate(base, id, data, false).doc;
      this.commitWrites([{ coll, id, doc: next }]);
      return { data: { updated: 0, upsert_id: id } };
    }
    const writes: DocWrite[] = [];
    for (const [id, doc] of matches) {
      const r = this.applyUpdate(doc, id, data, merge);
      if (r.changed) writes.push({ coll, id, doc: r.doc });
    }
    this.commitWrites(writes);
    return { data: { updated: writes.length } };
  }

  private removeDocument(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    const tx = this.tx(body);
    if (tx) {
      if (body.queryType !== 'DOC' || body.multi === true) throw E.txSingle();
      const id = this.docIdFromQuery(body, now);
      if (!this.txRead(tx, coll, id)) return { data: { deleted: 0 } };
      this.txWrite(tx, coll, id, null);
      return { data: { deleted: 1 } };
    }
    const query = this.query(body, now);
    let matches = this.matching(coll, query);
    if (body.multi !== true) matches = matches.slice(0, 1);
    this.applyWrites(matches.map(([id]) => ({ coll, id, doc: null })));
    return { data: { deleted: matches.length } };
  }

  private calculateDocument(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    if (this.tx(body)) throw E.txSingle();
    return { data: { total: this.matching(coll, this.query(body, now)).length } };
  }

  private aggregateDocuments(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    if (this.tx(body)) throw E.txSingle();
    if (!Array.isArray(body.stages)) throw E.param('stages must be an array');
    const pipeline = body.stages.map((s, i) => {
      if (!isPlainObject(s) || typeof s.stageKey !== 'string' || !s.stageKey.startsWith('$')) {
        throw E.param(`stages[${i}] needs stageKey and stageValue`);
      }
      return { [s.stageKey]: parseEjson(s.stageValue, `stages[${i}].stageValue`, now) };
    });
    let list: Doc[];
    try {
      // A leading plain $match (no $expr, no variables) selects documents the way a query does, so only the
      // matches are copied into the pipeline; `$lookup` stages read the foreign documents they need from the
      // indexes (emulator/lookups.ts). What a database would serve from an index stays cheap here too, and the
      // results are the same.
      let input: Doc[];
      let stages = pipeline;
      const first = plainMatch(stages[0]);
      if (first) {
        input = this.matching(coll, first).map(([, d]) => copyDoc(d));
        stages = stages.slice(1);
      } else {
        input = this.store.all(coll).map((d) => copyDoc(d.doc));
      }
      list = runPipeline(this.lookupSource, stages, input);
    } catch (e) {
      throw mingoError(e);
    }
    return { data: { list: list.map(toEjson) } };
  }

  private readonly lookupSource: LookupSource = {
    matching: (coll, query, ordered = true) => {
      if (!this.store.hasCollection(coll)) throw E.notExist(coll);
      return this.matching(coll, query, ordered).map(([, d]) => d);
    },
    count: (coll, query) => {
      if (!this.store.hasCollection(coll)) throw E.notExist(coll);
      return this.store.indexesOf(coll)?.exactCount(query) ?? this.matching(coll, query, false).length;
    },
    orderedBy: (coll, query, field) => {
      if (!this.store.hasCollection(coll)) throw E.notExist(coll);
      const ids = this.store.indexesOf(coll)?.orderedBy(query, field);
      if (!ids) return undefined;
      // Read and tested one by one, as the page is walked: a page of 20 from 20,000 tests about 20.
      let q: Query | undefined;
      const mingoQuery = () => (q ??= new Query(query));
      return {
        size: ids.length,
        entry: (i: number) => {
          const d = this.store.get(coll, ids[i]);
          if (!d) return undefined;
          return { doc: d.doc, match: this.testAll(mingoQuery, query, [[ids[i], d]]).length > 0 };
        },
      };
    },
    positionOf: (coll) => {
      const indexes = this.store.indexesOf(coll);
      return indexes ? (id) => indexes.positionOf(id) : undefined;
    },
    copies: (coll) => {
      if (!this.store.hasCollection(coll)) throw E.notExist(coll);
      const all = this.store.all(coll);
      this.examined += all.length;
      return all.map((d) => copyDoc(d.doc));
    },
  };

  private modifyAndReturnDoc(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    if (this.tx(body)) throw E.txSingle();
    const data = parseEjsonObject(body.data, 'data', now);
    const match = this.matching(coll, this.query(body, now))[0];
    if (!match) return { data: { updated: 0, doc: null } };
    const [id, doc] = match;
    const r = this.applyUpdate(doc, id, data, true);
    if (r.changed) this.commitWrites([{ coll, id, doc: r.doc }]);
    return { data: { updated: r.changed ? 1 : 0, doc: toEjson(r.doc) } };
  }

  private startTransaction(): Doc {
    this.expireTransactions();
    const id = `tx-${crypto.randomBytes(12).toString('hex')}`;
    this.txs.set(id, {
      id,
      started: performance.now(),
      snapshot: this.store.currentVersion(),
      reads: new Map(),
      writes: new Map(),
      doomed: false,
    });
    return { transactionId: id };
  }

  private requireTx(body: Doc): Tx {
    const tx = this.tx(body);
    if (!tx) throw E.param('transactionId is required');
    return tx;
  }

  private commitTransaction(body: Doc): Doc {
    const tx = this.requireTx(body);
    try {
      if (tx.doomed) throw E.conflict();
      for (const [key, ver] of tx.reads) {
        const [coll, id] = key.split('\u0000') as [string, string];
        if (this.store.version(coll, id) !== ver) throw E.conflict();
      }
      // Its own writes must not wait for its own locks, and history is kept for the others' snapshots.
      this.commitWrites([...tx.writes.values()]);
    } finally {
      this.endTx(tx);
    }
    return {};
  }

  private abortTransaction(body: Doc): Doc {
    const tx = this.requireTx(body);
    this.endTx(tx);
    return {};
  }

  // Older transaction API (Transaction in @cloudbase/database/src/transaction.ts)
  private oldApiId(body: Doc): string {
    if (typeof body._id !== 'string' || !body._id) throw E.param('_id is required');
    return body._id;
  }

  private getInTransaction(body: Doc): Doc {
    const coll = this.collection(body);
    const tx = this.requireTx(body);
    const doc = this.txRead(tx, coll, this.oldApiId(body));
    return { data: toEjson(doc ?? null) };
  }

  private updateDocInTransaction(body: Doc, now: number): Doc {
    const coll = this.collection(body);
    const tx = this.requireTx(body);
    const id = this.oldApiId(body);
    const data = parseEjsonObject(body.data, 'data', now);
    const replace = body.upsert === true;
    const current = this.txRead(tx, coll, id);
    if (!current) {
      if (!replace) return { updated: '0' };
      this.txWrite(tx, coll, id, this.applyUpdate({ _id: id }, id, data, false).doc);
      return { updated: '0', upserted: JSON.stringify([{ _id: id }]) };
    }
    const r = this.applyUpdate(current, id, data, !replace);
    if (r.changed) this.txWrite(tx, coll, id, r.doc);
    return { updated: r.changed ? '1' : '0' };
  }

  private deleteDocInTransaction(body: Doc): Doc {
    const coll = this.collection(body);
    const tx = this.requireTx(body);
    const id = this.oldApiId(body);
    if (!this.txRead(tx, coll, id)) return { deleted: '0' };
    this.txWrite(tx, coll, id, null);
    return { deleted: '1' };
  }
}

/** The condition of a `$match` stage that needs no expression evaluation or variables, else undefined. */
function plainMatch(stage: unknown): Doc | undefined {
  if (!isPlainObject(stage) || !isPlainObject(stage.$match)) return undefined;
  const text = JSON.stringify(stage.$match);
  return text.includes('"$expr"') || text.includes('$$') ? undefined : stage.$match;
}
