/**
 * The fund pool per village: an append-only ledger of fund movements (`fundMovements`) and a stored balance per
 * village (`funds`) moved in the same transaction (`moveFund`). Points outstanding are NOT stored: they are the
 * sum of the families' available points, computed by one aggregation when health is asked for (it is asked
 * rarely; a stored total would be one more hot document for every award and redemption to conflict on).
 */
import {
  allocationFen,
  collectiveShareFen,
  DEFAULT_FEN_PER_POINT,
  formatYuan,
  FUND_MOVEMENT_LABELS,
  fundHealth,
  townFundHealth,
} from '../../miniprogram/core/fund';
import {
  canManageVillage,
  canOverseeVillage,
  isTownAdmin,
  requireManage,
  requireOversee,
} from '../common/access';
import type { Caller } from '../common/caller';
import { aggregate, getById, now, transaction, txGet, newestFirst } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError } from '../common/errors';
import { COLLECTIONS, type FundDoc, type FundMovementDoc } from '../common/model';
import { villageById } from '../common/places';
import { audit, derivedId, once, setWithTrail } from '../common/writes';
import {
  defineShopActions,
  fundAllocateInput,
  fundConfigureInput,
  fundDonateInput,
  fundExpenseInput,
  fundHealthInput,
  fundIncomeInput,
  fundLedgerInput,
  settlementInput,
} from './schemas';
import { loadShop } from './staff';
import { moveApprovedFund, newFund, type FundMove } from '../common/fund';

/** What a handler says of one money-in or money-out line; `record` adds whose fund it is, its id and time. */
type FundLine = Omit<FundMove, 'id' | 'townId' | 'villageId' | 'ref' | 'at'>;

/**
 * Records one money-in or money-out line of village `v`'s fund with its audit line. Its id derives from the
 * request id (`prefix` names the kind of line), so a retry applies once.
 */
async function record(
  caller: Caller,
  input: { requestId: string },
  action: string,
  v: { _id: string; townId: string },
  prefix: string,
  line: FundLine,
  summary: string,
) {
  const move: FundMove = {
    id: derivedId(prefix, caller, input.requestId),
    townId: v.townId,
    villageId: v._id,
    ref: null,
    at: now(),
    ...line,
  };
  return transaction((tx) =>
    once(tx, caller, input, action, move.at, async () => {
      const movement = await moveApprovedFund(tx, caller, move);
      await audit(tx, caller, {
        townId: move.townId,
        villageId: move.villageId,
        action,
        target: { collection: COLLECTIONS.fundMovements, id: movement._id },
        summary,
        at: move.at,
      });
      return { movementId: movement._id, amountFen: movement.amountFen };
    }),
  );
}

/** The handler of a line a village's managers record themselves (a donation, an expense): checked, then `record`ed. */
function managedLine<I extends { villageId: string; requestId: string }>(
  action: string,
  prefix: string,
  line: (input: I) => FundLine,
  summary: (input: I) => string,
) {
  return async (input: I, { caller }: { caller: Caller }) => {
    const v = await villageById(input.villageId);
    requireManage(caller, v._id);
    return record(caller, input, action, v, prefix, line(input), summary(input));
  };
}

function movementView(m: FundMovementDoc) {
  return {
    id: m._id,
    kind: m.kind,
    kindLabel: FUND_MOVEMENT_LABELS[m.kind],
    amountFen: m.amountFen,
    netIncomeFen: m.netIncomeFen,
    donor: m.donor,
    note: m.note,
    byName: m.byName,
    at: m.at,
  };
}

interface HealthRow {
  _id: string;
  name: string;
  fund: FundDoc[];
  outstanding: { total: number; expiring?: number }[];
}

export const fundActions = defineShopActions({
  /** Point value and PIN threshold of a village's fund (town admins). */
  'fund.configure': {
    input: fundConfigureInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const v = await villageById(input.villageId);
      const at = now();
      return transaction(async (tx) => {
        const fund = (await txGet<FundDoc>(tx, COLLECTIONS.funds, v._id)) ?? {
          ...newFund(v.townId, v._id, at),
          _id: v._id,
        };
        const next = {
          ...fund,
          fenPerPoint: input.fenPerPoint,
          pinAbovePoints: input.pinAbovePoints,
          updatedAt: at,
        };
        await setWithTrail(tx, caller, COLLECTIONS.funds, next, next, {
          action: 'fund.configure',
          summary: `${v.name}积分价值${input.fenPerPoint}分/分，兑换密码门槛${input.pinAbovePoints ?? '不设'}`,
          at,
        });
        return { fenPerPoint: next.fenPerPoint, pinAbovePoints: next.pinAbovePoints };
      });
    },
  },

  /** The town's yearly allocation: 50 yuan per household, once per village and year. */
  'fund.allocate': {
    input: fundAllocateInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const at = now();
      const rows = await aggregate<{ _id: string; households: number }>(COLLECTIONS.families, [
        [
          'match',
          { townId: townId(), ...(input.villageIds ? { villageId: { $in: input.villageIds } } : {}) },
        ],
        ['group', { _id: '$villageId', households: { $sum: 1 } }],
      ]);
      const allocated: { villageId: string; households: number; amountFen: number; already: boolean }[] = [];
      for (const row of rows.sort((a, b) => a._id.localeCompare(b._id))) {
        const id = `alloc_${row._id}_${input.year}`;
        const amountFen = allocationFen(row.households);
        const already = await transaction(async (tx) => {
          if (await txGet(tx, COLLECTIONS.fundMovements, id)) return true;
          await moveApprovedFund(tx, caller, {
            id,
            townId: townId(),
            villageId: row._id,
            kind: 'allocation',
            amountFen,
            note: `${input.year}年镇财政拨付（${row.households}户×50元）`,
            ref: null,
            at,
          });
          await audit(tx, caller, {
            townId: townId(),
            villageId: row._id,
            action: 'fund.allocate',
            target: { collection: COLLECTIONS.fundMovements, id },
            summary: `${input.year}年拨付${formatYuan(amountFen)}`,
            at,
          });
          return false;
        });
        allocated.push({ villageId: row._id, households: row.households, amountFen, already });
      }
      return { year: input.year, allocated };
    },
  },

  /** 30 % of the collective's net income for the year, entered with the income figure (town admins). */
  'fund.income': {
    input: fundIncomeInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const v = await villageById(input.villageId);
      const amountFen = collectiveShareFen(input.netIncomeFen);
      return record(
        caller,
        input,
        'fund.income',
        v,
        'fi',
        {
          kind: 'income',
          amountFen,
          netIncomeFen: input.netIncomeFen,
          note: input.note || `${input.year}年集体经济净收益${formatYuan(input.netIncomeFen)}的30%`,
        },
        `${v.name}${input.year}年集体收益提取${formatYuan(amountFen)}`,
      );
    },
  },

  /** A donation with its donor (town admins and the village's cadres). */
  'fund.donate': {
    input: fundDonateInput,
    handler: managedLine(
      'fund.donate',
      'fd',
      (input) => ({ kind: 'donation', amountFen: input.amountFen, donor: input.donor, note: input.note }),
      (input) => `${input.donor}捐赠${formatYuan(input.amountFen)}`,
    ),
  },

  /** Another expense of the fund, with its reason (town admins and the village's cadres). */
  'fund.expense': {
    input: fundExpenseInput,
    handler: managedLine(
      'fund.expense',
      'fe',
      (input) => ({ kind: 'expense', amountFen: -input.amountFen, note: input.note }),
      (input) => `支出${formatYuan(input.amountFen)}：${input.note}`,
    ),
  },

  /** The fund's movements, newest first, with the balance (the village's overseers). */
  'fund.ledger': {
    input: fundLedgerInput,
    handler: async (input, { caller }) => {
      requireOversee(caller, input.villageId);
      const { villageId, offset } = input;
      const [fund, rows] = await Promise.all([
        getById<FundDoc>(COLLECTIONS.funds, villageId),
        newestFirst<FundMovementDoc>(COLLECTIONS.fundMovements, { villageId }, 'at', offset, 50),
      ]);
      return {
        balanceFen: fund?.balanceFen ?? 0,
        fenPerPoint: fund?.fenPerPoint ?? null,
        movements: rows.map(movementView),
      };
    },
  },

  /**
   * The pool against the points outstanding: per village (any linked villager sees their own village) and for the
   * town (town admins). One aggregation: villages, their fund, and the sum of their families' available points.
   */
  'fund.health': {
    input: fundHealthInput,
    handler: async (input, { caller }) => {
      const villageId = input.villageId ?? (isTownAdmin(caller) ? null : (caller.profile?.villageId ?? null));
      if (villageId && villageId !== caller.profile?.villageId && !canOverseeVillage(caller, villageId))
        throw new ForbiddenError('只能查看本村（社区）的基金池');
      if (!villageId && !isTownAdmin(caller)) throw new ForbiddenError('只有镇管理员可以查看全镇基金池');
      const rows = await aggregate<HealthRow>(COLLECTIONS.villages, [
        ['match', villageId ? { _id: villageId } : { townId: townId() }],
        ['lookup', { from: COLLECTIONS.funds, localField: '_id', foreignField: '_id', as: 'fund' }],
        [
          'lookup',
          {
            from: COLLECTIONS.families,
            let: { villageId: '$_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$villageId', '$$villageId'] } } },
              {
                $group: {
                  _id: null,
                  total: { $sum: '$available' },
                  // What the points year told families will expire (points/points-year.ts), never more than they have.
                  expiring: { $sum: { $min: [{ $ifNull: ['$expiryNotice.points', 0] }, '$available'] } },
                },
              },
            ],
            as: 'outstanding',
          },
        ],
        ['project', { name: 1, fund: 1, outstanding: 1 }],
      ]);
      const villages = rows
        .sort((a, b) => a._id.localeCompare(b._id))
        .map((r) => {
          const fund = r.fund[0];
          const fenPerPoint = fund?.fenPerPoint ?? DEFAULT_FEN_PER_POINT;
          return {
            villageId: r._id,
            villageName: r.name,
            fenPerPoint,
            ...fundHealth(
              fund?.balanceFen ?? 0,
              r.outstanding[0]?.total ?? 0,
              fenPerPoint,
              r.outstanding[0]?.expiring ?? 0,
            ),
          };
        });
      return { villages, town: villageId ? null : townFundHealth(villages) };
    },
  },

  /**
   * The month's settlement of a shop: what each village's fund owes it for its families' redemptions at cost
   * (cancelled orders excluded). The shop's managers, town admins and each village's cadres (their own line).
   */
  'fund.settlement': {
    input: settlementInput,
    handler: async (input, { caller }) => {
      const shop = await loadShop(input.shopId);
      const managesShop = isTownAdmin(caller) || canManageVillage(caller, shop.villageId);
      const ownVillage = caller.profile?.villageId;
      if (!managesShop && !(ownVillage && canManageVillage(caller, ownVillage)))
        throw new ForbiddenError('只有村干部或镇管理员可以查看结算单');
      const rows = await aggregate<{ _id: string; orders: number; points: number; costFen: number }>(
        COLLECTIONS.orders,
        [
          [
            'match',
            {
              shopId: shop._id,
              month: input.month,
              status: 'done',
              ...(managesShop ? {} : { villageId: ownVillage }),
            },
          ],
          [
            'group',
            {
              _id: '$villageId',
              orders: { $sum: 1 },
              points: { $sum: '$totalPoints' },
              costFen: { $sum: '$totalCostFen' },
            },
          ],
          ['sort', { _id: 1 }],
        ],
      );
      return {
        shopId: shop._id,
        shopName: shop.name,
        month: input.month,
        villages: rows.map((r) => ({
          villageId: r._id,
          orders: r.orders,
          points: r.points,
          owesFen: r.costFen,
        })),
        totalFen: rows.reduce((s, r) => s + r.costFen, 0),
      };
    },
  },
});
