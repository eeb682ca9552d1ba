/**
 * Which villages (and groups) the signed-in person works for, from `session.me` roles and `villages.list`:
 * a village cadre or supervisor their village, a group leader their group's village (and only that group),
 * a town admin every village.
 */
import type { RoleGrantView, RoleName, SessionMeOutput, VillageView } from '../../contract/accounts';
import { holdsInVillage, isTownAdminRole } from '../../core/access';
import type { ErrorBody } from '../../core/envelope';
import { call } from '../../services/client';
import { getSession } from '../../services/session';
import type { ScopeVillage, VillagesLoad } from '../../behaviors/village-scope';

export type { ScopeVillage };

export interface Scope {
  session: SessionMeOutput;
  villages: ScopeVillage[];
}

/** The villages `roles` reach for the given role names, each with the groups the person may work in. */
export function villagesFor(
  roles: readonly RoleGrantView[],
  wanted: readonly RoleName[],
  villages: readonly VillageView[],
): ScopeVillage[] {
  // The role rules are core/access's, the same the functions enforce: pages only hide what the server refuses.
  const held = roles.filter((grant) => wanted.includes(grant.role));
  if (isTownAdminRole(held)) return villages.map((v) => ({ id: v.id, name: v.name, groups: v.groups }));
  const result: ScopeVillage[] = [];
  for (const village of villages) {
    if (!wanted.some((role) => holdsInVillage(held, role, village.id))) continue;
    const wholeVillage = held.some((g) => g.scope.kind === 'village' && g.scope.id === village.id);
    const groups = wholeVillage
      ? village.groups
      : village.groups.filter((g) =>
          held.some((grant) => grant.scope.kind === 'group' && grant.scope.id === g.id),
        );
    result.push({ id: village.id, name: village.name, groups });
  }
  return result;
}

export type ScopeResult = { ok: true; scope: Scope } | { ok: false; error: ErrorBody };

/** Loads the session and the town's villages, narrowed to what `wanted` roles reach. */
export async function loadScope(wanted: readonly RoleName[]): Promise<ScopeResult> {
  const [session, villages] = await Promise.all([getSession(), call('accounts', 'villages.list', {})]);
  if (!session.ok) return { ok: false, error: session.error };
  if (!villages.ok) return { ok: false, error: villages.error };
  return {
    ok: true,
    scope: {
      session: session.data,
      villages: villagesFor(session.data.roles, wanted, villages.data.villages),
    },
  };
}

/** Whether the person holds any of `wanted` (anywhere). */
export function holdsAny(roles: readonly RoleGrantView[], wanted: readonly RoleName[]): boolean {
  return roles.some((grant) => wanted.includes(grant.role));
}

/** The villages `wanted` roles reach, for behaviors/village-scope's `openVillageScope`. */
export function villagesReaching(wanted: readonly RoleName[]): () => Promise<VillagesLoad> {
  return async () => {
    const result = await loadScope(wanted);
    if (!result.ok) return result;
    const { session, villages } = result.scope;
    return { ok: true, villages, townAdmin: isTownAdminRole(session.roles), openid: session.openid };
  };
}
