/** Rule catalogue actions. Until the catalogue is stored per town, it is 福禄镇's default from the domain core. */
import { DEFAULT_CATALOGUE, type RuleDefinition } from '../../miniprogram/core/catalogue';
import type { RuleView, RulesListOutput } from '../../miniprogram/contract/points';
import { action } from '../common/router';
import { ruleDraftInput, rulesListInput } from './schemas';

function toView(rule: RuleDefinition): RuleView {
  return { id: rule.code, ...rule, villageId: null, version: 1 };
}

export const rulesActions = {
  /** Anyone identified may read the catalogue: villagers see what earns points. */
  'rules.list': action({
    input: rulesListInput,
    handler: async (input): Promise<RulesListOutput> => {
      const rules = DEFAULT_CATALOGUE.filter((rule) => !input.selfClaimOnly || rule.selfClaim).map(toView);
      return { rules };
    },
  }),

  /**
   * A town admin checks a rule draft before publishing it: the normalised rule, and whether its code is
   * already taken in the catalogue (publishing then makes a new version of that rule).
   */
  'rules.check': action({
    input: ruleDraftInput,
    roles: ['townAdmin'],
    handler: async (draft) => {
      const existing = DEFAULT_CATALOGUE.find((rule) => rule.code === draft.code) ?? null;
      const rule: RuleDefinition = { ...draft };
      return { rule, replaces: existing ? toView(existing) : null };
    },
  }),
};
