/**
 * Bulk work in chunks: a job document records what is to be done and how far it got; each call does the next
 * chunk and returns the progress, and the page calls again until `finished`. A chunk writes its items under ids
 * derived from the job, then records its outcomes with `set` (never a push or an increment), so a chunk that
 * failed or timed out halfway is simply run again: what it wrote is found and not written twice.
 *
 * Budget: a chunk makes at most CHUNK_REQUEST_BUDGET database requests, what fits in 10 s at 30 ms per request
 * (half of the 20 s function timeout), whatever the size of the village.
 */
import { createHash } from 'node:crypto';
import type { Caller } from './caller';
import { collection, getById } from './data';
import { ForbiddenError, NotFoundError } from './errors';
import { COLLECTIONS, type JobDoc, type JobOutcome } from './model';

/** 10 s at 30 ms per request. */
export const CHUNK_REQUEST_BUDGET = Math.floor(10_000 / 30);

/** The id of something a job writes for its item `index` (and part `part` of it): the same on every retry. */
export function jobItemId(prefix: string, jobId: string, index: number, part = 0): string {
  return `${prefix}${createHash('sha256').update(`${jobId}\n${index}\n${part}`).digest('hex').slice(0, 24)}`;
}

/** The job, if it is the caller's own; NOT_FOUND otherwise (another person's job is none of theirs). */
export async function ownJob(caller: Caller, jobId: string, kind: JobDoc['kind']): Promise<JobDoc> {
  const job = await getById<JobDoc>(COLLECTIONS.jobs, jobId);
  if (!job || job.kind !== kind) throw new NotFoundError('找不到该批量任务');
  if (job.createdBy !== caller.openid) throw new ForbiddenError('这是其他人发起的批量任务');
  return job;
}

/**
 * Records a chunk's outcomes and the progress (absolute values: a retry writes the same), only where the job is
 * still where the chunk started: of two calls that ran the same chunk at once (a double tap), one records it and
 * `advanced` tells which, so what follows a chunk (telling residents) happens once.
 */
export async function recordChunk(
  job: JobDoc,
  start: number,
  outcomes: JobOutcome[],
  at: Date,
): Promise<{ job: JobDoc; advanced: boolean }> {
  const done = start + outcomes.length;
  const finished = done >= job.total;
  const res = await collection(COLLECTIONS.jobs)
    .where({ _id: job._id, done: start })
    .update({ data: { [`chunks.${start}`]: outcomes, done, finished, updatedAt: at } });
  return {
    job: { ...job, done, finished, chunks: { ...job.chunks, [start]: outcomes } },
    advanced: (res?.stats?.updated ?? 0) > 0,
  };
}

/** Every outcome so far, in item order. */
export function allOutcomes(job: JobDoc): JobOutcome[] {
  return Object.keys(job.chunks)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((start) => job.chunks[start]);
}

/** What a caller sees of a job: progress, and the outcomes of the chunk just done (or all, on request). */
export function jobView(job: JobDoc, outcomes: JobOutcome[]) {
  const all = allOutcomes(job);
  return {
    jobId: job._id,
    total: job.total,
    done: job.done,
    finished: job.finished,
    succeeded: all.filter((o) => o.ok).length,
    failed: all.filter((o) => !o.ok).length,
    outcomes,
  };
}
