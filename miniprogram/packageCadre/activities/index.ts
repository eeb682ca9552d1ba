/**
 * 活动签到 (organisers: group leaders and cadres; confirmers: a second cadre): the village's activities this year
 * with their attendance and points (activities.stats); 发起活动, a form checked as the functions check it
 * (core/activities); and one activity opened: its check-in code, drawn from the module matrix and refreshed
 * before it expires (a photo of it soon stops working), the attendance list (who scanned, who was added on their
 * behalf and by whom, who checked out), 选人代签 (search the register by name or 户号) and 刷卡代签 for people
 * without phones, 提交名单 for the organiser and 确认计分 for a second cadre (called again until every member is
 * posted).
 */
import type {
  ActivitiesGetOutput,
  ActivitiesStatsOutput,
  ActivityMemberView,
  ActivityView,
} from '../../contract/points';
import { checkActivityDraft, chinaClockTime, chinaDayTime, type ActivityDraft } from '../../core/activities';
import { formatSignedPoints } from '../../core/points';
import { yearOf } from '../../core/time';
import { nowMs } from '../../services/clock';
import { call } from '../../services/client';
import { chinaToday } from '../../services/clock';
import { errorText } from '../../services/errors';
import { startCardReader, NFC_PROBLEM_TEXT, type CardReader } from '../../services/nfc';
import { qrModules } from '../../services/qr-code';
import { newRequestId } from '../../services/request-id';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import type { WorkPageStatus } from '../../services/page-load';

const VIA_TEXT = { scan: '扫码', member: '代签', card: '刷卡代签' } as const;
const ATTENDANCE_TEXT = { present: '已签到', posted: '已计分', skipped: '未计分' } as const;

interface Hidden {
  timer: ReturnType<typeof setTimeout> | null;
  reader: CardReader | null;
  /** The catalogue's rules that award points, as the form's picker lists them. */
  rules: { id: string; label: string }[];
  /** The create form's request id: a retry of the same form creates the activity once. */
  createRequestId: string;
  sending: boolean;
  /** The picker's search and where its next page starts. */
  query: string;
  nextOffset: number | null;
}
const hidden = new WeakMap<object, Hidden>();
const state = (page: object): Hidden => {
  let h = hidden.get(page);
  if (!h) {
    h = {
      timer: null,
      reader: null,
      rules: [],
      createRequestId: '',
      sending: false,
      query: '',
      nextOffset: null,
    };
    hidden.set(page, h);
  }
  return h;
};

const clockText = (iso: string) => chinaClockTime(new Date(iso));

const attendanceLine = (p: ActivitiesGetOutput['attendance'][number]) =>
  [
    `${VIA_TEXT[p.via]}${p.onBehalf ? `（${p.byName}）` : ''} ${clockText(p.checkedInAt)}签到`,
    p.checkedOutAt ? `${clockText(p.checkedOutAt)}签退` : '',
    p.skipReason ?? '',
  ]
    .filter(Boolean)
    .join(' · ');

const pickerRow = (m: ActivityMemberView) => ({
  id: m.memberId,
  name: m.name,
  line: `${m.householdNumber}号户 · ${m.headName}家 · ${m.relation}`,
  checkedIn: m.checkedIn,
});

/** The form's first suggestion: the next full hour for two hours today, or tomorrow morning late in the day. */
function suggestedTimes(atMs: number): Pick<ActivityDraft, 'day' | 'startTime' | 'endTime'> {
  const hour = Number(chinaDayTime(new Date(atMs)).slice(-5, -3)) + 1;
  if (hour <= 21) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return { day: chinaToday(new Date(atMs)), startTime: `${pad(hour)}:00`, endTime: `${pad(hour + 2)}:00` };
  }
  return { day: chinaToday(new Date(atMs + 86_400_000)), startTime: '09:00', endTime: '11:00' };
}

const emptyForm = (atMs: number) => ({
  title: '',
  ruleIndex: -1,
  place: '',
  ...suggestedTimes(atMs),
  capacity: '',
  allowFamily: false,
});

const listLine = (a: ActivityView, stats: ActivitiesStatsOutput['activities']) => {
  const s = stats.find((x) => x.activityId === a.id);
  return {
    id: a.id,
    title: a.title,
    statusLabel: a.statusLabel,
    meta: `${a.timeText} · ${a.place}`,
    figures: s
      ? `签到 ${a.checkedIn} 人 · 计分 ${s.attendance} 人 ${formatSignedPoints(s.points)}分 · ${s.households} 户`
      : `签到 ${a.checkedIn} 人`,
  };
};

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    villageName: '',
    year: '',
    activities: [] as ReturnType<typeof listLine>[],
    rules: [] as { code: string; line: string }[],
    /** The activity opened, or null for the list. */
    detail: null as null | {
      id: string;
      title: string;
      meta: string;
      statusLabel: string;
      counts: string;
      canOrganise: boolean;
      canSubmit: boolean;
      canConfirm: boolean;
      confirmConflict: string;
      people: { key: string; name: string; line: string; tag: string }[];
    },
    qr: [] as boolean[][],
    codeHint: '',
    busy: '',
    /** 发起活动: the form, its rule picker's labels, and the message for the field that is wrong. */
    creating: false,
    form: emptyForm(0),
    ruleLabels: [] as string[],
    formError: '',
    formField: '',
    /** 选人代签: the register search under the opened activity. */
    picking: false,
    pickQuery: '',
    pickRows: [] as ReturnType<typeof pickerRow>[],
    pickStatus: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    pickMessage: '',
    pickMore: false,
  },

  methods: {
    async onLoad(query: { id?: string } = {}) {
      const scope = await this.openVillageScope(
        villagesReaching(['villageCadre', 'groupLeader', 'townAdmin']),
      );
      if (!scope) return;
      await this.loadList();
      if (query.id) await this.open(query.id);
    },

    onRetry() {
      return this.onLoad();
    },

    /** Another village in the picker: its activities and figures. */
    onVillageSelected() {
      this.stopCode();
      this.setData({ detail: null, qr: [], codeHint: '', creating: false, picking: false, pickRows: [] });
      return this.loadList();
    },

    onUnload() {
      this.stopCode();
      state(this).reader?.stop();
    },

    async loadList() {
      const village = this.currentVillage();
      if (!village) return;
      const year = yearOf(nowMs());
      const [list, stats] = await Promise.all([
        call('points', 'activities.list', { villageId: village.id }),
        call('points', 'activities.stats', { villageId: village.id, year }),
      ]);
      if (!list.ok) {
        this.setData({ status: 'error', errorMessage: list.error.message });
        return;
      }
      const byActivity = stats.ok ? stats.data.activities : [];
      this.setData({
        status: 'ready',
        villageName: village.name,
        year,
        activities: list.data.activities.map((a) => listLine(a, byActivity)),
        rules: stats.ok
          ? stats.data.rules.map((r) => ({
              code: r.code,
              line: `${r.title}：${r.attendance} 次 · ${formatSignedPoints(r.points)}分 · ${r.households} 户`,
            }))
          : [],
      });
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      return this.open(String(e.currentTarget.dataset.id ?? ''));
    },

    onBack() {
      this.stopCode();
      this.setData({ detail: null, qr: [], codeHint: '', creating: false, picking: false, pickRows: [] });
      return this.loadList();
    },

    /** 发起活动: the form, with the catalogue's rules that award points (the village's own included). */
    async onCreate() {
      const h = state(this);
      const village = this.currentVillage();
      if (!village) return;
      this.setData({ creating: true, form: emptyForm(nowMs()), formError: '', formField: '' });
      h.createRequestId = newRequestId();
      const rules = await call('points', 'rules.list', { villageId: village.id });
      if (!rules.ok) {
        this.setData({ formError: rules.error.message });
        return;
      }
      h.rules = rules.data.rules
        .filter((r) => r.points > 0)
        .map((r) => ({ id: r.id, label: `${r.title}（${formatSignedPoints(r.points)}分）` }));
      this.setData({ ruleLabels: h.rules.map((r) => r.label) });
    },

    onCancelCreate() {
      this.setData({ creating: false, formError: '', formField: '' });
    },

    /** Any field of the form: `data-field` names it; inputs, pickers and the switch all send `detail.value`. */
    onFormChange(e: WechatMiniprogram.CustomEvent<{ value: string | number | boolean }>) {
      const field = String(e.currentTarget.dataset.field ?? '');
      const value = field === 'ruleIndex' ? Number(e.detail.value) : e.detail.value;
      this.setData({ [`form.${field}`]: value, formError: '', formField: '' });
    },

    async onCreateSubmit() {
      const h = state(this);
      if (h.sending) return;
      const form = this.data.form;
      const checked = checkActivityDraft(
        {
          title: form.title,
          ruleId: h.rules[form.ruleIndex]?.id ?? '',
          place: form.place,
          day: form.day,
          startTime: form.startTime,
          endTime: form.endTime,
          capacity: form.capacity,
        },
        nowMs(),
      );
      if (!checked.ok) {
        this.setData({ formError: checked.message, formField: checked.field });
        return;
      }
      h.sending = true;
      this.setData({ busy: 'create', formError: '' });
      const res = await call('points', 'activities.create', {
        requestId: h.createRequestId,
        villageId: this.currentVillage()?.id ?? '',
        title: checked.value.title,
        ruleId: checked.value.ruleId,
        place: checked.value.place,
        startAt: checked.value.startAt.toISOString(),
        endAt: checked.value.endAt.toISOString(),
        capacity: checked.value.capacity,
        allowFamily: form.allowFamily,
      });
      h.sending = false;
      this.setData({ busy: '' });
      if (!res.ok) {
        this.setData({ formError: errorText(res.error) });
        return;
      }
      this.setData({ creating: false });
      wx.showToast({ title: '活动已发起', icon: 'success' });
      await this.open(res.data.activity.id);
    },

    async open(activityId: string) {
      const res = await call('points', 'activities.get', { activityId });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.show(res.data);
      if (res.data.activity.status === 'open' && res.data.canOrganise) await this.refreshCode();
      else this.stopCode();
    },

    show(d: ActivitiesGetOutput) {
      const a = d.activity;
      this.setData({
        detail: {
          id: a.id,
          title: a.title,
          meta: `${a.timeText} · ${a.place} · ${a.ruleTitle} ${formatSignedPoints(a.points)}分`,
          statusLabel: a.statusLabel,
          counts: [
            a.capacity > 0 ? `已签到 ${a.checkedIn} / ${a.capacity} 人` : `已签到 ${a.checkedIn} 人`,
            ...(d.attendance.some((p) => p.checkedOutAt)
              ? [`已签退 ${d.attendance.filter((p) => p.checkedOutAt).length} 人`]
              : []),
          ].join(' · '),
          canOrganise: d.canOrganise && a.status === 'open',
          canSubmit: d.canOrganise && a.status === 'open' && a.checkedIn > 0,
          canConfirm:
            (a.status === 'submitted' || a.status === 'confirmed') &&
            d.confirmConflict === null &&
            d.attendance.some((p) => p.status === 'present'),
          confirmConflict: a.status === 'submitted' ? (d.confirmConflict ?? '') : '',
          people: d.attendance.map((p) => ({
            key: p.memberId,
            name: p.memberName,
            line: attendanceLine(p),
            tag: ATTENDANCE_TEXT[p.status],
          })),
        },
      });
    },

    /** Shows the current code and fetches the next one when it is about to expire. */
    async refreshCode() {
      const detail = this.data.detail;
      if (!detail) return;
      const res = await call('points', 'activities.code', { activityId: detail.id });
      if (!res.ok) {
        this.setData({ qr: [], codeHint: res.error.message });
        return;
      }
      this.setData({
        qr: qrModules(res.data.code),
        codeHint: '请村民用“村里活动”里的扫码签到扫描此码（每30秒更新）',
      });
      const h = state(this);
      if (h.timer) clearTimeout(h.timer);
      h.timer = setTimeout(() => void this.refreshCode(), res.data.refreshInSeconds * 1000);
    },

    stopCode() {
      const h = state(this);
      if (h.timer) clearTimeout(h.timer);
      h.timer = null;
    },

    /** 刷卡代签: the organiser's phone reads a villager's card and checks them in on their behalf. */
    async onCardTap() {
      const detail = this.data.detail;
      if (!detail) return;
      const started = await startCardReader(async (tag) => {
        state(this).reader?.stop();
        state(this).reader = null;
        const res = await call('points', 'activities.addOnBehalf', {
          activityId: detail.id,
          requestId: newRequestId(),
          cardUid: tag.uid,
        });
        if (!res.ok) wx.showModal({ title: '代签未成功', content: res.error.message, showCancel: false });
        else wx.showToast({ title: `${res.data.memberName}已签到`, icon: 'success' });
        await this.open(detail.id);
      });
      if (!started.ok) {
        wx.showToast({ title: NFC_PROBLEM_TEXT[started.problem], icon: 'none' });
        return;
      }
      state(this).reader = started.reader;
      wx.showToast({ title: '请把积分卡贴近手机背面', icon: 'none' });
    },

    /** 选人代签: opens (or closes) the register search under the activity, starting with the whole village. */
    onPickOpen() {
      if (this.data.picking) {
        this.setData({ picking: false, pickRows: [], pickQuery: '' });
        return undefined;
      }
      this.setData({ picking: true, pickQuery: '' });
      return this.loadMembers('', false);
    },

    onPickInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ pickQuery: e.detail.value });
    },

    onPickSearch() {
      return this.loadMembers(this.data.pickQuery.trim(), false);
    },

    onPickMore() {
      return this.loadMembers(state(this).query, true);
    },

    /** A page of the village's members for `query` (a name or 户号), replacing the list or added to it. */
    async loadMembers(query: string, more: boolean) {
      const detail = this.data.detail;
      if (!detail) return;
      const h = state(this);
      const offset = more ? (h.nextOffset ?? 0) : 0;
      this.setData({ pickStatus: 'loading' });
      const res = await call('points', 'activities.members', {
        activityId: detail.id,
        ...(query ? { query } : {}),
        ...(offset ? { offset } : {}),
      });
      if (!res.ok) {
        this.setData({ pickStatus: 'error', pickMessage: errorText(res.error) });
        return;
      }
      h.query = query;
      h.nextOffset = res.data.nextOffset;
      const rows = res.data.members.map(pickerRow);
      this.setData({
        pickStatus: 'ready',
        pickRows: more ? [...this.data.pickRows, ...rows] : rows,
        pickMore: res.data.nextOffset !== null,
        pickMessage: rows.length === 0 && !more ? `没有找到“${query}”，可输入姓名或户号` : '',
      });
    },

    /** 代签 on a picked member: checked in on their behalf (the server keeps who did it). */
    async onPickMember(e: WechatMiniprogram.BaseEvent) {
      const detail = this.data.detail;
      const memberId = String(e.currentTarget.dataset.id ?? '');
      if (!detail || !memberId || this.data.busy) return;
      this.setData({ busy: `pick-${memberId}` });
      const res = await call('points', 'activities.addOnBehalf', {
        activityId: detail.id,
        requestId: newRequestId(),
        memberId,
      });
      this.setData({ busy: '' });
      if (!res.ok) {
        wx.showModal({ title: '代签未成功', content: res.error.message, showCancel: false });
        return;
      }
      wx.showToast({ title: `${res.data.memberName}已签到`, icon: 'success' });
      this.setData({
        pickRows: this.data.pickRows.map((r) => (r.id === memberId ? { ...r, checkedIn: true } : r)),
      });
      await this.open(detail.id);
    },

    async onSubmit() {
      const detail = this.data.detail;
      if (!detail) return;
      this.setData({ busy: 'submit' });
      const res = await call('points', 'activities.submit', { activityId: detail.id });
      this.setData({ busy: '' });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.stopCode();
      this.setData({ qr: [], codeHint: '' });
      await this.open(detail.id);
    },

    /** 确认计分: posts the list in chunks until nothing remains. */
    async onConfirm() {
      const detail = this.data.detail;
      if (!detail) return;
      this.setData({ busy: 'confirm' });
      let posted = 0;
      for (let round = 0; round < 50; round += 1) {
        const res = await call('points', 'activities.confirm', { activityId: detail.id });
        if (!res.ok) {
          this.setData({ busy: '' });
          wx.showModal({ title: '确认未完成', content: res.error.message, showCancel: false });
          return;
        }
        posted += res.data.posted;
        if (res.data.remaining === 0) break;
      }
      this.setData({ busy: '' });
      wx.showToast({ title: `已为${posted}人计分`, icon: 'success' });
      await this.open(detail.id);
    },
  },
});
