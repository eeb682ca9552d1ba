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
import { canOverseeVillage, requireFamily } from '../common/access';
import { aggregate, find, getById, now } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError, NotFoundError } from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type EntryDoc,
  type FamilyDoc,
  type ScoreDoc,
  type VillageDoc,
} from '../common/model';
import { publicFamilyName } from './public';
import { definePointsActions, homeInput, ledgerListInput, rankingInput } from './schemas';

export interface EntryView {
  id: string;
  kind: EntryDoc['kind'];
  kindLabel: string;
  memberName: string | null;
  ruleTitle: string | null;
  points: number;
  pointsText: string;
  month: string;
  reason: string;
  recordedByName: string;
  approvedByName: string | null;
  onBehalf: boolean;
  reversesId: string | null;
  createdAt: Date;
}

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
 * `$lookup` stage counting ranked families of a scope that earned more than `$myEarned` in `period`. The scope and
 * period are a plain leading `$match` (served by the `<scope>_period_earned` index); only the comparison with the
 * family's own score needs `$expr`.
 */
function aboveLookup(
  scopeField: 'villageId' | 'townId',
  scopeId: string,
  period: string,
  at: Date,
  as: string,
) {
  return {
    from: COLLECTIONS.scores,
    let: { earned: '$myEarned' },
    pipeline: [
      { $match: { [scopeField]: scopeId, period } },
      {
        $match: {
          $expr: { $and: [{ $gt: ['$earned', '$$earned'] }, { $not: [{ $gt: ['$suspendedUntil', at] }] }] },
        },
      },
      { $count: 'n' },
    ],
    as,
  };
}

/** `$lookup` stage counting the families of a scope that take part in the ranking (not suspended at `at`). */
function rankedLookup(scopeField: 'villageId' | 'townId', scopeId: string, at: Date, as: string) {
  return {
    from: COLLECTIONS.families,
    pipeline: [
      { $match: { [scopeField]: scopeId } },
      { $match: { $expr: { $not: [{ $gt: ['$suspendedUntil', at] }] } } },
      { $count: 'n' },
    ],
    as,
  };
}

const countOf = (rows: { n: number }[] | undefined) => rows?.[0]?.n ?? 0;

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

interface HomeRow extends FamilyDoc {
  scores: ScoreDoc[];
  myEarned: number;
  villageAbove: { n: number }[];
  townAbove: { n: number }[];
  villageRanked: { n: number }[];
  townRanked: { n: number }[];
  village: VillageDoc[];
}

export const viewActions = definePointsActions({
  /** The family's ledger, newest first, by member and month. Own family, or any family the caller oversees. */
  'ledger.list': {
    input: ledgerListInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? requireFamily(caller).familyId;
      if (familyId !== caller.profile?.familyId) {
        const family = await getById<FamilyDoc>(COLLECTIONS.families, familyId);
        if (!family) throw new NotFoundError('找不到该家庭');
        if (!canOverseeVillage(caller, family.villageId))
          throw new ForbiddenError('只能查看本家庭的积分明细');
      }
      const where: Record<string, string> = { familyId };
      if (input.memberId) where.memberId = input.memberId;
      if (input.month) where.month = input.month;
      const entries = await find<EntryDoc>(COLLECTIONS.entries, where, {
        orderBy: [['createdAt', 'desc']],
        skip: input.offset,
        limit: 20,
      });
      return { entries: entries.map(entryView) };
    },
  },

  /** 首页: available points, earned this year and month, ranks in village and town, 12 months, suspension, latest lines. */
  'home.get': {
    input: homeInput,
    handler: async (_input, { caller }) => {
      const { familyId, villageId } = requireFamily(caller);
      const at = now();
      const month = monthOf(at);
      const year = yearOf(at);
      const months = lastMonths(month, 12);
      const [rows, entries] = await Promise.all([
        aggregate<HomeRow>(COLLECTIONS.families, [
          ['match', { _id: familyId }],
          [
            'lookup',
            {
              from: COLLECTIONS.scores,
              pipeline: [{ $match: { familyId, period: { $in: [...months, year] } } }],
              as: 'scores',
            },
          ],
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
          ['lookup', aboveLookup('villageId', villageId, year, at, 'villageAbove')],
          ['lookup', aboveLookup('townId', townId(), year, at, 'townAbove')],
          ['lookup', rankedLookup('villageId', villageId, at, 'villageRanked')],
          ['lookup', rankedLookup('townId', townId(), at, 'townRanked')],
          [
            'lookup',
            { from: COLLECTIONS.villages, localField: 'villageId', foreignField: '_id', as: 'village' },
          ],
        ]),
        find<EntryDoc>(COLLECTIONS.entries, { familyId }, { orderBy: [['createdAt', 'desc']], limit: 5 }),
      ]);
      const row = rows[0];
      if (!row) throw new NotFoundError('找不到您的家庭，请联系村干部');
      const suspendedUntil = row.suspendedUntil ? new Date(row.suspendedUntil) : null;
      const suspended = isSuspended(suspendedUntil, at);
      const earnedIn = (period: string) => row.scores.find((s) => s.period === period)?.earned ?? 0;
      const village = row.village[0];
      return {
        family: {
          id: row._id,
          name: familyDisplayName(row.headName, 'full'),
          villageName: village?.name ?? '',
        },
        available: row.available,
        earnedThisYear: earnedIn(year),
        earnedThisMonth: earnedIn(month),
        year,
        month,
        // A family without points this year takes no rank (暂无积分).
        villageRank: rankFromAbove(countOf(row.villageAbove), suspended, earnedIn(year)),
        townRank: rankFromAbove(countOf(row.townAbove), suspended, earnedIn(year)),
        villageRanked: countOf(row.villageRanked),
        townRanked: countOf(row.townRanked),
        suspended,
        suspendedUntil: suspended ? suspendedUntil : null,
        chart: months.map((m) => ({ month: m, earned: earnedIn(m) })),
        latest: entries.map(entryView),
        expiryNotice: homeExpiryNotice(row, at),
      };
    },
  },

  /** 排行榜: families of a village or the town for a month or year; ties share a rank; suspended are shown unranked. */
  'ranking.list': {
    input: rankingInput,
    handler: async (input, { caller }) => {
      const at = now();
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
      const scopeField = input.scope === 'village' ? 'villageId' : 'townId';
      const scopeId = input.scope === 'village' ? (villageId as string) : townId();
      // The caller's own row only where their family belongs: their own village, or the town.
      const familyId =
        input.scope === 'town' || villageId === caller.profile?.villageId
          ? (caller.profile?.familyId ?? '')
          : '';
      const startCollection = input.scope === 'village' ? COLLECTIONS.villages : COLLECTIONS.towns;
      const [row] = await aggregate<{
        settings?: VillageDoc['settings'];
        mine: ScoreDoc[];
        myEarned: number;
        above: { n: number }[];
        top: ScoreDoc[];
        villages: VillageDoc[];
      }>(startCollection, [
        ['match', { _id: scopeId }],
        [
          'lookup',
          {
            from: COLLECTIONS.scores,
            pipeline: [{ $match: { _id: `${familyId}_${input.period}` } }],
            as: 'mine',
          },
        ],
        ['addFields', { myEarned: { $ifNull: [{ $arrayElemAt: ['$mine.earned', 0] }, 0] } }],
        ['lookup', aboveLookup(scopeField, scopeId, input.period, at, 'above')],
        [
          'lookup',
          {
            from: COLLECTIONS.scores,
            pipeline: [
              { $match: { [scopeField]: scopeId, period: input.period } },
              { $sort: { earned: -1, familyId: 1 } },
              { $skip: input.offset },
              { $limit: 20 },
            ],
            as: 'top',
          },
        ],
        [
          'lookup',
          {
            from: COLLECTIONS.villages,
            pipeline: [{ $match: { townId: townId() } }, { $project: { name: 1, settings: 1 } }],
            as: 'villages',
          },
        ],
      ]);
      if (!row) throw new NotFoundError(input.scope === 'village' ? '找不到该村（社区）' : '找不到本镇');
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
      const mine = row.mine[0];
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
                rank: rankFromAbove(countOf(row.above), mySuspended, row.myEarned),
                suspended: mySuspended,
                rankText: rankText({
                  rank: rankFromAbove(countOf(row.above), mySuspended, row.myEarned),
                  suspended: mySuspended,
                  earned: row.myEarned,
                }),
              }
            : null,
      };
    },
  },
});
