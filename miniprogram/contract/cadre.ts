/**
 * Contract of the actions the cadre and supervisor side calls (`points` and `accounts`) that the villager
 * contract does not list yet. Types only; dates arrive as ISO strings. Shapes read from the handlers in
 * cloudfunctions/points/{claims,boards,objections}.ts and cloudfunctions/accounts/index.ts.
 */
import type { RoleGrantView, RoleName } from './accounts';
import type { BoardKind, BoardView, ClaimView, ObjectionStatus, ObjectionView } from './points';
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
  csv?: string;
  rows?: string[][];
  /** An .xlsx/.csv uploaded under `imports/<openid>/`. */
  fileId?: string;
}

export interface FamiliesImportOutput {
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

export interface CadrePointsApi {
  'review.queue': { input: ReviewQueueInput; output: ReviewQueueOutput };
  'review.approve': { input: ReviewApproveInput; output: ReviewDecideOutput };
  'review.reject': { input: ReviewRejectInput; output: ReviewDecideOutput };
  'records.create': { input: RecordsCreateInput; output: RecordsCreateOutput };
  'boards.publish': { input: BoardsPublishInput; output: BoardsPublishOutput };
  'months.startNotice': { input: MonthActionInput; output: MonthsStartNoticeOutput };
  'months.lock': { input: MonthActionInput; output: MonthsLockOutput };
  'objections.list': { input: ObjectionsListInput; output: ObjectionsListOutput };
  'objections.decide': { input: ObjectionsDecideInput; output: ObjectionsDecideOutput };
  'audit.list': { input: AuditListInput; output: AuditListOutput };
}

export interface CadreAccountsApi {
  'families.list': { input: FamiliesListInput; output: FamiliesListOutput };
  'families.import': { input: FamiliesImportInput; output: FamiliesImportOutput };
  'invites.create': { input: InvitesCreateInput; output: InvitesCreateOutput };
  'roles.grant': { input: RoleChangeInput; output: RoleChangeOutput };
  'roles.revoke': { input: RoleChangeInput; output: RoleChangeOutput };
  'roles.list': { input: RolesListInput; output: RolesListOutput };
}

export interface CadreApi {
  points: CadrePointsApi;
  accounts: CadreAccountsApi;
}
