/**
 * Contract of the `accounts` cloud function (who am I, families and households, invites, roles, the town's
 * setup and villages): action names with their input and output types (`AccountsApi` at the end), and the
 * lists they use. Pure TypeScript, read by the mini-program and checked against the handlers (see
 * miniprogram/contract/points.ts). Dates arrive as ISO strings.
 */
import type { RoleGrant, RoleName } from '../core/access';
import { ROLE_NAMES } from '../core/access';
import type { NameDisplay } from '../core/names';
import type { Tenths } from '../core/points';
import type { IntegritySettings } from '../core/policy';
import type { JobNextInput, JobProgress } from './jobs';

export { ROLE_NAMES, type RoleName };
export { NAME_DISPLAYS } from '../core/names';
/** The roles a person is granted (everyone linked to a family is a villager already). */
export const GRANTABLE_ROLES = ROLE_NAMES.filter(
  (role): role is Exclude<RoleName, 'villager'> => role !== 'villager',
);

export interface RoleGrantView extends RoleGrant {
  /** `村民`, `组长` … */
  label: string;
}

export type EmptyInput = Record<string, never>;

export interface SessionMeOutput {
  openid: string;
  name: string | null;
  memberId: string | null;
  familyId: string | null;
  villageId: string | null;
  roles: RoleGrantView[];
}

export interface FamiliesGetInput {
  /** Another family (cadres only); the caller's own when absent. */
  familyId?: string;
}

export interface FamilyMemberView {
  id: string;
  name: string;
  /** 户主, 配偶, 子女 … */
  relation: string;
  partyMember: boolean;
  /** Whether a WeChat user is linked to this member. */
  linked: boolean;
  isMe: boolean;
  /** Only for cadres who manage the village. */
  openid?: string | null;
}

export interface FamiliesGetOutput {
  family: {
    id: string;
    householdNumber: string;
    headName: string;
    address: string;
    villageId: string;
    groupId: string;
    available: number;
    suspendedUntil: string | null;
    /** The family's consent to its full name on the red board; null or absent: none (the red board masks it). */
    redBoardConsent?: { at: string; byName: string } | null;
  };
  members: FamilyMemberView[];
}

export interface InvitesRedeemInput {
  /** 8 letters or digits. */
  code: string;
}

export interface InvitesRedeemOutput {
  memberId: string;
  familyId: string;
}

export interface VillageView {
  id: string;
  name: string;
  settings: {
    nameDisplay: NameDisplay;
    noticeDays: number;
    /** Cards bound before card tokens are still accepted at the counter (absent: no, core/policy's default). */
    allowTokenlessCards?: boolean;
  };
  groups: { id: string; name: string }[];
}

export interface VillagesListOutput {
  /** null before the town is set up. */
  town: { id: string; name: string } | null;
  villages: VillageView[];
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

export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

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

/* ---------- accounts: the town's first-time setup ---------- */

export interface VillageSettingsInput extends Partial<IntegritySettings> {
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

export interface AccountsApi {
  'session.me': { input: EmptyInput; output: SessionMeOutput };
  'families.get': { input: FamiliesGetInput; output: FamiliesGetOutput };
  'invites.redeem': { input: InvitesRedeemInput; output: InvitesRedeemOutput };
  'families.setRedBoardConsent': {
    input: { consent: boolean };
    output: { redBoardConsent: { at: string; byName: string } | null };
  };
  'villages.list': { input: EmptyInput; output: VillagesListOutput };
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
