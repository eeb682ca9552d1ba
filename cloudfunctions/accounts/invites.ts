/** `invites.*`: one-time codes with which a villager links their WeChat to a member of the register. */
import { randomInt } from 'node:crypto';
import { requireManage } from '../common/access';
import type { RoleGrant } from '../common/caller';
import { now, transaction, txGet, txGetExisting } from '../common/data';
import { inviteHours } from '../common/env';
import { ConflictError, RefusedError } from '../common/errors';
import { COLLECTIONS, type InviteDoc, type MemberDoc, type UserDoc } from '../common/model';
import { audit } from '../common/writes';
import { defineAccountsActions, inviteCreateInput, inviteRedeemInput } from './schemas';
import { memberById, MEMBER_NOT_FOUND } from '../common/places';

/** Invite codes avoid look-alike characters (0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export const invitesActions = defineAccountsActions({
  /** A cadre issues a one-time code that links a villager's WeChat to a member. */
  'invites.create': {
    input: inviteCreateInput,
    handler: async ({ memberId }, { caller }) => {
      const m = await memberById(memberId);
      requireManage(caller, m.villageId);
      if (m.openid) throw new ConflictError(`${m.name}已绑定微信，如需更换请先解除绑定`);
      const at = now();
      const invite: InviteDoc = {
        _id: newCode(),
        memberId,
        familyId: m.familyId,
        villageId: m.villageId,
        createdBy: caller.openid,
        createdAt: at,
        expiresAt: new Date(at.getTime() + inviteHours() * 3_600_000),
        usedBy: null,
        usedAt: null,
      };
      const { _id: code, ...data } = invite;
      await transaction(async (tx) => {
        await tx.collection(COLLECTIONS.invites).doc(code).set({ data });
        await audit(tx, caller, {
          townId: m.townId,
          villageId: m.villageId,
          action: 'invites.create',
          target: { collection: COLLECTIONS.members, id: memberId },
          summary: `为${m.name}生成绑定邀请码`,
          at,
        });
      });
      return { code, memberName: m.name, expiresAt: invite.expiresAt };
    },
  },

  /** A villager links their WeChat to a member with the code: single use, before it expires. */
  'invites.redeem': {
    input: inviteRedeemInput,
    handler: async ({ code }, { caller }) => {
      const at = now();
      return transaction(async (tx) => {
        const invite = await txGetExisting<InviteDoc>(
          tx,
          COLLECTIONS.invites,
          code,
          '邀请码不存在，请核对后重新输入',
        );
        if (invite.usedBy === caller.openid) return { memberId: invite.memberId, familyId: invite.familyId };
        if (invite.usedBy) throw new RefusedError('INVITE_USED', '该邀请码已被使用，请联系村干部重新生成');
        if (new Date(invite.expiresAt).getTime() <= at.getTime()) {
          throw new RefusedError('INVITE_EXPIRED', '该邀请码已过期，请联系村干部重新生成');
        }
        const m = await txGetExisting<MemberDoc>(tx, COLLECTIONS.members, invite.memberId, MEMBER_NOT_FOUND);
        if (m.openid && m.openid !== caller.openid) throw new ConflictError(`${m.name}已绑定其他微信`);
        const user = await txGet<UserDoc>(tx, COLLECTIONS.users, caller.openid);
        if (user?.memberId && user.memberId !== m._id) {
          throw new ConflictError('您的微信已绑定其他成员，一个微信只能绑定一位成员');
        }
        await tx
          .collection(COLLECTIONS.invites)
          .doc(code)
          .update({ data: { usedBy: caller.openid, usedAt: at } });
        await tx
          .collection(COLLECTIONS.members)
          .doc(m._id)
          .update({ data: { openid: caller.openid } });
        const villager: RoleGrant = { role: 'villager', scope: { kind: 'family', id: m.familyId } };
        const next: Omit<UserDoc, '_id'> = {
          townId: m.townId,
          name: m.name,
          memberId: m._id,
          familyId: m.familyId,
          villageId: m.villageId,
          roles: [...(user?.roles ?? []).filter((r) => r.role !== 'villager'), villager],
          updatedAt: at,
        };
        await tx.collection(COLLECTIONS.users).doc(caller.openid).set({ data: next });
        await audit(
          tx,
          { ...caller, profile: { ...(caller.profile ?? emptyProfile()), name: m.name } },
          {
            townId: m.townId,
            villageId: m.villageId,
            action: 'invites.redeem',
            target: { collection: COLLECTIONS.members, id: m._id },
            summary: `${m.name}绑定微信`,
            at,
          },
        );
        return { memberId: m._id, familyId: m.familyId };
      });
    },
  },
});

function emptyProfile() {
  return { name: '', memberId: null, familyId: null, villageId: null, groupId: null, roles: [] };
}
