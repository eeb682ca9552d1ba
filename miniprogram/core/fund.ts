/**
 * The fund pool (积分基金池) behind a village's points: money in from the town (50 yuan per household per year),
 * 30 % of the collective's net income and donations; money out for goods redeemed (at cost), services and
 * champion awards. Money is integer fen. Points are integer tenths; a village values a point at `fenPerPoint`.
 */
import type { Tenths } from './points';

export const ALLOCATION_FEN_PER_HOUSEHOLD = 5000;
export const COLLECTIVE_SHARE_PERCENT = 30;
export const DEFAULT_FEN_PER_POINT = 100;

export const FUND_MOVEMENT_KINDS = [
  'allocation',
  'income',
  'donation',
  'redemption',
  'redemptionReversal',
  'service',
  'champion',
  'expense',
] as const;
export type FundMovementKind = (typeof FUND_MOVEMENT_KINDS)[number];

export const FUND_MOVEMENT_LABELS: Record<FundMovementKind, string> = {
  allocation: '镇财政拨付',
  income: '集体经济收益提取',
  donation: '社会捐赠',
  redemption: '积分兑换商品',
  redemptionReversal: '兑换撤销退回',
  service: '心愿服务',
  champion: '积分冠军奖励',
  expense: '其他支出',
};

/** The town's yearly allocation for a village of `households` families. */
export function allocationFen(households: number): number {
  return households * ALLOCATION_FEN_PER_HOUSEHOLD;
}

/** 30 % of a collective's net income, in whole fen (rounded down); nothing from a loss. */
export function collectiveShareFen(netIncomeFen: number): number {
  return netIncomeFen > 0 ? Math.floor((netIncomeFen * COLLECTIVE_SHARE_PERCENT) / 100) : 0;
}

/** What `tenths` points are worth in fen at `fenPerPoint`, rounded half up. */
export function pointsValueFen(tenths: Tenths, fenPerPoint: number): number {
  return Math.round((tenths * fenPerPoint) / 10);
}

export type FundStatus = 'healthy' | 'watch' | 'short';

export interface FundHealth {
  balanceFen: number;
  outstandingPoints: Tenths;
  outstandingValueFen: number;
  /** Balance over the value of the points outstanding, in basis points; null when nothing is outstanding. */
  coverageBp: number | null;
  /** healthy: the balance covers every point outstanding; watch: at least half; short: less. */
  status: FundStatus;
  /** Set when the fund is below zero: redemptions charged beyond its balance are the village's debt to the shop. */
  debtWarning: string | null;
  /** Points the points year has told families will expire (they leave what is outstanding once posted). */
  expiringPoints: Tenths;
  /** The coverage once they have expired (basis points; null when nothing would be outstanding). */
  coverageAfterExpiryBp: number | null;
}

/** The warning shown on the fund page and to the town admin when a fund is in debt, or null. */
export function debtWarning(balanceFen: number): string | null {
  return balanceFen < 0
    ? `基金池已透支${(-balanceFen / 100).toFixed(2)}元：超出余额的兑换按成本记为本村欠超市的款项，请尽快补充资金`
    : null;
}

const coverage = (balanceFen: number, valueFen: number): number | null =>
  valueFen > 0 ? Math.floor((Math.max(balanceFen, 0) * 10000) / valueFen) : null;

export function fundHealth(
  balanceFen: number,
  outstandingPoints: Tenths,
  fenPerPoint: number,
  expiringPoints: Tenths = 0,
): FundHealth {
  const outstandingValueFen = pointsValueFen(outstandingPoints, fenPerPoint);
  const coverageBp = coverage(balanceFen, outstandingValueFen);
  const expiring = Math.min(Math.max(expiringPoints, 0), Math.max(outstandingPoints, 0));
  const status: FundStatus =
    coverageBp === null || coverageBp >= 10000 ? 'healthy' : coverageBp >= 5000 ? 'watch' : 'short';
  return {
    balanceFen,
    outstandingPoints,
    outstandingValueFen,
    coverageBp,
    status,
    debtWarning: debtWarning(balanceFen),
    expiringPoints: expiring,
    coverageAfterExpiryBp: coverage(balanceFen, pointsValueFen(outstandingPoints - expiring, fenPerPoint)),
  };
}

export interface TownFundHealth {
  balanceFen: number;
  outstandingPoints: Tenths;
  outstandingValueFen: number;
  /** The town's balance over the value of its points outstanding (basis points); null when nothing is outstanding. */
  coverageBp: number | null;
  /** Villages whose fund does not cover every point outstanding. */
  shortVillages: string[];
  /** Villages whose fund is below zero (a debt to the shop): the town admin is warned. */
  debtVillages: string[];
}

/** The town's pool from its villages' health: the sums, the town's coverage, and the villages to watch. */
export function townFundHealth(villages: readonly (FundHealth & { villageId: string })[]): TownFundHealth {
  const sum = (f: (v: FundHealth) => number) => villages.reduce((s, v) => s + f(v), 0);
  const balanceFen = sum((v) => v.balanceFen);
  const outstandingValueFen = sum((v) => v.outstandingValueFen);
  return {
    balanceFen,
    outstandingPoints: sum((v) => v.outstandingPoints),
    outstandingValueFen,
    coverageBp: coverage(balanceFen, outstandingValueFen),
    shortVillages: villages.filter((v) => v.status !== 'healthy').map((v) => v.villageId),
    debtVillages: villages.filter((v) => v.balanceFen < 0).map((v) => v.villageId),
  };
}

/**
 * A reward shared equally: each gets the same whole fen; the remainder (fewer fen than winners) is not paid
 * and stays in the fund, so the expense recorded is exactly what was paid.
 */
export function splitEqually(
  totalFen: number,
  winners: number,
): { eachFen: number; paidFen: number; remainderFen: number } {
  if (winners <= 0) return { eachFen: 0, paidFen: 0, remainderFen: totalFen };
  const eachFen = Math.floor(totalFen / winners);
  return { eachFen, paidFen: eachFen * winners, remainderFen: totalFen - eachFen * winners };
}

export interface ChampionCandidate {
  familyId: string;
  familyName: string;
  /** For names shown by household number (the village's name policy). */
  householdNumber?: string;
  earned: Tenths;
  suspended: boolean;
}

/**
 * The year's champions of a village: the top `topN` families by points earned, suspended families and families
 * with nothing earned left out. Families tied with the last place are all champions (nobody loses on a tie).
 */
export function selectChampions(
  candidates: readonly ChampionCandidate[],
  topN: number,
): (ChampionCandidate & { rank: number })[] {
  const eligible = candidates
    .filter((c) => !c.suspended && c.earned > 0)
    .sort((a, b) => b.earned - a.earned || a.familyId.localeCompare(b.familyId));
  const out: (ChampionCandidate & { rank: number })[] = [];
  for (const [index, c] of eligible.entries()) {
    const last = out[out.length - 1];
    if (index >= topN && (!last || last.earned !== c.earned)) break;
    out.push({ ...c, rank: last && last.earned === c.earned ? last.rank : index + 1 });
  }
  return out;
}

/**
 * Why a village's champions of `year` can't be chosen now (`currentYear`, China time): only once the year is over,
 * and only among families that earned points (`champions`: as `selectChampions` picked them).
 */
export function championsRefusal(input: {
  villageName: string;
  year: string;
  currentYear: string;
  champions: number;
}): { code: 'YEAR_NOT_OVER' | 'NO_POINTS'; message: string } | null {
  const { villageName, year } = input;
  if (year >= input.currentYear)
    return { code: 'YEAR_NOT_OVER', message: `${year}年还没有结束，年终积分冠军要到次年才能评选` };
  if (input.champions === 0)
    return { code: 'NO_POINTS', message: `${villageName}${year}年没有家庭获得积分，不能评选积分冠军` };
  return null;
}

/** Formats fen as yuan for people: 123456 → `1234.56元`. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}
