/**
 * Contract of the `points` cloud function: its action names with their input and output types (`PointsApi` at
 * the end), and the status and kind lists they use. Pure TypeScript: the mini-program imports the types and the
 * lists; the function's handlers are checked against `PointsApi` where they are written (common/router.ts
 * `actionsOf`), and its zod enums are built from the lists. Dates arrive as ISO strings.
 */
import type { RuleCategory, RuleDefinition } from '../core/catalogue';
import type { EntryKind } from '../core/ledger';
import type { MonthState } from '../core/month';
import type { Tenths } from '../core/points';
import type { JobNextInput, JobProgress } from './jobs';

export { ENTRY_KINDS, type EntryKind } from '../core/ledger';
export { RULE_CATEGORIES, CAP_PERIODS, CAP_SCOPES } from '../core/catalogue';

/* ---------- the lists the inputs and outputs use (the server's zod enums are built from these) ---------- */

export const CLAIM_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const BOARD_KINDS = ['red', 'black'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];
export const BOARD_STATUSES = ['pending', 'published', 'withdrawn'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];
export const RANKING_SCOPES = ['village', 'town'] as const;
export type RankingScope = (typeof RANKING_SCOPES)[number];
export const OBJECTION_TARGET_TYPES = ['entry', 'claim', 'board', 'month'] as const;
export type ObjectionTargetType = (typeof OBJECTION_TARGET_TYPES)[number];
export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
/** How a supervisor decides an objection. */
export const OBJECTION_OUTCOMES = ['upheld', 'dismissed'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export const EXPORT_SHEETS = ['ledger', 'ranking', 'notice'] as const;
export type ExportSheet = (typeof EXPORT_SHEETS)[number];

/** A rule of the catalogue as stored: its definition (core/catalogue.ts), id, scope and version. */
export interface RuleView extends RuleDefinition {
  /** Stored rule id (the latest version's id). */
  id: string;
  /** Village-specific addition (null for the town's catalogue). */
  villageId: string | null;
  version: number;
}

export interface RulesListInput {
  /** Include the additions of this village; the town's catalogue only when absent. */
  villageId?: string;
  /** Only rules residents may claim themselves (for the 申报 page). */
  selfClaimOnly?: boolean;
}

export interface RulesListOutput {
  rules: RuleView[];
}

/* ---------- Villager-side actions (dates arrive as ISO strings over JSON) ---------- */

/** One ledger line (积分流水) as the server shows it. */
export interface EntryView {
  id: string;
  kind: EntryKind;
  /** `加分`, `扣分` … */
  kindLabel: string;
  memberName: string | null;
  ruleTitle: string | null;
  points: Tenths;
  /** `+1`, `-2`. */
  pointsText: string;
  /** `YYYY-MM` the entry counts for. */
  month: string;
  reason: string;
  recordedByName: string;
  approvedByName: string | null;
  onBehalf: boolean;
  reversesId: string | null;
  createdAt: string;
}

export type HomeGetInput = Record<string, never>;

export interface HomeGetOutput {
  family: { id: string; name: string; villageName: string };
  available: Tenths;
  earnedThisYear: Tenths;
  earnedThisMonth: Tenths;
  /** `YYYY` and `YYYY-MM`, China time. */
  year: string;
  month: string;
  /** null while suspended. */
  villageRank: number | null;
  townRank: number | null;
  /** How many families take part in each ranking (not suspended): "第2名 / 共12户". */
  villageRanked: number;
  townRanked: number;
  suspended: boolean;
  suspendedUntil: string | null;
  /** The last 12 months, oldest first. */
  chart: { month: string; earned: Tenths }[];
  latest: EntryView[];
  /** `您家有 12 分将于 1月10日 到期`, while the points year's notice is out; null otherwise. */
  expiryNotice?: string | null;
}

export interface LedgerListInput {
  /** Another family (cadres only); the caller's own when absent. */
  familyId?: string;
  memberId?: string;
  /** `YYYY-MM`. */
  month?: string;
  /** Pages of 20. */
  offset?: number;
}

export interface LedgerListOutput {
  entries: EntryView[];
}

export interface RankCursorView {
  ranked: number;
  rank: number;
  earned: Tenths;
}

export interface RankingListInput {
  scope: RankingScope;
  /** `YYYY` for the year, `YYYY-MM` for a month. */
  period: string;
  villageId?: string;
  offset?: number;
  /** The previous page's cursor, so ranks continue across pages. */
  after?: RankCursorView;
}

export interface RankingRowView {
  familyId: string;
  name: string;
  villageName: string;
  earned: Tenths;
  pointsText: string;
  /** null for a suspended family (暂停评比) and for one with no points in the period (暂无积分). */
  rank: number | null;
  /** `第2名`, `暂停评比`, `暂无积分`. */
  rankText: string;
  suspended: boolean;
  mine: boolean;
}

export interface RankingListOutput {
  scope: RankingScope;
  period: string;
  rows: RankingRowView[];
  cursor: RankCursorView | null;
  hasMore: boolean;
  /** The caller's family in this ranking; null when it has no row here (not linked, other village, no points). */
  me: { earned: Tenths; rank: number | null; suspended: boolean } | null;
}

export interface BoardsListInput {
  villageId?: string;
  board?: BoardKind;
  offset?: number;
}

export interface BoardView {
  id: string;
  board: BoardKind;
  /** Already shown per the village's name policy (full or masked). */
  name: string;
  title: string;
  description: string;
  points: Tenths;
  /** '' when the entry carries no points. */
  pointsText: string;
  /** `YYYY-MM-DD`. */
  date: string;
  status: BoardStatus;
  suspensionEndsAt: string | null;
}

export interface BoardsListOutput {
  villageName: string;
  boards: BoardView[];
}

export interface RuleSnapshotView {
  id: string;
  code: string;
  version: number;
  category: RuleCategory;
  aspect: string;
  title: string;
  points: Tenths;
}

export interface ClaimView {
  id: string;
  kind: 'claim' | 'record';
  memberId: string;
  memberName: string;
  familyId: string;
  groupId: string;
  rule: RuleSnapshotView;
  pointsText: string;
  deedDate: string;
  text: string;
  photos: string[];
  status: ClaimStatus;
  submittedByName: string;
  onBehalf: boolean;
  createdAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
}

export interface ClaimsSubmitInput {
  /** Generated on the phone when the form opens: a retry returns the first claim instead of a second. */
  requestId: string;
  memberId: string;
  ruleId: string;
  /** `YYYY-MM-DD`, not after today. */
  deedDate: string;
  text?: string;
  /** fileIDs uploaded under `claims/<openid>/`. */
  photos?: string[];
}

export interface ClaimOutput {
  claim: ClaimView;
}

export interface ClaimsMineInput {
  status?: ClaimStatus;
  offset?: number;
}

export interface ClaimsMineOutput {
  claims: ClaimView[];
}

export interface ClaimsWithdrawInput {
  claimId: string;
}

export interface ObjectionView {
  id: string;
  villageId: string;
  target: { type: ObjectionTargetType; id: string };
  targetLabel: string;
  /** Which record or claim (`参加院坝会 +0.5分 · 何小军 · 11月20日`); '' for a month or a board. */
  targetTitle: string;
  month: string;
  reason: string;
  raisedByName: string;
  createdAt: string;
  deadline: string;
  overdue: boolean;
  status: ObjectionStatus;
  /** `调查中`, `异议成立`, `异议不成立`. */
  statusLabel: string;
  decisionReason: string | null;
  decidedAt: string | null;
}

export interface ObjectionsRaiseInput {
  requestId: string;
  target: { type: ObjectionTargetType; id: string };
  reason: string;
}

export interface ObjectionOutput {
  objection: ObjectionView;
}

export interface ObjectionsMineInput {
  offset?: number;
}

export interface ObjectionsMineOutput {
  objections: ObjectionView[];
}

export interface ObjectionsGetInput {
  objectionId: string;
}

export type DisputedRecord =
  | { type: 'entry'; entry: EntryView }
  | { type: 'claim'; claim: ClaimView }
  | {
      type: 'board';
      board: {
        title: string;
        personName: string;
        board: BoardKind;
        pointsText: string;
        date: string;
        status: BoardStatus;
      };
    }
  | { type: 'month'; month: string };

export interface ObjectionsGetOutput {
  objection: ObjectionView;
  record: DisputedRecord | null;
  trail: { actorName: string; action: string; summary: string; at: string }[];
}

export interface MonthsListInput {
  villageId: string;
}

export interface MonthView {
  month: string;
  state: MonthState;
  stateLabel: string;
  noticeEndsAt: string | null;
  daysLeft: number;
  objectionsOpen: boolean;
  canStartNotice: boolean;
  canLock: boolean;
}

export interface MonthsListOutput {
  villageName: string;
  noticeDays: number;
  months: MonthView[];
}

/* ---------- points: review ---------- */

export interface ReviewQueueInput {
  villageId: string;
  /** A group's pending lines only: what its group leader follows after a monthly pass. */
  groupId?: string;
  offset?: number;
}

export interface ReviewItemView extends ClaimView {
  /** The server's reason this reviewer may not decide it (own submission, own family); null when free. */
  conflict: string | null;
}

export interface ReviewQueueOutput {
  items: ReviewItemView[];
}

export interface ReviewApproveInput {
  claimIds: string[];
}

export interface ReviewRejectInput {
  claimIds: string[];
  /** 2 to 200 characters. */
  reason: string;
}

export type ReviewOutcome =
  | { id: string; ok: true; status: ClaimView['status'] }
  | { id: string; ok: false; error: { code: string; message: string; reason?: string } };

/** For a single id a refusal is the action's error (`details.reason`); for many, one outcome per id. */
export interface ReviewDecideOutput {
  outcomes: ReviewOutcome[];
  decided: number;
}

/** The town admin's queue: records of one-cadre villages their cadre may not review. */
export interface ReviewTownQueueInput {
  offset?: number;
}

export interface ReviewTownItemView extends ClaimView {
  villageId: string;
  villageName: string;
  /** Why it waits for the town admin. */
  reason: string;
}

export interface ReviewTownQueueOutput {
  items: ReviewTownItemView[];
}

/** Approves many claims in chunks: the listed ones, or every pending claim of the village (at most 1,000). */
export interface ReviewBulkStartInput {
  requestId: string;
  villageId: string;
  claimIds?: string[];
}

/* ---------- points: the monthly pass ---------- */

export interface RecordLineInput {
  memberId: string;
  ruleId: string;
  /** `YYYY-MM-DD`, not after today. */
  deedDate: string;
  note?: string;
}

export interface RecordsCreateInput {
  requestId: string;
  villageId: string;
  /** 代老年村民录入 (logged as acting on their behalf). */
  onBehalf?: boolean;
  lines: RecordLineInput[];
}

export interface RecordsCreateOutput {
  /** Lines newly written (0 when the same request id came again). */
  recorded: number;
  lines: { id: string; memberName: string; ruleTitle: string }[];
}

/* ---------- points: boards ---------- */

export interface BoardsPublishInput {
  requestId: string;
  villageId: string;
  board: BoardKind;
  familyId: string;
  memberId?: string;
  title: string;
  description?: string;
  /** Tenths; red ≥ 0, black < 0, half-point steps. */
  points: Tenths;
  /** `YYYY-MM-DD`. */
  date: string;
}

export interface BoardsPublishOutput {
  board: BoardView;
  /** Set when a red-board bonus waits for a second cadre: "需由其他干部或镇管理员审核". */
  needsSecondCheck: string | null;
}

export interface BoardsPendingInput {
  villageId: string;
}

export interface BoardsPendingOutput {
  villageName: string;
  /** Red-board bonuses waiting for a second cadre; `conflict` says why this person may not confirm one. */
  boards: (BoardView & { conflict: string | null })[];
}

export interface BoardsConfirmInput {
  boardId: string;
}

export interface BoardsConfirmOutput {
  board: BoardView;
}

export interface ObjectionsConfirmInput {
  objectionId: string;
}

export interface ObjectionsConfirmOutput {
  objection: ObjectionView;
  corrections: string[];
}

export interface PendingAdjustmentsInput {
  villageId: string;
}

/** One family's adjustment of an upheld month objection, as the deciding supervisor entered it. */
export interface PendingAdjustmentView {
  familyId: string;
  /** `何雄梅家（户号 012）`. */
  familyName: string;
  points: Tenths;
  pointsText: string;
}

export interface PendingAdjustmentsOutput {
  villageName: string;
  /**
   * Upheld month objections whose adjustments wait for a second cadre; `conflict` says why this person may not
   * confirm them (they decided it, or an adjusted family is their own).
   */
  objections: {
    objection: ObjectionView;
    decidedByName: string;
    adjustments: PendingAdjustmentView[];
    conflict: string | null;
  }[];
}

/* ---------- points: months, objections, audit ---------- */

export interface MonthActionInput {
  villageId: string;
  /** `YYYY-MM`. */
  month: string;
}

export interface MonthsStartNoticeOutput {
  month: string;
  state: 'notice';
  noticeEndsAt: string;
}

export interface MonthsLockOutput {
  month: string;
  state: 'locked';
}

export interface ObjectionsListInput {
  villageId: string;
  status?: ObjectionStatus;
  offset?: number;
}

export interface ObjectionsListOutput {
  objections: ObjectionView[];
}

export interface ObjectionsDecideInput {
  objectionId: string;
  outcome: ObjectionOutcome;
  reason: string;
  /** For an upheld objection against a month's results. */
  adjustments?: { familyId: string; points: Tenths }[];
}

export interface ObjectionsDecideOutput {
  objection: ObjectionView;
  /** Ids of the correction entries written. */
  corrections: string[];
  /** Set when a month objection's adjustments wait for a second cadre (objections.confirmAdjustments). */
  needsSecondCheck: string | null;
}

export interface AuditListInput {
  villageId: string;
  targetId?: string;
  offset?: number;
}

export interface AuditLineView {
  actorName: string;
  action: string;
  summary: string;
  onBehalfOf: string | null;
  target: { collection: string; id: string };
  at: string;
}

export interface AuditListOutput {
  trail: AuditLineView[];
}

/* ---------- points: 统计与导出 (cloudfunctions/points/reports.ts) ---------- */

export interface StatsPointsInput {
  /** The town when absent (town admins only). */
  villageId?: string;
  /** `YYYY` or `YYYY-MM`. */
  period: string;
}

export interface StatsRuleLine {
  code: string;
  title: string;
  /** Entries written under the rule in the period. */
  count: number;
  points: Tenths;
  pointsText: string;
}

export interface StatsPointsOutput {
  period: string;
  villageId: string | null;
  families: number;
  participatingFamilies: number;
  /** Percent with one decimal (42.5). */
  participationRate: number;
  pointsAwarded: Tenths;
  /** Zero or negative. */
  pointsDeducted: Tenths;
  byRule: StatsRuleLine[];
  claims: { pending: number; approved: number; rejected: number };
  boards: { red: number; black: number };
}

export interface ReportsExportInput {
  villageId: string;
  /** `YYYY-MM`. */
  month: string;
  sheet: ExportSheet;
}

export interface ReportsExportOutput {
  fileID: string;
  /** Valid for an hour. */
  tempFileURL: string;
  fileName: string;
  bytes: number;
}

/* ---------- points: the rule catalogue (cloudfunctions/points/rules.ts) ---------- */

/** `rules.check` (town admins): the normalised draft and the current version it would replace. */
export interface RulesCheckOutput {
  rule: RuleDefinition;
  replaces: RuleView | null;
}

/** A rule as a cadre drafts it: the description may be left out (empty). */
export type RuleDraftInput = Omit<RuleDefinition, 'description'> & { description?: string };

export interface RulesSaveInput extends RuleDraftInput {
  /** A village's own rule (its cadres); null or absent for the town's (town admins). */
  villageId?: string | null;
}

export interface RulesSaveOutput {
  rule: RuleView;
}

/** Short-lived download links for the evidence photos of claims the caller may see. */
export interface ClaimPhotosInput {
  claimIds: string[];
}

export interface ClaimPhotosOutput {
  /** Claim id → links, in the claim's photo order; claims the caller may not see are absent. */
  photos: Record<string, string[]>;
}

/* ---------- points: the notice board off the phone (cloudfunctions/points/notice-board.ts) ---------- */

export interface NoticePosterInput {
  villageId: string;
  /** `YYYY-MM` (a month's 公示) or `YYYY` (the year end). */
  period: string;
  /** A4 by default. */
  paper?: 'A4' | 'A3';
}

export interface NoticeExportInput {
  villageId: string;
  period: string;
  format: 'csv' | 'json';
}

export interface DisplayLinkView {
  id: string;
  /** null: the town's screen. */
  villageId: string | null;
  label: string;
  createdByName: string;
  createdAt: string;
  revokedAt: string | null;
  /** The screen's address with its token; null once revoked. */
  url: string | null;
}

export interface ScreensCreateInput {
  requestId: string;
  villageId: string | null;
  /** Where the screen hangs: `村委会大厅`. */
  label: string;
}

export interface ScreensListInput {
  villageId: string | null;
}

/* ---------- Activities with QR check-in (cloudfunctions/points/activities.ts) ---------- */

export type ActivityStatus = 'open' | 'submitted' | 'confirmed' | 'cancelled';

export interface ActivityView {
  id: string;
  villageId: string;
  villageName: string;
  title: string;
  ruleTitle: string;
  points: Tenths;
  place: string;
  startAt: string;
  endAt: string;
  /** `11月20日 09:00–11:30`. */
  timeText: string;
  capacity: number;
  allowFamily: boolean;
  status: ActivityStatus;
  statusLabel: string;
  checkedIn: number;
  signedUp: number;
  createdByName: string;
  submittedByName: string | null;
  confirmedByName: string | null;
  posted: number;
  skipped: number;
}

export interface AttendanceView {
  memberId: string;
  memberName: string;
  familyId: string;
  checkedInAt: string;
  checkedOutAt: string | null;
  via: 'scan' | 'member' | 'card';
  onBehalf: boolean;
  byName: string;
  status: 'present' | 'posted' | 'skipped';
  skipReason: string | null;
}

export interface ActivitiesCreateInput {
  requestId: string;
  villageId: string;
  title: string;
  ruleId: string;
  place: string;
  /** ISO instants. */
  startAt: string;
  endAt: string;
  capacity: number;
  allowFamily: boolean;
}

export interface ActivityOutput {
  activity: ActivityView;
}

export interface ActivitiesListInput {
  villageId: string;
  status?: ActivityStatus;
}

export interface ActivitiesListOutput {
  activities: ActivityView[];
}

export interface ActivityIdInput {
  activityId: string;
}

export interface ActivitiesGetOutput {
  activity: ActivityView;
  attendance: AttendanceView[];
  /** Whether the caller may show the code, add people and submit (the organiser, the village's cadres). */
  canOrganise: boolean;
  /** Why the caller may not confirm the list, or null when they may (a second cadre). */
  confirmConflict: string | null;
}

export interface ActivitiesCodeOutput {
  /** The text to draw as a QR code (`ZJF-CI:…`); it refreshes: fetch again after `refreshInSeconds`. */
  code: string;
  refreshInSeconds: number;
}

export interface ActivitiesCheckInInput {
  /** What wx.scanCode read. */
  code: string;
  requestId: string;
  /** Members of the caller's family checking in (the caller's own member when absent). */
  memberIds?: string[];
}

export interface ActivitiesCheckInOutput {
  activity: ActivityView;
  members: { memberId: string; memberName: string }[];
  checkedInAt: string;
}

export interface ActivitiesCheckOutInput {
  code: string;
}

export interface ActivitiesCheckOutOutput {
  activity: ActivityView;
  checkedOutAt: string;
}

export interface ActivitiesAddOnBehalfInput {
  activityId: string;
  requestId: string;
  /** A member of the village, picked from the register… */
  memberId?: string;
  /** …or the UID of the card tapped on the organiser's phone. */
  cardUid?: string;
}

export interface ActivitiesAddOnBehalfOutput {
  activity: ActivityView;
  memberName: string;
}

export interface ActivitiesMembersInput {
  activityId: string;
  /** A name or part of one, or a household number (户号); the whole village when absent. */
  query?: string;
  /** Where the page starts (`nextOffset` of the page before). */
  offset?: number;
  /** Members per page (20 when absent, at most 50). */
  limit?: number;
}

export interface ActivityMemberView {
  memberId: string;
  name: string;
  relation: string;
  householdNumber: string;
  headName: string;
  /** Already checked in to this activity. */
  checkedIn: boolean;
}

export interface ActivitiesMembersOutput {
  members: ActivityMemberView[];
  /** The offset of the next page, or null when this is the last. */
  nextOffset: number | null;
}

export interface ActivitiesConfirmOutput {
  activity: ActivityView;
  /** Entries posted and members left out (cap reached) by this call, and attendances still to post (call again). */
  posted: number;
  skipped: number;
  remaining: number;
}

export type ActivitiesMineInput = Record<string, never>;

export interface MyActivityView extends ActivityView {
  signedUpByMe: boolean;
  checkedInByMe: boolean;
}

export interface ActivitiesMineOutput {
  villageName: string;
  upcoming: MyActivityView[];
  /** The family's attendance, newest first, with the activity's name. */
  attended: {
    activityId: string;
    activityTitle: string;
    memberName: string;
    checkedInAt: string;
    checkedOutAt: string | null;
    status: 'present' | 'posted' | 'skipped';
    points: Tenths;
  }[];
}

export interface ActivitiesStatsInput {
  villageId: string;
  /** `YYYY`. */
  year: string;
}

export interface StatsLine {
  attendance: number;
  points: Tenths;
  households: number;
}

export interface ActivitiesStatsOutput {
  villageName: string;
  year: string;
  activities: (StatsLine & { activityId: string; title: string; timeText: string })[];
  rules: (StatsLine & { code: string; title: string })[];
}

/* ---------- The points year (cloudfunctions/points/points-year.ts) ---------- */

export type PointsYearPolicyView =
  { kind: 'keep' } | { kind: 'expire'; years: number } | { kind: 'reset'; date: string };

export interface PointsYearSetInput {
  villageId: string;
  policy: PointsYearPolicyView;
}

export interface PointsYearStatusInput {
  villageId: string;
}

export interface PointsYearStatusOutput {
  villageName: string;
  policy: PointsYearPolicyView;
  policyText: string;
  /** The next expiry (ISO) and what families were told so far; null for `keep`. */
  nextExpiry: string | null;
  noticedFamilies: number;
  noticedPoints: Tenths;
  /** Past expiries, newest first. */
  runs: { expiresAt: string; expiredFamilies: number; expiredPoints: Tenths; done: boolean }[];
  archives: {
    year: string;
    families: number;
    earned: Tenths;
    top: { familyName: string; earned: Tenths; rank: number }[];
  }[];
}

export interface PointsYearRunOutput {
  /** Whether everything due is done (false: the next run continues where this one stopped). */
  done: boolean;
  noticed: number;
  expired: number;
  archived: number;
}

export interface PointsApi {
  'rules.list': { input: RulesListInput; output: RulesListOutput };
  'home.get': { input: HomeGetInput; output: HomeGetOutput };
  'ledger.list': { input: LedgerListInput; output: LedgerListOutput };
  'ranking.list': { input: RankingListInput; output: RankingListOutput };
  'boards.list': { input: BoardsListInput; output: BoardsListOutput };
  'claims.submit': { input: ClaimsSubmitInput; output: ClaimOutput };
  'claims.mine': { input: ClaimsMineInput; output: ClaimsMineOutput };
  'claims.withdraw': { input: ClaimsWithdrawInput; output: ClaimOutput };
  'objections.raise': { input: ObjectionsRaiseInput; output: ObjectionOutput };
  'objections.mine': { input: ObjectionsMineInput; output: ObjectionsMineOutput };
  'objections.get': { input: ObjectionsGetInput; output: ObjectionsGetOutput };
  'months.list': { input: MonthsListInput; output: MonthsListOutput };
  'review.queue': { input: ReviewQueueInput; output: ReviewQueueOutput };
  'claims.photos': { input: ClaimPhotosInput; output: ClaimPhotosOutput };
  'review.townQueue': { input: ReviewTownQueueInput; output: ReviewTownQueueOutput };
  'review.approve': { input: ReviewApproveInput; output: ReviewDecideOutput };
  'review.reject': { input: ReviewRejectInput; output: ReviewDecideOutput };
  'review.bulkStart': { input: ReviewBulkStartInput; output: JobProgress };
  'review.bulkNext': { input: JobNextInput; output: JobProgress };
  'records.create': { input: RecordsCreateInput; output: RecordsCreateOutput };
  'boards.publish': { input: BoardsPublishInput; output: BoardsPublishOutput };
  'boards.pending': { input: BoardsPendingInput; output: BoardsPendingOutput };
  'boards.confirm': { input: BoardsConfirmInput; output: BoardsConfirmOutput };
  'months.startNotice': { input: MonthActionInput; output: MonthsStartNoticeOutput };
  'months.lock': { input: MonthActionInput; output: MonthsLockOutput };
  'objections.list': { input: ObjectionsListInput; output: ObjectionsListOutput };
  'objections.decide': { input: ObjectionsDecideInput; output: ObjectionsDecideOutput };
  'objections.confirmAdjustments': { input: ObjectionsConfirmInput; output: ObjectionsConfirmOutput };
  'objections.pendingAdjustments': { input: PendingAdjustmentsInput; output: PendingAdjustmentsOutput };
  'audit.list': { input: AuditListInput; output: AuditListOutput };
  'stats.points': { input: StatsPointsInput; output: StatsPointsOutput };
  'reports.export': { input: ReportsExportInput; output: ReportsExportOutput };
  'notice.poster': { input: NoticePosterInput; output: ReportsExportOutput };
  'notice.export': { input: NoticeExportInput; output: ReportsExportOutput };
  'screens.create': { input: ScreensCreateInput; output: { link: DisplayLinkView } };
  'screens.list': { input: ScreensListInput; output: { links: DisplayLinkView[] } };
  'screens.revoke': { input: { linkId: string }; output: { link: DisplayLinkView } };
  'rules.check': { input: RuleDraftInput; output: RulesCheckOutput };
  'rules.save': { input: RulesSaveInput; output: RulesSaveOutput };
  'activities.create': { input: ActivitiesCreateInput; output: ActivityOutput };
  'activities.list': { input: ActivitiesListInput; output: ActivitiesListOutput };
  'activities.get': { input: ActivityIdInput; output: ActivitiesGetOutput };
  'activities.code': { input: ActivityIdInput; output: ActivitiesCodeOutput };
  'activities.signUp': { input: ActivityIdInput; output: ActivityOutput };
  'activities.checkIn': { input: ActivitiesCheckInInput; output: ActivitiesCheckInOutput };
  'activities.checkOut': { input: ActivitiesCheckOutInput; output: ActivitiesCheckOutOutput };
  'activities.members': { input: ActivitiesMembersInput; output: ActivitiesMembersOutput };
  'activities.addOnBehalf': { input: ActivitiesAddOnBehalfInput; output: ActivitiesAddOnBehalfOutput };
  'activities.submit': { input: ActivityIdInput; output: ActivityOutput };
  'activities.confirm': { input: ActivityIdInput; output: ActivitiesConfirmOutput };
  'activities.mine': { input: ActivitiesMineInput; output: ActivitiesMineOutput };
  'activities.stats': { input: ActivitiesStatsInput; output: ActivitiesStatsOutput };
  'pointsYear.set': { input: PointsYearSetInput; output: PointsYearStatusOutput };
  'pointsYear.status': { input: PointsYearStatusInput; output: PointsYearStatusOutput };
  'pointsYear.run': { input: Record<string, never>; output: PointsYearRunOutput };
}
