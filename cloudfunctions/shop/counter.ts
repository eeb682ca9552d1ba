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
  cartTotals,
  cardTokenPayload,
  parseQrToken,
  qrProblem,
  type ParsedQr,
} from '../../miniprogram/core/shop';
import { isSuspended } from '../../miniprogram/core/suspension';
import { dayOf, monthOf, yearOf } from '../../miniprogram/core/time';
import { spendable } from '../../miniprogram/core/wishes';
import { canOverseeVillage, requireFamily } from '../common/access';
import { callerName } from '../common/caller';
import {
  aggregate,
  find,
  getById,
  isTransactionConflict,
  now,
  transaction,
  txGet,
  type Tx,
} from '../common/data';
import { ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type CardDoc,
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
import { action } from '../common/router';
import { audit, derivedId, once } from '../common/writes';
import { postEntry, txFamily } from '../points/ledger';
import { logCardEvent } from './cards';
import { tokenForQrCode } from './qr-codes';
import { cancelInput, identifyInput, ordersListInput, redeemInput } from './schemas';
import {
  cardSecret,
  isClerkOf,
  moveFund,
  pinMatches,
  qrSecret,
  qrTtlSeconds,
  requireClerk,
  verify,
} from './shared';
import { moveStock, txCartGoods } from './shops';

/** Verifies a QR token's signature and age; the family and member it names. */
export function verifyQr(token: string, at: Date): ParsedQr {
  const qr = parseQrToken(token);
  if (!qr || !verify(qrSecret(), qr.payload, qr.mac))
    throw new RefusedError('QR_INVALID', '二维码无效，请让村民重新打开');
  const problem = qrProblem(qr.issuedAt, at.getTime(), qrTtlSeconds());
  if (problem) throw new RefusedError('QR_EXPIRED', '二维码已过期，请让村民刷新后再扫');
  return qr;
}

/** A presented card against its stored binding: bound, not blocked, and carrying a valid token if it must. */
function checkCard(card: CardDoc | null | undefined, token: string | undefined): CardDoc {
  if (!card || card.status === 'unbound') throw new RefusedError('CARD_UNKNOWN', '这张卡还没有绑定');
  if (card.status === 'blocked') throw new RefusedError('CARD_BLOCKED', '这张卡已挂失，不能使用');
  if (card.tokenRequired && !token)
    throw new RefusedError('TOKEN_REQUIRED', '这张卡需要校验卡内令牌，请重新刷卡');
  if (token && !verify(cardSecret(), cardTokenPayload(card._id, card.memberId, card.serial), token))
    throw new RefusedError('TOKEN_INVALID', '卡内令牌校验失败，这张卡可能被复制');
  return card;
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

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 15;

/**
 * A wrong PIN aborts the redemption's transaction, so the failure is counted afterwards in a transaction of its
 * own; the fifth in a row locks the family's PIN for a while, and the clerk is told how many tries are left.
 */
async function recordingPinFailures<T>(familyId: string, at: Date, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RefusedError) || error.details?.reason !== 'PIN_WRONG') throw error;
    const left = await transaction(async (tx) => {
      const pin = await txGet<PinDoc>(tx, COLLECTIONS.pins, familyId);
      if (!pin) return PIN_MAX_FAILURES;
      const failures = (pin.failures ?? 0) + 1;
      const locked = failures >= PIN_MAX_FAILURES;
      await tx
        .collection(COLLECTIONS.pins)
        .doc(familyId)
        .update({
          data: locked
            ? { failures: 0, lockedUntil: new Date(at.getTime() + PIN_LOCK_MINUTES * 60_000) }
            : { failures },
        });
      return locked ? 0 : PIN_MAX_FAILURES - failures;
    });
    throw left > 0
      ? new RefusedError('PIN_WRONG', `兑换密码不正确，还可以再试${left}次`, { attemptsLeft: left })
      : new RefusedError(
          'PIN_LOCKED',
          `兑换密码连续输错${PIN_MAX_FAILURES}次，请${PIN_LOCK_MINUTES}分钟后再试`,
        );
  }
}

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

function identifyStages(start: 'cards' | 'families', match: object, shopId: string): [string, unknown][] {
  const familyField = start === 'cards' ? '$familyId' : '$_id';
  const byFamily = (from: string, as: string, project?: object) => ({
    from,
    let: { familyId: familyField },
    pipeline: [
      { $match: { $expr: { $eq: ['$_id', '$$familyId'] } } },
      ...(project ? [{ $project: project }] : []),
    ],
    as,
  });
  return [
    ['match', match],
    ...(start === 'cards' ? [['lookup', byFamily(COLLECTIONS.families, 'family')] as [string, unknown]] : []),
    ['lookup', { from: COLLECTIONS.villages, localField: 'villageId', foreignField: '_id', as: 'village' }],
    ['lookup', { from: COLLECTIONS.funds, localField: 'villageId', foreignField: '_id', as: 'fund' }],
    ['lookup', byFamily(COLLECTIONS.holds, 'hold')],
    ['lookup', byFamily(COLLECTIONS.pins, 'pin', { _id: 1 })],
    [
      'lookup',
      {
        from: COLLECTIONS.members,
        localField: familyField.slice(1),
        foreignField: 'familyId',
        as: 'members',
      },
    ],
    ['lookup', { from: COLLECTIONS.shops, pipeline: [{ $match: { _id: shopId } }], as: 'shop' }],
  ];
}

function orderView(o: OrderDoc) {
  return {
    id: o._id,
    shopId: o.shopId,
    shopName: o.shopName,
    familyId: o.familyId,
    via: o.via,
    lines: o.lines,
    totalPoints: o.totalPoints,
    totalPointsText: formatPoints(o.totalPoints),
    totalCostFen: o.totalCostFen,
    clerkName: o.clerkName,
    status: o.status,
    day: o.day,
    createdAt: o.createdAt,
    cancelReason: o.cancelReason,
  };
}

export const counterActions = {
  /** Who is at the counter: one aggregation (≤ 2 database requests with the caller's profile). */
  'counter.identify': action({
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
          card = checkCard(row as CardDoc | undefined, input.card.token);
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
      };
    },
  }),

  /** Confirms a cart: one transaction; a retried request id returns the first result and applies once. */
  'counter.redeem': action({
    input: redeemInput,
    roles: ['shopClerk'],
    handler: async (input, { caller }) => {
      requireClerk(caller, input.shopId);
      const at = now();
      const qr = input.qr ? verifyQr(input.qr, at) : null;
      if (qr && qr.familyId !== input.familyId)
        throw new RefusedError('QR_MISMATCH', '二维码与所识别的家庭不一致');
      const orderId = derivedId('o', caller, input.requestId);
      return recordingPinFailures(input.familyId, at, () =>
        counterTransaction((tx) =>
          once(tx, caller, input.requestId, 'counter.redeem', at, async () => {
            const shop = await txGet<ShopDoc>(tx, COLLECTIONS.shops, input.shopId);
            let family = await txFamily(tx, input.familyId);
            requireServed(shop, family.villageId);
            let memberId: string;
            let memberName: string | null;
            let card: CardDoc | null = null;
            if (input.card) {
              card = checkCard(await txGet<CardDoc>(tx, COLLECTIONS.cards, input.card.uid), input.card.token);
              if (card.familyId !== family._id) throw new RefusedError('CARD_MISMATCH', '这张卡不属于该家庭');
              memberId = card.memberId;
              memberName = card.memberName;
            } else {
              const member = await txGet<MemberDoc>(tx, COLLECTIONS.members, (qr as ParsedQr).memberId);
              memberId = (qr as ParsedQr).memberId;
              memberName = member?.familyId === family._id ? member.name : null;
            }
            if (isSuspended(family.suspendedUntil ? new Date(family.suspendedUntil) : null, at))
              throw new RefusedError('SUSPENDED', '该家庭上了黑榜，暂停兑换期间不能兑换');
            const lines = await txCartGoods(tx, (shop as ShopDoc)._id, input.items);
            const totals = cartTotals(lines.map((l) => ({ ...l.goods, quantity: l.quantity })));
            const hold = await txGet<HoldDoc>(tx, COLLECTIONS.holds, family._id);
            const canSpend = spendable(family.available, hold?.reserved ?? 0);
            if (totals.points > canSpend)
              throw new RefusedError(
                'INSUFFICIENT_POINTS',
                `积分不足：需要${formatPoints(totals.points)}分，可用${formatPoints(canSpend)}分`,
                {
                  needed: totals.points,
                  spendable: canSpend,
                },
              );
            const fund = await txGet<FundDoc>(tx, COLLECTIONS.funds, family.villageId);
            if (fund?.pinAbovePoints != null && totals.points > fund.pinAbovePoints) {
              const pin = await txGet<PinDoc>(tx, COLLECTIONS.pins, family._id);
              if (pin?.lockedUntil && new Date(pin.lockedUntil).getTime() > at.getTime())
                throw new RefusedError(
                  'PIN_LOCKED',
                  `兑换密码连续输错${PIN_MAX_FAILURES}次，请${PIN_LOCK_MINUTES}分钟后再试`,
                );
              if (pin && !input.pin)
                throw new RefusedError('PIN_REQUIRED', '本次兑换积分较多，请输入家庭兑换密码');
              if (pin && input.pin && pinMatches(input.pin, pin) && (pin.failures ?? 0) > 0)
                await tx
                  .collection(COLLECTIONS.pins)
                  .doc(pin._id)
                  .update({ data: { failures: 0, lockedUntil: null } });
              if (pin && input.pin && !pinMatches(input.pin, pin))
                throw new RefusedError('PIN_WRONG', '兑换密码不正确');
            }
            for (const { goods, quantity } of lines) {
              await moveStock(tx, caller, {
                goods,
                change: -quantity,
                kind: 'redemption',
                reason: '积分兑换',
                ref: { type: 'order', id: orderId },
                at,
              });
            }
            const names = lines.map((l) => `${l.goods.name}×${l.quantity}`).join('、');
            const posted = await postEntry(tx, family, {
              memberId,
              memberName,
              rule: null,
              kind: 'redemption',
              points: -totals.points,
              month: monthOf(at),
              source: { type: 'redemption', id: orderId },
              reason: `${(shop as ShopDoc).name}兑换：${names}`.slice(0, 200),
              recordedBy: caller.openid,
              recordedByName: callerName(caller),
              approvedBy: null,
              approvedByName: null,
              onBehalf: false,
              at,
            });
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
            const { _id, ...data } = order;
            await tx.collection(COLLECTIONS.orders).doc(_id).set({ data });
            await moveFund(tx, caller, {
              townId: family.townId,
              villageId: family.villageId,
              kind: 'redemption',
              amountFen: -totals.costFen,
              note: `${(shop as ShopDoc).name}兑换${totals.quantity}件`,
              ref: { type: 'order', id: orderId },
              at,
            });
            if (card)
              await logCardEvent(
                tx,
                caller,
                card,
                'used',
                `${(shop as ShopDoc).name}兑换${formatPoints(totals.points)}分`,
                at,
              );
            await audit(tx, caller, {
              townId: family.townId,
              villageId: family.villageId,
              action: 'counter.redeem',
              target: { collection: COLLECTIONS.orders, id: orderId },
              summary: `${family.headName}家兑换${names}，共${formatPoints(totals.points)}分`,
              at,
            });
            return {
              order: orderView(order),
              available: family.available,
              spendable: spendable(family.available, hold?.reserved ?? 0),
            };
          }),
        ),
      );
    },
  }),

  /** Cancels a redemption on the day it was made (a clerk of the shop): reversal entry, stock back, fund back. */
  'counter.cancel': action({
    input: cancelInput,
    roles: ['shopClerk'],
    handler: async (input, { caller }) => {
      const at = now();
      return counterTransaction(async (tx) => {
        const order = await txGet<OrderDoc>(tx, COLLECTIONS.orders, input.orderId);
        if (!order) throw new NotFoundError('找不到该兑换单');
        requireClerk(caller, order.shopId);
        if (order.status !== 'done')
          throw new ConflictError('该兑换单已撤销', { reason: 'ALREADY_CANCELLED' });
        if (order.day !== dayOf(at)) throw new RefusedError('NOT_SAME_DAY', '只能撤销当天的兑换');
        const family = await txFamily(tx, order.familyId);
        const entry = await txGet<EntryDoc>(tx, COLLECTIONS.entries, order.entryId);
        if (!entry) throw new NotFoundError('找不到该兑换的积分流水');
        for (const line of order.lines) {
          const goods = await txGet<GoodsDoc>(tx, COLLECTIONS.goods, line.goodsId);
          if (!goods) throw new NotFoundError(`找不到商品${line.name}`);
          await moveStock(tx, caller, {
            goods,
            change: line.quantity,
            kind: 'cancellation',
            reason: input.reason,
            ref: { type: 'order', id: order._id },
            at,
          });
        }
        const posted = await postEntry(tx, family, {
          memberId: entry.memberId,
          memberName: entry.memberName,
          rule: null,
          kind: 'reversal',
          points: -entry.points,
          month: monthOf(at),
          source: { type: 'redemption', id: order._id },
          reverses: { ...entry, _id: order.entryId },
          reason: `撤销兑换：${input.reason}`,
          recordedBy: caller.openid,
          recordedByName: callerName(caller),
          approvedBy: null,
          approvedByName: null,
          onBehalf: false,
          at,
        });
        await moveFund(tx, caller, {
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
        await tx.collection(COLLECTIONS.orders).doc(order._id).update({ data: change });
        await audit(tx, caller, {
          townId: order.townId,
          villageId: order.villageId,
          action: 'counter.cancel',
          target: { collection: COLLECTIONS.orders, id: order._id },
          summary: `撤销${family.headName}家的兑换（${formatPoints(order.totalPoints)}分）：${input.reason}`,
          at,
        });
        return { order: orderView({ ...order, ...change }), available: posted.family.available };
      });
    },
  }),

  /** Orders of a shop (its clerks, today by default) or of a family (its members, the village's overseers). */
  'orders.list': action({
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
      const orders = await find<OrderDoc>(COLLECTIONS.orders, where, {
        orderBy: [['createdAt', 'desc']],
        skip: input.offset,
        limit: 50,
      });
      return { orders: orders.map(orderView) };
    },
  }),
};
