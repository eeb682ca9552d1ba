/**
 * The integrity policy: one place that decides every write moving points, goods or money (against 人情分 and
 * self-dealing). A writer describes what it is about to do (who makes it, who checks it, whose family, shop or fund
 * benefits, the amount, its source, the village's settings) and gets back either an `Approved` token or a typed
 * refusal with a stable code and a Chinese message. The ledger, stock and fund writers take the token as an
 * argument, so they cannot be called without the policy's decision.
 *
 * Pure: no wx, no database, no I/O. The functions read what the description needs inside their transaction.
 */
import type { FundMovementKind } from './fund';
import type { Tenths } from './points';
import { formatPoints } from './points';
import { REVIEW_CONFLICT_MESSAGES } from './review';
import type { MonthStatus } from './month';
import type { MonthKey } from './time';

/** Per-village bounds on value-moving writes (a village setting; defaults below). */
export interface IntegritySettings {
  /** Largest single manual award or adjustment (red board, objection adjustment), tenths. */
  maxEntryPoints: Tenths;
  /** Largest total of manual awards and adjustments one family may receive in one month, tenths. */
  maxFamilyMonthPoints: Tenths;
  /** A board entry (bonus or deduction) above this needs a second cadre (or the town admin where the village has one cadre), tenths. */
  secondCheckAbovePoints: Tenths;
  /** Whether the counter accepts cards without a signed token (a UID alone identifies, it does not prove). */
  allowTokenlessCards: boolean;
}

/** Defaults: one entry at most 50 分, a family at most 100 分 of manual points a month, a red bonus above 20 分 checked twice. */
export const DEFAULT_INTEGRITY: IntegritySettings = {
  maxEntryPoints: 500,
  maxFamilyMonthPoints: 1000,
  secondCheckAbovePoints: 200,
  allowTokenlessCards: false,
};

export function integrityOf(settings: Partial<IntegritySettings> | null | undefined): IntegritySettings {
  return { ...DEFAULT_INTEGRITY, ...(settings ?? {}) };
}

/** A person as the policy sees them. */
export interface Actor {
  openid: string;
  /** Their own family, when they are a registered member. */
  familyId: string | null;
  townAdmin: boolean;
}

export type PolicyCode =
  | 'OWN_SUBMISSION'
  | 'OWN_FAMILY'
  | 'NEEDS_SECOND_CHECK'
  | 'SAME_PERSON'
  | 'AMOUNT_TOO_LARGE'
  | 'MONTH_LIMIT'
  | 'ALREADY_CORRECTED'
  | 'CORRECTION_OF_CORRECTION'
  | 'REDEMPTION_VIA_COUNTER'
  | 'BAD_AMOUNT'
  | 'OUT_OF_STOCK'
  | 'FUND_INSUFFICIENT'
  | 'COST_TOO_HIGH'
  | 'SELF_GRANT'
  | 'ROLE_CONFLICT'
  | 'NOT_GRANTER_SHOP'
  | 'CENTRAL_SHOP_BY_TOWN'
  | 'MONTH_CLOSED';

export interface Refusal {
  ok: false;
  code: PolicyCode;
  message: string;
}

declare const APPROVED: unique symbol;

/** The policy's permission for one write. Only this module makes them; writers require one. */
export interface Approved<K extends WriteKind = WriteKind> {
  readonly [APPROVED]: K;
  readonly kind: K;
  /** Who made and who checked the write, for the trail. */
  readonly maker: string;
  readonly checker: string | null;
  /** The amount decided (points in tenths, stock units, fen): the writer refuses any other. */
  readonly amount: number;
}

export type WriteKind = 'points' | 'stock' | 'fund';

export type Decision<K extends WriteKind> = { ok: true; approved: Approved<K> } | Refusal;

const refuse = (code: PolicyCode, message: string): Refusal => ({ ok: false, code, message });

function grant<K extends WriteKind>(
  kind: K,
  maker: string,
  checker: string | null,
  amount: number,
): Decision<K> {
  return { ok: true, approved: { kind, maker, checker, amount } as unknown as Approved<K> };
}

export const SECOND_CHECK_MESSAGE = '需由其他干部或镇管理员审核';

// ---- Points -------------------------------------------------------------------------------------------------

/**
 * What a points write is for:
 * - `review`: a claim or recorded line approved (maker = claimant or recorder, checker = reviewer);
 * - `board`: a red or black board entry (maker = publisher, checker = the second cadre who confirms it);
 * - `objectionReverse`: an upheld objection reverses an entry (maker = raiser, checker = supervisor);
 * - `objectionAward`: an upheld objection awards a rejected claim (maker = raiser, checker = supervisor);
 * - `adjustment`: an upheld month objection's adjustment (maker = deciding supervisor, checker = confirming cadre);
 * - `redemption`, `redemptionCancel`: at the counter (maker = clerk; the family presents its card or QR);
 * - `wishCharge`: a fulfilled wish (maker = coordinator; the family accepted the quote);
 * - `activity`: an activity's attendance (maker = the organiser who submitted the list, checker = the second
 *   cadre who confirms it);
 * - `expiry`: the points year takes expired points back (maker = the timer; only ever a deduction, at most the
 *   balance, by the village's setting).
 */
export type PointsPurpose =
  | 'review'
  | 'board'
  | 'objectionReverse'
  | 'objectionAward'
  | 'adjustment'
  | 'redemption'
  | 'redemptionCancel'
  | 'wishCharge'
  | 'activity'
  | 'expiry';

/** The entry a correction reverses, as stored. */
export interface Corrected {
  kind: string;
  sourceType: string;
  /** Whether this source was already corrected once. */
  alreadyCorrected: boolean;
}

export interface PointsWrite {
  purpose: PointsPurpose;
  maker: Actor;
  checker: Actor | null;
  /** The family whose points move. */
  familyId: string;
  /** The entry's score (signed tenths). */
  points: Tenths;
  /** For a reversal: what it reverses. */
  corrects?: Corrected | null;
  /** For a manual award or adjustment: what the family already got this month from manual awards (tenths). */
  familyMonthManual?: Tenths;
  /** How many cadres the village has (the town admin is the second pair of eyes where it has one). */
  villageCadres?: number;
  settings?: IntegritySettings;
}

/** Purposes where a person decides someone's points: maker ≠ checker and no beneficiary in the checker's family. */
const CHECKED: ReadonlySet<PointsPurpose> = new Set([
  'review',
  'board',
  'objectionReverse',
  'objectionAward',
  'adjustment',
  'activity',
]);

/** Purposes whose positive amounts are manual (no fixed rule score) and so bounded by the village's settings. */
const MANUAL: ReadonlySet<PointsPurpose> = new Set(['board', 'adjustment']);

export function decidePoints(write: PointsWrite): Decision<'points'> {
  const { maker, checker } = write;
  if (CHECKED.has(write.purpose)) {
    const s = write.settings ?? DEFAULT_INTEGRITY;
    // A board entry within the village's threshold (a small red bonus or black deduction) is checked by its
    // publisher; everything else needs a second person.
    const selfChecked =
      write.purpose === 'board' &&
      checker?.openid === maker.openid &&
      !boardNeedsSecondCheck(write.points, s);
    if (!checker) return refuse('NEEDS_SECOND_CHECK', SECOND_CHECK_MESSAGE);
    if (checker.openid === maker.openid && !selfChecked)
      return refuse(
        write.purpose === 'review' ? 'OWN_SUBMISSION' : 'SAME_PERSON',
        write.purpose === 'review'
          ? REVIEW_CONFLICT_MESSAGES.OWN_SUBMISSION
          : write.purpose === 'activity'
            ? `不能确认自己提交的签到名单，需由其他干部或镇管理员确认`
            : `不能确认自己提出的加分或调整，${SECOND_CHECK_MESSAGE}`,
      );
    if (checker.familyId !== null && checker.familyId === write.familyId)
      return refuse('OWN_FAMILY', REVIEW_CONFLICT_MESSAGES.OWN_FAMILY);
  }
  const bounds = pointsBoundsRefusal(write);
  if (bounds) return bounds;
  return grant('points', maker.openid, checker?.openid ?? null, write.points);
}

/**
 * Every rule of `decidePoints` except who checks: used when a write is proposed and waits for its second check
 * (a pending red-board bonus, a month objection's adjustments), so a proposal that could never pass is refused
 * at once.
 */
export function pointsBoundsRefusal(write: PointsWrite): Refusal | null {
  if (!Number.isSafeInteger(write.points)) return refuse('BAD_AMOUNT', '积分必须是0.1分的整数倍');
  const { maker } = write;
  if (write.purpose === 'board' || write.purpose === 'adjustment') {
    if (maker.familyId !== null && maker.familyId === write.familyId)
      return refuse('OWN_FAMILY', `不能为本家庭发布或调整积分，${SECOND_CHECK_MESSAGE}`);
  }
  if (MANUAL.has(write.purpose)) {
    const s = write.settings ?? DEFAULT_INTEGRITY;
    if (write.points === 0) return refuse('BAD_AMOUNT', '调整的积分不能为0');
    if (Math.abs(write.points) > s.maxEntryPoints)
      return refuse('AMOUNT_TOO_LARGE', `单条不能超过${formatPoints(s.maxEntryPoints)}分（本村设置）`);
    if (write.points > 0 && (write.familyMonthManual ?? 0) + write.points > s.maxFamilyMonthPoints)
      return refuse(
        'MONTH_LIMIT',
        `该家庭本月手工加分已达上限${formatPoints(s.maxFamilyMonthPoints)}分（本村设置）`,
      );
  }
  if (write.corrects) {
    const c = write.corrects;
    if (c.kind === 'redemption' && write.purpose !== 'redemptionCancel')
      return refuse('REDEMPTION_VIA_COUNTER', '兑换记录只能由超市收银员在收银台撤销');
    if (c.kind === 'reversal' || c.sourceType === 'objection')
      return refuse('CORRECTION_OF_CORRECTION', '这条记录本身就是更正，不能再更正');
    if (c.alreadyCorrected) return refuse('ALREADY_CORRECTED', '这条记录已经更正过一次，不能重复更正');
  }
  if ((write.purpose === 'redemption' || write.purpose === 'wishCharge') && write.points > 0)
    return refuse('BAD_AMOUNT', '兑换只能扣减积分');
  if (write.purpose === 'expiry' && write.points >= 0) return refuse('BAD_AMOUNT', '过期只能扣减积分');
  return null;
}

/**
 * Why a ledger entry can't be objected to (the objection's correction could never pass): a redemption is undone
 * only at the counter, and a correction is never corrected again.
 */
export function objectionTargetRefusal(entry: { kind: string; sourceType: string }): Refusal | null {
  if (entry.kind === 'redemption')
    return refuse('REDEMPTION_VIA_COUNTER', '兑换记录只能由超市收银员在收银台撤销，请联系超市');
  if (entry.kind === 'reversal' || entry.sourceType === 'objection')
    return refuse('CORRECTION_OF_CORRECTION', '这条记录本身就是更正，不能再提出异议');
  return null;
}

/**
 * Whether a second check is possible at all in a village, and by whom: a second cadre, or the town admin where
 * the village has only one. For pages and queues ("需由其他干部或镇管理员审核").
 */
export function secondCheckers(villageCadres: number): 'cadre' | 'townAdmin' {
  return villageCadres >= 2 ? 'cadre' : 'townAdmin';
}

// ---- Boards -------------------------------------------------------------------------------------------------

/** Why a red or black entry can't be published as typed: dated after today, or points against its board's sign. */
export function boardEntryRefusal(
  entry: { board: 'red' | 'black'; points: Tenths; date: string },
  today: string,
): { field: 'date' | 'points'; message: string } | null {
  if (entry.date > today) return { field: 'date', message: '日期不能晚于今天' };
  if ((entry.board === 'red' && entry.points < 0) || (entry.board === 'black' && entry.points > 0))
    return { field: 'points', message: '红榜只能加分，黑榜只能扣分' };
  return null;
}

/** Whether a board entry waits for a second cadre: a bonus or deduction above the village's threshold. */
export function boardNeedsSecondCheck(points: Tenths, settings: IntegritySettings): boolean {
  return Math.abs(points) > settings.secondCheckAbovePoints;
}

/**
 * Whether `maker` may publish a board entry of `points` for a family, and whether it then waits for a second
 * check (nothing moves until then): never for their own family.
 */
export function boardPublication(input: {
  maker: Actor;
  familyId: string;
  points: Tenths;
  settings: IntegritySettings;
}): { ok: true; needsSecondCheck: boolean } | Refusal {
  if (input.maker.familyId === input.familyId)
    return refuse('OWN_FAMILY', `不能为本家庭发布红黑榜，${SECOND_CHECK_MESSAGE}`);
  return { ok: true, needsSecondCheck: boardNeedsSecondCheck(input.points, input.settings) };
}

// ---- Stock --------------------------------------------------------------------------------------------------

export type StockPurpose =
  'restock' | 'loss' | 'correction' | 'redemption' | 'sale' | 'cancellation' | 'opening';

export interface StockWrite {
  purpose: StockPurpose;
  maker: Actor;
  /** Signed change to the stock. */
  change: number;
  stockBefore: number;
}

const STOCK_SIGN: Partial<Record<StockPurpose, 1 | -1>> = {
  restock: 1,
  opening: 1,
  cancellation: 1,
  loss: -1,
  redemption: -1,
  sale: -1,
};

export function decideStock(write: StockWrite): Decision<'stock'> {
  if (!Number.isSafeInteger(write.change) || write.change === 0)
    return refuse('BAD_AMOUNT', '数量必须是非零整数');
  const sign = STOCK_SIGN[write.purpose];
  if (sign !== undefined && Math.sign(write.change) !== sign)
    return refuse('BAD_AMOUNT', sign > 0 ? '入库数量必须大于0' : '出库数量必须大于0');
  if (write.stockBefore + write.change < 0)
    return refuse('OUT_OF_STOCK', `库存不足（剩${write.stockBefore}）`);
  return grant('stock', write.maker.openid, null, write.change);
}

// ---- Fund ---------------------------------------------------------------------------------------------------

export type FundPurpose = FundMovementKind;

export interface FundWrite {
  purpose: FundPurpose;
  maker: Actor;
  /** Signed: money in is positive (fen). */
  amountFen: number;
  /** The fund's balance before, for cash paid out (read in the transaction). */
  balanceFen: number;
}

/** Cash paid out: never beyond the balance. Redemption charges may take it below zero (a debt to the shop). */
const CASH_OUT: ReadonlySet<FundPurpose> = new Set(['expense', 'champion', 'service']);

export function decideFund(write: FundWrite): Decision<'fund'> {
  if (!Number.isSafeInteger(write.amountFen) || write.amountFen === 0)
    return refuse('BAD_AMOUNT', '金额必须是非零的整数分');
  if (CASH_OUT.has(write.purpose) && write.amountFen > 0) return refuse('BAD_AMOUNT', '支出金额方向不正确');
  if (CASH_OUT.has(write.purpose) && write.balanceFen + write.amountFen < 0)
    return refuse('FUND_INSUFFICIENT', '积分基金余额不足');
  return grant('fund', write.maker.openid, null, write.amountFen);
}

// ---- Goods cost ---------------------------------------------------------------------------------------------

/** A shop manager may set a good's cost at most this many times what its points are worth. */
export const COST_BOUND_FACTOR = 1.5;

/** The highest cost (fen) a manager other than the town admin may set for a good of this price. */
export function maxGoodsCostFen(pricePoints: Tenths, fenPerPoint: number): number {
  return Math.floor((pricePoints * fenPerPoint * COST_BOUND_FACTOR) / 10);
}

export function decideGoodsCost(input: {
  maker: Actor;
  pricePoints: Tenths;
  costFen: number;
  fenPerPoint: number;
}): Refusal | null {
  if (input.maker.townAdmin) return null;
  const max = maxGoodsCostFen(input.pricePoints, input.fenPerPoint);
  if (input.costFen > max)
    return refuse(
      'COST_TOO_HIGH',
      `成本不能超过积分价值的${COST_BOUND_FACTOR}倍（最多${(max / 100).toFixed(2)}元），超出请由镇管理员修改`,
    );
  return null;
}

// ---- Dates --------------------------------------------------------------------------------------------------

/**
 * Whether a deed on `deedDate` may still be recorded: not in the future, and in a month still open for recording
 * (the current month, or the previous one while it is open). At approval (`late`), a pending claim of the previous
 * month is still accepted after its notice began (it then counts for the current month); older ones never.
 */
export function deedDateRefusal(
  deedDate: string,
  today: string,
  previousMonth: MonthStatus,
  late = false,
): Refusal | null {
  if (deedDate > today) return refuse('BAD_AMOUNT', '日期不能晚于今天');
  const current: MonthKey = today.slice(0, 7);
  const [y, m] = current.split('-').map(Number);
  const previous = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const month = deedDate.slice(0, 7);
  if (month === current) return null;
  if (month === previous && (late || previousMonth.state === 'open')) return null;
  return refuse('MONTH_CLOSED', `${month}已不在采集期，只能申报或录入本月（及上月采集期内）的事项`);
}
