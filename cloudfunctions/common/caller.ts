/**
 * Who is calling: only ever from `cloud.getWXContext()` (set by the platform, never by the event), plus the
 * roles that person holds. Until the accounts collections exist, the only roles come from the function's
 * bootstrap environment variable `TOWN_ADMINS` (comma-separated openids).
 */
export type RoleName = 'villager' | 'groupLeader' | 'villageCadre' | 'supervisor' | 'shopClerk' | 'townAdmin';

export interface RoleGrant {
  role: RoleName;
  /** What the role covers: a family, group, village, shop or the town. */
  scope: { kind: 'family' | 'group' | 'village' | 'shop' | 'town'; id: string };
}

export interface Caller {
  openid: string;
  appid: string | null;
  unionid: string | null;
  roles: RoleGrant[];
}

export interface WxContext {
  OPENID?: string | number;
  APPID?: string | number;
  UNIONID?: string | number;
}

/** Parses `TOWN_ADMINS` into a set of openids; blanks and whitespace are ignored. */
export function bootstrapTownAdmins(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

const text = (value: string | number | undefined): string | null =>
  value === undefined || value === '' ? null : String(value);

/** The caller as the platform names them, or null when no WeChat identity came with the call. */
export function callerFromContext(ctx: WxContext, env: Record<string, string | undefined>): Caller | null {
  const openid = text(ctx.OPENID);
  if (!openid) return null;
  const roles: RoleGrant[] = [];
  if (bootstrapTownAdmins(env.TOWN_ADMINS).has(openid)) {
    roles.push({ role: 'townAdmin', scope: { kind: 'town', id: env.TOWN_ID ?? 'town' } });
  }
  return { openid, appid: text(ctx.APPID), unionid: text(ctx.UNIONID), roles };
}

export function hasRole(caller: Caller, role: RoleName): boolean {
  return caller.roles.some((grant) => grant.role === role);
}
