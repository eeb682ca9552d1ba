/**
 * The family PIN (兑换密码): hashing, and the tries counted and the lock checked before a PIN is compared.
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { isTransactionConflict, transaction, txGet } from '../common/data';
import { ConflictError, RefusedError } from '../common/errors';
import { COLLECTIONS, type PinDoc } from '../common/model';

export function hashPin(pin: string, salt = randomBytes(12).toString('hex')): { salt: string; hash: string } {
  return { salt, hash: pbkdf2Sync(pin, salt, 20000, 32, 'sha256').toString('hex') };
}

export function pinMatches(pin: string, stored: { salt: string; hash: string }): boolean {
  const { hash } = hashPin(pin, stored.salt);
  return timingSafeEqual(Buffer.from(hash), Buffer.from(stored.hash));
}

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 15;

export const pinLocked = (pin: PinDoc, at: Date): boolean =>
  !!pin.lockedUntil && new Date(pin.lockedUntil).getTime() > at.getTime();

export const pinLockedError = () =>
  new RefusedError('PIN_LOCKED', `兑换密码连续输错${PIN_MAX_FAILURES}次，请${PIN_LOCK_MINUTES}分钟后再试`);

/**
 * One try of a family's PIN (at the counter, or as the old PIN when changing it). The lock is checked and the try
 * counted in ONE transaction BEFORE the PIN is compared, so parallel tries can't slip past the count: the fifth
 * in a row locks the PIN for a while. A right PIN leaves the count for the caller to clear with its write; a
 * wrong one is refused with the tries left. A family without a PIN passes.
 */
export async function attemptPin(familyId: string, given: string, at: Date): Promise<void> {
  let stored: PinDoc | null = null;
  let left = PIN_MAX_FAILURES;
  try {
    await transaction(async (tx) => {
      const pin = await txGet<PinDoc>(tx, COLLECTIONS.pins, familyId);
      stored = pin;
      if (!pin) return;
      if (pinLocked(pin, at)) throw pinLockedError();
      const failures = (pin.failures ?? 0) + 1;
      const locks = failures >= PIN_MAX_FAILURES;
      left = PIN_MAX_FAILURES - failures;
      await tx
        .collection(COLLECTIONS.pins)
        .doc(familyId)
        .update({
          data: locks
            ? { failures: 0, lockedUntil: new Date(at.getTime() + PIN_LOCK_MINUTES * 60_000) }
            : { failures },
        });
    });
  } catch (error) {
    if (isTransactionConflict(error)) throw new ConflictError('收银台繁忙，请稍后重试', { reason: 'BUSY' });
    throw error;
  }
  const pin = stored as PinDoc | null;
  if (!pin) return;
  if (pinMatches(given, pin)) return;
  throw left > 0
    ? new RefusedError('PIN_WRONG', `兑换密码不正确，还可以再试${left}次`, { attemptsLeft: left })
    : pinLockedError();
}
