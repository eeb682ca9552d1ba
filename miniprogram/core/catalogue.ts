/**
 * The rule catalogue (积分细则): categories, aspects and rules with fixed scores in tenths.
 * 福禄镇's default catalogue follows the article: basic points from the village code (3 aspects, 9 rules) and
 * contribution points (6 aspects, 10 rules). Four scores are the article's own (组织生活 +0.5, 志愿活动 +1,
 * 建言献策被采纳 +1, 培养大学生 +1); the rest are plausible defaults the town edits.
 */
import type { Tenths } from './points';

export const RULE_CATEGORIES = ['basic', 'contribution'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];
export const CAP_PERIODS = ['month', 'year'] as const;
export const CAP_SCOPES = ['member', 'family'] as const;

export const CATEGORY_LABELS: Record<RuleCategory, string> = {
  basic: '基础类积分',
  contribution: '贡献类积分',
};

/** How often a rule may be awarded: `count` times per member (or per family) per month (or year). */
export interface RuleCap {
  count: number;
  per: (typeof CAP_PERIODS)[number];
  scope: (typeof CAP_SCOPES)[number];
}

export interface RuleDefinition {
  /** Stable code, unique within a town's catalogue (village additions use their own prefix). */
  code: string;
  category: RuleCategory;
  aspect: string;
  title: string;
  description: string;
  /** Score in tenths; negative for a deduction. */
  points: Tenths;
  /** Whether a resident may submit a claim under this rule (otherwise only cadres record it). */
  selfClaim: boolean;
  photosRequired: boolean;
  cap: RuleCap | null;
}

const perMemberMonth = (count: number): RuleCap => ({ count, per: 'month', scope: 'member' });
const perFamilyMonth: RuleCap = { count: 1, per: 'month', scope: 'family' };

export const DEFAULT_CATALOGUE: readonly RuleDefinition[] = [
  // 基础类 · 爱国爱党
  {
    code: 'B01',
    category: 'basic',
    aspect: '爱国爱党',
    title: '党员每月按时参加组织生活',
    description: '党员按时参加支部主题党日、三会一课等组织生活，每月记一次。',
    points: 5,
    selfClaim: false,
    photosRequired: false,
    cap: perMemberMonth(1),
  },
  {
    code: 'B02',
    category: 'basic',
    aspect: '爱国爱党',
    title: '参加升国旗、国防教育等爱国主义活动',
    description: '参加村（社区）组织的升国旗、国防教育、红色教育等活动。',
    points: 5,
    selfClaim: true,
    photosRequired: true,
    cap: perMemberMonth(1),
  },
  {
    code: 'B03',
    category: 'basic',
    aspect: '爱国爱党',
    title: '散布损害党和国家形象的言论',
    description: '经核实在网络或公共场合散布不当言论，造成不良影响的，每次扣分。',
    points: -20,
    selfClaim: false,
    photosRequired: false,
    cap: null,
  },
  // 基础类 · 遵纪守法
  {
    code: 'B04',
    category: 'basic',
    aspect: '遵纪守法',
    title: '全户当月无违法违纪行为',
    description: '家庭成员当月无违法犯罪、无违反村规民约行为，每户每月记一次。',
    points: 5,
    selfClaim: false,
    photosRequired: false,
    cap: perFamilyMonth,
  },
  {
    code: 'B05',
    category: 'basic',
    aspect: '遵纪守法',
    title: '按时履行参保、征兵登记等法定义务',
    description: '按时缴纳城乡居民医保养老保险、适龄青年按时兵役登记等，每人每年记一次。',
    points: 5,
    selfClaim: true,
    photosRequired: true,
    cap: { count: 1, per: 'year', scope: 'member' },
  },
  {
    code: 'B06',
    category: 'basic',
    aspect: '遵纪守法',
    title: '违反村规民约被通报',
    description: '违反村规民约，经村民小组或村委会通报的，每次扣分。',
    points: -10,
    selfClaim: false,
    photosRequired: false,
    cap: null,
  },
  // 基础类 · 道德文明
  {
    code: 'B07',
    category: 'basic',
    aspect: '道德文明',
    title: '孝老爱亲、家庭和睦',
    description: '赡养老人、家庭和睦、邻里无纠纷，每户每月记一次。',
    points: 5,
    selfClaim: false,
    photosRequired: false,
    cap: perFamilyMonth,
  },
  {
    code: 'B08',
    category: 'basic',
    aspect: '道德文明',
    title: '庭院整洁、垃圾分类到位',
    description: '房前屋后干净整洁，生活垃圾分类投放，每户每月记一次。',
    points: 5,
    selfClaim: true,
    photosRequired: true,
    cap: perFamilyMonth,
  },
  {
    code: 'B09',
    category: 'basic',
    aspect: '道德文明',
    title: '乱堆乱放、焚烧秸秆等不文明行为',
    description: '经核实存在乱堆乱放、乱倒垃圾、露天焚烧秸秆等行为的，每次扣分。',
    points: -10,
    selfClaim: false,
    photosRequired: false,
    cap: null,
  },
  // 贡献类 · 公益活动
  {
    code: 'C01',
    category: 'contribution',
    aspect: '公益活动',
    title: '参加一次志愿活动',
    description: '参加村（社区）组织的志愿服务活动，每次记分，需附活动照片。',
    points: 10,
    selfClaim: true,
    photosRequired: true,
    cap: perMemberMonth(4),
  },
  {
    code: 'C02',
    category: 'contribution',
    aspect: '公益活动',
    title: '义务投工投劳',
    description: '参加修路、清淤、植树等义务投工投劳，每次记分，需附现场照片。',
    points: 10,
    selfClaim: true,
    photosRequired: true,
    cap: perMemberMonth(4),
  },
  // 贡献类 · 共建共治
  {
    code: 'C03',
    category: 'contribution',
    aspect: '共建共治',
    title: '向村集体建言献策被采纳',
    description: '对村级事务提出意见建议并被村两委采纳的，每条记分。',
    points: 10,
    selfClaim: true,
    photosRequired: false,
    cap: null,
  },
  {
    code: 'C04',
    category: 'contribution',
    aspect: '共建共治',
    title: '参加院坝会、村民代表大会',
    description: '按时参加院坝会、村民代表大会等议事活动，每人每月记一次。',
    points: 5,
    selfClaim: false,
    photosRequired: false,
    cap: perMemberMonth(1),
  },
  // 贡献类 · 模范表彰
  {
    code: 'C05',
    category: 'contribution',
    aspect: '模范表彰',
    title: '获得镇级及以上表彰',
    description: '个人或家庭获得镇级及以上荣誉表彰（如最美家庭），每项记分，需附证书照片。',
    points: 20,
    selfClaim: true,
    photosRequired: true,
    cap: null,
  },
  {
    code: 'C06',
    category: 'contribution',
    aspect: '模范表彰',
    title: '见义勇为、好人好事',
    description: '见义勇为、拾金不昧、救助他人等好人好事，经核实后记分。',
    points: 20,
    selfClaim: true,
    photosRequired: false,
    cap: null,
  },
  // 贡献类 · 人才培养
  {
    code: 'C07',
    category: 'contribution',
    aspect: '人才培养',
    title: '培养一名本科以上学历大学生',
    description: '家庭成员取得本科及以上学历的，每人记一次，需附录取通知书或毕业证照片。',
    points: 10,
    selfClaim: true,
    photosRequired: true,
    cap: null,
  },
  {
    code: 'C08',
    category: 'contribution',
    aspect: '人才培养',
    title: '参加技能培训并取得证书',
    description: '参加职业技能培训并取得证书的，每证记分，需附证书照片。',
    points: 10,
    selfClaim: true,
    photosRequired: true,
    cap: { count: 2, per: 'year', scope: 'member' },
  },
  // 贡献类 · 产业发展
  {
    code: 'C09',
    category: 'contribution',
    aspect: '产业发展',
    title: '带动村民就业或发展特色产业',
    description: '创办或发展特色种养殖、农家乐等产业，带动本村村民就业的，每年记一次。',
    points: 20,
    selfClaim: true,
    photosRequired: true,
    cap: { count: 1, per: 'year', scope: 'family' },
  },
  // 贡献类 · 邻里互助
  {
    code: 'C10',
    category: 'contribution',
    aspect: '邻里互助',
    title: '帮扶困难群众、邻里互助',
    description: '帮助孤寡老人、留守儿童、困难家庭等，经核实后每次记分。',
    points: 5,
    selfClaim: true,
    photosRequired: false,
    cap: perMemberMonth(4),
  },
];

export interface AspectGroup<R> {
  aspect: string;
  rules: R[];
}

export interface CategoryGroup<R> {
  category: RuleCategory;
  label: string;
  aspects: AspectGroup<R>[];
}

/**
 * Groups rules by category (basic first) and aspect, keeping the catalogue's own order inside each group.
 * Generic so pages can group their display rows and functions their stored rules with one piece of code.
 */
export function groupCatalogue<R extends { category: RuleCategory; aspect: string }>(
  rules: readonly R[],
): CategoryGroup<R>[] {
  const order: RuleCategory[] = ['basic', 'contribution'];
  return order
    .map((category) => {
      const aspects: AspectGroup<R>[] = [];
      for (const rule of rules) {
        if (rule.category !== category) continue;
        let group = aspects.find((a) => a.aspect === rule.aspect);
        if (!group) {
          group = { aspect: rule.aspect, rules: [] };
          aspects.push(group);
        }
        group.rules.push(rule);
      }
      return { category, label: CATEGORY_LABELS[category], aspects };
    })
    .filter((group) => group.aspects.length > 0);
}

/** A cap in words, for the rule list: `{1, month, member}` → `每人每月限1次`. */
export function describeCap(cap: RuleCap | null): string {
  if (!cap) return '不限次数';
  const who = cap.scope === 'member' ? '每人' : '每户';
  const when = cap.per === 'month' ? '每月' : '每年';
  return `${who}${when}限${cap.count}次`;
}
