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
import type { VillagesLoad } from '../../behaviors/village-scope';

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

interface DataPage {
  setData(data: Record<string, unknown>): void;
}

/**
 * The page's shop picker (`shopNames`, the first shop chosen) over `shops`, and 'ready' with the page's `also`
 * keys; 'forbidden' when the person has no shop here. Whether the page opened.
 */
export function openShopPicker(
  page: DataPage,
  shops: readonly Named[],
  also: Record<string, unknown> = {},
): boolean {
  if (shops.length === 0) {
    page.setData({ status: 'forbidden' });
    return false;
  }
  page.setData({ status: 'ready', shopNames: shops.map((s) => s.name), shopIndex: 0, ...also });
  return true;
}

/** The villages the person works for as a cadre (all for a town admin), for `openVillageScope`. */
export async function cadreVillagesLoad(): Promise<VillagesLoad> {
  const [session, villages] = await Promise.all([getSession(), call('accounts', 'villages.list', {})]);
  if (!session.ok) return { ok: false, error: session.error };
  if (!villages.ok) return { ok: false, error: villages.error };
  const mine = new Set(cadreVillageList(session.data.roles, villages.data.villages).map((v) => v.id));
  return {
    ok: true,
    villages: villages.data.villages
      .filter((v) => mine.has(v.id))
      .map(({ id, name, groups }) => ({ id, name, groups })),
    townAdmin: isTownAdmin(session.data.roles),
    openid: session.data.openid,
  };
}
