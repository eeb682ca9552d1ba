/**
 * What a village's 公示 shows for a month (or a year): every family's points by category with its rank, by group;
 * the public red and black boards; the objections received and how they were decided; the notice window and the
 * supervisory team. One reading serves the PDF poster, the export for the county platforms and (its boards) the
 * big screen, with names as `core/publicity` allows.
 */
import { holdsInVillage } from '../../miniprogram/core/access';
import type { RuleCategory } from '../../miniprogram/core/catalogue';
import { MONTH_STATE_LABELS, type MonthState } from '../../miniprogram/core/month';
import { compareGroupNames, compareHouseholdNumbers } from '../../miniprogram/core/order';
import { formatSignedPoints, type Tenths } from '../../miniprogram/core/points';
import { rankFamilies } from '../../miniprogram/core/ranking';
import { isSuspended } from '../../miniprogram/core/suspension';
import { dayOf } from '../../miniprogram/core/time';
import { aggregate, find, getById } from '../common/data';
import {
  COLLECTIONS,
  type BoardDoc,
  type FamilyDoc,
  type GroupDoc,
  type MonthDoc,
  type ObjectionDoc,
  type ScoreDoc,
  type TownDoc,
  type UserDoc,
  type VillageDoc,
} from '../common/model';
import {
  familyFacts,
  namePolicy,
  publicBoardName,
  publicBoardsWhere,
  publicFamilyName,
} from '../common/public';
import { everything } from './reports';

/** The columns of points by category: the two rule categories, the boards, and everything else (corrections). */
export type PointsCategory = RuleCategory | 'board' | 'other';
export const POINTS_CATEGORIES: readonly PointsCategory[] = ['basic', 'contribution', 'board', 'other'];
export const POINTS_CATEGORY_LABELS: Record<PointsCategory, string> = {
  basic: '基础类',
  contribution: '贡献类',
  board: '红黑榜',
  other: '其他',
};

export interface NoticeFamilyRow {
  householdNumber: string;
  /** As the public may see it. */
  name: string;
  group: string;
  byCategory: Record<PointsCategory, Tenths>;
  earned: Tenths;
  rank: number | null;
  suspended: boolean;
}

export interface NoticeBoardRow {
  board: 'red' | 'black';
  name: string;
  title: string;
  pointsText: string;
  date: string;
}

export interface NoticeObjectionRow {
  /** 对积分记录, 对红黑榜 …: no free text (a reason may name people). */
  about: string;
  date: string;
  outcome: string;
}

export interface Notice {
  townName: string;
  villageId: string;
  villageName: string;
  /** `YYYY-MM` or `YYYY`. */
  period: string;
  state: MonthState | null;
  stateLabel: string;
  noticeStartedAt: Date | null;
  noticeEndsAt: Date | null;
  families: NoticeFamilyRow[];
  boards: NoticeBoardRow[];
  objections: NoticeObjectionRow[];
  /** The village's supervisors (积分监督小队), by name: the contact for objections. */
  supervisors: string[];
}

const OBJECTION_ABOUT: Record<ObjectionDoc['target']['type'], string> = {
  entry: '对积分记录',
  claim: '对申报审核',
  board: '对红黑榜',
  month: '对月度结果',
};
const OBJECTION_OUTCOME: Record<ObjectionDoc['status'], string> = {
  open: '处理中',
  upheld: '异议成立，已更正',
  dismissed: '异议不成立',
};

const periodPattern = (period: string) => new RegExp(`^${period}`);

export async function loadNotice(village: VillageDoc, period: string, at: Date): Promise<Notice> {
  const villageId = village._id;
  const isMonth = period.length === 7;
  const [town, monthDoc, families, groups, scores, byCategory, boards, objections, users] = await Promise.all(
    [
      getById<TownDoc>(COLLECTIONS.towns, village.townId),
      isMonth ? getById<MonthDoc>(COLLECTIONS.months, `${villageId}_${period}`) : Promise.resolve(null),
      everything<FamilyDoc>(COLLECTIONS.families, { villageId }, [['householdNumber', 'asc']]),
      find<GroupDoc>(COLLECTIONS.groups, { villageId }, { limit: 1000 }),
      everything<ScoreDoc>(COLLECTIONS.scores, { villageId, period }, [['familyId', 'asc']]),
      aggregate<{ _id: { familyId: string; category: string }; points: number }>(COLLECTIONS.entries, [
        ['match', { villageId, [isMonth ? 'month' : 'year']: period }],
        [
          'group',
          {
            _id: { familyId: '$familyId', category: { $ifNull: ['$rule.category', '$kind'] } },
            points: { $sum: '$points' },
          },
        ],
      ]),
      find<BoardDoc>(COLLECTIONS.boards, publicBoardsWhere({ villageId, date: periodPattern(period) }, at), {
        orderBy: [['date', 'asc']],
        limit: 200,
      }),
      find<ObjectionDoc>(
        COLLECTIONS.objections,
        { villageId, month: isMonth ? period : periodPattern(period) },
        { orderBy: [['createdAt', 'asc']], limit: 200 },
      ),
      find<UserDoc>(COLLECTIONS.users, { villageId }, { limit: 1000 }),
    ],
  );
  const policy = namePolicy(village);
  const groupName = (id: string) => groups.find((g) => g._id === id)?.name ?? '';
  const earned = new Map(scores.map((s) => [s.familyId, s.earned]));
  const categories = new Map<string, Record<PointsCategory, Tenths>>();
  for (const row of byCategory) {
    const { familyId, category } = row._id;
    if (category === 'redemption') continue; // spending moves no earned points
    const column: PointsCategory =
      category === 'basic' || category === 'contribution' || category === 'board' ? category : 'other';
    const sums = categories.get(familyId) ?? { basic: 0, contribution: 0, board: 0, other: 0 };
    sums[column] += row.points;
    categories.set(familyId, sums);
  }
  const ranked = rankFamilies(
    families.map((f) => ({
      familyId: f._id,
      family: f,
      earned: earned.get(f._id) ?? 0,
      suspended: isSuspended(f.suspendedUntil ? new Date(f.suspendedUntil) : null, at),
    })),
  );
  const rows = ranked
    .sort(
      (a, b) =>
        compareGroupNames(groupName(a.family.groupId), groupName(b.family.groupId)) ||
        compareHouseholdNumbers(a.family.householdNumber, b.family.householdNumber),
    )
    .map((r) => ({
      householdNumber: r.family.householdNumber,
      name: publicFamilyName(r.family, policy, at),
      group: groupName(r.family.groupId),
      byCategory: categories.get(r.familyId) ?? { basic: 0, contribution: 0, board: 0, other: 0 },
      earned: r.earned,
      rank: r.rank,
      suspended: r.suspended,
    }));
  const facts = await familyFacts(boards.map((b) => b.familyId));
  return {
    townName: town?.name ?? '',
    villageId,
    villageName: village.name,
    period,
    state: monthDoc?.state ?? (isMonth ? 'open' : null),
    stateLabel: isMonth ? MONTH_STATE_LABELS[monthDoc?.state ?? 'open'] : '年度',
    noticeStartedAt: monthDoc?.noticeStartedAt ? new Date(monthDoc.noticeStartedAt) : null,
    noticeEndsAt: monthDoc?.noticeEndsAt ? new Date(monthDoc.noticeEndsAt) : null,
    families: rows,
    boards: boards.flatMap((b) => {
      const name = publicBoardName(b, facts.get(b.familyId), policy, at);
      return name === null
        ? []
        : [
            {
              board: b.board,
              name,
              title: b.title,
              pointsText: b.points === 0 ? '' : `${formatSignedPoints(b.points)}分`,
              date: b.date,
            },
          ];
    }),
    objections: objections.map((o) => ({
      about: OBJECTION_ABOUT[o.target.type],
      date: dayOf(new Date(o.createdAt)),
      outcome: OBJECTION_OUTCOME[o.status],
    })),
    supervisors: users
      .filter((u) => holdsInVillage(u.roles ?? [], 'supervisor', villageId))
      .map((u) => u.name)
      .sort(),
  };
}
