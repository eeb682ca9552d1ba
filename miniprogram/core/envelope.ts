/**
 * The one response shape every cloud function returns, and the stable error codes programs can rely on.
 * Types only: the functions build envelopes, the mini-program's client reads them.
 */

export type ErrorCode =
  /** The input failed validation; `details` lists the fields. */
  | 'INVALID_INPUT'
  /** The action name is not one this function has. */
  | 'UNKNOWN_ACTION'
  /** No WeChat identity came with the call. */
  | 'UNAUTHENTICATED'
  /** The caller lacks the role or scope the action needs. */
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  /** The request conflicts with the current state (already decided, already bound, month locked …). */
  | 'CONFLICT'
  /** A business rule refused it (not enough points, suspended family, cap reached …); `details.reason` says which. */
  | 'REFUSED'
  /** The client could not reach the function at all (set by the mini-program's client, never by a function). */
  | 'NETWORK'
  | 'INTERNAL';

export interface ErrorBody {
  code: ErrorCode;
  /** Simplified Chinese, for people. */
  message: string;
  details?: Record<string, unknown>;
  requestId: string;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** What the mini-program sends as the function's event. */
export interface ActionEvent<I = unknown> {
  action: string;
  input?: I;
}
