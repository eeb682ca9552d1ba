/**
 * What the shop function's areas share: secrets and signatures (HMAC-SHA256 over core's payload layouts), PIN
 * hashing, who may act for a shop, and `moveFund`, the only code that changes a village fund's balance.
 */
import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DEFAULT_FEN_PER_POINT, formatYuan, type FundMovementKind } from '../../miniprogram/core/fund';
import { monthOf, yearOf } from '../../miniprogram/core/time';
import { canManageShopRoles, isClerkOfRoles } from '../../miniprogram/core/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { getById, isTransactionConflict, transaction, txGet, _, type Tx } from '../common/data';
import { ConflictError, ForbiddenError, InternalError, NotFoundError, RefusedError } from '../common/errors';
import { COLLECTIONS, type FundDoc, type FundMovementDoc, type PinDoc, type ShopDoc } from '../common/model';
import { newId } from '../common/writes';
import { decideFund, type Approved } from '../../miniprogram/core/policy';
import { actorOf, approve, checkApproved } from '../common/policy';

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

export function hashPin(pin: string, salt = randomBytes(12).toString('hex')): { salt: string; hash: string } {
  return { salt, hash: pbkdf2Sync(pin, salt, 20000, 32, 'sha256').toString('hex') };
}

export function pinMatches(pin: string, stored: { salt: string; hash: string }): boolean {
  const { hash } = hashPin(pin, stored.salt);
  return timingSafeEqual(Buffer.from(hash), Buffer.from(stored.hash));
}

export async function loadShop(shopId: string): Promise<ShopDoc> {
  const shop = await getById<ShopDoc>(COLLECTIONS.shops, shopId);
  if (!shop) throw new NotFoundError('找不到该超市');
  return shop;
}

export function isClerkOf(caller: Caller, shopId: string): boolean {
  return isClerkOfRoles(caller.roles, shopId);
}

export function requireClerk(caller: Caller, shopId: string): void {
  if (!isClerkOf(caller, shopId)) throw new ForbiddenError('您不是本超市的收银员', { reason: 'NOT_CLERK' });
}

/** The shop's managers: town admins and the cadres of the village that runs it. */
export function canManageShop(caller: Caller, shop: ShopDoc): boolean {
  return canManageShopRoles(caller.roles, shop);
}

export function requireShopStaff(caller: Caller, shop: ShopDoc): void {
  if (!isClerkOf(caller, shop._id) && !canManageShop(caller, shop))
    throw new ForbiddenError('您不是本超市的收银员或管理人员');
}

export function newFund(townId: string, villageId: string, at: Date): Omit<FundDoc, '_id'> {
  return {
    townId,
    villageId,
    balanceFen: 0,
    fenPerPoint: DEFAULT_FEN_PER_POINT,
    pinAbovePoints: null,
    updatedAt: at,
  };
}

export interface FundMove {
  townId: string;
  villageId: string;
  kind: FundMovementKind;
  amountFen: number;
  note: string;
  ref: FundMovementDoc['ref'];
  netIncomeFen?: number | null;
  donor?: string | null;
  id?: string;
  at: Date;
}

/**
 * The policy's decision on a fund movement (`core/policy` `decideFund`), read in the caller's transaction: cash
 * paid out (an expense, champion awards, a service's cost) can't exceed what the fund holds. Goods redeemed at a
 * shop are charged at cost even when the fund runs short: that is a debt the village owes the shop (the
 * settlement and the fund's health show it), and villagers are not turned away at the counter for it.
 */
export async function approveFund(tx: Tx, caller: Caller, move: FundMove): Promise<Approved<'fund'>> {
  const balance =
    move.amountFen < 0 ? ((await txGet<FundDoc>(tx, COLLECTIONS.funds, move.villageId))?.balanceFen ?? 0) : 0;
  return fundApproval(caller, move, balance);
}

/** The policy's decision on a fund movement, given the fund's balance as the caller read it. */
export function fundApproval(caller: Caller, move: FundMove, balance: number): Approved<'fund'> {
  const decision = decideFund({
    purpose: move.kind,
    maker: actorOf(caller),
    amountFen: move.amountFen,
    balanceFen: balance,
  });
  if (!decision.ok && decision.code === 'FUND_INSUFFICIENT')
    throw new RefusedError(
      'FUND_INSUFFICIENT',
      `积分基金余额不足：需支出${formatYuan(-move.amountFen)}，余额${formatYuan(Math.max(balance, 0))}`,
      { balanceFen: balance },
    );
  return approve(decision);
}

/**
 * Appends a fund movement and moves the village's stored balance by the same amount, in the caller's
 * transaction, with the policy's decision for exactly this amount. A redemption's charge is incremented without
 * reading the balance, so redemptions of different families of one village don't conflict on it; the fund
 * document is created when a village has none yet.
 */
export async function moveFund(
  tx: Tx,
  caller: Caller,
  move: FundMove,
  approved: Approved<'fund'>,
): Promise<FundMovementDoc> {
  checkApproved(approved, 'fund', move.amountFen);
  const doc: FundMovementDoc = {
    _id: move.id ?? newId('f'),
    townId: move.townId,
    villageId: move.villageId,
    kind: move.kind,
    amountFen: move.amountFen,
    netIncomeFen: move.netIncomeFen ?? null,
    donor: move.donor ?? null,
    note: move.note,
    ref: move.ref,
    by: caller.openid,
    byName: callerName(caller),
    month: monthOf(move.at),
    year: yearOf(move.at),
    at: move.at,
  };
  const { _id, ...data } = doc;
  await tx.collection(COLLECTIONS.fundMovements).doc(_id).set({ data });
  const res = await tx
    .collection(COLLECTIONS.funds)
    .doc(move.villageId)
    .update({ data: { balanceFen: _.inc(move.amountFen), updatedAt: move.at } });
  if (!res?.stats?.updated) {
    await tx
      .collection(COLLECTIONS.funds)
      .doc(move.villageId)
      .set({ data: { ...newFund(move.townId, move.villageId, move.at), balanceFen: move.amountFen } });
  }
  return doc;
}

/** Asks the policy about a fund movement and, if approved, writes it (the usual way to move a fund). */
export async function moveApprovedFund(tx: Tx, caller: Caller, move: FundMove): Promise<FundMovementDoc> {
  return moveFund(tx, caller, move, await approveFund(tx, caller, move));
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
