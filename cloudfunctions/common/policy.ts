/**
 * The functions' side of the integrity policy (`miniprogram/core/policy`): the caller as the policy sees them,
 * and turning a decision into its token or a typed refusal (REFUSED with the policy's stable code as reason).
 */
import type { Actor, Approved, Decision, WriteKind } from '../../miniprogram/core/policy';
import type { Caller } from './caller';
import { hasRole } from './caller';
import { RefusedError } from './errors';

export function actorOf(caller: Caller): Actor {
  return {
    openid: caller.openid,
    familyId: caller.profile?.familyId ?? null,
    townAdmin: hasRole(caller, 'townAdmin'),
  };
}

/** The token of an approving decision; a refusal is thrown as REFUSED with its code and message. */
export function approve<K extends WriteKind>(decision: Decision<K>): Approved<K> {
  if (!decision.ok) throw new RefusedError(decision.code, decision.message);
  return decision.approved;
}

/** A writer's guard: the token must be of its kind and for exactly the amount it is about to write. */
export function checkApproved(approved: Approved, kind: WriteKind, amount: number): void {
  if (!approved || approved.kind !== kind || approved.amount !== amount) {
    throw new Error(`write of ${kind} ${amount} without a matching policy decision`);
  }
}
