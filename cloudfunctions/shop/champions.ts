/**
 * Year-end champions (积分冠军): a village's top N families by points earned in the year, suspended families
 * excluded, sharing a reward equally, paid from the village fund.
 */
import { championsRefusal, splitEqually, formatYuan } from '../../miniprogram/core/fund';
import { yearOf } from '../../miniprogram/core/time';
import { getById, now, transaction, txGet, txSet } from '../common/data';
import { yearTop } from '../common/ledger';
import { ConflictError, NotFoundError, RefusedError } from '../common/errors';
import { COLLECTIONS, type ChampionsDoc, type VillageDoc } from '../common/model';
import { publicFamilyName } from '../common/public';
import { audit, once } from '../common/writes';
import { championsAwardInput, championsListInput, defineShopActions } from './schemas';
import { payFromFund } from '../common/fund';
import { villageById } from '../common/places';
import { pick } from '../common/fields';

type StoredChampion = ChampionsDoc['families'][number];

/**
 * A stored award as its view, each family named by `name` (as stored by default). The household number stays on
 * the server: it only picks the name under the village's policy.
 */
function championsView(c: ChampionsDoc, name = (f: StoredChampion) => f.familyName) {
  return {
    ...pick(c, ['villageId', 'year', 'topN', 'rewardFen', 'eachFen', 'remainderFen', 'at']),
    families: c.families.map((f) => ({
      familyId: f.familyId,
      familyName: name(f),
      earned: f.earned,
      rank: f.rank,
      amountFen: f.amountFen,
    })),
  };
}

export const championsActions = defineShopActions({
  /** Computes and pays a village's champions of a year, once (town admins). */
  'champions.award': {
    input: championsAwardInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const village = await villageById(input.villageId);
      const at = now();
      const { top: winners } = await yearTop(village._id, input.year, input.topN, at);
      const refusal = championsRefusal({
        villageName: village.name,
        year: input.year,
        currentYear: yearOf(at),
        champions: winners.length,
      });
      if (refusal) throw new RefusedError(refusal.code, refusal.message);
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
              ...(w.householdNumber ? { householdNumber: w.householdNumber } : {}),
              earned: w.earned,
              rank: w.rank,
              amountFen: split.eachFen,
            })),
            by: caller.openid,
            at,
          };
          await txSet(tx, COLLECTIONS.champions, champions);
          await payFromFund(tx, caller, { townId: village.townId, villageId: village._id }, split.paidFen, {
            kind: 'champion',
            note: `${input.year}年积分冠军${winners.length}户，每户${formatYuan(split.eachFen)}`,
            ref: { type: 'champions', id },
            at,
          });
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
      const at = now();
      return {
        champions: championsView(doc, (f) =>
          publicFamilyName(
            { headName: f.familyName.replace(/家$/, ''), householdNumber: f.householdNumber },
            policy,
            at,
          ),
        ),
      };
    },
  },
});
