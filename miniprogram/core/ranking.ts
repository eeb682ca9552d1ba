/**
 * Rankings: families ordered by points earned in a period. Ties share a rank and the next rank skips
 * ("1, 2, 2, 4"); suspended families are listed as suspended and take no rank; a family with no points in the
 * period is shown as 暂无积分 and takes no rank either (a "第3名" for 0 分 is no achievement).
 */
import type { Tenths } from './points';

export interface RankRow {
  familyId: string;
  earned: Tenths;
  suspended: boolean;
}

export interface RankedRow extends RankRow {
  /** null for a suspended family. */
  rank: number | null;
}

/** Orders by earned (desc), then family id for a stable order, and assigns shared ranks. */
export function rankFamilies<R extends RankRow>(rows: readonly R[]): (R & { rank: number | null })[] {
  const sorted = [...rows].sort((a, b) => b.earned - a.earned || (a.familyId < b.familyId ? -1 : 1));
  let ranked = 0;
  let previous: Tenths | null = null;
  let previousRank = 0;
  return sorted.map((row) => {
    if (row.suspended || row.earned <= 0) return { ...row, rank: null };
    ranked += 1;
    const rank = previous !== null && row.earned === previous ? previousRank : ranked;
    previous = row.earned;
    previousRank = rank;
    return { ...row, rank };
  });
}

/**
 * A family's rank from the number of ranked (not suspended) families that earned strictly more:
 * what a database can count with an index, without reading the whole ranking.
 */
export function rankFromAbove(familiesAbove: number, suspended: boolean, earned: Tenths = 1): number | null {
  return suspended || earned <= 0 ? null : familiesAbove + 1;
}

export const NO_POINTS_LABEL = '暂无积分';

/** What a row shows where its rank goes. */
export function rankText(row: { rank: number | null; suspended: boolean; earned: Tenths }): string {
  if (row.suspended) return '暂停评比';
  if (row.earned <= 0 || row.rank === null) return NO_POINTS_LABEL;
  return `第${row.rank}名`;
}

/** Where the previous page of a ranking ended, so the next page continues its ranks (and its ties). */
export interface RankCursor {
  /** How many ranked (not suspended) families came before. */
  ranked: number;
  rank: number;
  earned: Tenths;
}

/**
 * Assigns ranks to one page of a ranking, continuing from `before` (null on the first page), so ties spanning
 * pages share a rank and suspended families take no place.
 */
export function rankPage<R extends RankRow>(
  page: readonly R[],
  before: RankCursor | null,
): { rows: (R & { rank: number | null })[]; cursor: RankCursor | null } {
  let cursor = before;
  const rows = page.map((row) => {
    if (row.suspended || row.earned <= 0) return { ...row, rank: null };
    const ranked = (cursor?.ranked ?? 0) + 1;
    const rank = cursor && cursor.earned === row.earned ? cursor.rank : ranked;
    cursor = { ranked, rank, earned: row.earned };
    return { ...row, rank };
  });
  return { rows, cursor };
}
