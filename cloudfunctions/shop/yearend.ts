/**
 * Year end and reports: a village's champions (top N families by points earned in the year, suspended families
 * excluded, sharing a reward equally, paid from the village fund), statistics for any period, and a family's
 * points report for evaluations (history by year, board entries, champion titles).
 */
import { selectChampions, splitEqually, formatYuan } from '../../miniprogram/core/fund';
import { familyDisplayName } from '../../miniprogram/core/names';
import { isSuspended } from '../../miniprogram/core/suspension';
import { yearOf } from '../../miniprogram/core/time';
import { canOverseeVillage, isTownAdmin, requireFamily, requireOversee } from '../common/access';
import { aggregate, find, getById, now, transaction, txGet } from '../common/data';
import { townId } from '../common/env';
import { ConflictError, ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import {
  COLLECTIONS,
  type BoardDoc,
  type ChampionsDoc,
  type FamilyDoc,
  type ScoreDoc,
  type VillageDoc,
} from '../common/model';
import { audit, once } from '../common/writes';
import {
  championsAwardInput,
  championsListInput,
  defineShopActions,
  familyReportInput,
  statsInput,
} from './schemas';
import { moveApprovedFund } from './shared';

function championsView(c: ChampionsDoc) {
  return {
    villageId: c.villageId,
    year: c.year,
    topN: c.topN,
    rewardFen: c.rewardFen,
    eachFen: c.eachFen,
    remainderFen: c.remainderFen,
    families: c.families,
    at: c.at,
  };
}

export const yearEndActions = defineShopActions({
  /** Computes and pays a village's champions of a year, once (town admins). */
  'champions.award': {
    input: championsAwardInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const village = await getById<VillageDoc>(COLLECTIONS.villages, input.villageId);
      if (!village) throw new NotFoundError('找不到该村（社区）');
      const at = now();
      const scores = await find<ScoreDoc>(
        COLLECTIONS.scores,
        { villageId: village._id, period: input.year },
        { orderBy: [['earned', 'desc']], limit: 1000 },
      );
      const winners = selectChampions(
        scores.map((s) => ({
          familyId: s.familyId,
          familyName: `${s.familyName}家`,
          earned: s.earned,
          suspended: isSuspended(s.suspendedUntil ? new Date(s.suspendedUntil) : null, at),
        })),
        input.topN,
      );
      // Champions only once the year is over (China time), and only among families that earned points.
      if (input.year >= yearOf(at))
        throw new RefusedError('YEAR_NOT_OVER', `${input.year}年还没有结束，年终积分冠军要到次年才能评选`);
      if (winners.length === 0)
        throw new RefusedError(
          'NO_POINTS',
          `${village.name}${input.year}年没有家庭获得积分，不能评选积分冠军`,
        );
      const split = splitEqually(input.rewardFen, winners.length);
      const id = `${village._id}_${input.year}`;
      const doc = await transaction((tx) =>
        once(tx, caller, input, 'champions.award', at, async () => {
          if (await txGet(tx, COLLECTIONS.champions, id))
            throw new ConflictError(`${village.name}${input.year}年的积分冠军已评出`, {
              reason: 'ALREADY_AWARDED',
            });
          const champions: ChampionsDoc = {
            _id: id,
            townId: village.townId,
            villageId: village._id,
            year: input.year,
            topN: input.topN,
            rewardFen: input.rewardFen,
            eachFen: split.eachFen,
            remainderFen: split.remainderFen,
            families: winners.map((w) => ({
              familyId: w.familyId,
              familyName: w.familyName,
              earned: w.earned,
              rank: w.rank,
              amountFen: split.eachFen,
            })),
            by: caller.openid,
            at,
          };
          const { _id, ...data } = champions;
          await tx.collection(COLLECTIONS.champions).doc(_id).set({ data });
          if (split.paidFen > 0) {
            await moveApprovedFund(tx, caller, {
              townId: village.townId,
              villageId: village._id,
              kind: 'champion',
              amountFen: -split.paidFen,
              note: `${input.year}年积分冠军${winners.length}户，每户${formatYuan(split.eachFen)}`,
              ref: { type: 'champions', id },
              at,
            });
          }
          await audit(tx, caller, {
            townId: village.townId,
            villageId: village._id,
            action: 'champions.award',
            target: { collection: COLLECTIONS.champions, id },
            summary: `${input.year}年积分冠军${winners.length}户，共${formatYuan(split.paidFen)}，余${formatYuan(split.remainderFen)}留存基金`,
            at,
          });
          return champions;
        }),
      );
      return championsView(doc);
    },
  },

  'champions.list': {
    input: championsListInput,
    handler: async (input) => {
      const [village, doc] = await Promise.all([
        getById<VillageDoc>(COLLECTIONS.villages, input.villageId),
        getById<ChampionsDoc>(COLLECTIONS.champions, `${input.villageId}_${input.year}`),
      ]);
      if (!village) throw new NotFoundError('找不到该村（社区）');
      if (!doc) return { champions: null };
      const policy = village.settings?.nameDisplay ?? 'masked';
      const view = championsView(doc);
      return {
        champions: {
          ...view,
          families: view.families.map((f) => ({
            ...f,
            familyName: familyDisplayName(f.familyName.replace(/家$/, ''), policy),
          })),
        },
      };
    },
  },

  /**
   * Statistics of a period (`YYYY` or `YYYY-MM`), for a village (its overseers) or the town (town admins):
   * families and villagers who redeemed, points redeemed, goods value at cost, services done.
   */
  'stats.get': {
    input: statsInput,
    handler: async (input, { caller }) => {
      if (input.villageId) requireOversee(caller, input.villageId);
      else if (!isTownAdmin(caller)) throw new ForbiddenError('只有镇管理员可以查看全镇统计');
      const periodField = input.period.length === 4 ? 'year' : 'month';
      const scope = input.villageId ? { villageId: input.villageId } : { townId: townId() };
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

  /** A family's points report: earned and rank-relevant history by year, board entries, champion titles. */
  'report.family': {
    input: familyReportInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? requireFamily(caller).familyId;
      const family = await getById<FamilyDoc>(COLLECTIONS.families, familyId);
      if (!family) throw new NotFoundError('找不到该家庭');
      if (familyId !== caller.profile?.familyId && !canOverseeVillage(caller, family.villageId))
        throw new ForbiddenError('只能查看本家庭的积分报告');
      const [scores, boards, champions] = await Promise.all([
        find<ScoreDoc>(COLLECTIONS.scores, { familyId }, { limit: 1000 }),
        find<BoardDoc>(
          COLLECTIONS.boards,
          { familyId, status: 'published' },
          { orderBy: [['publishedAt', 'desc']], limit: 100 },
        ),
        find<ChampionsDoc>(COLLECTIONS.champions, { 'families.familyId': familyId }, { limit: 100 }),
      ]);
      return {
        familyId,
        familyName: `${family.headName}家`,
        available: family.available,
        years: scores
          .filter((s) => s.period.length === 4)
          .sort((a, b) => b.period.localeCompare(a.period))
          .map((s) => ({
            year: s.period,
            earned: s.earned,
            months: scores
              .filter((m) => m.period.startsWith(`${s.period}-`))
              .sort((a, b) => a.period.localeCompare(b.period))
              .map((m) => ({ month: m.period, earned: m.earned })),
          })),
        boards: boards.map((b) => ({ board: b.board, title: b.title, date: b.date, points: b.points })),
        championTitles: champions
          .map((c) => {
            const mine = c.families.find((f) => f.familyId === familyId);
            return { year: c.year, rank: mine?.rank ?? 0, amountFen: mine?.amountFen ?? 0 };
          })
          .sort((a, b) => b.year.localeCompare(a.year)),
      };
    },
  },
});
