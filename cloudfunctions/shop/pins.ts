/**
 * The family PIN (兑换密码): hashing, and the tries counted and the lock checked before a PIN is compared.
 */
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { isTransactionConflict, transaction, txGet } from '../common/data';
import { ConflictError, RefusedError } from '../common/errors';
import { COLLECTIONS, type PinDoc } from '../common/model';
import { PIN_LOCKED_MESSAGE, pinLocked, pinTry } from '../../miniprogram/core/shop';

export function hashPin(pin: string, salt = randomBytes(12).toString('hex')): { salt: string; hash: string } {
  return { salt, hash: pbkdf2Sync(pin, salt, 20000, 32, 'sha256').toString('hex') };
}

export function pinMatches(pin: string, stored: { salt: string; hash: string }): boolean {
  const { hash } = hashPin(pin, stored.salt);
  return timingSafeEqual(Buffer.from(hash), Buffer.from(stored.hash));
}

export { PIN_LOCK_MINUTES, PIN_MAX_FAILURES, pinLocked } from '../../miniprogram/core/shop';

type PinTry = ReturnType<typeof pinTry>;

export const pinLockedError = () => new RefusedError('PIN_LOCKED', PIN_LOCKED_MESSAGE);

/**
 * One try of a family's PIN (at the counter, or as the old PIN when changing it). The lock is checked and the try
 * counted in ONE transaction BEFORE the PIN is compared, so parallel tries can't slip past the count: the fifth
 * in a row locks the PIN for a while (core `pinTry` says what to store and the refusal). A right PIN leaves the
 * count for the caller to clear with its write; a wrong one is refused with the tries left. A family without a
 * PIN passes.
 */
export async function attemptPin(familyId: string, given: string, at: Date): Promise<void> {
  let stored: PinDoc | null = null;
  let counted: PinTry | null = null;
  try {
    await transaction(async (tx) => {
      const pin = await txGet<PinDoc>(tx, COLLECTIONS.pins, familyId);
      stored = pin;
      if (!pin) return;
      if (pinLocked(pin, at)) throw pinLockedError();
      counted = pinTry(pin.failures, at);
      await tx.collection(COLLECTIONS.pins).doc(familyId).update({ data: counted.store });
    });
  } catch (error) {
    if (isTransactionConflict(error)) throw new ConflictError('收银台繁忙，请稍后重试', { reason: 'BUSY' });
    throw error;
  }
  const pin = stored as PinDoc | null;
  if (!pin || pinMatches(given, pin)) return;
  const wrong = (counted as PinTry | null)?.ifWrong;
  throw wrong?.code === 'PIN_WRONG'
    ? new RefusedError(wrong.code, wrong.message, { attemptsLeft: wrong.attemptsLeft })
    : pinLockedError();
}
