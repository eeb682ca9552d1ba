/** A family's points report for evaluations (积分报告): history by year, board entries, champion titles. */
import { canOverseeVillage, requireFamily } from '../common/access';
import { find } from '../common/data';
import { ForbiddenError } from '../common/errors';
import { COLLECTIONS, type BoardDoc, type ChampionsDoc, type ScoreDoc } from '../common/model';
import { defineShopActions, familyReportInput } from './schemas';
import { familyById } from '../common/places';

export const reportActions = defineShopActions({
  /** A family's points report: earned and rank-relevant history by year, board entries, champion titles. */
  'report.family': {
    input: familyReportInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? requireFamily(caller).familyId;
      const family = await familyById(familyId);
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
