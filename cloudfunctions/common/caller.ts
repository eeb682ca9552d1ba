import { timingSafeEqual } from 'node:crypto';

/**
 * Who is calling: only ever from `cloud.getWXContext()` (set by the platform, never by the event), plus the
 * roles that person holds (the `users` collection, and the bootstrap town admins named by the function's
 * environment variable `TOWN_ADMINS`, comma-separated openids).
 */
export type { RoleGrant, RoleName } from '../../miniprogram/core/access';
import type { RoleGrant, RoleName } from '../../miniprogram/core/access';

export interface Caller {
  openid: string;
  appid: string | null;
  unionid: string | null;
  roles: RoleGrant[];
  /** The member this WeChat user is linked to, if any (from the `users` collection). */
  profile: CallerProfile | null;
}

export interface CallerProfile {
  name: string;
  memberId: string | null;
  familyId: string | null;
  villageId: string | null;
  groupId: string | null;
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
  return { openid, appid: text(ctx.APPID), unionid: text(ctx.UNIONID), roles, profile: null };
}

/** The name admin-script calls carry in trails. */
export const ADMIN_SCRIPT = 'admin-script';

/**
 * A server-side admin script (the first setup of a real environment, through @cloudbase/node-sdk) has no WeChat
 * identity: the platform gives such calls no OPENID. It may act as a town admin only by presenting the key set
 * in the function's `ADMIN_API_KEY` (at least 32 characters; unset, the path is closed). Calls from the
 * mini-program always carry an OPENID and never take this path.
 */
export function adminCaller(key: string | undefined, env: Record<string, string | undefined>): Caller | null {
  const expected = env.ADMIN_API_KEY ?? '';
  if (!key || expected.length < 32) return null;
  const a = Buffer.from(key);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return {
    openid: ADMIN_SCRIPT,
    appid: null,
    unionid: null,
    roles: [{ role: 'townAdmin', scope: { kind: 'town', id: env.TOWN_ID ?? 'town' } }],
    profile: { name: '管理脚本', memberId: null, familyId: null, villageId: null, groupId: null, roles: [] },
  };
}

/** Adds what the `users` collection says about the caller: the linked member and the granted roles. */
export function withProfile(caller: Caller, profile: CallerProfile | null): Caller {
  if (!profile) return caller;
  return { ...caller, profile, roles: [...caller.roles, ...profile.roles] };
}

/** The display name of the caller for trails: the linked member's name, or a shortened openid. */
export function callerName(caller: Caller): string {
  if (caller.profile?.name) return caller.profile.name;
  if (hasRole(caller, 'townAdmin')) return '镇管理员';
  return `微信用户${caller.openid.slice(-4)}`;
}

export function hasRole(caller: Caller, role: RoleName): boolean {
  return caller.roles.some((grant) => grant.role === role);
}
