/**
 * What villagers read: the family's ledger, the home view, and rankings. Reads go to stored totals and period
 * scores with indexes, never summing the ledger: the home view is one aggregation plus the latest entries, a
 * ranking page one aggregation, whatever the number of families.
 */
import { ENTRY_KIND_LABELS } from '../../miniprogram/core/ledger';
import { familyDisplayName, type NameDisplay } from '../../miniprogram/core/names';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { expiryNoticeText } from '../../miniprogram/core/points-year';
import { rankFromAbove, rankPage, rankText } from '../../miniprogram/core/ranking';
import { isSuspended } from '../../miniprogram/core/suspension';
import { lastMonths, monthOf, yearOf } from '../../miniprogram/core/time';
import { canOverseeVillage, profileOf, requireFamily } from '../common/access';
import { aggregate, now, newestFirst } from '../common/data';
import { withProfile } from '../common/caller';
import { townId } from '../common/env';
import { ForbiddenError, NotFoundError } from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type EntryDoc,
  type CollectionName,
  type FamilyDoc,
  type ScoreDoc,
  type UserDoc,
  type VillageDoc,
} from '../common/model';
import { publicFamilyName } from '../common/public';
import { definePointsActions, homeInput, ledgerListInput, rankingInput } from './schemas';
import { familyById } from '../common/places';
import type { EntryView as ContractEntryView } from '../../miniprogram/contract/points';

/** The contract's ledger line, with the entry's time as the Date it is stored as (JSON sends its ISO text). */
export type EntryView = Omit<ContractEntryView, 'createdAt'> & { createdAt: Date };

export function entryView(entry: EntryDoc): EntryView {
  return {
    id: entry._id,
    kind: entry.kind,
    kindLabel: ENTRY_KIND_LABELS[entry.kind],
    memberName: entry.memberName,
    ruleTitle: entry.rule?.title ?? null,
    points: entry.points,
    pointsText: formatSignedPoints(entry.points),
    month: entry.month,
    reason: entry.reason,
    recordedByName: entry.recordedByName,
    approvedByName: entry.approvedByName,
    onBehalf: entry.onBehalf,
    reversesId: entry.reverses?.id ?? null,
    createdAt: entry.createdAt,
  };
}

/**
 * The `$lookup` counting the families of a scope that earned more than the row's `myEarned` in `period`, for
 * `allAndSuspended`: two counts that each read one index range, whatever the size of the town: all above (a range
 * count on the `<scope>_period_earned` index) and the suspended among them (a range on the few suspended of the
 * `<scope>_period_suspended` index); above = all − suspended. The scope id comes from the row's `key`
 * (`villageKey` or `townKey`); the comparisons with the row's values are `$eq`/`$gt` in `$expr`, which a database
 * serves from the index (MongoDB 5: such `$expr` in a `$lookup` uses the foreign collection's index). One count
 * with "not suspended" in it would test every score above the caller's one by one.
 */
function scoresAbove(scopeField: 'villageId' | 'townId', key: string, period: string): CountLookup {
  return (match) => ({
    from: COLLECTIONS.scores,
    let: { scope: `$${key}`, earned: '$myEarned' },
    pipeline: [
      {
        $match: {
          period,
          ...match,
          $expr: { $and: [{ $eq: [`$${scopeField}`, '$$scope'] }, { $gt: ['$earned', '$$earned'] }] },
        },
      },
      { $count: 'n' },
    ],
  });
}

/**
 * The `$lookup` counting the families of the row's scope, for `allAndSuspended`: all of them (an index count) and
 * those suspended (a range on the `<scope>_suspended` index); ranked = all − suspended.
 */
function familiesOf(scopeField: 'villageId' | 'townId', key: string): CountLookup {
  return (match) => ({
    from: COLLECTIONS.families,
    let: { scope: `$${key}` },
    pipeline: [{ $match: { ...match, $expr: { $eq: [`$${scopeField}`, '$$scope'] } } }, { $count: 'n' }],
  });
}

/** A `$lookup` counting documents, with `match` added to what it matches. */
type CountLookup = (match: object) => { from: CollectionName; let: object; pipeline: object[] };

/**
 * Two `$lookup` stages of one count: all it counts as `<as>All`, and only those suspended at `at` as
 * `<as>Suspended` (those taking part = all − suspended).
 */
function allAndSuspended(at: Date, as: string, lookup: CountLookup): [string, unknown][] {
  return [
    ['lookup', { ...lookup({}), as: `${as}All` }],
    ['lookup', { ...lookup({ suspendedUntil: { $gt: at } }), as: `${as}Suspended` }],
  ];
}

/** `$lookup` stage: the family's (`familyKey`) documents of `from` matching `match`, then `rest`. */
function familyLookup(from: CollectionName, match: object, rest: object[], as: string) {
  return {
    from,
    let: { family: '$familyKey' },
    pipeline: [{ $match: { ...match, $expr: { $eq: ['$familyId', '$$family'] } } }, ...rest],
    as,
  };
}

/**
 * The stages that give a `users` row (or a row with `user`, the caller's users document, in an array) the keys
 * the lookups compare with: `familyKey`, `villageKey` (empty strings for none, so that comparisons stay plain
 * string equalities) and `townKey`.
 */
function callerKeys(path: '' | 'user'): [string, unknown] {
  const field = (name: string) => (path ? { $arrayElemAt: [`$${path}.${name}`, 0] } : `$${name}`);
  return [
    'addFields',
    {
      familyKey: { $ifNull: [field('familyId'), ''] },
      villageKey: { $ifNull: [field('villageId'), ''] },
      townKey: { $literal: townId() },
    },
  ];
}

const countOf = (rows: { n: number }[] | undefined) => rows?.[0]?.n ?? 0;

/** The families above, from the two counts of `allAndSuspended` over `scoresAbove`. */
const aboveOf = (all: { n: number }[] | undefined, suspended: { n: number }[] | undefined) =>
  countOf(all) - countOf(suspended);

/**
 * The points year's notice as the family was told it (written by points-year.ts on the family document, so this
 * costs no request), never more than the family still has, and only until the day itself.
 */
function homeExpiryNotice(family: FamilyDoc, at: Date): string | null {
  const notice = family.expiryNotice;
  if (!notice) return null;
  const when = new Date(notice.at);
  const points = Math.min(notice.points, family.available);
  return points > 0 && when.getTime() > at.getTime() ? expiryNoticeText(points, when) : null;
}

interface HomeRow extends UserDoc {
  family: FamilyDoc[];
  scores: ScoreDoc[];
  myEarned: number;
  villageAboveAll: { n: number }[];
  villageAboveSuspended: { n: number }[];
  townAboveAll: { n: number }[];
  townAboveSuspended: { n: number }[];
  villageRankedAll: { n: number }[];
  villageRankedSuspended: { n: number }[];
  townRankedAll: { n: number }[];
  townRankedSuspended: { n: number }[];
  village: VillageDoc[];
  latest: EntryDoc[];
}

export const viewActions = definePointsActions({
  /** The family's ledger, newest first, by member and month. Own family, or any family the caller oversees. */
  'ledger.list': {
    input: ledgerListInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? requireFamily(caller).familyId;
      if (familyId !== caller.profile?.familyId) {
        const family = await familyById(familyId);
        if (!canOverseeVillage(caller, family.villageId))
          throw new ForbiddenError('只能查看本家庭的积分明细');
      }
      const where: Record<string, string> = { familyId };
      if (input.memberId) where.memberId = input.memberId;
      if (input.month) where.month = input.month;
      const entries = await newestFirst<EntryDoc>(COLLECTIONS.entries, where, 'createdAt', input.offset, 20);
      return { entries: entries.map(entryView) };
    },
  },

  /**
   * 首页: available points, earned this year and month, ranks in village and town, 12 months, suspension, latest
   * lines. One aggregation from the caller's `users` document: the profile, the family, its scores, both ranks
   * (range counts) and the latest entries.
   */
  'home.get': {
    input: homeInput,
    profile: 'handler',
    handler: async (_input, context) => {
      const at = now();
      const month = monthOf(at);
      const year = yearOf(at);
      const months = lastMonths(month, 12);
      const [row] = await aggregate<HomeRow>(COLLECTIONS.users, [
        ['match', { _id: context.caller.openid }],
        callerKeys(''),
        [
          'lookup',
          { from: COLLECTIONS.families, localField: 'familyKey', foreignField: '_id', as: 'family' },
        ],
        [
          'lookup',
          { from: COLLECTIONS.villages, localField: 'villageKey', foreignField: '_id', as: 'village' },
        ],
        ['lookup', familyLookup(COLLECTIONS.scores, { period: { $in: [...months, year] } }, [], 'scores')],
        [
          'addFields',
          {
            myEarned: {
              $sum: {
                $map: {
                  input: { $filter: { input: '$scores', cond: { $eq: ['$$this.period', year] } } },
                  in: '$$this.earned',
                },
              },
            },
          },
        ],
        ...allAndSuspended(at, 'villageAbove', scoresAbove('villageId', 'villageKey', year)),
        ...allAndSuspended(at, 'townAbove', scoresAbove('townId', 'townKey', year)),
        ...allAndSuspended(at, 'villageRanked', familiesOf('villageId', 'villageKey')),
        ...allAndSuspended(at, 'townRanked', familiesOf('townId', 'townKey')),
        [
          'lookup',
          familyLookup(COLLECTIONS.entries, {}, [{ $sort: { createdAt: -1 } }, { $limit: 5 }], 'latest'),
        ],
      ]);
      requireFamily(withProfile(context.caller, profileOf(row)));
      const family = row?.family[0];
      if (!family) throw new NotFoundError('找不到您的家庭，请联系村干部');
      const suspendedUntil = family.suspendedUntil ? new Date(family.suspendedUntil) : null;
      const suspended = isSuspended(suspendedUntil, at);
      const earnedIn = (period: string) => row.scores.find((s) => s.period === period)?.earned ?? 0;
      const village = row.village[0];
      return {
        family: {
          id: family._id,
          name: familyDisplayName(family.headName, 'full'),
          villageName: village?.name ?? '',
        },
        available: family.available,
        earnedThisYear: earnedIn(year),
        earnedThisMonth: earnedIn(month),
        year,
        month,
        // A family without points this year takes no rank (暂无积分).
        villageRank: rankFromAbove(
          aboveOf(row.villageAboveAll, row.villageAboveSuspended),
          suspended,
          earnedIn(year),
        ),
        townRank: rankFromAbove(aboveOf(row.townAboveAll, row.townAboveSuspended), suspended, earnedIn(year)),
        villageRanked: countOf(row.villageRankedAll) - countOf(row.villageRankedSuspended),
        townRanked: countOf(row.townRankedAll) - countOf(row.townRankedSuspended),
        suspended,
        suspendedUntil: suspended ? suspendedUntil : null,
        chart: months.map((m) => ({ month: m, earned: earnedIn(m) })),
        latest: row.latest.map(entryView),
        expiryNotice: homeExpiryNotice(family, at),
      };
    },
  },

  /** 排行榜: families of a village or the town for a month or year; ties share a rank; suspended are shown unranked. */
  'ranking.list': {
    input: rankingInput,
    profile: 'handler',
    handler: async (input, context) => {
      const at = now();
      const scopeField = input.scope === 'village' ? 'villageId' : 'townId';
      // One aggregation from the town: the caller's users document, their own score, the range count above it,
      // the page and the villages' names and settings. Who may see it is decided on the answer.
      const [row] = await aggregate<{
        user: UserDoc[];
        mine: ScoreDoc[];
        myEarned: number;
        aboveAll: { n: number }[];
        aboveSuspended: { n: number }[];
        top: ScoreDoc[];
        villages: VillageDoc[];
      }>(COLLECTIONS.towns, [
        ['match', { _id: townId() }],
        [
          'lookup',
          { from: COLLECTIONS.users, pipeline: [{ $match: { _id: context.caller.openid } }], as: 'user' },
        ],
        callerKeys('user'),
        [
          'addFields',
          {
            scopeKey:
              input.scope === 'town'
                ? '$townKey'
                : input.villageId
                  ? { $literal: input.villageId }
                  : '$villageKey',
          },
        ],
        ['lookup', familyLookup(COLLECTIONS.scores, { period: input.period }, [], 'mine')],
        ['addFields', { myEarned: { $ifNull: [{ $arrayElemAt: ['$mine.earned', 0] }, 0] } }],
        ...allAndSuspended(at, 'above', scoresAbove(scopeField, 'scopeKey', input.period)),
        [
          'lookup',
          {
            from: COLLECTIONS.scores,
            let: { scope: '$scopeKey' },
            pipeline: [
              { $match: { period: input.period, $expr: { $eq: [`$${scopeField}`, '$$scope'] } } },
              { $sort: { earned: -1, familyId: 1 } },
              { $skip: input.offset },
              { $limit: 20 },
            ],
            as: 'top',
          },
        ],
        // The villages the answer names: the one ranked (it must exist), or those of the page's rows in the
        // town's ranking. Not every village of the town: their documents made a large town's answer slower.
        ['addFields', { namedVillages: input.scope === 'town' ? '$top.villageId' : ['$scopeKey'] }],
        [
          'lookup',
          { from: COLLECTIONS.villages, localField: 'namedVillages', foreignField: '_id', as: 'villages' },
        ],
      ]);
      if (!row) throw new NotFoundError('找不到本镇');
      const caller = withProfile(context.caller, profileOf(row.user[0]));
      const villageId = input.villageId ?? caller.profile?.villageId ?? null;
      if (input.scope === 'village' && !villageId) {
        throw new ForbiddenError('请先绑定家庭，或选择要查看的村（社区）', { reason: 'NOT_LINKED' });
      }
      // A villager sees their own village's ranking; other villages' only those who oversee them.
      if (
        input.scope === 'village' &&
        villageId !== caller.profile?.villageId &&
        !canOverseeVillage(caller, villageId as string)
      )
        throw new ForbiddenError('只能查看本村（社区）的排名', { reason: 'OTHER_VILLAGE' });
      if (
        input.scope === 'village' &&
        !row.villages.some((v) => v._id === villageId && v.townId === townId())
      )
        throw new NotFoundError('找不到该村（社区）');
      // The caller's own row only where their family belongs: their own village, or the town.
      const familyId =
        input.scope === 'town' || villageId === caller.profile?.villageId
          ? (caller.profile?.familyId ?? '')
          : '';
      const policy = (vid: string): NameDisplay =>
        row.villages.find((v) => v._id === vid)?.settings?.nameDisplay ??
        DEFAULT_VILLAGE_SETTINGS.nameDisplay;
      const page = rankPage(
        row.top.map((s) => ({
          familyId: s.familyId,
          earned: s.earned,
          suspended: isSuspended(s.suspendedUntil ? new Date(s.suspendedUntil) : null, at),
          name: publicFamilyName(
            { headName: s.familyName, householdNumber: s.householdNumber },
            policy(s.villageId),
            at,
          ),
          villageName: row.villages.find((v) => v._id === s.villageId)?.name ?? '',
          mine: s.familyId === familyId,
        })),
        input.after ?? null,
      );
      const mine = familyId ? row.mine[0] : undefined;
      const mySuspended = mine
        ? isSuspended(mine.suspendedUntil ? new Date(mine.suspendedUntil) : null, at)
        : false;
      return {
        scope: input.scope,
        period: input.period,
        rows: page.rows.map((r) => ({
          familyId: r.familyId,
          name: r.name,
          villageName: r.villageName,
          earned: r.earned,
          pointsText: formatSignedPoints(r.earned),
          rank: r.rank,
          rankText: rankText(r),
          suspended: r.suspended,
          mine: r.mine,
        })),
        cursor: page.cursor,
        hasMore: row.top.length === 20,
        // null when the caller has no row in this ranking (no family here, or nothing earned in the period).
        me:
          familyId && mine
            ? {
                earned: row.myEarned,
                rank: rankFromAbove(aboveOf(row.aboveAll, row.aboveSuspended), mySuspended, row.myEarned),
                suspended: mySuspended,
              }
            : null,
      };
    },
  },
});
