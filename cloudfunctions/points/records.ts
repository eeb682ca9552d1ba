/** The monthly pass (月度采集): lines a cadre or group leader records for members, waiting for review. */
import { checkDeedDate, claimId, pendingClaim } from './claims';
import { canRecordForGroup } from '../common/access';
import { _, find, now, transaction, txGet, txSet } from '../common/data';
import { ForbiddenError, InvalidInputError } from '../common/errors';
import { COLLECTIONS, type ClaimDoc, type MemberDoc, type RuleDoc } from '../common/model';
import { audit, checkSameRequest, inputHash } from '../common/writes';
import { definePointsActions, recordsCreateInput } from './schemas';

export const recordsActions = definePointsActions({
  /** The monthly pass: a group leader or cadre records many lines at once; each still needs someone else's approval. */
  'records.create': {
    input: recordsCreateInput,
    handler: async (input, { caller }) => {
      const at = now();
      for (const [index, line] of input.lines.entries()) {
        await checkDeedDate(line.deedDate, input.villageId, at, `lines.${index}.deedDate`);
      }
      const memberIds = [...new Set(input.lines.map((l) => l.memberId))];
      const ruleIds = [...new Set(input.lines.map((l) => l.ruleId))];
      const [members, rules] = await Promise.all([
        find<MemberDoc>(COLLECTIONS.members, { _id: _.in(memberIds) }, { limit: 1000 }),
        find<RuleDoc>(COLLECTIONS.rules, { _id: _.in(ruleIds) }, { limit: 1000 }),
      ]);
      const claims: ClaimDoc[] = input.lines.map((line, index) => {
        const member = members.find((m) => m._id === line.memberId);
        if (!member || member.villageId !== input.villageId) {
          throw new InvalidInputError([
            { path: `lines.${index}.memberId`, message: '成员不属于本村（社区）' },
          ]);
        }
        if (!canRecordForGroup(caller, member.villageId, member.groupId)) {
          throw new ForbiddenError(`您不能为${member.name}所在的村民小组录入积分`);
        }
        const rule = rules.find((r) => r._id === line.ruleId);
        if (!rule || !rule.current || (rule.villageId !== null && rule.villageId !== member.villageId)) {
          throw new InvalidInputError([{ path: `lines.${index}.ruleId`, message: '积分细则不存在或已修改' }]);
        }
        return pendingClaim({
          id: claimId(caller, input.requestId, index),
          requestHash: inputHash(input),
          kind: 'record',
          member,
          rule,
          deedDate: line.deedDate,
          text: line.note,
          photos: [],
          caller,
          onBehalf: input.onBehalf,
          at,
        });
      });
      const recorded = await transaction(async (tx) => {
        let created = 0;
        for (const claim of claims) {
          const existing = await txGet<ClaimDoc>(tx, COLLECTIONS.claims, claim._id);
          if (existing) {
            checkSameRequest(existing, input);
            continue;
          }
          await txSet(tx, COLLECTIONS.claims, claim);
          created += 1;
        }
        if (created > 0) {
          await audit(tx, caller, {
            townId: claims[0].townId,
            villageId: input.villageId,
            action: 'records.create',
            target: { collection: COLLECTIONS.claims, id: claims[0]._id },
            summary: `月度采集录入${created}条${input.onBehalf ? '（代老年村民录入）' : ''}`,
            onBehalfOf: input.onBehalf ? claims.map((c) => c.memberId).join(',') : null,
            at,
          });
        }
        return created;
      });
      return {
        recorded,
        lines: claims.map((c) => ({ id: c._id, memberName: c.memberName, ruleTitle: c.rule.title })),
      };
    },
  },
});
