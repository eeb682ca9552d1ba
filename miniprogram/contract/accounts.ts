/**
 * Contract of the `accounts` cloud function, the actions the villager side calls: who am I, my family,
 * linking WeChat with an invite code, and the town's villages. Types only; dates arrive as ISO strings.
 */
import type { RoleGrant, RoleName } from '../core/access';
import type { NameDisplay } from '../core/names';

export type { RoleName };

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
  settings: { nameDisplay: NameDisplay; noticeDays: number };
  groups: { id: string; name: string }[];
}

export interface VillagesListOutput {
  villages: VillageView[];
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
}
