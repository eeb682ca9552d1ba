/** `moveFund`, the only code that changes a village fund's balance, and the policy's decision on a movement. */
import { DEFAULT_FEN_PER_POINT, formatYuan, type FundMovementKind } from '../../miniprogram/core/fund';
import { monthOf, yearOf } from '../../miniprogram/core/time';
import type { Caller } from './caller';
import { callerName } from './caller';
import { txGet, txSet, _, type Tx } from './data';
import { RefusedError } from './errors';
import { COLLECTIONS, type FundDoc, type FundMovementDoc } from './model';
import { newId } from './writes';
import { decideFund, type Approved } from '../../miniprogram/core/policy';
import { actorOf, approve, checkApproved } from './policy';

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
  await txSet(tx, COLLECTIONS.fundMovements, doc);
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

/**
 * Pays `fen` (an award, a service's cost) out of a village's fund under the policy, in the caller's transaction;
 * nothing is written when there is nothing to pay.
 */
export async function payFromFund(
  tx: Tx,
  caller: Caller,
  fund: { townId: string; villageId: string },
  fen: number,
  payment: Pick<FundMove, 'kind' | 'note' | 'ref' | 'at'>,
): Promise<void> {
  if (fen > 0)
    await moveApprovedFund(tx, caller, {
      townId: fund.townId,
      villageId: fund.villageId,
      amountFen: -fen,
      ...payment,
    });
}
