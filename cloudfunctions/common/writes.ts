/**
 * Pieces every write shares: ids, the audit trail, and request ids that make a retry return the first result
 * and apply once. Both the trail entry and the request record are written in the caller's transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Caller } from './caller';
import { callerName } from './caller';
import { ConflictError } from './errors';
import { nowMs } from './clock';
import { getById, txGet, txSet, type Tx } from './data';
import { COLLECTIONS, type AuditDoc, type CollectionName, type RequestDoc } from './model';

export function newId(prefix = ''): string {
  return `${prefix}${nowMs().toString(36)}${randomBytes(6).toString('hex')}`;
}

/**
 * The id of a document created for a caller's request (a claim, a board entry, an objection): derived from the
 * caller and the client's request id, so a retried request finds what the first one created.
 */
export function derivedId(prefix: string, caller: Caller, requestId: string, line = 0): string {
  return `${prefix}${createHash('sha256').update(`${caller.openid}\n${requestId}\n${line}`).digest('hex').slice(0, 24)}`;
}

export async function audit(
  tx: Tx,
  caller: Caller,
  entry: {
    townId: string;
    villageId: string | null;
    action: string;
    target: { collection: CollectionName; id: string };
    summary: string;
    onBehalfOf?: string | null;
    at: Date;
  },
): Promise<void> {
  const doc: AuditDoc = {
    townId: entry.townId,
    villageId: entry.villageId,
    actor: caller.openid,
    actorName: callerName(caller),
    onBehalfOf: entry.onBehalfOf ?? null,
    action: entry.action,
    target: entry.target,
    summary: entry.summary,
    at: entry.at,
  };
  await tx.collection(COLLECTIONS.audit).add({ data: doc });
}

/** Where a trail entry belongs: the town and the village (null: the town's own) of the thing changed. */
export interface TrailPlace {
  townId: string;
  villageId: string | null;
}

/** A village's own place in the trail (a change to the village document or to something it holds under its id). */
export function villagePlace(village: { _id: string; townId: string }): TrailPlace {
  return { townId: village.townId, villageId: village._id };
}

/** What a trail entry says about the write beside it. */
export interface TrailNote {
  action: string;
  summary: string;
  onBehalfOf?: string | null;
  at: Date;
}

/** Creates (or replaces) `doc` under its own id in `name`, and writes the trail entry about it, in the caller's transaction. */
export async function setWithTrail<D extends { _id: string }>(
  tx: Tx,
  caller: Caller,
  name: CollectionName,
  doc: D,
  place: TrailPlace,
  note: TrailNote,
): Promise<void> {
  await txSet(tx, name, doc);
  await audit(tx, caller, {
    townId: place.townId,
    villageId: place.villageId,
    target: { collection: name, id: doc._id },
    ...note,
  });
}

/** Updates the document `id` of `name` with `data`, and writes the trail entry about it, in the caller's transaction. */
export async function updateWithTrail(
  tx: Tx,
  caller: Caller,
  name: CollectionName,
  id: string,
  data: object,
  place: TrailPlace,
  note: TrailNote,
): Promise<void> {
  await tx.collection(name).doc(id).update({ data });
  await audit(tx, caller, {
    townId: place.townId,
    villageId: place.villageId,
    target: { collection: name, id },
    ...note,
  });
}

/** A processed request is remembered per caller AND action: the same id used for another action is another key. */
export function requestKey(caller: Caller, action: string, requestId: string): string {
  return `${caller.openid}_${action}_${requestId}`;
}

/** A stable hash of a request's input (keys sorted), to tell a true retry from a reused id. */
export function inputHash(input: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object' && !(value instanceof Date))
      return Object.fromEntries(
        Object.keys(value as Record<string, unknown>)
          .sort()
          .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
      );
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');
}

/**
 * Inside a transaction: if this caller already completed this action with `input.requestId`, returns its stored
 * result; otherwise runs `work` and stores its result, with a hash of the input, in the same transaction. The
 * same id with a different input is refused (CONFLICT, reason REQUEST_REUSED), never answered with the first
 * request's result. Two concurrent tries write the same request document, so only one commits; the other is
 * retried and finds the stored result.
 */
export async function once<T>(
  tx: Tx,
  caller: Caller,
  input: { requestId: string },
  action: string,
  at: Date,
  work: () => Promise<T>,
): Promise<T> {
  const key = requestKey(caller, action, input.requestId);
  const hash = inputHash(input);
  const done = await txGet<RequestDoc>(tx, COLLECTIONS.requests, key);
  if (done) {
    if (done.inputHash !== undefined && done.inputHash !== hash)
      throw new ConflictError('这个请求编号已用于另一项内容，请刷新后重新提交', { reason: 'REQUEST_REUSED' });
    return done.result as T;
  }
  const result = await work();
  const record: Omit<RequestDoc, '_id'> = { action, result, inputHash: hash, at };
  await tx.collection(COLLECTIONS.requests).doc(key).set({ data: record });
  return result;
}

/**
 * The document an earlier try of this request created under `id` (read outside a transaction), or null; a
 * retry must carry the same input (checkSameRequest).
 */
export async function earlierRequest<T extends { requestHash?: string }>(
  name: CollectionName,
  id: string,
  input: unknown,
): Promise<T | null> {
  const earlier = await getById<T>(name, id);
  if (earlier) checkSameRequest(earlier, input);
  return earlier;
}

/** The same inside a transaction: the earlier try's document with its id, or null. */
export async function txEarlierRequest<T extends { _id: string; requestHash?: string }>(
  tx: Tx,
  name: CollectionName,
  id: string,
  input: unknown,
): Promise<T | null> {
  const earlier = await txGet<T>(tx, name, id);
  if (!earlier) return null;
  checkSameRequest(earlier, input);
  return { ...earlier, _id: id };
}

/**
 * For documents created under an id derived from the request id (a claim, a board entry, an objection, a wish):
 * the first request's input hash is kept on the document, and a retry must carry the same input. The same id with
 * another input is refused, never answered with the first request's document.
 */
export function checkSameRequest(doc: { requestHash?: string }, input: unknown): void {
  if (doc.requestHash !== undefined && doc.requestHash !== inputHash(input))
    throw new ConflictError('这个请求编号已用于另一项内容，请刷新后重新提交', { reason: 'REQUEST_REUSED' });
}
