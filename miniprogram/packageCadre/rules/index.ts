/**
 * 积分细则管理: the catalogue a village applies (the town's rules and the village's own), each with its version
 * (第N版). Town admins edit the town's rules and add new ones; village cadres add and edit their village's own
 * rules. The form (title, description, score in half-point steps, self-claim, photos, cap) is checked here
 * first, previewed (`rules.check` for town rules; the village's current version from the list otherwise),
 * then published with `rules.save`, which makes a new version.
 */
import type { RuleView } from '../../contract/points';
import {
  CATEGORY_LABELS,
  describeCap,
  type RuleCap,
  type RuleCategory,
  type RuleDefinition,
} from '../../core/catalogue';
import { formatSignedPoints, isRuleScore, parsePoints } from '../../core/points';
import { call } from '../../services/client';
import { errorText } from '../../services/errors';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import type { SectionStatus } from '../../behaviors/paged-list';
import type { WorkPageStatus } from '../../services/page-load';

interface RuleRow {
  id: string;
  code: string;
  title: string;
  aspect: string;
  score: string;
  version: string;
  scope: string;
  editable: boolean;
}

export interface RuleForm {
  code: string;
  /** An existing rule keeps its code (the code names the rule across versions). */
  codeLocked: boolean;
  categoryIndex: number;
  aspect: string;
  title: string;
  description: string;
  points: string;
  selfClaim: boolean;
  photosRequired: boolean;
  capOn: boolean;
  capCount: string;
  capPerIndex: number;
  capScopeIndex: number;
  /** The village's own rule (else the town's). */
  villageRule: boolean;
}

interface Preview {
  action: string;
  lines: string[];
}

const CATEGORIES: RuleCategory[] = ['basic', 'contribution'];
const CAP_PERS: RuleCap['per'][] = ['month', 'year'];
const CAP_SCOPES: RuleCap['scope'][] = ['member', 'family'];

export const SCORE_MESSAGE = '分值须为0.5分的整数倍，且在-100分到100分之间、不为0';

export function versionText(version: number): string {
  return `第${version}版`;
}

function toRow(rule: RuleView, editable: (rule: RuleView) => boolean): RuleRow {
  return {
    id: rule.id,
    code: rule.code,
    title: rule.title,
    aspect: `${CATEGORY_LABELS[rule.category]} · ${rule.aspect}`,
    score: `${formatSignedPoints(rule.points)} 分`,
    version: versionText(rule.version),
    scope: rule.villageId ? '本村' : '全镇',
    editable: editable(rule),
  };
}

export function formOf(rule: RuleView | null, villageRule: boolean): RuleForm {
  return {
    code: rule?.code ?? '',
    codeLocked: rule !== null,
    categoryIndex: Math.max(0, CATEGORIES.indexOf(rule?.category ?? 'contribution')),
    aspect: rule?.aspect ?? '',
    title: rule?.title ?? '',
    description: rule?.description ?? '',
    points: rule ? formatSignedPoints(rule.points).replace(/^\+/, '') : '',
    selfClaim: rule?.selfClaim ?? true,
    photosRequired: rule?.photosRequired ?? false,
    capOn: Boolean(rule?.cap),
    capCount: String(rule?.cap?.count ?? 1),
    capPerIndex: Math.max(0, CAP_PERS.indexOf(rule?.cap?.per ?? 'month')),
    capScopeIndex: Math.max(0, CAP_SCOPES.indexOf(rule?.cap?.scope ?? 'member')),
    villageRule: rule ? rule.villageId !== null : villageRule,
  };
}

export type DraftCheck = { ok: true; draft: RuleDefinition } | { ok: false; message: string };

/** The rule the form describes, or the first problem (the same limits as the server's). */
export function draftOf(form: RuleForm): DraftCheck {
  const code = form.code.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9-]{1,15}$/.test(code)) {
    return { ok: false, message: '编号须为大写字母开头的2到16位字母、数字或连字符' };
  }
  const aspect = form.aspect.trim();
  if (aspect.length < 1 || aspect.length > 20)
    return { ok: false, message: '请填写所属方面（如：公益活动）' };
  const title = form.title.trim();
  if (title.length < 2 || title.length > 40) return { ok: false, message: '名称须为2到40个字' };
  const description = form.description.trim();
  if (description.length > 200) return { ok: false, message: '说明不能超过200个字' };
  const points = parsePoints(form.points);
  if (points === null || !isRuleScore(points)) return { ok: false, message: SCORE_MESSAGE };
  let cap: RuleCap | null = null;
  if (form.capOn) {
    const count = Number(form.capCount);
    if (!Number.isInteger(count) || count < 1 || count > 31) {
      return { ok: false, message: '限次须为1到31次' };
    }
    cap = {
      count,
      per: CAP_PERS[form.capPerIndex] ?? 'month',
      scope: CAP_SCOPES[form.capScopeIndex] ?? 'member',
    };
  }
  return {
    ok: true,
    draft: {
      code,
      category: CATEGORIES[form.categoryIndex] ?? 'contribution',
      aspect,
      title,
      description,
      points,
      selfClaim: form.selfClaim,
      photosRequired: form.photosRequired,
      cap,
    },
  };
}

/** What publishing will do, in words. */
export function previewOf(draft: RuleDefinition, replaces: RuleView | null): Preview {
  const lines = [
    `${draft.code} ${draft.title}`,
    `${CATEGORY_LABELS[draft.category]} · ${draft.aspect}`,
    `分值 ${formatSignedPoints(draft.points)} 分，${describeCap(draft.cap)}`,
    `${draft.selfClaim ? '村民可自行申报' : '只由干部录入'}${draft.photosRequired ? '，须附照片' : ''}`,
  ];
  if (!replaces) return { action: `新增细则，发布后为${versionText(1)}`, lines };
  return {
    action: `修改细则，由${versionText(replaces.version)}变为${versionText(replaces.version + 1)}`,
    lines: [
      ...lines,
      `原：${replaces.title}，${formatSignedPoints(replaces.points)} 分，${describeCap(replaces.cap)}`,
    ],
  };
}

interface Hidden {
  rules: RuleView[];
  townAdmin: boolean;
  draft: RuleDefinition | null;
  saving: boolean;
}
const stateOf = pageState<Hidden>(() => ({
  rules: [],
  townAdmin: false,
  draft: null,
  saving: false,
}));

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    canAddTown: false,
    canAddVillage: false,
    listStatus: 'loading' as SectionStatus,
    listMessage: '',
    rules: [] as RuleRow[],
    savedMessage: '',
    editing: false,
    form: formOf(null, false),
    categoryLabels: CATEGORIES.map((c) => CATEGORY_LABELS[c]),
    capPerLabels: ['每月', '每年'],
    capScopeLabels: ['每人', '每户'],
    formError: '',
    checking: false,
    preview: null as Preview | null,
    saving: false,
  },

  methods: {
    async onLoad() {
      // A town admin keeps the town's rules even in a town without villages yet.
      const reached = await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin']), {
        forbidden: ({ townAdmin, villages }) => !townAdmin && villages.length === 0,
        ready: ({ townAdmin, villages }) => ({ canAddTown: townAdmin, canAddVillage: villages.length > 0 }),
      });
      if (!reached) return;
      stateOf(this).townAdmin = reached.townAdmin;
      await this.loadRules();
    },

    onRetry() {
      return this.onLoad();
    },

    onVillageSelected() {
      this.setData({ editing: false, preview: null });
      return this.loadRules();
    },

    async loadRules() {
      const state = stateOf(this);
      const village = this.currentVillage();
      this.setData({ listStatus: 'loading', listMessage: '' });
      const envelope = await call('points', 'rules.list', village ? { villageId: village.id } : {});
      if (!envelope.ok) {
        this.setData({ listStatus: 'error', listMessage: envelope.error.message, rules: [] });
        return;
      }
      state.rules = envelope.data.rules;
      const editable = (rule: RuleView) => (rule.villageId === null ? state.townAdmin : true);
      const rules = state.rules.map((rule) => toRow(rule, editable));
      this.setData({ listStatus: rules.length > 0 ? 'ready' : 'empty', rules });
    },

    onEdit(e: WechatMiniprogram.TouchEvent) {
      const rule = stateOf(this).rules.find((r) => r.id === e.currentTarget.dataset.id);
      if (!rule) return;
      this.openForm(formOf(rule, rule.villageId !== null));
    },

    onAddTown() {
      this.openForm(formOf(null, false));
    },

    onAddVillage() {
      this.openForm(formOf(null, true));
    },

    openForm(form: RuleForm) {
      stateOf(this).draft = null;
      this.setData({ editing: true, form, formError: '', preview: null, savedMessage: '' });
    },

    onCancel() {
      stateOf(this).draft = null;
      this.setData({ editing: false, preview: null, formError: '' });
    },

    /** Any change to the form drops the preview: it must be previewed again. */
    changed(key: keyof RuleForm, value: string | number | boolean) {
      stateOf(this).draft = null;
      this.setData({ [`form.${key}`]: value, formError: '', preview: null });
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.changed(e.currentTarget.dataset.key as keyof RuleForm, e.detail.value);
    },

    onPick(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.changed(e.currentTarget.dataset.key as keyof RuleForm, Number(e.detail.value));
    },

    onSwitch(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.changed(e.currentTarget.dataset.key as keyof RuleForm, Boolean(e.detail.value));
    },

    /** Checks the form here, then asks the server (town rules) what publishing would replace. */
    async onPreview() {
      const state = stateOf(this);
      const checked = draftOf(this.data.form);
      if (!checked.ok) {
        this.setData({ formError: checked.message, preview: null });
        return;
      }
      const draft = checked.draft;
      let replaces: RuleView | null;
      if (this.data.form.villageRule) {
        const village = this.currentVillage();
        replaces = state.rules.find((r) => r.code === draft.code && r.villageId === village?.id) ?? null;
      } else {
        this.setData({ checking: true, formError: '' });
        const envelope = await call('points', 'rules.check', draft);
        this.setData({ checking: false });
        if (!envelope.ok) {
          this.setData({ formError: errorText(envelope.error) });
          return;
        }
        replaces = envelope.data.replaces;
      }
      if (!this.data.form.codeLocked && replaces) {
        this.setData({ formError: `编号${draft.code}已被“${replaces.title}”使用，请换一个编号或直接编辑它` });
        return;
      }
      state.draft = draft;
      this.setData({ preview: previewOf(draft, replaces), formError: '' });
    },

    async onSave() {
      const state = stateOf(this);
      const draft = state.draft;
      if (state.saving || !draft) return;
      const village = this.data.form.villageRule ? this.currentVillage() : undefined;
      if (this.data.form.villageRule && !village) return;
      state.saving = true;
      this.setData({ saving: true, formError: '' });
      const envelope = await call('points', 'rules.save', { ...draft, villageId: village?.id ?? null });
      state.saving = false;
      if (!envelope.ok) {
        this.setData({ saving: false, formError: errorText(envelope.error) });
        return;
      }
      const rule = envelope.data.rule;
      state.draft = null;
      this.setData({
        saving: false,
        editing: false,
        preview: null,
        savedMessage: `已发布 ${rule.code} ${rule.title}（${versionText(rule.version)}）`,
      });
      wx.showToast({ title: `已发布${versionText(rule.version)}`, icon: 'success' });
      await this.loadRules();
    },
  },
});
