/**
 * 心愿定制. Reservation design: accepting a quote writes NO ledger entry; it adds the quote to the family's
 * `holds` document (reserved points). The family's `available` stays the fold of its entries (the ledger
 * invariant is untouched); what the counter and other wishes may spend is available − reserved. Done: the
 * reservation is released and a redemption entry spends the points (postEntry), in one transaction; cancelled:
 * the reservation is released. Every step notifies the family member who asked.
 */
import { formatPoints } from '../../miniprogram/core/points';
import { isSuspended } from '../../miniprogram/core/suspension';
import { monthOf, yearOf } from '../../miniprogram/core/time';
import {
  acceptRefusal,
  canStep,
  WISH_KIND_LABELS,
  WISH_STATUS_LABELS,
  type WishStep,
} from '../../miniprogram/core/wishes';
import { canManageVillage, canOverseeVillage, requireFamily, requireOwnMember } from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { _, now, transaction, txGet, type Tx, txGetExisting, newestFirst } from '../common/data';
import { ConflictError, ForbiddenError, RefusedError } from '../common/errors';
import { COLLECTIONS, type FamilyDoc, type HoldDoc, type WishDoc } from '../common/model';
import { notify, textIsSafe } from '../common/notify';
import { derivedId, inputHash, setWithTrail, txEarlierRequest } from '../common/writes';
import { postEntry, unchecked } from '../common/ledger';
import {
  defineShopActions,
  wishAcceptInput,
  wishCancelInput,
  wishDoneInput,
  wishesListInput,
  wishQuoteInput,
  wishRequestInput,
} from './schemas';
import { payFromFund } from '../common/fund';
import { actorOf, approve } from '../common/policy';
import { decidePoints } from '../../miniprogram/core/policy';
import { txFamilyById } from '../common/places';
import { pick } from '../common/fields';

function wishView(w: WishDoc) {
  return {
    id: w._id,
    ...pick(w, [
      'familyId',
      'familyName',
      'kind',
      'description',
      'status',
      'quotePoints',
      'quoteNote',
      'coordinatorName',
      'deliveredQuantity',
      'deliveredUnit',
      'requestedByName',
      'cancelReason',
      'createdAt',
      'updatedAt',
    ]),
    kindLabel: WISH_KIND_LABELS[w.kind],
    statusLabel: WISH_STATUS_LABELS[w.status],
  };
}

async function txWish(tx: Tx, wishId: string, step: WishStep): Promise<WishDoc> {
  const wish = await txGetExisting<WishDoc>(tx, COLLECTIONS.wishes, wishId, '找不到该心愿');
  if (!canStep(wish.status, step))
    throw new ConflictError(`该心愿${WISH_STATUS_LABELS[wish.status]}，不能再这样操作`, {
      status: wish.status,
    });
  return wish;
}

/** A wish is coordinated (quoted, done, its charge decided) by a cadre of the village, never for their own family. */
function requireCoordinator(caller: Caller, wish: WishDoc): void {
  if (!canManageVillage(caller, wish.villageId))
    throw new ForbiddenError('只有本村（社区）的干部可以协调心愿');
  if (caller.profile?.familyId && caller.profile.familyId === wish.familyId)
    throw new RefusedError('OWN_FAMILY', '不能协调本家庭的心愿，需由其他干部或镇管理员处理');
}

function requireOwnFamily(caller: Caller, wish: WishDoc): void {
  if (caller.profile?.familyId !== wish.familyId) throw new ForbiddenError('只能处理本家庭的心愿');
}

/** Moves the family's reserved points by `delta` in the transaction. */
async function reserve(
  tx: Tx,
  familyId: string,
  current: HoldDoc | null,
  delta: number,
  at: Date,
): Promise<void> {
  if (current) {
    await tx
      .collection(COLLECTIONS.holds)
      .doc(familyId)
      .update({ data: { reserved: _.inc(delta), updatedAt: at } });
  } else {
    await tx
      .collection(COLLECTIONS.holds)
      .doc(familyId)
      .set({ data: { reserved: delta, updatedAt: at } });
  }
}

/** Saves the wish's new state with the step in its history and an audit line. */
async function saveStep(
  tx: Tx,
  caller: Caller,
  wish: WishDoc,
  step: string,
  change: Partial<WishDoc>,
  summary: string,
  at: Date,
) {
  const next: WishDoc = {
    ...wish,
    ...change,
    history: [...wish.history, { step, by: caller.openid, byName: callerName(caller), at }],
    updatedAt: at,
  };
  await setWithTrail(tx, caller, COLLECTIONS.wishes, next, wish, {
    action: `wishes.${step}`,
    summary: `${WISH_KIND_LABELS[wish.kind]}（${wish.familyName}）：${summary}`,
    at,
  });
  return next;
}

async function tell(wish: WishDoc, what: string) {
  await notify('wishUpdated', wish.requestedBy, `pages/wishes/index?id=${wish._id}`, {
    thing1: WISH_KIND_LABELS[wish.kind],
    phrase2: WISH_STATUS_LABELS[wish.status],
    thing3: what,
  });
}

/** What a step changes on the wish, the trail's words for it, and what the family member who asked is told. */
interface StepChange {
  change: Partial<WishDoc>;
  summary: string;
  told: string;
}

/**
 * A step on a wish in one transaction: the wish as it stands (refused when `step` can't follow its status),
 * `work`'s checks and writes, then the step saved; afterwards the family member who asked is told.
 */
async function takeStep(
  caller: Caller,
  wishId: string,
  step: WishStep,
  work: (tx: Tx, wish: WishDoc, at: Date) => Promise<StepChange>,
) {
  const at = now();
  const { wish, told } = await transaction(async (tx) => {
    const w = await txWish(tx, wishId, step);
    const { change, summary, told } = await work(tx, w, at);
    return { wish: await saveStep(tx, caller, w, step, change, summary, at), told };
  });
  await tell(wish, told);
  return { wish: wishView(wish) };
}

export const wishesActions = defineShopActions({
  'wishes.request': {
    input: wishRequestInput,
    handler: async (input, { caller }) => {
      const { familyId, memberId } = await requireOwnMember(
        caller,
        input.memberId,
        '只能为本家庭的成员申请心愿服务',
      );
      if (!(await textIsSafe(input.description, caller.openid)))
        throw new RefusedError('RISKY_CONTENT', '描述中含有不适宜的内容，请修改后再提交');
      const at = now();
      const id = derivedId('w', caller, input.requestId);
      const wish = await transaction(async (tx) => {
        const earlier = await txEarlierRequest<WishDoc>(tx, COLLECTIONS.wishes, id, input);
        if (earlier) return earlier;
        const family = await txFamilyById(tx, familyId);
        const created: WishDoc = {
          _id: id,
          requestHash: inputHash(input),
          townId: family.townId,
          villageId: family.villageId,
          familyId,
          familyName: `${family.headName}家`,
          memberId: input.memberId ?? memberId,
          kind: input.kind,
          description: input.description,
          status: 'requested',
          requestedBy: caller.openid,
          requestedByName: callerName(caller),
          quotePoints: null,
          quoteNote: '',
          coordinator: null,
          coordinatorName: null,
          deliveredQuantity: null,
          deliveredUnit: null,
          doneMonth: null,
          doneYear: null,
          costFen: 0,
          entryId: null,
          cancelReason: null,
          history: [],
          createdAt: at,
          updatedAt: at,
        };
        return saveStep(tx, caller, created, 'request', {}, input.description.slice(0, 40), at);
      });
      return { wish: wishView(wish) };
    },
  },

  /** The family's own wishes, or (cadres, supervisors) the village's, newest first. */
  'wishes.list': {
    input: wishesListInput,
    handler: async (input, { caller }) => {
      const where: Record<string, string> = {};
      if (input.villageId) {
        if (!canOverseeVillage(caller, input.villageId)) throw new ForbiddenError('只能查看本家庭的心愿');
        where.villageId = input.villageId;
      } else where.familyId = requireFamily(caller).familyId;
      if (input.status) where.status = input.status;
      const wishes = await newestFirst<WishDoc>(COLLECTIONS.wishes, where, 'createdAt', input.offset, 50);
      return { wishes: wishes.map(wishView) };
    },
  },

  /** The coordinator quotes points (again, while the family hasn't accepted). */
  'wishes.quote': {
    input: wishQuoteInput,
    handler: (input, { caller }) =>
      takeStep(caller, input.wishId, 'quote', async (_tx, w) => {
        requireCoordinator(caller, w);
        return {
          change: {
            status: 'quoted',
            quotePoints: input.points,
            quoteNote: input.note,
            coordinator: caller.openid,
            coordinatorName: callerName(caller),
          },
          summary: `报价${formatPoints(input.points)}分`,
          told: `报价${formatPoints(input.points)}分，请确认`,
        };
      }),
  },

  /** The family accepts the quote: the points are reserved (not spent) if it can spend them. */
  'wishes.accept': {
    input: wishAcceptInput,
    handler: (input, { caller }) =>
      takeStep(caller, input.wishId, 'accept', async (tx, w, at) => {
        requireOwnFamily(caller, w);
        const family: FamilyDoc = await txFamilyById(tx, w.familyId);
        const hold = await txGet<HoldDoc>(tx, COLLECTIONS.holds, family._id);
        const quote = w.quotePoints ?? 0;
        const refusal = acceptRefusal({
          suspended: isSuspended(family.suspendedUntil ? new Date(family.suspendedUntil) : null, at),
          quote,
          accepted: input.quotePoints,
          available: family.available,
          reserved: hold?.reserved ?? 0,
        });
        if (refusal?.code === 'QUOTE_CHANGED')
          throw new ConflictError(refusal.message, {
            reason: refusal.code,
            quotePoints: refusal.quotePoints,
          });
        if (refusal) throw new RefusedError(refusal.code, refusal.message);
        await reserve(tx, family._id, hold, quote, at);
        // The counter spends from the family document and only reads the hold: writing the family here too makes
        // a redemption at the same moment conflict with this reservation (snapshot isolation lets a document
        // that is only read change under a transaction), so the two never spend the same points.
        await tx
          .collection(COLLECTIONS.families)
          .doc(family._id)
          .update({ data: { holdChangedAt: at } });
        return {
          change: { status: 'accepted' },
          summary: `确认，预留${formatPoints(quote)}分`,
          told: `已预留${formatPoints(quote)}分`,
        };
      }),
  },

  /** Done: the delivered quantity is recorded, the reservation released and the points spent; the service's cost, if any, is a fund expense. */
  'wishes.done': {
    input: wishDoneInput,
    handler: (input, { caller }) =>
      takeStep(caller, input.wishId, 'done', async (tx, w, at) => {
        requireCoordinator(caller, w);
        const family = await txFamilyById(tx, w.familyId);
        const hold = await txGet<HoldDoc>(tx, COLLECTIONS.holds, family._id);
        const quote = w.quotePoints ?? 0;
        await reserve(tx, family._id, hold, -quote, at);
        const posted = await postEntry(
          tx,
          family,
          {
            memberId: w.memberId,
            memberName: null,
            rule: null,
            kind: 'redemption',
            points: -quote,
            month: monthOf(at),
            source: { type: 'redemption', id: w._id },
            reason: `心愿定制：${WISH_KIND_LABELS[w.kind]} ${input.deliveredQuantity}${input.deliveredUnit}`,
            ...unchecked(caller, at),
          },
          approve(
            decidePoints({
              purpose: 'wishCharge',
              maker: actorOf(caller),
              checker: null,
              familyId: family._id,
              points: -quote,
            }),
          ),
        );
        await payFromFund(tx, caller, w, input.costFen, {
          kind: 'service',
          note: `心愿服务：${WISH_KIND_LABELS[w.kind]}（${w.familyName}）`,
          ref: { type: 'wish', id: w._id },
          at,
        });
        return {
          change: {
            status: 'done',
            deliveredQuantity: input.deliveredQuantity,
            deliveredUnit: input.deliveredUnit,
            doneMonth: monthOf(at),
            doneYear: yearOf(at),
            costFen: input.costFen,
            entryId: posted.entry._id,
          },
          summary: `完成 ${input.deliveredQuantity}${input.deliveredUnit}，扣${formatPoints(-posted.entry.availableChange)}分`,
          told: `已完成${input.deliveredQuantity}${input.deliveredUnit}`,
        };
      }),
  },

  /** Cancelled by the family or the coordinator before it is done: a reservation is released. */
  'wishes.cancel': {
    input: wishCancelInput,
    handler: (input, { caller }) =>
      takeStep(caller, input.wishId, 'cancel', async (tx, w, at) => {
        if (caller.profile?.familyId !== w.familyId) requireCoordinator(caller, w);
        if (w.status === 'accepted') {
          const hold = await txGet<HoldDoc>(tx, COLLECTIONS.holds, w.familyId);
          await reserve(tx, w.familyId, hold, -(w.quotePoints ?? 0), at);
        }
        return {
          change: { status: 'cancelled', cancelReason: input.reason },
          summary: `取消：${input.reason}`,
          told: `已取消：${input.reason}`,
        };
      }),
  },
});
