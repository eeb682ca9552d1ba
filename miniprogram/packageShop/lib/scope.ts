/**
 * Which shops and villages the signed-in person works for, from `session.me` roles: a shop clerk the shops of
 * their grants (scope kind 'shop'); a village cadre the shops their village runs and the village itself; a town
 * admin every shop and village.
 */
import type { RoleGrantView, VillageView } from '../../contract/accounts';
import { cadreVillageIds, canManageShopRoles, isClerkOfRoles, isTownAdminRole } from '../../core/access';
import type { ShopView } from '../../contract/shop';
import type { ErrorBody } from '../../core/envelope';
import { call } from '../../services/client';
import { getSession } from '../../services/session';

export interface Named {
  id: string;
  name: string;
}

// The role rules are core/access's, the same the functions enforce: pages only hide what the server would refuse.
const isTownAdmin = isTownAdminRole;
const cadreVillages = cadreVillageIds;

/** Shops where the person is a clerk (the counter). */
export function clerkShops(roles: readonly RoleGrantView[], shops: readonly ShopView[]): Named[] {
  return shops.filter((s) => isClerkOfRoles(roles, s.id)).map(({ id, name }) => ({ id, name }));
}

/** Shops the person may keep goods for: their clerk shops, the shops their village runs, all for a town admin. */
export function staffShops(roles: readonly RoleGrantView[], shops: readonly ShopView[]): Named[] {
  const clerk = new Set(clerkShops(roles, shops).map((s) => s.id));
  const villages = cadreVillages(roles);
  const all = isTownAdmin(roles);
  return shops
    .filter((s) => all || clerk.has(s.id) || villages.has(s.villageId))
    .map(({ id, name }) => ({ id, name }));
}

/** Shops the person manages (goods.save on the server): the shops their village runs, all for a town admin. */
export function managerShops(roles: readonly RoleGrantView[], shops: readonly ShopView[]): Named[] {
  return shops.filter((s) => canManageShopRoles(roles, s)).map(({ id, name }) => ({ id, name }));
}

/** Villages the person coordinates (wishes) or keeps the fund for: their cadre villages, all for a town admin. */
export function cadreVillageList(roles: readonly RoleGrantView[], villages: readonly VillageView[]): Named[] {
  const mine = cadreVillages(roles);
  const all = isTownAdmin(roles);
  return villages.filter((v) => all || mine.has(v.id)).map(({ id, name }) => ({ id, name }));
}

export type Loaded<T> = { ok: true; items: Named[]; extra: T } | { ok: false; error: ErrorBody };

/** The session and the town's shops, narrowed by `pick`. */
export async function loadShops(
  pick: (roles: readonly RoleGrantView[], shops: readonly ShopView[]) => Named[],
): Promise<Loaded<{ townAdmin: boolean }>> {
  const [session, shops] = await Promise.all([getSession(), call('shop', 'shops.list', {})]);
  if (!session.ok) return { ok: false, error: session.error };
  if (!shops.ok) return { ok: false, error: shops.error };
  return {
    ok: true,
    items: pick(session.data.roles, shops.data.shops),
    extra: { townAdmin: isTownAdmin(session.data.roles) },
  };
}

/** The session and the villages the person works for as a cadre (or all, as town admin). */
export async function loadVillages(): Promise<Loaded<{ townAdmin: boolean }>> {
  const [session, villages] = await Promise.all([getSession(), call('accounts', 'villages.list', {})]);
  if (!session.ok) return { ok: false, error: session.error };
  if (!villages.ok) return { ok: false, error: villages.error };
  return {
    ok: true,
    items: cadreVillageList(session.data.roles, villages.data.villages),
    extra: { townAdmin: isTownAdmin(session.data.roles) },
  };
}

interface PickerPage {
  setData(data: Record<string, unknown>): void;
}

/**
 * Opens a page on the villages the person works for: 'loading', then 'error' when they cannot be loaded,
 * 'forbidden' when there are none, or 'ready' with the village picker at its first village (plus `ready`'s extra
 * keys). Keeps the villages in `hidden`; returns whether the person is a town admin, or null when nothing opened.
 */
export async function openVillagePicker(
  page: PickerPage,
  hidden: { villages: Named[] },
  ready: (scope: { townAdmin: boolean }) => Record<string, unknown> = () => ({}),
): Promise<{ townAdmin: boolean } | null> {
  page.setData({ status: 'loading', errorMessage: '' });
  const result = await loadVillages();
  if (!result.ok) {
    page.setData({ status: 'error', errorMessage: result.error.message });
    return null;
  }
  hidden.villages = result.items;
  if (result.items.length === 0) {
    page.setData({ status: 'forbidden' });
    return null;
  }
  page.setData({
    status: 'ready',
    villageNames: result.items.map((v) => v.name),
    villageIndex: 0,
    ...ready(result.extra),
  });
  return result.extra;
}
