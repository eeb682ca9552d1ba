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

export interface ScopeVillage {
  id: string;
  name: string;
  groups: { id: string; name: string }[];
}

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

interface ScopePage {
  setData(data: Record<string, unknown>): void;
}

/**
 * Opens a cadre page on the villages `wanted` roles reach: 'loading' (with `loading`'s extra keys), then
 * 'error' when the scope cannot be loaded, 'forbidden' when it reaches no village, or the village picker at its
 * first village. Keeps the villages in `hidden` (unless the load failed); returns the scope when there is a
 * village to load.
 */
export async function openVillages(
  page: ScopePage,
  hidden: { villages: ScopeVillage[] },
  wanted: readonly RoleName[],
  loading: Record<string, unknown> = {},
): Promise<Scope | null> {
  page.setData({ status: 'loading', errorMessage: '', ...loading });
  const result = await loadScope(wanted);
  if (!result.ok) {
    page.setData({ status: 'error', errorMessage: result.error.message });
    return null;
  }
  hidden.villages = result.scope.villages;
  if (result.scope.villages.length === 0) {
    page.setData({ status: 'forbidden' });
    return null;
  }
  page.setData({ villageNames: result.scope.villages.map((v) => v.name), villageIndex: 0 });
  return result.scope;
}
