/** `roles.*`: granting, revoking and listing the roles of linked members, under `core/access` grant rules. */
import { grantRefusal } from '../../miniprogram/core/access';
import { canOverseeVillage, requireManage } from '../common/access';
import type { Caller, RoleGrant } from '../common/caller';
import { callerName } from '../common/caller';
import { _, find, getById, now, transaction, getExisting, txGetExisting } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError, InvalidInputError, NotFoundError, RefusedError } from '../common/errors';
import { COLLECTIONS, type GroupDoc, type ShopDoc, type UserDoc } from '../common/model';
import { updateWithTrail } from '../common/writes';
import { defineAccountsActions, roleChangeInput, rolesListInput } from './schemas';
import { memberById } from '../common/places';

export function roleLabel(role: RoleGrant['role']): string {
  const labels: Record<RoleGrant['role'], string> = {
    villager: '村民',
    groupLeader: '村民小组长',
    villageCadre: '村干部',
    supervisor: '积分监督员',
    shopClerk: '超市收银员',
    townAdmin: '镇管理员',
  };
  return labels[role];
}

export const rolesActions = defineAccountsActions({
  /** Grants a role to a linked member. Village cadres grant group leaders and supervisors in their village. */
  'roles.grant': {
    input: roleChangeInput,
    handler: async (input, { caller }) => changeRole(caller, input, 'grant'),
  },

  'roles.revoke': {
    input: roleChangeInput,
    handler: async (input, { caller }) => changeRole(caller, input, 'revoke'),
  },

  'roles.list': {
    input: rolesListInput,
    handler: async ({ villageId }, { caller }) => {
      if (!canOverseeVillage(caller, villageId)) throw new ForbiddenError('您没有查看本村（社区）角色的权限');
      const users = await find<UserDoc>(COLLECTIONS.users, { villageId }, { limit: 1000 });
      return {
        people: users
          .filter((u) => u.roles.some((r) => r.role !== 'villager'))
          .map((u) => ({
            name: u.name,
            memberId: u.memberId,
            roles: u.roles
              .filter((r) => r.role !== 'villager')
              .map((r) => ({ ...r, label: roleLabel(r.role) })),
          })),
      };
    },
  },
});

async function changeRole(
  caller: Caller,
  input: { memberId: string; role: RoleGrant['role']; scopeId?: string },
  change: 'grant' | 'revoke',
) {
  const m = await memberById(input.memberId);
  if (!m.openid) throw new RefusedError('NOT_LINKED', `${m.name}还未绑定微信，请先让其用邀请码绑定`);
  let scope: RoleGrant['scope'];
  let shop: ShopDoc | null = null;
  switch (input.role) {
    case 'townAdmin':
      scope = { kind: 'town', id: townId() };
      break;
    case 'villageCadre':
      scope = { kind: 'village', id: input.scopeId ?? m.villageId };
      break;
    case 'supervisor':
      scope = { kind: 'village', id: m.villageId };
      break;
    case 'groupLeader': {
      requireManage(caller, m.villageId);
      const group = await getById<GroupDoc>(COLLECTIONS.groups, input.scopeId ?? m.groupId);
      if (!group || group.villageId !== m.villageId) throw new NotFoundError('找不到该村民小组');
      scope = { kind: 'group', id: group._id, villageId: group.villageId };
      break;
    }
    case 'shopClerk':
      if (!input.scopeId) throw new InvalidInputError([{ path: 'scopeId', message: '请选择超市' }]);
      shop = await getExisting<ShopDoc>(COLLECTIONS.shops, input.scopeId, '找不到该超市');
      scope = { kind: 'shop', id: input.scopeId, villageId: shop.villageId };
      break;
    default:
      throw new InvalidInputError([{ path: 'role', message: '村民身份随绑定家庭自动获得，不能任命' }]);
  }
  const grantee = await getById<UserDoc>(COLLECTIONS.users, m.openid);
  const refusal = grantRefusal({
    granter: { openid: caller.openid, roles: caller.roles },
    grantee: { openid: m.openid, roles: grantee?.roles ?? [], villageId: m.villageId },
    role: input.role,
    villageId: scope.kind === 'village' ? scope.id : m.villageId,
    shop,
  });
  // Revoking follows the same "who may" rules; giving a role up never conflicts with another.
  const applies =
    refusal && (change === 'grant' || (refusal.code !== 'SELF_GRANT' && refusal.code !== 'ROLE_CONFLICT'));
  if (refusal && applies)
    throw refusal.code.startsWith('NOT_')
      ? new ForbiddenError(refusal.message, { reason: refusal.code })
      : new RefusedError(refusal.code, refusal.message);
  const openid = m.openid;
  const at = now();
  return transaction(async (tx) => {
    const user = await txGetExisting<UserDoc>(tx, COLLECTIONS.users, openid, '找不到该用户');
    const same = (r: RoleGrant) =>
      r.role === input.role && r.scope.kind === scope.kind && r.scope.id === scope.id;
    const roles =
      change === 'grant'
        ? [...user.roles.filter((r) => !same(r)), { role: input.role, scope }]
        : user.roles.filter((r) => !same(r));
    await updateWithTrail(tx, caller, COLLECTIONS.users, openid, { roles: _.set(roles), updatedAt: at }, m, {
      action: `roles.${change}`,
      summary: `${change === 'grant' ? '任命' : '撤销'}${m.name}为${roleLabel(input.role)}`,
      at,
    });
    return {
      memberId: m._id,
      roles: roles.map((r) => ({ ...r, label: roleLabel(r.role) })),
      by: callerName(caller),
    };
  });
}
