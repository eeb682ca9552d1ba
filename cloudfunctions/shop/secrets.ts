/** The shop's secrets and signatures: HMAC-SHA256 over core's payload layouts (card tokens, counter QR codes). */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { InternalError } from '../common/errors';

function secret(name: 'CARD_TOKEN_SECRET' | 'QR_SECRET'): string {
  const value = process.env[name];
  if (!value || value.length < 16) {
    console.error(`${name} is not configured (at least 16 characters)`);
    throw new InternalError();
  }
  return value;
}

export const cardSecret = () => secret('CARD_TOKEN_SECRET');
export const qrSecret = () => secret('QR_SECRET');

/** Seconds a QR code stays valid (`QR_TTL_SECONDS`, default 120). */
export function qrTtlSeconds(): number {
  const value = Number(process.env.QR_TTL_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 120;
}

export function sign(key: string, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function verify(key: string, payload: string, mac: string): boolean {
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
