/** The audit trail (操作记录) of a village or of one record, for supervisors and town admins. */
import { isTownAdmin, requireOversee } from '../common/access';
import { COLLECTIONS, type AuditDoc } from '../common/model';
import { auditListInput, definePointsActions } from './schemas';
import { newestFirst } from '../common/data';
import { pick } from '../common/fields';

export const auditActions = definePointsActions({
  /** The audit trail of a village (or of one record), for supervisors and town admins. */
  'audit.list': {
    input: auditListInput,
    handler: async ({ villageId, targetId, offset }, { caller }) => {
      if (!isTownAdmin(caller)) requireOversee(caller, villageId);
      const where: Record<string, string> = { villageId };
      if (targetId) where['target.id'] = targetId;
      const trail = await newestFirst<AuditDoc>(COLLECTIONS.audit, where, 'at', offset, 50);
      return {
        trail: trail.map((a) => pick(a, ['actorName', 'action', 'summary', 'onBehalfOf', 'target', 'at'])),
      };
    },
  },
});
