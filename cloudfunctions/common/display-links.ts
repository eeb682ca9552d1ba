/**
 * Display links for the big screen: the token is `<link id>.<signature>`, the signature an HMAC-SHA256 of the id
 * with `SCREEN_SECRET` (shared by the `points` function that creates links and the `screen` function that serves
 * them), so a made-up token is refused without reading the database; the link document says whether it was revoked.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SCREEN_SECRET_VAR = 'SCREEN_SECRET';
/** Where the big screen's page is served: CloudBase static hosting in production, the emulator locally. */
export const SCREEN_URL_VAR = 'SCREEN_URL';

export function screenSecret(): string | null {
  const secret = process.env[SCREEN_SECRET_VAR] ?? '';
  return secret.length >= 16 ? secret : null;
}

function signature(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(`screen\n${linkId}`).digest('base64url').slice(0, 32);
}

export function signLink(secret: string, linkId: string): string {
  return `${linkId}.${signature(secret, linkId)}`;
}

/** The link id of a well-signed token, or null. */
export function verifyLink(secret: string, token: string): string | null {
  const [linkId, sig, extra] = token.split('.');
  if (!linkId || !sig || extra !== undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(linkId)) return null;
  const want = Buffer.from(signature(secret, linkId));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got) ? linkId : null;
}

/** The page's address for a token: `<SCREEN_URL>?t=<token>`. */
export function screenUrl(token: string): string | null {
  const base = process.env[SCREEN_URL_VAR] ?? '';
  if (!base) return null;
  return `${base}${base.includes('?') ? '&' : '?'}t=${encodeURIComponent(token)}`;
}
