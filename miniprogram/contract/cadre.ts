/**
 * Contract of the actions the cadre and supervisor side calls (`points` and `accounts`) that the villager
 * contract does not list yet. Types only; dates arrive as ISO strings. Shapes read from the handlers in
 * cloudfunctions/points/{claims,boards,objections}.ts and cloudfunctions/accounts/index.ts.
 */
import type { RoleGrantView, RoleName, VillageView } from './accounts';
import type { BoardKind, BoardView, ClaimView, ObjectionStatus, ObjectionView, RuleView } from './points';
import type { RuleDefinition } from '../core/catalogue';
import type { NameDisplay } from '../core/names';
import type { Tenths } from '../core/points';

/* ---------- points: review ---------- */

export interface ReviewQueueInput {
  villageId: string;
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

/** What happened to one item of a bulk job (a household of an import, a claim of a bulk approval). */
export interface JobOutcome {
  /** The household number, or the claim id. */
  key: string;
  /** The household (`<head>家`), or the member and the rule; empty when the claim could not be read. */
  label: string;
  ok: boolean;
  /** 已导入 / 已通过, or why not. */
  message: string;
  members?: number;
}

/** A bulk job's progress after a chunk: call `…Next` with `jobId` until `finished`. */
export interface JobProgress {
  jobId: string;
  total: number;
  done: number;
  finished: boolean;
  succeeded: number;
  failed: number;
  /** The outcomes of the chunk just done. */
  outcomes: JobOutcome[];
}

/** Approves many claims in chunks: the listed ones, or every pending claim of the village (at most 1,000). */
export interface ReviewBulkStartInput {
  requestId: string;
  villageId: string;
  claimIds?: string[];
}

export interface JobNextInput {
  jobId: string;
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
  outcome: 'upheld' | 'dismissed';
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

/* ---------- accounts: households, invites, roles ---------- */

export interface FamiliesListInput {
  villageId: string;
  groupId?: string;
  /** Pages of 50. */
  offset?: number;
}

export interface FamilySummaryView {
  id: string;
  householdNumber: string;
  headName: string;
  groupId: string;
  available: Tenths;
  suspendedUntil: string | null;
}

export interface FamiliesListOutput {
  families: FamilySummaryView[];
}

/** Exactly one of `csv`, `rows`, `fileId`; row problems come back in `error.details.issues` ({path: '第3行'}). */
export interface FamiliesImportInput {
  villageId: string;
  /** The page's id for this import: a retried call returns the same job. */
  requestId?: string;
  csv?: string;
  rows?: string[][];
  /** An .xlsx/.csv uploaded under `imports/<openid>/`. */
  fileId?: string;
}

/** The import job after its first chunk (`families.importNext` for the rest): households and members imported so far. */
export interface FamiliesImportOutput extends JobProgress {
  families: number;
  members: number;
}

export interface InvitesCreateInput {
  memberId: string;
}

export interface InvitesCreateOutput {
  /** 8 letters or digits. */
  code: string;
  memberName: string;
  expiresAt: string;
}

export type GrantableRole = Exclude<RoleName, 'villager'>;

export interface RoleChangeInput {
  memberId: string;
  role: GrantableRole;
  /** The group, village or shop the role covers (the member's own group/village when absent). */
  scopeId?: string;
}

export interface RoleChangeOutput {
  memberId: string;
  roles: RoleGrantView[];
  by: string;
}

export interface RolesListInput {
  villageId: string;
}

export interface RolesListOutput {
  people: { name: string; memberId: string | null; roles: RoleGrantView[] }[];
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

export type ExportSheet = 'ledger' | 'ranking' | 'notice';

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

export interface RulesSaveInput extends RuleDefinition {
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

export interface CadrePointsApi {
  'review.queue': { input: ReviewQueueInput; output: ReviewQueueOutput };
  'claims.photos': { input: ClaimPhotosInput; output: ClaimPhotosOutput };
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
  'audit.list': { input: AuditListInput; output: AuditListOutput };
  'stats.points': { input: StatsPointsInput; output: StatsPointsOutput };
  'reports.export': { input: ReportsExportInput; output: ReportsExportOutput };
  'rules.check': { input: RuleDefinition; output: RulesCheckOutput };
  'rules.save': { input: RulesSaveInput; output: RulesSaveOutput };
}

/* ---------- accounts: the town's first-time setup ---------- */

export interface VillageSettingsInput {
  nameDisplay?: NameDisplay;
  /** 1 to 30 days of 公示. */
  noticeDays?: number;
}

export interface TownSetupVillageInput {
  /** An existing village's id (kept); new villages get one from the server. */
  id?: string;
  name: string;
  /** 1 to 50 group names. */
  groups: string[];
  settings?: VillageSettingsInput;
}

export interface TownSetupInput {
  name: string;
  villages: TownSetupVillageInput[];
}

export interface TownSetupOutput {
  townId: string;
  villages: { id: string; name: string; groups: { id: string; name: string }[] }[];
  /** Default catalogue rules added this time (0 when they were already there). */
  seededRules: number;
}

export interface VillagesUpdateSettingsInput {
  villageId: string;
  settings: VillageSettingsInput;
}

export interface VillagesUpdateSettingsOutput {
  villageId: string;
  settings: VillageView['settings'];
}

export interface CadreAccountsApi {
  'families.list': { input: FamiliesListInput; output: FamiliesListOutput };
  'families.import': { input: FamiliesImportInput; output: FamiliesImportOutput };
  'families.importNext': { input: JobNextInput; output: FamiliesImportOutput };
  'invites.create': { input: InvitesCreateInput; output: InvitesCreateOutput };
  'roles.grant': { input: RoleChangeInput; output: RoleChangeOutput };
  'roles.revoke': { input: RoleChangeInput; output: RoleChangeOutput };
  'roles.list': { input: RolesListInput; output: RolesListOutput };
  'town.setup': { input: TownSetupInput; output: TownSetupOutput };
  'villages.updateSettings': { input: VillagesUpdateSettingsInput; output: VillagesUpdateSettingsOutput };
}

/* ---------- shop: statistics and the family report (cloudfunctions/shop/yearend.ts) ---------- */

export interface ShopStatsInput {
  /** The town when absent (town admins only). */
  villageId?: string;
  /** `YYYY` or `YYYY-MM`. */
  period: string;
}

export interface ShopStatsOutput {
  period: string;
  villageId: string | null;
  orders: number;
  familiesRedeemed: number;
  villagersRedeemed: number;
  pointsRedeemed: Tenths;
  /** Goods at cost, in fen. */
  goodsValueFen: number;
  /** 心愿 services fulfilled. */
  servicesDone: number;
  servicePoints: Tenths;
}

export interface FamilyReportInput {
  /** The caller's own family when absent. */
  familyId?: string;
}

export interface FamilyReportOutput {
  familyId: string;
  /** `王建国家`. */
  familyName: string;
  available: Tenths;
  years: { year: string; earned: Tenths; months: { month: string; earned: Tenths }[] }[];
  boards: { board: BoardKind; title: string; date: string; points: Tenths }[];
  championTitles: { year: string; rank: number; amountFen: number }[];
}

export interface CadreShopApi {
  'stats.get': { input: ShopStatsInput; output: ShopStatsOutput };
  'report.family': { input: FamilyReportInput; output: FamilyReportOutput };
}

export interface CadreApi {
  points: CadrePointsApi;
  accounts: CadreAccountsApi;
  shop: CadreShopApi;
}
