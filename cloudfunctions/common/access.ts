/**
 * Who may do what, where. Roles are scoped (a cadre of one village is nobody in another); a town admin's
 * scope is the whole town. A supervisor reads everything in the village but never awards points.
 */
import {
  canDecideObjectionsRoles,
  canManageVillageRoles,
  canOverseeVillageRoles,
  canRecordForGroupRoles,
  holdsInVillage as holdsInVillageRoles,
  isTownAdminRole,
} from '../../miniprogram/core/access';
import type { Caller, CallerProfile, RoleName } from './caller';
import { getById } from './data';
import { townId } from './env';
import { ForbiddenError } from './errors';
import { COLLECTIONS, type MemberDoc, type UserDoc } from './model';

/** Loads the caller's profile from `users` (one read). */
export async function loadProfile(openid: string): Promise<CallerProfile | null> {
  return profileOf(await getById<UserDoc>(COLLECTIONS.users, openid));
}

/**
 * The caller's profile from their `users` document, however it was read: by the router, or by an action that
 * reads it within its own single request (`profile: 'handler'` in common/router.ts).
 */
export function profileOf(user: UserDoc | null | undefined): CallerProfile | null {
  if (!user) return null;
  return {
    name: user.name,
    memberId: user.memberId,
    familyId: user.familyId,
    villageId: user.villageId,
    groupId: null,
    roles: user.roles ?? [],
  };
}

// The rules themselves live in core/access (shared with the pages); these apply them to the caller.

export function isTownAdmin(caller: Caller): boolean {
  return isTownAdminRole(caller.roles);
}

/** Whether the caller holds `role` for this village (a group leader's groups belong to their village). */
export function holdsInVillage(caller: Caller, role: RoleName, villageId: string): boolean {
  return holdsInVillageRoles(caller.roles, role, villageId);
}

/** Village cadres of this village, and town admins, may manage it. */
export function canManageVillage(caller: Caller, villageId: string): boolean {
  return canManageVillageRoles(caller.roles, villageId);
}

/** Who may record points for a group: its group leader, the village's cadres, town admins. */
export function canRecordForGroup(caller: Caller, villageId: string, groupId: string): boolean {
  return canRecordForGroupRoles(caller.roles, villageId, groupId);
}

/** Who may read everything in a village: its cadres, its supervisors, town admins. */
export function canOverseeVillage(caller: Caller, villageId: string): boolean {
  return canOverseeVillageRoles(caller.roles, villageId);
}

export function requireManage(caller: Caller, villageId: string): void {
  if (!canManageVillage(caller, villageId))
    throw new ForbiddenError('您不是本村（社区）的干部，不能执行此操作');
}

export function requireOversee(caller: Caller, villageId: string): void {
  if (!canOverseeVillage(caller, villageId)) throw new ForbiddenError('您没有查看本村（社区）此项信息的权限');
}

/**
 * Whose statistics the caller may read: a village's (its overseers), or with no village the whole town's (town
 * admins only); answered as the documents' condition for that scope.
 */
export function requireStatsScope(
  caller: Caller,
  villageId: string | undefined,
): { villageId: string } | { townId: string } {
  if (villageId) requireOversee(caller, villageId);
  else if (!isTownAdmin(caller)) throw new ForbiddenError('只有镇管理员可以查看全镇统计');
  return villageId ? { villageId } : { townId: townId() };
}

export function requireSupervisor(caller: Caller, villageId: string): void {
  if (!canDecideObjectionsRoles(caller.roles, villageId)) {
    throw new ForbiddenError('只有本村（社区）的积分监督小队成员可以处理异议');
  }
}

/**
 * The caller's own family for a request on behalf of `memberId`: the caller, or another member of their family
 * (one read); anyone else is refused with `refusal` (FORBIDDEN, reason NOT_OWN_MEMBER).
 */
export async function requireOwnMember(
  caller: Caller,
  memberId: string | undefined,
  refusal: string,
): Promise<{ familyId: string; memberId: string; villageId: string }> {
  const mine = requireFamily(caller);
  if (memberId && memberId !== mine.memberId) {
    const member = await getById<MemberDoc>(COLLECTIONS.members, memberId);
    if (!member || member.familyId !== mine.familyId)
      throw new ForbiddenError(refusal, { reason: 'NOT_OWN_MEMBER' });
  }
  return mine;
}

/** The caller's own family, or a clear refusal when their WeChat isn't linked to a member yet. */
export function requireFamily(caller: Caller): { familyId: string; memberId: string; villageId: string } {
  const p = caller.profile;
  if (!p?.familyId || !p.memberId || !p.villageId) {
    throw new ForbiddenError('请先在“家庭”页面用邀请码绑定您的家庭', { reason: 'NOT_LINKED' });
  }
  return { familyId: p.familyId, memberId: p.memberId, villageId: p.villageId };
}
