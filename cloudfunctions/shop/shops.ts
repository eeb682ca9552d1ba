/**
 * Shops and goods: the town sets up village shops and the central shop (seeded with everyday goods); managers
 * keep the catalogue; stock changes only with a recorded movement in the same transaction; the central shop's
 * public cash sales, and its monthly income statement split among the owning collectives by their shares.
 */
import {
  cartTotals,
  isLowStock,
  manualStockChange,
  mergeCart,
  seedGoods,
  sharesAreComplete,
  splitByShares,
  STOCK_MOVEMENT_LABELS,
  type CartItem,
} from '../../miniprogram/core/shop';
import { monthOf } from '../../miniprogram/core/time';
import {
  decideGoodsCost,
  decideStock,
  maxGoodsCostFen,
  type Approved,
  type StockPurpose,
} from '../../miniprogram/core/policy';
import { DEFAULT_FEN_PER_POINT, formatYuan } from '../../miniprogram/core/fund';
import { actorOf, approve, checkApproved } from '../common/policy';
import { canManageVillage, isTownAdmin } from '../common/access';
import type { Caller } from '../common/caller';
import { callerName } from '../common/caller';
import { _, aggregate, find, now, transaction, txGet, txSet, type Tx, newestFirst } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError, InvalidInputError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type FundDoc,
  type GoodsDoc,
  type SaleDoc,
  type ShopDoc,
  type StockMovementDoc,
  type VillageDoc,
} from '../common/model';
import { audit, derivedId, newId, once, setWithTrail } from '../common/writes';
import {
  defineShopActions,
  goodsListInput,
  goodsSaveInput,
  movementsInput,
  saleRecordInput,
  shopMonthInput,
  shopOnlyInput,
  shopsListInput,
  shopsSetupInput,
  stockMoveInput,
} from './schemas';
import { canManageShop, loadShop, requireShopStaff } from './staff';
import { newFund } from '../common/fund';
import { pick } from '../common/fields';

export function goodsView(g: GoodsDoc) {
  return {
    id: g._id,
    ...pick(g, [
      'shopId',
      'code',
      'name',
      'category',
      'unit',
      'pricePoints',
      'costFen',
      'cashPriceFen',
      'stock',
      'picture',
      'onShelf',
      'lowStockThreshold',
    ]),
    lowStock: isLowStock(g),
  };
}

function shopView(s: ShopDoc) {
  return {
    id: s._id,
    ...pick(s, ['name', 'kind', 'villageId', 'servedVillageIds', 'sellsToPublic', 'owners']),
  };
}

export interface StockChange {
  goods: GoodsDoc;
  change: number;
  kind: StockMovementDoc['kind'];
  reason: string;
  ref: StockMovementDoc['ref'];
  at: Date;
}

/** The policy's decision on a stock change of a good as read in this transaction (`core/policy` `decideStock`). */
export function approveStock(
  caller: Caller,
  goods: GoodsDoc,
  change: number,
  purpose: StockPurpose,
): Approved<'stock'> {
  const decision = decideStock({ purpose, maker: actorOf(caller), change, stockBefore: goods.stock });
  if (!decision.ok && decision.code === 'OUT_OF_STOCK')
    throw new RefusedError('OUT_OF_STOCK', `${goods.name}库存不足（剩${goods.stock}${goods.unit}）`, {
      goodsId: goods._id,
      stock: goods.stock,
    });
  return approve(decision);
}

/** Takes each line of a cart out of stock (a redemption, a cash sale): one approved movement per line. */
export async function takeFromStock(
  tx: Tx,
  caller: Caller,
  lines: { goods: GoodsDoc; quantity: number }[],
  take: Pick<StockChange, 'kind' | 'reason' | 'ref' | 'at'> & { kind: 'redemption' | 'sale' },
): Promise<void> {
  for (const { goods, quantity } of lines) {
    await moveStock(
      tx,
      caller,
      { goods, change: -quantity, ...take },
      approveStock(caller, goods, -quantity, take.kind),
    );
  }
}

/**
 * Moves a good's stock (as read in this transaction) and records the movement; never below zero. Takes the
 * policy's decision for exactly this change.
 */
export async function moveStock(
  tx: Tx,
  caller: Caller,
  move: StockChange,
  approved: Approved<'stock'>,
): Promise<StockMovementDoc> {
  checkApproved(approved, 'stock', move.change);
  const stockAfter = move.goods.stock + move.change;
  if (stockAfter < 0) {
    throw new RefusedError(
      'OUT_OF_STOCK',
      `${move.goods.name}库存不足（剩${move.goods.stock}${move.goods.unit}）`,
      {
        goodsId: move.goods._id,
        stock: move.goods.stock,
      },
    );
  }
  const doc: StockMovementDoc = {
    _id: newId('m'),
    townId: move.goods.townId,
    shopId: move.goods.shopId,
    goodsId: move.goods._id,
    goodsName: move.goods.name,
    kind: move.kind,
    change: move.change,
    stockAfter,
    reason: move.reason,
    ref: move.ref,
    by: caller.openid,
    byName: callerName(caller),
    month: monthOf(move.at),
    at: move.at,
  };
  await txSet(tx, COLLECTIONS.stockMovements, doc);
  await tx
    .collection(COLLECTIONS.goods)
    .doc(move.goods._id)
    .update({ data: { stock: stockAfter, updatedAt: move.at } });
  move.goods.stock = stockAfter;
  return doc;
}

/** Reads a cart's goods in the transaction: each must belong to the shop and be on the shelf. */
export async function txCartGoods(tx: Tx, shopId: string, items: readonly CartItem[]) {
  const goods: GoodsDoc[] = [];
  for (const item of mergeCart(items)) {
    const found = await txGet<GoodsDoc>(tx, COLLECTIONS.goods, item.goodsId);
    if (found) goods.push(found);
  }
  return cartGoods(goods, shopId, items);
}

/** The cart's lines against the goods read for it: each of this shop and on the shelf. */
export function cartGoods(read: readonly GoodsDoc[], shopId: string, items: readonly CartItem[]) {
  const lines: { goods: GoodsDoc; quantity: number }[] = [];
  for (const [index, item] of mergeCart(items).entries()) {
    const goods = read.find((g) => g._id === item.goodsId);
    if (!goods || goods.shopId !== shopId) {
      throw new RefusedError('NOT_IN_SHOP', '购物车里有不属于本超市的商品', { goodsId: item.goodsId, index });
    }
    if (!goods.onShelf) throw new RefusedError('OFF_SHELF', `${goods.name}已下架`, { goodsId: goods._id });
    lines.push({ goods, quantity: item.quantity });
  }
  return lines;
}

export const shopsActions = defineShopActions({
  /** The town sets up its shops (idempotent by shop id); a seeded shop gets the 60+ everyday goods, stocked. */
  'shops.setup': {
    input: shopsSetupInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const at = now();
      const villages = await find<VillageDoc>(COLLECTIONS.villages, { townId: townId() }, { limit: 1000 });
      const known = new Set(villages.map((v) => v._id));
      input.shops.forEach((s, index) => {
        const ids = [s.villageId, ...s.servedVillageIds, ...s.owners.map((o) => o.villageId)];
        const unknown = ids.find((v) => !known.has(v));
        if (unknown)
          throw new InvalidInputError([
            { path: `shops.${index}`, message: `没有这个村（社区）：${unknown}` },
          ]);
        if (s.owners.length > 0 && !sharesAreComplete(s.owners))
          throw new InvalidInputError([{ path: `shops.${index}.owners`, message: '各村股份合计须为100%' }]);
      });
      const created: string[] = [];
      for (const spec of input.shops) {
        await transaction(async (tx) => {
          const existing = await txGet<ShopDoc>(tx, COLLECTIONS.shops, spec.id);
          const shop: Omit<ShopDoc, '_id'> = {
            townId: townId(),
            name: spec.name,
            kind: spec.kind,
            villageId: spec.villageId,
            servedVillageIds: [...new Set([spec.villageId, ...spec.servedVillageIds])],
            sellsToPublic: spec.sellsToPublic,
            owners: spec.owners.length ? spec.owners : [{ villageId: spec.villageId, shareBp: 10000 }],
            createdAt: existing?.createdAt ?? at,
          };
          await tx.collection(COLLECTIONS.shops).doc(spec.id).set({ data: shop });
          if (spec.seedGoods && !existing) {
            for (const seed of seedGoods()) {
              const goods: GoodsDoc = {
                _id: `${spec.id}-${seed.code}`,
                townId: townId(),
                shopId: spec.id,
                code: seed.code,
                name: seed.name,
                category: seed.category,
                unit: seed.unit,
                pricePoints: seed.pricePoints,
                costFen: seed.costFen,
                cashPriceFen: seed.cashPriceFen,
                stock: 0,
                picture: '',
                onShelf: true,
                lowStockThreshold: seed.lowStockThreshold,
                updatedAt: at,
              };
              await txSet(tx, COLLECTIONS.goods, goods);
              await moveStock(
                tx,
                caller,
                {
                  goods,
                  change: seed.initialStock,
                  kind: 'restock',
                  reason: '开业备货',
                  ref: { type: 'manual', id: spec.id },
                  at,
                },
                approveStock(caller, goods, seed.initialStock, 'opening'),
              );
            }
          }
          await audit(tx, caller, {
            townId: townId(),
            villageId: spec.villageId,
            action: 'shops.setup',
            target: { collection: COLLECTIONS.shops, id: spec.id },
            summary: `${existing ? '更新' : '开设'}${spec.name}`,
            at,
          });
          if (!existing) created.push(spec.id);
        });
      }
      // Every village has a fund pool from the start.
      const funds = await find<{ _id: string }>(COLLECTIONS.funds, { townId: townId() }, { limit: 1000 });
      const missing = villages.filter((v) => !funds.some((f) => f._id === v._id));
      if (missing.length) {
        await transaction(async (tx) => {
          for (const v of missing) {
            if (await txGet(tx, COLLECTIONS.funds, v._id)) continue;
            await tx
              .collection(COLLECTIONS.funds)
              .doc(v._id)
              .set({ data: newFund(townId(), v._id, at) });
          }
        });
      }
      return { created, shops: input.shops.map((s) => s.id) };
    },
  },

  'shops.list': {
    input: shopsListInput,
    handler: async (input) => {
      const where: Record<string, string> = { townId: townId() };
      if (input.villageId) where.servedVillageIds = input.villageId;
      const shops = await find<ShopDoc>(COLLECTIONS.shops, where, { limit: 100 });
      return { shops: shops.map(shopView) };
    },
  },

  /** The shelf (anyone); staff also see goods off the shelf. */
  'goods.list': {
    input: goodsListInput,
    handler: async (input, { caller }) => {
      const where: Record<string, unknown> = { shopId: input.shopId };
      if (input.category) where.category = input.category;
      if (input.includeOffShelf) requireShopStaff(caller, await loadShop(input.shopId));
      else where.onShelf = true;
      const goods = await find<GoodsDoc>(COLLECTIONS.goods, where, {
        orderBy: [['code', 'asc']],
        limit: 1000,
      });
      return { goods: goods.map(goodsView) };
    },
  },

  /** Adds or edits a good (managers). Stock is not edited here: a new good starts at 0, restocked by a movement. */
  'goods.save': {
    input: goodsSaveInput,
    handler: async (input, { caller }) => {
      const shop = await loadShop(input.shopId);
      if (!canManageShop(caller, shop))
        throw new ForbiddenError('只有超市所属村的干部或镇管理员可以维护商品');
      const at = now();
      // The cost is charged to each redeeming family's village fund: bounded by the least a point is worth there.
      const funds = await find<FundDoc>(
        COLLECTIONS.funds,
        { _id: _.in(shop.servedVillageIds) },
        { limit: 100 },
      );
      const fenPerPoint = funds.length
        ? Math.min(...funds.map((f) => f.fenPerPoint ?? DEFAULT_FEN_PER_POINT))
        : DEFAULT_FEN_PER_POINT;
      return transaction(async (tx) => {
        const existing = input.goodsId ? await txGet<GoodsDoc>(tx, COLLECTIONS.goods, input.goodsId) : null;
        if (input.goodsId && (!existing || existing.shopId !== shop._id))
          throw new NotFoundError('找不到该商品');
        if (!existing || existing.costFen !== input.costFen || existing.pricePoints !== input.pricePoints) {
          const refusal = decideGoodsCost({
            maker: actorOf(caller),
            pricePoints: input.pricePoints,
            costFen: input.costFen,
            fenPerPoint,
          });
          if (refusal)
            throw new RefusedError(refusal.code, refusal.message, {
              maxCostFen: maxGoodsCostFen(input.pricePoints, fenPerPoint),
            });
        }
        const goods: GoodsDoc = {
          _id: existing?._id ?? newId('g'),
          townId: shop.townId,
          shopId: shop._id,
          code: existing?.code ?? `N${at.getTime().toString(36).toUpperCase()}`,
          name: input.name,
          category: input.category,
          unit: input.unit,
          pricePoints: input.pricePoints,
          costFen: input.costFen,
          cashPriceFen: input.cashPriceFen,
          stock: existing?.stock ?? 0,
          picture: input.picture,
          onShelf: input.onShelf,
          lowStockThreshold: input.lowStockThreshold,
          updatedAt: at,
        };
        await setWithTrail(tx, caller, COLLECTIONS.goods, goods, shop, {
          action: 'goods.save',
          summary:
            `${existing ? '修改' : '新增'}商品${goods.name}（${goods.pricePoints / 10}分/${goods.unit}）` +
            (existing && existing.costFen !== goods.costFen
              ? `，成本由${formatYuan(existing.costFen)}改为${formatYuan(goods.costFen)}`
              : existing
                ? ''
                : `，成本${formatYuan(goods.costFen)}`),
          at,
        });
        return { goods: goodsView(goods) };
      });
    },
  },

  /** Restock, loss or stocktake correction, with a reason (clerks and managers). */
  'goods.stock': {
    input: stockMoveInput,
    handler: async (input, { caller }) => {
      const shop = await loadShop(input.shopId);
      requireShopStaff(caller, shop);
      const at = now();
      return transaction((tx) =>
        once(tx, caller, input, 'goods.stock', at, async () => {
          const goods = await txGet<GoodsDoc>(tx, COLLECTIONS.goods, input.goodsId);
          if (!goods || goods.shopId !== shop._id) throw new NotFoundError('找不到该商品');
          const change = manualStockChange(input.kind, input.quantity);
          const movement = await moveStock(
            tx,
            caller,
            {
              goods,
              change,
              kind: input.kind,
              reason: input.reason,
              ref: { type: 'manual', id: derivedId('s', caller, input.requestId) },
              at,
            },
            approveStock(caller, goods, change, input.kind),
          );
          await audit(tx, caller, {
            townId: shop.townId,
            villageId: shop.villageId,
            action: 'goods.stock',
            target: { collection: COLLECTIONS.goods, id: goods._id },
            summary: `${STOCK_MOVEMENT_LABELS[input.kind]}${goods.name} ${movement.change}${goods.unit}：${input.reason}`,
            at,
          });
          return { goods: goodsView(goods), movementId: movement._id };
        }),
      );
    },
  },

  'goods.lowStock': {
    input: shopOnlyInput,
    handler: async (input, { caller }) => {
      requireShopStaff(caller, await loadShop(input.shopId));
      const goods = await aggregate<GoodsDoc>(COLLECTIONS.goods, [
        ['match', { shopId: input.shopId }],
        ['match', { $expr: { $lte: ['$stock', '$lowStockThreshold'] } }],
        ['sort', { stock: 1, code: 1 }],
        ['limit', 1000],
      ]);
      return { goods: goods.map(goodsView) };
    },
  },

  'goods.movements': {
    input: movementsInput,
    handler: async (input, { caller }) => {
      requireShopStaff(caller, await loadShop(input.shopId));
      const where: Record<string, string> = { shopId: input.shopId };
      if (input.goodsId) where.goodsId = input.goodsId;
      const rows = await newestFirst<StockMovementDoc>(
        COLLECTIONS.stockMovements,
        where,
        'at',
        input.offset,
        50,
      );
      return {
        movements: rows.map((m) => ({
          id: m._id,
          ...pick(m, ['goodsId', 'goodsName', 'kind', 'change', 'stockAfter', 'reason', 'byName', 'at']),
          kindLabel: STOCK_MOVEMENT_LABELS[m.kind],
        })),
      };
    },
  },

  /** A public cash sale at a shop that sells to the public: stock out, cash in. */
  'sales.record': {
    input: saleRecordInput,
    handler: async (input, { caller }) => {
      const shop = await loadShop(input.shopId);
      requireShopStaff(caller, shop);
      if (!shop.sellsToPublic) throw new RefusedError('NOT_PUBLIC', '本超市不对外销售');
      const at = now();
      const id = derivedId('sale', caller, input.requestId);
      return transaction((tx) =>
        once(tx, caller, input, 'sales.record', at, async () => {
          const lines = await txCartGoods(tx, shop._id, input.items);
          await takeFromStock(tx, caller, lines, {
            kind: 'sale',
            reason: '现金销售',
            ref: { type: 'sale', id },
            at,
          });
          const totals = cartTotals(lines.map((l) => ({ ...l.goods, quantity: l.quantity })));
          const sale: SaleDoc = {
            _id: id,
            townId: shop.townId,
            shopId: shop._id,
            lines: lines.map(({ goods, quantity }) => ({
              goodsId: goods._id,
              name: goods.name,
              unit: goods.unit,
              quantity,
              costFen: goods.costFen,
              cashPriceFen: goods.cashPriceFen,
            })),
            totalFen: totals.cashFen,
            totalCostFen: totals.costFen,
            clerk: caller.openid,
            clerkName: callerName(caller),
            month: monthOf(at),
            createdAt: at,
          };
          await setWithTrail(tx, caller, COLLECTIONS.sales, sale, shop, {
            action: 'sales.record',
            summary: `现金销售${totals.quantity}件，收款${totals.cashFen}分`,
            at,
          });
          return { saleId: id, totalFen: totals.cashFen, totalCostFen: totals.costFen };
        }),
      );
    },
  },

  /**
   * The month's income statement of a shop: public sales less their cost is the profit, split among the owning
   * collectives by their shares (redemptions are charged to the funds at cost, so they carry no profit).
   */
  'shops.incomeStatement': {
    input: shopMonthInput,
    handler: async (input, { caller }) => {
      const shop = await loadShop(input.shopId);
      const owner = shop.owners.some((o) => canManageVillage(caller, o.villageId));
      if (!isTownAdmin(caller) && !canManageShop(caller, shop) && !owner)
        throw new ForbiddenError('只有超市的股东村干部或镇管理员可以查看损益表');
      const [sums] = await aggregate<{ revenueFen: number; costFen: number; sales: number }>(
        COLLECTIONS.sales,
        [
          ['match', { shopId: shop._id, month: input.month }],
          [
            'group',
            {
              _id: null,
              revenueFen: { $sum: '$totalFen' },
              costFen: { $sum: '$totalCostFen' },
              sales: { $sum: 1 },
            },
          ],
        ],
      );
      const revenueFen = sums?.revenueFen ?? 0;
      const costFen = sums?.costFen ?? 0;
      const profitFen = revenueFen - costFen;
      return {
        shopId: shop._id,
        month: input.month,
        sales: sums?.sales ?? 0,
        revenueFen,
        costFen,
        profitFen,
        shares: splitByShares(profitFen, shop.owners).map((s) => ({
          ...s,
          shareBp: shop.owners.find((o) => o.villageId === s.villageId)?.shareBp ?? 0,
        })),
      };
    },
  },
});
