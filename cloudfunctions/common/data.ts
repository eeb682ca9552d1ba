/**
 * Typed access to the database through wx-server-sdk. The SDK's own typings are loose (`Promise<…> | void`),
 * so this is the one place that narrows them. Every function gets its database from here.
 */
import { cloud } from './cloud';
import { NotFoundError } from './errors';
import type { CollectionName } from './model';

export const db = cloud.database();
export const _ = db.command;

interface Docs<T> {
  data: T[];
}

/** A transaction handle as `runTransaction` passes it. */
export interface Tx {
  collection(name: CollectionName): {
    doc(id: string): {
      get(): Promise<{ data: unknown }>;
      set(options: { data: object }): Promise<unknown>;
      update(options: { data: object }): Promise<{ stats: { updated: number } }>;
      remove(): Promise<unknown>;
    };
    add(options: { data: object }): Promise<{ _id: string }>;
  };
}

export function collection(name: CollectionName) {
  return db.collection(name);
}

/** Reads one document by id, or null when it doesn't exist (the SDK throws for a missing doc). */
export async function getById<T>(name: CollectionName, id: string): Promise<T | null> {
  const res = (await db.collection(name).where({ _id: id }).limit(1).get()) as unknown as Docs<T>;
  return res.data[0] ?? null;
}

/** Reads one document by id; a missing one is refused with `missing` (NOT_FOUND). */
export async function getExisting<T>(name: CollectionName, id: string, missing: string): Promise<T> {
  const doc = await getById<T>(name, id);
  if (!doc) throw new NotFoundError(missing);
  return doc;
}

export async function find<T>(
  name: CollectionName,
  where: object,
  options: { orderBy?: [string, 'asc' | 'desc'][]; limit?: number; skip?: number; fields?: object } = {},
): Promise<T[]> {
  let query = db.collection(name).where(where);
  for (const [field, order] of options.orderBy ?? []) query = query.orderBy(field, order);
  if (options.skip) query = query.skip(options.skip);
  query = query.limit(options.limit ?? 100);
  if (options.fields) query = query.field(options.fields);
  const res = (await query.get()) as unknown as Docs<T>;
  return res.data;
}

/** One page of a list, newest first by `field`: `size` documents from `offset` (the page a list action answers). */
export function newestFirst<T>(
  name: CollectionName,
  where: object,
  field: string,
  offset: number | undefined,
  size: number,
): Promise<T[]> {
  return find<T>(name, where, { orderBy: [[field, 'desc']], skip: offset, limit: size });
}

export async function count(name: CollectionName, where: object): Promise<number> {
  const res = (await db.collection(name).where(where).count()) as unknown as { total: number };
  return res.total;
}

/** Runs an aggregation pipeline given as `[stageName, value]` pairs. */
export async function aggregate<T>(name: CollectionName, stages: [string, unknown][]): Promise<T[]> {
  // The SDK's builder is untyped; stages are applied in order.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let pipeline: any = db.collection(name).aggregate();
  for (const [stage, value] of stages) pipeline = pipeline[stage](value);
  const res = (await pipeline.end()) as { list: T[] };
  return res.list;
}

/** Reads a document inside a transaction, or null when it doesn't exist. */
export async function txGet<T>(tx: Tx, name: CollectionName, id: string): Promise<T | null> {
  try {
    const res = await tx.collection(name).doc(id).get();
    return (res.data as T | null) ?? null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Creates (or replaces) `doc` under its own `_id` in `name`, inside a transaction. */
export async function txSet(tx: Tx, name: CollectionName, doc: { _id: string }): Promise<void> {
  const { _id, ...data } = doc;
  await tx.collection(name).doc(_id).set({ data });
}

/** Reads a document inside a transaction; a missing one is refused with `missing` (NOT_FOUND). */
export async function txGetExisting<T>(
  tx: Tx,
  name: CollectionName,
  id: string,
  missing: string,
): Promise<T> {
  const doc = await txGet<T>(tx, name, id);
  if (!doc) throw new NotFoundError(missing);
  return doc;
}

function isNotFound(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /not ?exist|not found|DOCUMENT_NOT_EXIST/i.test(text);
}

/** Whether an error is CloudBase telling us another transaction touched the same document. */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as { code?: unknown; errCode?: unknown; message?: unknown; errMsg?: unknown } | null;
  if (!e) return false;
  if (e.code === 'DATABASE_TRANSACTION_CONFLICT') return true;
  return /transaction[^.]*conflict/i.test(`${String(e.message ?? '')} ${String(e.errMsg ?? '')}`);
}

const CONFLICT_RETRIES = 5;

/**
 * Runs `work` in one database transaction. Whatever `work` throws aborts the transaction and is thrown again
 * unchanged. A write conflict with a concurrent transaction is retried from the start (the SDK's own retry only
 * sees the raw error code, which wx-server-sdk rewraps when a document operation fails), so the work re-reads
 * what the other transaction committed.
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await db.runTransaction(async (tx: Tx) => work(tx), 0)) as T;
    } catch (error) {
      if (attempt >= CONFLICT_RETRIES || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20 * attempt)));
    }
  }
}

/** The server's clock lives in ./clock; re-exported here because most handlers import their data helpers from one place. */
export { now } from './clock';
