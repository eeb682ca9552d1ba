/** Reading error envelopes the way pages need them. */
import type { ErrorBody } from '../core/envelope';

/** The caller's WeChat is not linked to a family member yet (bind with an invite code on 家庭). */
export function isNotLinked(error: ErrorBody): boolean {
  return error.code === 'FORBIDDEN' && error.details?.reason === 'NOT_LINKED';
}

/** The first field message of an INVALID_INPUT, else the error's message. */
export function errorText(error: ErrorBody): string {
  const issues = error.details?.issues;
  if (error.code === 'INVALID_INPUT' && Array.isArray(issues) && issues.length > 0) {
    const first = issues[0] as { message?: unknown };
    if (typeof first.message === 'string') return first.message;
  }
  return error.message;
}
