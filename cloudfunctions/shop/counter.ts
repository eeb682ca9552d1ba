/**
 * The counter. `counter.identify` tells the clerk whose card or QR code this is (masked per the village's
 * setting), the points the family can spend and whether it is suspended: one aggregation after the caller's
 * profile. `counter.redeem` confirms a cart in ONE transaction: identification checked again, suspension, PIN,
 * points, stock, movements, the ledger entry (postEntry, kind redemption), the order and the charge to the
 * family's own village fund. `counter.cancel` undoes a same-day redemption with new entries, never deletions.
 */
import { familyDisplayName } from '../../miniprogram/core/names';
import { formatPoints } from '../../miniprogram/core/points';
import {
  cancelRefusal,
  cardRefusal,
  cartTotals,
  cardTokenPayload,
  parseQrToken,
  pinRequirement,
  qrProblem,
  type ParsedQr,
} from '../../miniprogram/core/shop';
import { isSuspended } from '../../miniprogram/core/suspension';
import { dayOf, monthOf, yearOf } from '../../miniprogram/core/time';
import { spendable, spendRefusal } from '../../miniprogram/core/wishes';
import { canOverseeVillage, requireFamily } from '../common/access';
import { callerName, type Caller } from '../common/caller';
import {
  aggregate,
  getById,
  isTransactionConflict,
  now,
  transaction,
  type Tx,
  txGetExisting,
  newestFirst,
} from '../common/data';
import { ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type CardDoc,
  type CollectionName,
  type MarkDoc,
  type RequestDoc,
  type EntryDoc,
  type FamilyDoc,
  type FundDoc,
  type GoodsDoc,
  type HoldDoc,
  type MemberDoc,
  type OrderDoc,
  type PinDoc,
  type ShopDoc,
  type VillageDoc,
} from '../common/model';
import { audit, checkSameRequest, derivedId, inputHash, requestKey, updateWithTrail } from '../common/writes';
import { actorOf, approve } from '../common/policy';
import { addToMark, redeemedMark, txMark } from '../common/marks';
import { decidePoints, integrityOf } from '../../miniprogram/core/policy';
import { postEntry, unchecked } from '../common/ledger';
import { logCardEvent } from './cards';
import { tokenForQrCode } from './qr-codes';
import { cancelInput, defineShopActions, identifyInput, ordersListInput, redeemInput } from './schemas';
import { cardSecret, qrSecret, qrTtlSeconds, verify } from './secrets';
import { isClerkOf, requireClerk } from './staff';
import { fundApproval, moveApprovedFund, moveFund } from '../common/fund';
import { attemptPin, pinLocked, pinLockedError } from './pins';
import { approveStock, cartGoods, moveStock, takeFromStock } from './shops';
import { txFamilyById } from '../common/places';
import { pick } from '../common/fields';

/** Verifies a QR token's signature and age; the family and member it names. */
export function verifyQr(token: string, at: Date): ParsedQr {
  const qr = parseQrToken(token);
  if (!qr || !verify(qrSecret(), qr.payload, qr.mac))
    throw new RefusedError('QR_INVALID', '二维码无效，请让村民重新打开');
  const problem = qrProblem(qr.issuedAt, at.getTime(), qrTtlSeconds());
  if (problem) throw new RefusedError('QR_EXPIRED', '二维码已过期，请让村民刷新后再扫');
  return qr;
}

/** A presented card against its stored binding, as core decides (`cardRefusal`); the token's signature is checked here. */
function checkCard(
  card: CardDoc | null | undefined,
  token: string | undefined,
  allowTokenless: boolean,
): CardDoc {
  const refusal = cardRefusal({
    card,
    hasToken: !!token,
    allowTokenless,
    tokenValid: () =>
      !!card &&
      !!token &&
      verify(cardSecret(), cardTokenPayload(card._id, card.memberId, card.serial), token),
  });
  if (refusal) throw new RefusedError(refusal.code, refusal.message);
  return card as CardDoc; // cardRefusal refuses a missing card
}

function requireServed(shop: ShopDoc | null | undefined, villageId: string): ShopDoc {
  if (!shop) throw new NotFoundError('找不到该超市');
  if (!shop.servedVillageIds.includes(villageId))
    throw new RefusedError('NOT_SERVED', `${shop.name}不服务该家庭所在的村（社区）`);
  return shop;
}

/** Runs counter work in one transaction; a transaction still conflicting after the retries is a typed CONFLICT. */
async function counterTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await transaction(work);
  } catch (error) {
    if (isTransactionConflict(error)) throw new ConflictError('收银台繁忙，请稍后重试', { reason: 'BUSY' });
    throw error;
  }
}

export { PIN_LOCK_MINUTES, PIN_MAX_FAILURES } from './pins';

interface IdentifyRow {
  _id: string;
  familyId?: string;
  villageId: string;
  family?: FamilyDoc[];
  headName?: string;
  available?: number;
  suspendedUntil?: Date | null;
  village: VillageDoc[];
  hold: HoldDoc[];
  members?: MemberDoc[];
  shop: ShopDoc[];
  fund: FundDoc[];
  pin: { _id: string }[];
}

/**
 * The identification in one aggregation: from the card (or the family), equality lookups by key only (each one
 * read from an index or by id, whatever the size of the town): the family, its village, fund, hold, PIN, members
 * and the shop.
 */
function identifyStages(start: 'cards' | 'families', match: object, shopId: string): [string, unknown][] {
  const familyField = start === 'cards' ? 'familyId' : '_id';
  const byFamily = (from: CollectionName, foreignField: string, as: string): [string, unknown] => [
    'lookup',
    { from, localField: familyField, foreignField, as },
  ];
  return [
    ['match', match],
    ...(start === 'cards' ? [byFamily(COLLECTIONS.families, '_id', 'family')] : []),
    ['lookup', { from: COLLECTIONS.villages, localField: 'villageId', foreignField: '_id', as: 'village' }],
    ['lookup', { from: COLLECTIONS.funds, localField: 'villageId', foreignField: '_id', as: 'fund' }],
    byFamily(COLLECTIONS.holds, '_id', 'hold'),
    byFamily(COLLECTIONS.pins, '_id', 'pin'),
    byFamily(COLLECTIONS.members, 'familyId', 'members'),
    ['lookup', { from: COLLECTIONS.shops, pipeline: [{ $match: { _id: shopId } }], as: 'shop' }],
  ];
}

interface RedeemResult {
  order: ReturnType<typeof orderView>;
  available: number;
  spendable: number;
}

/** The shop, with what the redemption reads looked up beside it. */
interface RedemptionRow extends ShopDoc {
  order: (OrderDoc & { result?: RedeemResult })[];
  request: RequestDoc[];
  family: FamilyDoc[];
  village: VillageDoc[];
  fund: FundDoc[];
  card: CardDoc[];
  member: MemberDoc[];
  goods: GoodsDoc[];
  hold: HoldDoc[];
  pin: PinDoc[];
  mark: MarkDoc[];
}

/**
 * Everything a redemption decides from, in one aggregation from the shop: an earlier order of this request (or
 * the request record older versions kept), the family, its village and fund, the card or the QR's member, the
 * cart's goods, the wish hold, the PIN and today's redeemed mark. Every lookup is by id.
 */
async function readRedemption(
  orderId: string,
  input: {
    shopId: string;
    familyId: string;
    card?: { uid: string };
    items: { goodsId: string }[];
    requestId: string;
  },
  qr: ParsedQr | null,
  at: Date,
  caller: Caller,
): Promise<RedemptionRow> {
  const byId = (from: CollectionName, id: unknown, as: string): [string, unknown] => [
    'lookup',
    { from, pipeline: [{ $match: { _id: id } }], as },
  ];
  const [row] = await aggregate<RedemptionRow>(COLLECTIONS.shops, [
    ['match', { _id: input.shopId }],
    byId(COLLECTIONS.orders, orderId, 'order'),
    byId(COLLECTIONS.requests, requestKey(caller, 'counter.redeem', input.requestId), 'request'),
    byId(COLLECTIONS.families, input.familyId, 'family'),
    ['addFields', { familyVillage: { $ifNull: [{ $arrayElemAt: ['$family.villageId', 0] }, ''] } }],
    [
      'lookup',
      { from: COLLECTIONS.villages, localField: 'familyVillage', foreignField: '_id', as: 'village' },
    ],
    ['lookup', { from: COLLECTIONS.funds, localField: 'familyVillage', foreignField: '_id', as: 'fund' }],
    byId(COLLECTIONS.cards, input.card?.uid ?? '', 'card'),
    byId(COLLECTIONS.members, qr?.memberId ?? '', 'member'),
    byId(COLLECTIONS.goods, { $in: [...new Set(input.items.map((i) => i.goodsId))] }, 'goods'),
    byId(COLLECTIONS.holds, input.familyId, 'hold'),
    byId(COLLECTIONS.pins, input.familyId, 'pin'),
    byId(COLLECTIONS.marks, redeemedMark(input.familyId, dayOf(at)), 'mark'),
  ]);
  if (!row) throw new NotFoundError('找不到该超市');
  return row;
}

function orderView(o: OrderDoc) {
  return {
    id: o._id,
    ...pick(o, [
      'shopId',
      'shopName',
      'familyId',
      'via',
      'lines',
      'totalPoints',
      'totalCostFen',
      'clerkName',
      'status',
      'day',
      'createdAt',
      'cancelReason',
    ]),
    totalPointsText: formatPoints(o.totalPoints),
  };
}

export const counterActions = defineShopActions({
  /** Who is at the counter: one aggregation (≤ 2 database requests with the caller's profile). */
  'counter.identify': {
    input: identifyInput,
    roles: ['shopClerk'],
    handler: async (input, { caller }) => {
      requireClerk(caller, input.shopId);
      const at = now();
      const qrToken = input.code ? await tokenForQrCode(input.code) : input.qr;
      const qr = qrToken ? verifyQr(qrToken, at) : null;
      const [row] = input.card
        ? await aggregate<IdentifyRow & CardDoc>(
            COLLECTIONS.cards,
            identifyStages('cards', { _id: input.card.uid }, input.shopId),
          )
        : await aggregate<IdentifyRow & FamilyDoc>(
            COLLECTIONS.families,
            identifyStages('families', { _id: qr?.familyId }, input.shopId),
          );
      let card: CardDoc | null = null;
      if (input.card) {
        try {
          card = checkCard(
            row as CardDoc | undefined,
            input.card.token,
            integrityOf(row?.village?.[0]?.settings).allowTokenlessCards,
          );
        } catch (error) {
          // Refused cards are logged (a blocked or copied card being tried is worth knowing).
          if (row && error instanceof RefusedError && (row as CardDoc).status !== 'unbound')
            await logCardEvent(null, caller, row as CardDoc, 'refused', String(error.details?.reason), at);
          throw error;
        }
      }
      const family = input.card ? row?.family?.[0] : (row as FamilyDoc | undefined);
      if (!row || !family) throw new NotFoundError('找不到该家庭');
      const shop = requireServed(row.shop[0], family.villageId);
      const village = row.village[0];
      const suspendedUntil = family.suspendedUntil ? new Date(family.suspendedUntil) : null;
      const suspended = isSuspended(suspendedUntil, at);
      const reserved = row.hold[0]?.reserved ?? 0;
      return {
        familyId: family._id,
        // The clerk sees real names whatever the village's display setting: they must know who is at the counter.
        familyName: familyDisplayName(family.headName, 'full'),
        villageName: village?.name ?? '',
        householdNumber: family.householdNumber,
        members: (row.members ?? []).map((m) => ({ name: m.name, relation: m.relation })),
        memberName: card ? card.memberName : null,
        via: input.card ? 'card' : input.code ? 'code' : 'qr',
        ...(input.code ? { qrToken } : {}),
        shopName: shop.name,
        available: family.available,
        reserved,
        spendable: spendable(family.available, reserved),
        suspended,
        suspendedUntil: suspended ? suspendedUntil : null,
        pinRequiredAbove: row.pin.length > 0 ? (row.fund[0]?.pinAbovePoints ?? null) : null,
        warning:
          card && !input.card?.token ? '注意：这张卡没有防复制令牌，卡号可能被复制，请核对持卡人身份' : null,
      };
    },
  },

  /** Confirms a cart: one transaction; a retried request id returns the first result and applies once. */
  'counter.redeem': {
    input: redeemInput,
    roles: ['shopClerk'],
    handler: async (input, { caller }) => {
      requireClerk(caller, input.shopId);
      const at = now();
      const qr = input.qr ? verifyQr(input.qr, at) : null;
      if (qr && qr.familyId !== input.familyId)
        throw new RefusedError('QR_MISMATCH', '二维码与所识别的家庭不一致');
      const orderId = derivedId('o', caller, input.requestId);
      // A PIN is counted as an attempt (and the lock checked) in its own transaction before it is compared.
      // (A retry of a redemption already done finds its order below and tries no PIN.)
      if (input.pin) {
        const done =
          (await getById(COLLECTIONS.orders, orderId)) ??
          (await getById(COLLECTIONS.requests, requestKey(caller, 'counter.redeem', input.requestId)));
        if (!done) await attemptPin(input.familyId, input.pin, at);
      }
      return counterTransaction(async (tx) => {
        // Everything the redemption decides from, in one aggregation right after the start: every document it
        // then writes (family, goods, mark, PIN) conflicts if it changed after the snapshot, as if read inside.
        const row = await readRedemption(orderId, input, qr, at, caller);
        // The order is the request's record: a retry gets the first result, another input is refused.
        const [earlierOrder] = row.order;
        const [earlierRequest] = row.request;
        if (earlierOrder || earlierRequest) {
          checkSameRequest({ requestHash: earlierOrder?.requestHash ?? earlierRequest?.inputHash }, input);
          const first = earlierOrder?.result ?? earlierRequest?.result;
          if (first) return first as RedeemResult;
          if (earlierOrder) {
            const available = row.family[0]?.available ?? 0;
            return {
              order: orderView(earlierOrder),
              available,
              spendable: spendable(available, row.hold[0]?.reserved ?? 0),
            };
          }
        }
        const shop: ShopDoc = row; // only its own fields are used below
        let family = row.family[0];
        if (!family) throw new NotFoundError('找不到该家庭');
        requireServed(shop, family.villageId);
        let memberId: string;
        let memberName: string | null;
        let card: CardDoc | null = null;
        if (input.card) {
          card = checkCard(
            row.card[0],
            input.card.token,
            integrityOf(row.village[0]?.settings).allowTokenlessCards,
          );
          if (card.familyId !== family._id) throw new RefusedError('CARD_MISMATCH', '这张卡不属于该家庭');
          memberId = card.memberId;
          memberName = card.memberName;
        } else {
          const member = row.member[0];
          memberId = (qr as ParsedQr).memberId;
          memberName = member?.familyId === family._id ? member.name : null;
        }
        if (isSuspended(family.suspendedUntil ? new Date(family.suspendedUntil) : null, at))
          throw new RefusedError('SUSPENDED', '该家庭上了黑榜，暂停兑换期间不能兑换');
        const lines = cartGoods(row.goods, shop._id, input.items);
        const totals = cartTotals(lines.map((l) => ({ ...l.goods, quantity: l.quantity })));
        const hold = row.hold[0];
        const short = spendRefusal(totals.points, family.available, hold?.reserved ?? 0);
        if (short)
          throw new RefusedError(short.code, short.message, {
            needed: short.needed,
            spendable: short.spendable,
          });
        // The PIN threshold counts what the family redeemed today, not one cart.
        const fund = row.fund[0];
        const dayMark = redeemedMark(family._id, dayOf(at));
        const redeemedToday = row.mark[0]?.value ?? 0;
        const pin = row.pin[0];
        if (pin && pinLocked(pin, at)) throw pinLockedError();
        const needsPin = pinRequirement({
          hasPin: !!pin,
          pinGiven: !!input.pin,
          pinAbovePoints: fund?.pinAbovePoints,
          redeemedToday,
          cartPoints: totals.points,
        });
        if (needsPin.required) throw new RefusedError('PIN_REQUIRED', needsPin.message);
        // The PIN given was compared after its attempt was counted (attemptPin): a success clears the count.
        if (pin && input.pin && (pin.failures ?? 0) > 0)
          await tx
            .collection(COLLECTIONS.pins)
            .doc(pin._id)
            .update({ data: { failures: 0, lockedUntil: null } });
        await addToMark(tx, dayMark, redeemedToday, totals.points, at);
        const take = { reason: '积分兑换', ref: { type: 'order' as const, id: orderId }, at };
        await takeFromStock(tx, caller, lines, { kind: 'redemption', ...take });
        const names = lines.map((l) => `${l.goods.name}×${l.quantity}`).join('、');
        const posted = await postEntry(
          tx,
          family,
          {
            memberId,
            memberName,
            rule: null,
            kind: 'redemption',
            points: -totals.points,
            month: monthOf(at),
            source: { type: 'redemption', id: orderId },
            reason: `${(shop as ShopDoc).name}兑换：${names}`.slice(0, 200),
            ...unchecked(caller, at),
          },
          approve(
            decidePoints({
              purpose: 'redemption',
              maker: actorOf(caller),
              checker: null,
              familyId: family._id,
              points: -totals.points,
            }),
          ),
        );
        family = posted.family;
        const order: OrderDoc = {
          _id: orderId,
          townId: family.townId,
          shopId: (shop as ShopDoc)._id,
          shopName: (shop as ShopDoc).name,
          villageId: family.villageId,
          familyId: family._id,
          memberId,
          via: card ? 'card' : 'qr',
          cardUid: card?._id ?? null,
          lines: lines.map(({ goods, quantity }) => ({
            goodsId: goods._id,
            name: goods.name,
            unit: goods.unit,
            quantity,
            pricePoints: goods.pricePoints,
            costFen: goods.costFen,
          })),
          totalPoints: totals.points,
          totalCostFen: totals.costFen,
          entryId: posted.entry._id,
          clerk: caller.openid,
          clerkName: callerName(caller),
          status: 'done',
          day: dayOf(at),
          month: monthOf(at),
          year: yearOf(at),
          createdAt: at,
          cancelledBy: null,
          cancelledAt: null,
          cancelReason: null,
          cancelEntryId: null,
        };
        const fundMove = {
          townId: family.townId,
          villageId: family.villageId,
          kind: 'redemption' as const,
          amountFen: -totals.costFen,
          note: `${(shop as ShopDoc).name}兑换${totals.quantity}件`,
          ref: { type: 'order' as const, id: orderId },
          at,
        };
        await moveFund(tx, caller, fundMove, fundApproval(caller, fundMove, fund?.balanceFen ?? 0));
        const result: RedeemResult = {
          order: orderView(order),
          available: family.available,
          spendable: spendable(family.available, hold?.reserved ?? 0),
        };
        // The order is also the request's record (its id derives from the request id) and, for a card, the
        // card's use: no separate request or card-event document.
        const { _id, ...data } = order;
        await tx
          .collection(COLLECTIONS.orders)
          .doc(_id)
          .set({ data: { ...data, requestHash: inputHash(input), result } });
        await audit(tx, caller, {
          townId: family.townId,
          villageId: family.villageId,
          action: 'counter.redeem',
          target: { collection: COLLECTIONS.orders, id: orderId },
          summary: `${family.headName}家兑换${names}，共${formatPoints(totals.points)}分`,
          at,
        });
        return result;
      });
    },
  },

  /** Cancels a redemption on the day it was made (a clerk of the shop): reversal entry, stock back, fund back. */
  'counter.cancel': {
    input: cancelInput,
    roles: ['shopClerk'],
    handler: async (input, { caller }) => {
      const at = now();
      return counterTransaction(async (tx) => {
        const order = await txGetExisting<OrderDoc>(tx, COLLECTIONS.orders, input.orderId, '找不到该兑换单');
        requireClerk(caller, order.shopId);
        const refusal = cancelRefusal(order, dayOf(at));
        if (refusal?.code === 'ALREADY_CANCELLED')
          throw new ConflictError(refusal.message, { reason: refusal.code });
        if (refusal) throw new RefusedError(refusal.code, refusal.message);
        const family = await txFamilyById(tx, order.familyId);
        const entry = await txGetExisting<EntryDoc>(
          tx,
          COLLECTIONS.entries,
          order.entryId,
          '找不到该兑换的积分流水',
        );
        for (const line of order.lines) {
          const goods = await txGetExisting<GoodsDoc>(
            tx,
            COLLECTIONS.goods,
            line.goodsId,
            `找不到商品${line.name}`,
          );
          await moveStock(
            tx,
            caller,
            {
              goods,
              change: line.quantity,
              kind: 'cancellation',
              reason: input.reason,
              ref: { type: 'order', id: order._id },
              at,
            },
            approveStock(caller, goods, line.quantity, 'cancellation'),
          );
        }
        const posted = await postEntry(
          tx,
          family,
          {
            memberId: entry.memberId,
            memberName: entry.memberName,
            rule: null,
            kind: 'reversal',
            points: -entry.points,
            month: monthOf(at),
            source: { type: 'redemption', id: order._id },
            reverses: { ...entry, _id: order.entryId },
            reason: `撤销兑换：${input.reason}`,
            ...unchecked(caller, at),
          },
          approve(
            decidePoints({
              purpose: 'redemptionCancel',
              maker: actorOf(caller),
              checker: null,
              familyId: family._id,
              points: -entry.points,
              corrects: { kind: entry.kind, sourceType: entry.source.type, alreadyCorrected: false },
            }),
          ),
        );
        const dayMark = redeemedMark(order.familyId, order.day);
        const redeemedToday = await txMark(tx, dayMark);
        await addToMark(tx, dayMark, redeemedToday, -Math.min(order.totalPoints, redeemedToday), at);
        await moveApprovedFund(tx, caller, {
          townId: order.townId,
          villageId: order.villageId,
          kind: 'redemptionReversal',
          amountFen: order.totalCostFen,
          note: `撤销兑换：${input.reason}`,
          ref: { type: 'order', id: order._id },
          at,
        });
        const change = {
          status: 'cancelled' as const,
          cancelledBy: caller.openid,
          cancelledAt: at,
          cancelReason: input.reason,
          cancelEntryId: posted.entry._id,
        };
        await updateWithTrail(tx, caller, COLLECTIONS.orders, order._id, change, order, {
          action: 'counter.cancel',
          summary: `撤销${family.headName}家的兑换（${formatPoints(order.totalPoints)}分）：${input.reason}`,
          at,
        });
        return { order: orderView({ ...order, ...change }), available: posted.family.available };
      });
    },
  },

  /** Orders of a shop (its clerks, today by default) or of a family (its members, the village's overseers). */
  'orders.list': {
    input: ordersListInput,
    handler: async (input, { caller }) => {
      const where: Record<string, string> = {};
      if (input.shopId) {
        if (!isClerkOf(caller, input.shopId)) throw new ForbiddenError('您不是本超市的收银员');
        where.shopId = input.shopId;
        where.day = input.day ?? dayOf(now());
      } else {
        const familyId = input.familyId ?? requireFamily(caller).familyId;
        if (familyId !== caller.profile?.familyId) {
          const family = await getById<FamilyDoc>(COLLECTIONS.families, familyId);
          if (!family || !canOverseeVillage(caller, family.villageId))
            throw new ForbiddenError('只能查看本家庭的兑换记录');
        }
        where.familyId = familyId;
      }
      const orders = await newestFirst<OrderDoc>(COLLECTIONS.orders, where, 'createdAt', input.offset, 50);
      return { orders: orders.map(orderView) };
    },
  },
});
