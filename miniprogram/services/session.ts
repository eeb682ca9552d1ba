/**
 * Who is using the phone (`accounts` / `session.me`), fetched once and kept until cleared — after linking
 * with an invite code or switching the developer identity.
 */
import type { SessionMeOutput } from '../contract/accounts';
import type { Envelope } from '../core/envelope';
import { call } from './client';

let cached: Promise<Envelope<SessionMeOutput>> | null = null;

export function getSession(refresh = false): Promise<Envelope<SessionMeOutput>> {
  if (!cached || refresh) {
    const request = call('accounts', 'session.me', {});
    cached = request;
    // A failure is not cached: the next caller asks again.
    void request.then((envelope) => {
      if (!envelope.ok && cached === request) cached = null;
    });
  }
  return cached;
}

export function clearSession(): void {
  cached = null;
}
