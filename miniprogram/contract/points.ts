/**
 * Contract of the `points` cloud function: action names with their input and output types.
 * Types only. The function validates inputs with zod schemas that must accept exactly these shapes
 * (test/functions checks the pair), and the mini-program's typed client reads them.
 */
import type { RuleCap, RuleCategory } from '../core/catalogue';
import type { Tenths } from '../core/points';

export interface RuleView {
  /** Stored rule id (the latest version's id). */
  id: string;
  code: string;
  category: RuleCategory;
  aspect: string;
  title: string;
  description: string;
  points: Tenths;
  selfClaim: boolean;
  photosRequired: boolean;
  cap: RuleCap | null;
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

export type EntryKind = 'award' | 'deduction' | 'board' | 'redemption' | 'reversal' | 'adjustment' | 'expiry';

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

export type RankingScope = 'village' | 'town';

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

export type BoardKind = 'red' | 'black';

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
  status: 'pending' | 'published' | 'withdrawn';
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

export type ClaimStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface ClaimView {
  id: string;
  kind: 'claim' | 'record';
  memberId: string;
  memberName: string;
  familyId: string;
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

export type ObjectionTargetType = 'entry' | 'claim' | 'board' | 'month';
export type ObjectionStatus = 'open' | 'upheld' | 'dismissed';

export interface ObjectionView {
  id: string;
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
        status: 'pending' | 'published' | 'withdrawn';
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
  state: 'open' | 'notice' | 'locked';
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
