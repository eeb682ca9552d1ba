/**
 * 统计与导出: the figures a town reports (participation, points by rule, boards, claims), and the month's
 * ledger, ranking and 公示 notice sheet as Excel files for printing and the town's records. Files are written
 * to storage under `exports/` and handed back with a temporary download link.
 */
import type ExcelJS from 'exceljs';
import { ENTRY_KIND_LABELS } from '../../miniprogram/core/ledger';
import { familyDisplayName } from '../../miniprogram/core/names';
import { compareGroupNames, compareHouseholdNumbers } from '../../miniprogram/core/order';
import { formatSignedPoints } from '../../miniprogram/core/points';
import { rankFamilies } from '../../miniprogram/core/ranking';
import { isSuspended } from '../../miniprogram/core/suspension';
import { dayOf } from '../../miniprogram/core/time';
import { requireOversee, requireStatsScope } from '../common/access';
import { storeExport } from '../common/exports';
import { nowMs } from '../common/clock';
import { loadExcel } from '../common/excel';
import { aggregate, find, now } from '../common/data';
import { townId } from '../common/env';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type EntryDoc,
  type FamilyDoc,
  type GroupDoc,
  type ScoreDoc,
} from '../common/model';
import { villageById } from '../common/places';
import { publicFamilyName } from '../common/public';
import { definePointsActions, exportInput, statsPointsInput } from './schemas';

/** Reads every document matching `where`, a thousand at a time (a village's month can exceed one page). */
export async function everything<T>(
  name: Parameters<typeof find>[0],
  where: object,
  orderBy: [string, 'asc' | 'desc'][],
): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = await find<T>(name, where, { orderBy, skip, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

interface StatsRow {
  entries: {
    _id: { code: string | null; title: string | null; kind: string };
    count: number;
    points: number;
    families: string[];
  }[];
  families: { n: number }[];
  claims: { _id: string; n: number }[];
  boards: { _id: string; n: number }[];
}

/** Points as a number Excel can sum (tenths → one decimal), not as text. */
const sheetPoints = (tenths: number): number => tenths / 10;

function sheetStyle(sheet: ExcelJS.Worksheet, widths: number[]): void {
  sheet.columns = widths.map((width) => ({ width }));
  sheet.getRow(2).font = { bold: true };
  sheet.getRow(1).font = { bold: true, size: 14 };
}

export const reportsActions = definePointsActions({
  /** Participation, points by rule, claims (by deed date) and boards (by date) in the period, of a village (its overseers) or the town (town admins). */
  'stats.points': {
    input: statsPointsInput,
    handler: async (input, { caller }) => {
      const scope = requireStatsScope(caller, input.villageId);
      const periodField = input.period.length === 4 ? 'year' : 'month';
      const [row] = await aggregate<StatsRow>(COLLECTIONS.towns, [
        ['match', { _id: townId() }],
        [
          'lookup',
          {
            from: COLLECTIONS.entries,
            pipeline: [
              { $match: { ...scope, [periodField]: input.period } },
              {
                $group: {
                  _id: { code: '$rule.code', title: '$rule.title', kind: '$kind' },
                  count: { $sum: 1 },
                  points: { $sum: '$points' },
                  families: { $addToSet: '$familyId' },
                },
              },
            ],
            as: 'entries',
          },
        ],
        [
          'lookup',
          { from: COLLECTIONS.families, pipeline: [{ $match: scope }, { $count: 'n' }], as: 'families' },
        ],
        [
          'lookup',
          {
            from: COLLECTIONS.claims,
            pipeline: [
              { $match: { ...scope, deedDate: new RegExp(`^${input.period}`) } },
              { $group: { _id: '$status', n: { $sum: 1 } } },
            ],
            as: 'claims',
          },
        ],
        [
          'lookup',
          {
            from: COLLECTIONS.boards,
            pipeline: [
              { $match: { ...scope, status: 'published', date: new RegExp(`^${input.period}`) } },
              { $group: { _id: '$board', n: { $sum: 1 } } },
            ],
            as: 'boards',
          },
        ],
      ]);
      const entries = row?.entries ?? [];
      const participating = new Set(entries.filter((e) => e._id.kind === 'award').flatMap((e) => e.families));
      const totalFamilies = row?.families[0]?.n ?? 0;
      const byRule = entries
        .filter((e) => e._id.code)
        .map((e) => ({
          code: e._id.code as string,
          title: e._id.title ?? '',
          count: e.count,
          points: e.points,
          pointsText: formatSignedPoints(e.points),
        }))
        .sort((a, b) => a.code.localeCompare(b.code));
      const awarded = entries.filter((e) => e._id.kind === 'award').reduce((s, e) => s + e.points, 0);
      const deducted = entries
        .filter((e) => e._id.kind === 'deduction' || (e._id.kind === 'board' && e.points < 0))
        .reduce((s, e) => s + e.points, 0);
      const count = (list: { _id: string; n: number }[] | undefined, key: string) =>
        list?.find((c) => c._id === key)?.n ?? 0;
      return {
        period: input.period,
        villageId: input.villageId ?? null,
        families: totalFamilies,
        participatingFamilies: participating.size,
        participationRate: totalFamilies ? Math.round((participating.size / totalFamilies) * 1000) / 10 : 0,
        pointsAwarded: awarded,
        pointsDeducted: deducted,
        byRule,
        claims: {
          pending: count(row?.claims, 'pending'),
          approved: count(row?.claims, 'approved'),
          rejected: count(row?.claims, 'rejected'),
        },
        boards: { red: count(row?.boards, 'red'), black: count(row?.boards, 'black') },
      };
    },
  },

  /** The month's ledger, ranking or notice sheet of a village as an Excel file. */
  'reports.export': {
    input: exportInput,
    handler: async ({ villageId, month, sheet: kind }, { caller }) => {
      requireOversee(caller, villageId);
      const v = await villageById(villageId);
      const policy = v.settings?.nameDisplay ?? DEFAULT_VILLAGE_SETTINGS.nameDisplay;
      const Excel = await loadExcel();
      const workbook = new Excel.Workbook();
      workbook.creator = '攒积分';
      let title: string;
      if (kind === 'ledger') {
        title = `${v.name}${month}积分明细`;
        const entries = await everything<EntryDoc>(COLLECTIONS.entries, { villageId, month }, [
          ['createdAt', 'asc'],
        ]);
        const families = await everything<FamilyDoc>(COLLECTIONS.families, { villageId }, [
          ['householdNumber', 'asc'],
        ]);
        const head = new Map(families.map((f) => [f._id, f]));
        const sheet = workbook.addWorksheet('积分明细');
        sheet.addRow([title]);
        sheet.addRow([
          '日期',
          '户号',
          '户主',
          '成员',
          '类别',
          '细则/事由',
          '分值',
          '录入人',
          '审核人',
          '代录',
        ]);
        for (const e of entries) {
          const f = head.get(e.familyId);
          sheet.addRow([
            dayOf(new Date(e.createdAt)),
            f?.householdNumber ?? '',
            f?.headName ?? '',
            e.memberName ?? '',
            ENTRY_KIND_LABELS[e.kind],
            e.reason,
            sheetPoints(e.points),
            e.recordedByName,
            e.approvedByName ?? '',
            e.onBehalf ? '是' : '',
          ]);
        }
        sheetStyle(sheet, [12, 8, 10, 10, 8, 36, 8, 10, 10, 6]);
      } else {
        const [families, groups, monthScores, yearScores] = await Promise.all([
          everything<FamilyDoc>(COLLECTIONS.families, { villageId }, [['householdNumber', 'asc']]),
          find<GroupDoc>(COLLECTIONS.groups, { villageId }, { limit: 1000 }),
          everything<ScoreDoc>(COLLECTIONS.scores, { villageId, period: month }, [['earned', 'desc']]),
          everything<ScoreDoc>(COLLECTIONS.scores, { villageId, period: month.slice(0, 4) }, [
            ['earned', 'desc'],
          ]),
        ]);
        const at = now();
        const rows = families.map((f) => ({
          familyId: f._id,
          family: f,
          earned: monthScores.find((s) => s.familyId === f._id)?.earned ?? 0,
          year: yearScores.find((s) => s.familyId === f._id)?.earned ?? 0,
          suspended: isSuspended(f.suspendedUntil ? new Date(f.suspendedUntil) : null, at),
        }));
        const ranked = rankFamilies(rows);
        const groupName = (id: string) => groups.find((g) => g._id === id)?.name ?? '';
        if (kind === 'ranking') {
          title = `${v.name}${month}家庭积分排名`;
          const sheet = workbook.addWorksheet('排名');
          sheet.addRow([title]);
          sheet.addRow(['名次', '户号', '家庭', '村民小组', '本月积分', '本年积分', '备注']);
          for (const r of ranked) {
            sheet.addRow([
              r.rank ?? '—',
              r.family.householdNumber,
              familyDisplayName(r.family.headName, 'full'),
              groupName(r.family.groupId),
              sheetPoints(r.earned),
              sheetPoints(r.year),
              r.suspended ? '暂停评比' : '',
            ]);
          }
          sheetStyle(sheet, [6, 8, 14, 10, 10, 10, 10]);
        } else {
          title = `${v.name}${month}积分公示`;
          const sheet = workbook.addWorksheet('公示');
          sheet.addRow([title]);
          sheet.addRow(['村民小组', '户号', '家庭', '本月积分', '名次', '备注']);
          // 一组, 二组, 三组 (by the group's number, not as text), households by number within each.
          const byGroup = [...ranked].sort(
            (a, b) =>
              compareGroupNames(groupName(a.family.groupId), groupName(b.family.groupId)) ||
              compareHouseholdNumbers(a.family.householdNumber, b.family.householdNumber),
          );
          for (const r of byGroup) {
            sheet.addRow([
              groupName(r.family.groupId),
              r.family.householdNumber,
              publicFamilyName(r.family, policy, at),
              sheetPoints(r.earned),
              r.rank ?? '—',
              r.suspended ? '暂停评比' : '',
            ]);
          }
          sheet.addRow([]);
          sheet.addRow([`公示期内如有异议，请向村积分监督小队反映。公示日期：${dayOf(at)}`]);
          sheet.addRow(['村两委（盖章）：', '', '', '监督小队签字：']);
          sheetStyle(sheet, [10, 8, 14, 10, 8, 10]);
        }
      }
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      const fileName = `${title}.xlsx`;
      const cloudPath = `exports/${villageId}/${month}-${kind}-${nowMs()}.xlsx`;
      return storeExport(cloudPath, fileName, buffer);
    },
  },
});
