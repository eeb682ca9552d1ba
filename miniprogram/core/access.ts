/**
 * Who may do what, where: the one set of role rules, used by the functions (which enforce them) and by the pages
 * (which only hide what the server would refuse). Roles are scoped: a cadre of one village is nobody in another;
 * a town admin's scope is the whole town. Supervisors read everything in their village and decide objections but
 * never award points. Pure: no wx, no database, no I/O.
 */

export const ROLE_NAMES = [
  'villager',
  'groupLeader',
  'villageCadre',
  'supervisor',
  'shopClerk',
  'townAdmin',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface RoleGrant {
  role: RoleName;
  /** What the role covers: a family, group, village, shop or the town. */
  scope: {
    kind: 'family' | 'group' | 'village' | 'shop' | 'town';
    id: string;
    /** For a group or shop: its village. */ villageId?: string;
  };
}

/** A shop as the role rules need it. */
export interface ShopScope {
  _id?: string;
  id?: string;
  kind: 'village' | 'central';
  /** The village that runs it. */
  villageId: string;
}

type Roles = readonly RoleGrant[];

export const holdsRole = (roles: Roles, role: RoleName): boolean => roles.some((g) => g.role === role);

export const isTownAdminRole = (roles: Roles): boolean => holdsRole(roles, 'townAdmin');

/** Whether `roles` hold `role` for this village (a group leader's groups belong to their village). */
export function holdsInVillage(roles: Roles, role: RoleName, villageId: string): boolean {
  return roles.some(
    (grant) =>
      grant.role === role &&
      ((grant.scope.kind === 'village' && grant.scope.id === villageId) ||
        (grant.scope.kind === 'group' && grant.scope.villageId === villageId)),
  );
}

/** Village cadres of this village, and town admins, may manage it. */
export const canManageVillageRoles = (roles: Roles, villageId: string): boolean =>
  isTownAdminRole(roles) || holdsInVillage(roles, 'villageCadre', villageId);

/** Who may record points for a group: its group leader, the village's cadres, town admins. */
export function canRecordForGroupRoles(roles: Roles, villageId: string, groupId: string): boolean {
  return (
    canManageVillageRoles(roles, villageId) ||
    roles.some((g) => g.role === 'groupLeader' && g.scope.kind === 'group' && g.scope.id === groupId)
  );
}

/** Who may read everything in a village: its cadres, its supervisors, town admins. */
export const canOverseeVillageRoles = (roles: Roles, villageId: string): boolean =>
  canManageVillageRoles(roles, villageId) || holdsInVillage(roles, 'supervisor', villageId);

/** Who decides objections in a village: its supervisors, town admins. */
export const canDecideObjectionsRoles = (roles: Roles, villageId: string): boolean =>
  isTownAdminRole(roles) || holdsInVillage(roles, 'supervisor', villageId);

/** The villages whose cadre `roles` are. */
export function cadreVillageIds(roles: Roles): Set<string> {
  return new Set(
    roles.filter((g) => g.role === 'villageCadre' && g.scope.kind === 'village').map((g) => g.scope.id),
  );
}

export const isClerkOfRoles = (roles: Roles, shopId: string): boolean =>
  roles.some((g) => g.role === 'shopClerk' && g.scope.kind === 'shop' && g.scope.id === shopId);

/** A shop's managers: town admins and the cadres of the village that runs it. */
export const canManageShopRoles = (roles: Roles, shop: ShopScope): boolean =>
  isTownAdminRole(roles) || holdsInVillage(roles, 'villageCadre', shop.villageId);

/** A shop's staff: its clerks and its managers. */
export const isShopStaffRoles = (roles: Roles, shop: ShopScope & { id: string }): boolean =>
  isClerkOfRoles(roles, shop.id) || canManageShopRoles(roles, shop);

// ---- Granting roles -----------------------------------------------------------------------------------------

export type GrantRefusalCode =
  | 'SELF_GRANT'
  | 'ROLE_CONFLICT'
  | 'NOT_GRANTER_SHOP'
  | 'CENTRAL_SHOP_BY_TOWN'
  | 'NOT_TOWN_ADMIN'
  | 'NOT_VILLAGE_CADRE';

export interface GrantRequest {
  granter: { openid: string; roles: Roles };
  grantee: { openid: string; roles: Roles; villageId: string };
  role: RoleName;
  /** The village the role would cover (cadre, supervisor, group leader). */
  villageId: string;
  /** For a clerk: the shop. */
  shop?: ShopScope | null;
}

/**
 * Whether a role may be granted: by someone with the authority to, never by the grantee themselves; town admins and cadres only by a town admin;
 * supervisors and group leaders by the village's cadres; a clerk only for a shop the granter's village runs (a
 * central shop's clerks by the town admin); and never cadre + supervisor of one village in one person (the one
 * who awards points must not judge the objections to them).
 */
export function grantRefusal(request: GrantRequest): { code: GrantRefusalCode; message: string } | null {
  const { granter, grantee, role, villageId } = request;
  const admin = isTownAdminRole(granter.roles);
  switch (role) {
    case 'townAdmin':
      if (!admin) return { code: 'NOT_TOWN_ADMIN', message: '只有镇管理员可以任命镇管理员' };
      break;
    case 'villageCadre':
      if (!admin) return { code: 'NOT_TOWN_ADMIN', message: '只有镇管理员可以任命村干部' };
      break;
    case 'supervisor':
    case 'groupLeader':
      if (!canManageVillageRoles(granter.roles, villageId))
        return { code: 'NOT_VILLAGE_CADRE', message: '您不是本村（社区）的干部，不能执行此操作' };
      break;
    case 'shopClerk': {
      const shop = request.shop;
      if (!shop) return { code: 'NOT_GRANTER_SHOP', message: '找不到该超市' };
      if (shop.kind === 'central' && !admin)
        return { code: 'CENTRAL_SHOP_BY_TOWN', message: '中心超市由多个村共有，收银员只能由镇管理员任命' };
      if (!canManageShopRoles(granter.roles, shop))
        return { code: 'NOT_GRANTER_SHOP', message: '只能为本村（社区）开办的超市任命收银员' };
      break;
    }
    case 'villager':
      break;
  }
  if (granter.openid === grantee.openid)
    return { code: 'SELF_GRANT', message: '不能给自己任命角色，请由其他干部或镇管理员任命' };
  const conflicting: RoleName | null =
    role === 'supervisor' ? 'villageCadre' : role === 'villageCadre' ? 'supervisor' : null;
  if (conflicting && holdsInVillage(grantee.roles, conflicting, villageId))
    return {
      code: 'ROLE_CONFLICT',
      message: '同一个人不能既是本村（社区）干部又是监督员：评分的人不能裁决对评分的异议',
    };
  return null;
}

const CADRE_ROLES: readonly RoleName[] = ['villageCadre', 'townAdmin'];
const CLERK_ROLES: readonly RoleName[] = ['shopClerk', 'townAdmin'];

/**
 * Which roles open each work page (the key is the page's folder in packageCadre or packageShop). The pages' own
 * actions are still checked by the functions; this only decides which entrances a person is shown.
 */
export type WorkPage =
  | 'review'
  | 'monthly'
  | 'activities'
  | 'boards'
  | 'months'
  | 'objections'
  | 'households'
  | 'stats'
  | 'rules'
  | 'report'
  | 'town'
  | 'counter'
  | 'goods'
  | 'wishes'
  | 'fund'
  | 'champions'
  | 'settlement';

export const WORK_PAGE_ROLES: Readonly<Record<WorkPage, readonly RoleName[]>> = {
  review: CADRE_ROLES,
  monthly: ['villageCadre', 'groupLeader', 'townAdmin'],
  activities: ['villageCadre', 'groupLeader', 'townAdmin'],
  boards: CADRE_ROLES,
  months: CADRE_ROLES,
  objections: ['supervisor', 'townAdmin'],
  households: CADRE_ROLES,
  stats: ['villageCadre', 'supervisor', 'townAdmin'],
  rules: CADRE_ROLES,
  report: CADRE_ROLES,
  town: ['townAdmin'],
  counter: CLERK_ROLES,
  goods: CLERK_ROLES,
  wishes: CADRE_ROLES,
  fund: CADRE_ROLES,
  champions: CADRE_ROLES,
  settlement: CADRE_ROLES,
};

/** Whether someone holding `held` roles is shown the entrance to `page`. */
export const opensWorkPage = (held: ReadonlySet<RoleName>, page: WorkPage): boolean =>
  WORK_PAGE_ROLES[page].some((role) => held.has(role));
