/** `session.me`: who the caller is, the member they are linked to, and their roles. */
import { defineAccountsActions } from './schemas';
import { emptyInput } from '../common/zod';
import { roleLabel } from './roles';

export const sessionActions = defineAccountsActions({
  /** Who am I: identity, linked member, roles. The mini-program calls this at start. */
  'session.me': {
    input: emptyInput,
    handler: async (_input, { caller }) => ({
      openid: caller.openid,
      name: caller.profile?.name ?? null,
      memberId: caller.profile?.memberId ?? null,
      familyId: caller.profile?.familyId ?? null,
      villageId: caller.profile?.villageId ?? null,
      roles: caller.roles.map((grant) => ({ ...grant, label: roleLabel(grant.role) })),
    }),
  },
});
