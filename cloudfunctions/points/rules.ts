/**
 * The rule catalogue: the town's rules plus each village's additions. Editing a rule makes a new version:
 * the rule's stable document always holds the current version, and the version it replaces is kept as its own
 * document, so entries that cite an old version still find it.
 */
import type { RuleDefinition } from '../../miniprogram/core/catalogue';
import type { RuleView, RulesListOutput } from '../../miniprogram/contract/points';
import { canManageVillage, isTownAdmin } from '../common/access';
import { _, find, getById, now, transaction, txGet } from '../common/data';
import { townId } from '../common/env';
import { ForbiddenError, NotFoundError, RefusedError } from '../common/errors';
import { COLLECTIONS, type RuleDoc, type RuleSnapshot } from '../common/model';
import { definePointsActions, ruleDraftInput, ruleSaveInput, rulesListInput } from './schemas';
import { setWithTrail } from '../common/writes';

export function ruleView(rule: RuleDoc): RuleView {
  return {
    id: rule._id,
    code: rule.code,
    category: rule.category,
    aspect: rule.aspect,
    title: rule.title,
    description: rule.description,
    points: rule.points,
    selfClaim: rule.selfClaim,
    photosRequired: rule.photosRequired,
    cap: rule.cap,
    villageId: rule.villageId,
    version: rule.version,
  };
}

export function snapshot(rule: RuleDoc): RuleSnapshot {
  return {
    id: rule._id,
    code: rule.code,
    version: rule.version,
    category: rule.category,
    aspect: rule.aspect,
    title: rule.title,
    points: rule.points,
  };
}

/** A current rule that applies in `villageId` (the town's, or that village's own). */
export async function ruleFor(ruleId: string, villageId: string): Promise<RuleDoc> {
  const rule = await getById<RuleDoc>(COLLECTIONS.rules, ruleId);
  if (!rule || !rule.current || (rule.villageId !== null && rule.villageId !== villageId)) {
    throw new NotFoundError('找不到该积分细则，可能已被修改，请刷新后重试');
  }
  return rule;
}

const ruleDocId = (villageId: string | null, code: string) => `${villageId ?? townId()}_${code}`;

export const rulesActions = definePointsActions({
  /** Anyone identified may read the catalogue: villagers see what earns points. */
  'rules.list': {
    input: rulesListInput,
    handler: async (input, { caller }): Promise<RulesListOutput> => {
      const villageId = input.villageId ?? caller.profile?.villageId ?? null;
      const where: Record<string, unknown> = {
        townId: townId(),
        current: true,
        villageId: villageId ? _.in([null, villageId]) : null,
      };
      if (input.selfClaimOnly) where.selfClaim = true;
      const rules = await find<RuleDoc>(COLLECTIONS.rules, where, {
        orderBy: [['order', 'asc']],
        limit: 500,
      });
      return { rules: rules.map(ruleView) };
    },
  },

  /**
   * A town admin checks a rule draft before publishing it: the normalised rule, and the current version it
   * would replace, if its code is taken.
   */
  'rules.check': {
    input: ruleDraftInput,
    roles: ['townAdmin'],
    handler: async (draft) => {
      const existing = await getById<RuleDoc>(COLLECTIONS.rules, ruleDocId(null, draft.code));
      const rule: RuleDefinition = { ...draft };
      return { rule, replaces: existing ? ruleView(existing) : null };
    },
  },

  /** Publishes a rule: a new one, or a new version of an existing one. Town rules by town admins; a village's own by its cadres. */
  'rules.save': {
    input: ruleSaveInput,
    handler: async (input, { caller }) => {
      if (input.villageId === null ? !isTownAdmin(caller) : !canManageVillage(caller, input.villageId)) {
        throw new ForbiddenError(
          input.villageId === null ? '只有镇管理员可以修改全镇积分细则' : '只有本村干部可以修改本村积分细则',
        );
      }
      if (
        input.villageId !== null &&
        (await getById<RuleDoc>(COLLECTIONS.rules, ruleDocId(null, input.code)))
      ) {
        throw new RefusedError('CODE_TAKEN', `编号${input.code}已被全镇细则使用，请换一个编号`);
      }
      const id = ruleDocId(input.villageId, input.code);
      const order =
        (
          await find<RuleDoc>(
            COLLECTIONS.rules,
            { townId: townId() },
            { limit: 1, orderBy: [['order', 'desc']] },
          )
        )[0]?.order ?? 0;
      const at = now();
      return transaction(async (tx) => {
        const current = await txGet<RuleDoc>(tx, COLLECTIONS.rules, id);
        const { villageId, ...draft } = input;
        const next: Omit<RuleDoc, '_id'> = {
          ...draft,
          townId: townId(),
          villageId,
          version: current ? current.version + 1 : 1,
          current: true,
          order: current ? current.order : order + 1,
          createdBy: caller.openid,
          createdAt: at,
        };
        if (current) {
          const { _id, ...old } = current;
          await tx
            .collection(COLLECTIONS.rules)
            .doc(`${_id}_v${current.version}`)
            .set({ data: { ...old, current: false } });
        }
        const place = { townId: townId(), villageId };
        await setWithTrail(tx, caller, COLLECTIONS.rules, { _id: id, ...next }, place, {
          action: 'rules.save',
          summary: `${current ? '修改' : '新增'}积分细则${input.code}“${input.title}”（第${next.version}版）`,
          at,
        });
        return { rule: ruleView({ _id: id, ...next }) };
      });
    },
  },
});
