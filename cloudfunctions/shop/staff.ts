/** Who may act for a shop: its clerks, and the cadres (or the town admin) who manage it. */
import { canManageShopRoles, isClerkOfRoles } from '../../miniprogram/core/access';
import type { Caller } from '../common/caller';
import { ForbiddenError } from '../common/errors';
import { COLLECTIONS, type ShopDoc } from '../common/model';
import { getExisting } from '../common/data';

export function loadShop(shopId: string): Promise<ShopDoc> {
  return getExisting<ShopDoc>(COLLECTIONS.shops, shopId, '找不到该超市');
}

export function isClerkOf(caller: Caller, shopId: string): boolean {
  return isClerkOfRoles(caller.roles, shopId);
}

export function requireClerk(caller: Caller, shopId: string): void {
  if (!isClerkOf(caller, shopId)) throw new ForbiddenError('您不是本超市的收银员', { reason: 'NOT_CLERK' });
}

/** The shop's managers: town admins and the cadres of the village that runs it. */
export function canManageShop(caller: Caller, shop: ShopDoc): boolean {
  return canManageShopRoles(caller.roles, shop);
}

export function requireShopStaff(caller: Caller, shop: ShopDoc): void {
  if (!isClerkOf(caller, shop._id) && !canManageShop(caller, shop))
    throw new ForbiddenError('您不是本超市的收银员或管理人员');
}
