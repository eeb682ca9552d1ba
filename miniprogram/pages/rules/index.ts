/**
 * 积分规则: the town's rule catalogue, grouped by category (基础类/贡献类) and aspect, with each rule's score,
 * cap and whether a family may claim it themselves. Read-only; data from `points` / `rules.list`.
 */
import type { RuleView } from '../../contract/points';
import { describeCap, groupCatalogue } from '../../core/catalogue';
import { formatSignedPoints } from '../../core/points';
import { call } from '../../services/client';
import { loadMain, whenRefreshing } from '../../services/page-load';
import { pageContent } from '../../behaviors/page-content';

type Status = 'loading' | 'ready' | 'empty' | 'error';

/** One rule as the page shows it: display strings only. */
interface RuleRow {
  id: string;
  title: string;
  description: string;
  /** `+0.5 分`, `-2 分`. */
  score: string;
  deduction: boolean;
  /** `每人每月限1次`, `不限次数`. */
  cap: string;
  selfClaim: boolean;
  photosRequired: boolean;
}

interface AspectSection {
  aspect: string;
  rules: RuleRow[];
}

interface CategorySection {
  category: string;
  label: string;
  aspects: AspectSection[];
}

function toRow(rule: RuleView): RuleRow {
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    score: `${formatSignedPoints(rule.points)} 分`,
    deduction: rule.points < 0,
    cap: describeCap(rule.cap),
    selfClaim: rule.selfClaim,
    photosRequired: rule.photosRequired,
  };
}

/** Groups the catalogue and keeps only what the template renders. */
export function toSections(rules: readonly RuleView[]): CategorySection[] {
  return groupCatalogue(rules).map((group) => ({
    category: group.category,
    label: group.label,
    aspects: group.aspects.map((aspect) => ({ aspect: aspect.aspect, rules: aspect.rules.map(toRow) })),
  }));
}

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as Status,
    sections: [] as CategorySection[],
  },

  methods: {
    onLoad() {
      return this.reload();
    },

    /** Fetches the catalogue; a failed pull-down refresh keeps the rules already shown and says why. */
    async reload(refreshing = false) {
      const catalogue = await loadMain(this, () => call('points', 'rules.list', {}), {
        ...whenRefreshing(this, refreshing),
        failed: { sections: [] },
      });
      if (!catalogue) return;
      const sections = toSections(catalogue.rules);
      this.setData({ status: sections.length > 0 ? 'ready' : 'empty', sections });
    },
  },
});
