/**
 * 镇管理 (town admins, including the bootstrap admin named by the functions' TOWN_ADMINS): the town's first-time
 * setup from the phone — the town's name, its villages with their groups (rows added and removed), each
 * village's settings (names in full or masked on public lists, days of 公示) — sent with `town.setup`, which is
 * safe to run again (existing villages and groups keep their ids). An existing village's settings alone are
 * saved with `villages.updateSettings`, and so is its switch for cards bound before card tokens
 * (`allowTokenlessCards`, saved as soon as it is switched). The result lists the villages and groups created.
 */
import type { VillageView } from '../../contract/accounts';
import type { TownSetupInput, TownSetupOutput } from '../../contract/accounts';
import type { NameDisplay } from '../../core/names';
import { call } from '../../services/client';
import { errorText } from '../../services/errors';

type Status = 'loading' | 'ready' | 'error';

export interface VillageRow {
  key: string;
  /** An existing village's id; '' for a new row. */
  id: string;
  name: string;
  /** Group names separated by 、 ， or spaces. */
  groupsText: string;
  nameDisplayIndex: number;
  noticeDays: string;
  /** An existing village's `allowTokenlessCards` (saved at once when switched). */
  allowTokenless: boolean;
}

interface SetupResult {
  title: string;
  villages: { id: string; name: string; groups: string }[];
  rules: string;
}

export const NAME_DISPLAYS: { value: NameDisplay; label: string }[] = [
  { value: 'full', label: '显示全名' },
  { value: 'masked', label: '隐去名字（王*）' },
  { value: 'household', label: '只显示户号（第012户）' },
];

/** `一组、二组 三组` → `['一组', '二组', '三组']`, blanks and repeats dropped. */
export function splitGroups(text: string): string[] {
  return [...new Set(text.split(/[、，,;；\s]+/).map((g) => g.trim()))].filter(Boolean);
}

export type SetupCheck = { ok: true; input: TownSetupInput } | { ok: false; message: string };

/** The `town.setup` input from the form, or the first problem in the words the admin reads. */
export function buildSetup(townName: string, rows: readonly VillageRow[]): SetupCheck {
  const name = townName.trim();
  if (name.length < 2 || name.length > 30) return { ok: false, message: '请填写镇（街道）名称（2到30个字）' };
  if (rows.length === 0) return { ok: false, message: '请至少添加一个村（社区）' };
  const villages: TownSetupInput['villages'] = [];
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const label = `第${index + 1}个村（社区）`;
    const villageName = row.name.trim();
    if (villageName.length < 2 || villageName.length > 20) {
      return { ok: false, message: `${label}：名称须为2到20个字` };
    }
    if (seen.has(villageName)) return { ok: false, message: `${label}：“${villageName}”重复了` };
    seen.add(villageName);
    const groups = splitGroups(row.groupsText);
    if (groups.length === 0) return { ok: false, message: `${villageName}：请至少填写一个村民小组` };
    if (groups.length > 50) return { ok: false, message: `${villageName}：村民小组最多50个` };
    const long = groups.find((g) => g.length > 20);
    if (long) return { ok: false, message: `${villageName}：小组名称“${long}”超过20个字` };
    const noticeDays = Number(row.noticeDays);
    if (!Number.isInteger(noticeDays) || noticeDays < 1 || noticeDays > 30) {
      return { ok: false, message: `${villageName}：公示天数须为1到30天` };
    }
    villages.push({
      ...(row.id ? { id: row.id } : {}),
      name: villageName,
      groups,
      settings: { nameDisplay: NAME_DISPLAYS[row.nameDisplayIndex]?.value ?? 'masked', noticeDays },
    });
  }
  return { ok: true, input: { name, villages } };
}

export function resultView(townName: string, output: TownSetupOutput): SetupResult {
  return {
    title: `${townName}设置完成：${output.villages.length}个村（社区）`,
    villages: output.villages.map((v) => ({
      id: v.id,
      name: v.name,
      groups: v.groups.map((g) => g.name).join('、'),
    })),
    rules:
      output.seededRules > 0 ? `已添加默认积分细则${output.seededRules}条` : '积分细则已存在，未重复添加',
  };
}

let nextKey = 0;
const newKey = () => `row-${(nextKey += 1)}`;

function rowOf(village?: VillageView): VillageRow {
  return {
    key: newKey(),
    id: village?.id ?? '',
    name: village?.name ?? '',
    groupsText: village ? village.groups.map((g) => g.name).join('、') : '',
    nameDisplayIndex: Math.max(
      0,
      NAME_DISPLAYS.findIndex((d) => d.value === (village?.settings.nameDisplay ?? 'masked')),
    ),
    noticeDays: String(village?.settings.noticeDays ?? 7),
    allowTokenless: village?.settings.allowTokenlessCards === true,
  };
}

const sending = new WeakSet<object>();

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    townName: '',
    rows: [] as VillageRow[],
    nameDisplayLabels: NAME_DISPLAYS.map((d) => d.label),
    formError: '',
    submitting: false,
    savingKey: '',
    result: null as SetupResult | null,
  },

  methods: {
    /** Starts from the villages already there, so running the setup again keeps them. */
    async onLoad() {
      this.setData({ status: 'loading', errorMessage: '' });
      const envelope = await call('accounts', 'villages.list', {});
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message });
        return;
      }
      const villages = envelope.data.villages;
      this.setData({
        status: 'ready',
        rows: villages.length > 0 ? villages.map((v) => rowOf(v)) : [rowOf()],
      });
    },

    onRetry() {
      return this.onLoad();
    },

    onTownNameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ townName: e.detail.value, formError: '' });
    },

    rowIndex(e: WechatMiniprogram.BaseEvent): number {
      return Number(e.currentTarget.dataset.index);
    },

    onNameInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ [`rows[${this.rowIndex(e)}].name`]: e.detail.value, formError: '' });
    },

    onGroupsInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ [`rows[${this.rowIndex(e)}].groupsText`]: e.detail.value, formError: '' });
    },

    onNameDisplayChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ [`rows[${this.rowIndex(e)}].nameDisplayIndex`]: Number(e.detail.value) });
    },

    onNoticeDaysInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ [`rows[${this.rowIndex(e)}].noticeDays`]: e.detail.value, formError: '' });
    },

    onAddRow() {
      this.setData({ rows: [...this.data.rows, rowOf()] });
    },

    /** Only new rows can be removed: the setup never deletes a village. */
    onRemoveRow(e: WechatMiniprogram.TouchEvent) {
      const index = this.rowIndex(e);
      if (this.data.rows[index]?.id) return;
      this.setData({ rows: this.data.rows.filter((_, i) => i !== index) });
    },

    async onSubmit() {
      if (sending.has(this)) return;
      const checked = buildSetup(this.data.townName, this.data.rows);
      if (!checked.ok) {
        this.setData({ formError: checked.message });
        return;
      }
      sending.add(this);
      this.setData({ submitting: true, formError: '', result: null });
      const envelope = await call('accounts', 'town.setup', checked.input);
      sending.delete(this);
      if (!envelope.ok) {
        this.setData({ submitting: false, formError: errorText(envelope.error) });
        return;
      }
      const created = envelope.data.villages;
      this.setData({
        submitting: false,
        result: resultView(checked.input.name, envelope.data),
        rows: this.data.rows.map((row, i) => ({ ...row, id: created[i]?.id ?? row.id })),
      });
      wx.showToast({ title: '设置完成', icon: 'success' });
    },

    /** 允许没有防伪令牌的旧卡: saved at once; a refusal puts the switch back. */
    async onTokenlessChange(e: WechatMiniprogram.SwitchChange) {
      const index = this.rowIndex(e);
      const row = this.data.rows[index];
      if (!row?.id) return;
      const allow = e.detail.value;
      this.setData({ [`rows[${index}].allowTokenless`]: allow, formError: '' });
      const envelope = await call('accounts', 'villages.updateSettings', {
        villageId: row.id,
        settings: { allowTokenlessCards: allow },
      });
      if (!envelope.ok) {
        this.setData({ [`rows[${index}].allowTokenless`]: !allow, formError: errorText(envelope.error) });
        return;
      }
      wx.showToast({
        title: allow ? `${row.name}：旧卡可继续使用` : `${row.name}：只认有令牌的卡`,
        icon: 'none',
      });
    },

    /** An existing village's settings alone. */
    async onSaveSettings(e: WechatMiniprogram.TouchEvent) {
      const row = this.data.rows[this.rowIndex(e)];
      if (!row?.id || this.data.savingKey) return;
      const noticeDays = Number(row.noticeDays);
      if (!Number.isInteger(noticeDays) || noticeDays < 1 || noticeDays > 30) {
        this.setData({ formError: `${row.name}：公示天数须为1到30天` });
        return;
      }
      this.setData({ savingKey: row.key, formError: '' });
      const envelope = await call('accounts', 'villages.updateSettings', {
        villageId: row.id,
        settings: { nameDisplay: NAME_DISPLAYS[row.nameDisplayIndex]?.value ?? 'masked', noticeDays },
      });
      this.setData({ savingKey: '' });
      if (!envelope.ok) {
        this.setData({ formError: errorText(envelope.error) });
        return;
      }
      wx.showToast({ title: `${row.name}设置已保存`, icon: 'none' });
    },
  },
});
