/** Input schemas of the `shop` function (shops and goods, cards, the counter, the fund pool, wishes, year end). */
import { z } from 'zod';
import type { ShopApi } from '../../miniprogram/contract/shop';
import { actionsOf } from '../common/router';
import { MANUAL_STOCK_KINDS, SHOP_KINDS, WISH_KINDS, WISH_STATUSES } from '../../miniprogram/contract/shop';
import { normalizeCardUid } from '../../miniprogram/core/shop';
import { id, monthKey, offset, period, reason, requestId, yearKey } from '../common/zod';
const note = z.string().trim().max(200).default('');
const fen = z.number().int().min(0).max(1_000_000_000);
const positiveFen = z.number().int().min(1, '金额须大于0').max(1_000_000_000);
const points = z.number().int().min(0).max(10_000_000);
const cardUid = z
  .string()
  .trim()
  .max(64)
  .transform((raw, ctx) => {
    const uid = normalizeCardUid(raw);
    if (!uid) {
      ctx.addIssue({ code: 'custom', message: '卡号格式不正确' });
      return z.NEVER;
    }
    return uid;
  });
const quantity = z.number().int('数量须为整数').min(1, '数量须大于0').max(999);
const items = z
  .array(z.object({ goodsId: id, quantity }).strict())
  .min(1, '购物车是空的')
  .max(50);

// ---- shops and goods ----
export const shopsSetupInput = z
  .object({
    shops: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{2,32}$/, '超市编号须为2到32位小写字母、数字或连字符'),
            name: z.string().trim().min(2).max(30),
            kind: z.enum(SHOP_KINDS),
            villageId: id,
            servedVillageIds: z.array(id).max(50).default([]),
            sellsToPublic: z.boolean().default(false),
            owners: z
              .array(z.object({ villageId: id, shareBp: z.number().int().min(1).max(10000) }).strict())
              .max(50)
              .default([]),
            seedGoods: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();
export const shopsListInput = z.object({ villageId: id.optional() }).strict();
export const goodsListInput = z
  .object({
    shopId: id,
    includeOffShelf: z.boolean().default(false),
    category: z.string().max(20).optional(),
  })
  .strict();
export const goodsSaveInput = z
  .object({
    shopId: id,
    goodsId: id.optional(),
    name: z.string().trim().min(1).max(30),
    category: z.string().trim().min(1).max(20),
    unit: z.string().trim().min(1).max(10),
    pricePoints: z
      .number()
      .int()
      .min(5)
      .max(100_000)
      .refine((p) => p % 5 === 0, '积分价格须为0.5分的整数倍'),
    costFen: fen,
    cashPriceFen: fen,
    picture: z.string().max(300).default(''),
    onShelf: z.boolean().default(true),
    lowStockThreshold: z.number().int().min(0).max(10_000).default(5),
  })
  .strict();
export const stockMoveInput = z
  .object({
    requestId,
    shopId: id,
    goodsId: id,
    kind: z.enum(MANUAL_STOCK_KINDS),
    quantity: z
      .number()
      .int()
      .min(-100_000)
      .max(100_000)
      .refine((q) => q !== 0, '数量不能为0'),
    reason,
  })
  .strict();
export const shopOnlyInput = z.object({ shopId: id }).strict();
export const movementsInput = z.object({ shopId: id, goodsId: id.optional(), offset }).strict();
export const saleRecordInput = z.object({ requestId, shopId: id, items }).strict();
export const shopMonthInput = z.object({ shopId: id, month: monthKey }).strict();

// ---- cards, QR, PIN ----
export const cardBindInput = z
  .object({ uid: cardUid, memberId: id, writesToken: z.boolean().default(false) })
  .strict();
/** A card by its UID (its own family) or by the reference others are shown (`ref-<member>-<binding>`). */
export const cardUidInput = z
  .object({
    uid: z.union([cardUid, z.string().regex(/^ref-[A-Za-z0-9_-]{1,64}-\d{1,6}$/)]),
    reason: z.string().trim().max(100).default(''),
  })
  .strict();
export const cardsListInput = z.object({ familyId: id.optional() }).strict();
export const qrIssueInput = z.object({ memberId: id.optional() }).strict();
export const pinSetInput = z
  .object({
    pin: z.string().regex(/^\d{4,6}$/, 'PIN须为4到6位数字'),
    oldPin: z.string().max(6).optional(),
  })
  .strict();

// ---- the counter ----
const cardPresented = z.object({ uid: cardUid, token: z.string().trim().max(200).optional() }).strict();
const qrToken = z.string().trim().min(10).max(300);
const qrCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{6}$/, '码号是6位字母或数字');
export const identifyInput = z
  .object({ shopId: id, card: cardPresented.optional(), qr: qrToken.optional(), code: qrCode.optional() })
  .strict()
  .refine((v) => [v.card, v.qr, v.code].filter(Boolean).length === 1, {
    message: '请刷卡、扫码或输入码号（三选一）',
    path: ['card'],
  });
export const redeemInput = z
  .object({
    requestId,
    shopId: id,
    familyId: id,
    card: cardPresented.optional(),
    qr: qrToken.optional(),
    items,
    pin: z.string().max(6).optional(),
  })
  .strict()
  .refine((v) => !!v.card !== !!v.qr, { message: '请刷卡或扫码（二选一）', path: ['card'] });
export const cancelInput = z.object({ orderId: id, reason }).strict();
export const ordersListInput = z
  .object({ shopId: id.optional(), familyId: id.optional(), day: z.string().max(10).optional(), offset })
  .strict();

// ---- the fund pool ----
export const fundConfigureInput = z
  .object({
    villageId: id,
    fenPerPoint: z.number().int().min(1).max(100_000),
    pinAbovePoints: points.nullable(),
  })
  .strict();
export const fundAllocateInput = z
  .object({ year: yearKey, villageIds: z.array(id).max(50).optional() })
  .strict();
export const fundIncomeInput = z
  .object({ requestId, villageId: id, year: yearKey, netIncomeFen: positiveFen, note })
  .strict();
export const fundDonateInput = z
  .object({ requestId, villageId: id, amountFen: positiveFen, donor: z.string().trim().min(1).max(40), note })
  .strict();
export const fundExpenseInput = z
  .object({ requestId, villageId: id, amountFen: positiveFen, note: reason })
  .strict();
export const fundLedgerInput = z.object({ villageId: id, offset }).strict();
export const fundHealthInput = z.object({ villageId: id.optional() }).strict();
export const settlementInput = z.object({ shopId: id, month: monthKey }).strict();

// ---- wishes ----
export const wishRequestInput = z
  .object({
    requestId,
    kind: z.enum(WISH_KINDS),
    description: z.string().trim().min(4, '请描述需要的服务（至少4个字）').max(300),
    memberId: id.optional(),
  })
  .strict();
export const wishesListInput = z
  .object({
    villageId: id.optional(),
    status: z.enum(WISH_STATUSES).optional(),
    offset,
  })
  .strict();
export const wishQuoteInput = z
  .object({
    wishId: id,
    points: z
      .number()
      .int()
      .min(5)
      .max(1_000_000)
      .refine((p) => p % 5 === 0, '积分须为0.5分的整数倍'),
    note,
  })
  .strict();
export const wishIdInput = z.object({ wishId: id }).strict();
/** The family accepts the quote it was shown: a quote changed meanwhile is refused, never reserved. */
export const wishAcceptInput = z
  .object({ wishId: id, quotePoints: z.number().int().min(0).max(1_000_000) })
  .strict();
export const wishDoneInput = z
  .object({
    wishId: id,
    deliveredQuantity: z.number().min(0).max(10_000_000),
    deliveredUnit: z.string().trim().min(1).max(10),
    costFen: fen.default(0),
  })
  .strict();
export const wishCancelInput = z.object({ wishId: id, reason }).strict();

// ---- year end and reports ----
export const championsAwardInput = z
  .object({
    requestId,
    villageId: id,
    year: yearKey,
    topN: z.number().int().min(1).max(100),
    rewardFen: positiveFen,
  })
  .strict();
export const championsListInput = z.object({ villageId: id, year: yearKey }).strict();
export const statsInput = z.object({ period, villageId: id.optional() }).strict();
export const familyReportInput = z.object({ familyId: id.optional() }).strict();

/** Declares actions of the `shop` function, each checked against its entry in `ShopApi` where it is written. */
export const defineShopActions = actionsOf<ShopApi>();
