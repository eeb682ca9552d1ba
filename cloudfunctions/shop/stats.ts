/**
 * Redemption statistics of a period (统计): families and villagers who redeemed, points redeemed, goods value at
 * cost, services done.
 */
import { requireStatsScope } from '../common/access';
import { aggregate } from '../common/data';
import { townId } from '../common/env';
import { COLLECTIONS } from '../common/model';
import { defineShopActions, statsInput } from './schemas';

export const statsActions = defineShopActions({
  /**
   * Statistics of a period (`YYYY` or `YYYY-MM`), for a village (its overseers) or the town (town admins):
   * families and villagers who redeemed, points redeemed, goods value at cost, services done.
   */
  'stats.get': {
    input: statsInput,
    handler: async (input, { caller }) => {
      const scope = requireStatsScope(caller, input.villageId);
      const periodField = input.period.length === 4 ? 'year' : 'month';
      const [orders] = await aggregate<{
        orders: number;
        points: number;
        costFen: number;
        families: string[];
        members: (string | null)[];
        wishes: { n: number; points: number }[];
      }>(COLLECTIONS.towns, [
        ['match', { _id: townId() }],
        [
          'lookup',
          {
            from: COLLECTIONS.orders,
            pipeline: [
              { $match: { ...scope, [periodField]: input.period, status: 'done' } },
              {
                $group: {
                  _id: null,
                  orders: { $sum: 1 },
                  points: { $sum: '$totalPoints' },
                  costFen: { $sum: '$totalCostFen' },
                  families: { $addToSet: '$familyId' },
                  members: { $addToSet: '$memberId' },
                },
              },
            ],
            as: 'o',
          },
        ],
        [
          'lookup',
          {
            from: COLLECTIONS.wishes,
            pipeline: [
              {
                $match: {
                  ...scope,
                  status: 'done',
                  [input.period.length === 4 ? 'doneYear' : 'doneMonth']: input.period,
                },
              },
              { $group: { _id: null, n: { $sum: 1 }, points: { $sum: '$quotePoints' } } },
            ],
            as: 'wishes',
          },
        ],
        [
          'project',
          {
            orders: { $ifNull: [{ $arrayElemAt: ['$o.orders', 0] }, 0] },
            points: { $ifNull: [{ $arrayElemAt: ['$o.points', 0] }, 0] },
            costFen: { $ifNull: [{ $arrayElemAt: ['$o.costFen', 0] }, 0] },
            families: { $ifNull: [{ $arrayElemAt: ['$o.families', 0] }, []] },
            members: { $ifNull: [{ $arrayElemAt: ['$o.members', 0] }, []] },
            wishes: 1,
          },
        ],
      ]);
      const wish = orders?.wishes[0];
      return {
        period: input.period,
        villageId: input.villageId ?? null,
        orders: orders?.orders ?? 0,
        familiesRedeemed: orders?.families.length ?? 0,
        villagersRedeemed: orders?.members.filter((m) => m).length ?? 0,
        pointsRedeemed: orders?.points ?? 0,
        goodsValueFen: orders?.costFen ?? 0,
        servicesDone: wish?.n ?? 0,
        servicePoints: wish?.points ?? 0,
      };
    },
  },
});
