/** Bulk work in chunks (an import of households, a bulk approval of claims): what the pages and scripts read. */

/** What happened to one item of a bulk job (a household of an import, a claim of a bulk approval). */
export interface JobOutcome {
  /** The household number, or the claim id. */
  key: string;
  /** The household (`<head>家`), or the member and the rule; empty when the claim could not be read. */
  label: string;
  ok: boolean;
  /** 已导入 / 已通过, or why not. */
  message: string;
  members?: number;
}

/** A bulk job's progress after a chunk: call `…Next` with `jobId` until `finished`. */
export interface JobProgress {
  jobId: string;
  total: number;
  done: number;
  finished: boolean;
  succeeded: number;
  failed: number;
  /** The outcomes of the chunk just done. */
  outcomes: JobOutcome[];
}

export interface JobNextInput {
  jobId: string;
}
