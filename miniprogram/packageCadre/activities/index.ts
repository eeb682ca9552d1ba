/**
 * 活动签到 (organisers: group leaders and cadres; confirmers: a second cadre): the village's activities this year
 * with their attendance and points (activities.stats), and one activity opened: its check-in code, drawn from
 * the module matrix and refreshed before it expires (a photo of it soon stops working), the attendance list
 * (who scanned, who was added on their behalf and by whom), 刷卡代签 for people without phones, 提交名单 for the
 * organiser and 确认计分 for a second cadre (called again until every member is posted).
 */
import type { ActivitiesGetOutput, ActivitiesStatsOutput, ActivityView } from '../../contract/points';
import { formatSignedPoints } from '../../core/points';
import { yearOf } from '../../core/time';
import { nowMs } from '../../services/clock';
import { call } from '../../services/client';
import { startCardReader, NFC_PROBLEM_TEXT, type CardReader } from '../../services/nfc';
import { qrModules } from '../../services/qr-code';
import { newRequestId } from '../../services/request-id';
import { openVillages, type ScopeVillage } from '../lib/scope';

type Status = 'loading' | 'ready' | 'error' | 'forbidden';

const VIA_TEXT = { scan: '扫码', member: '代签', card: '刷卡代签' } as const;
const ATTENDANCE_TEXT = { present: '已签到', posted: '已计分', skipped: '未计分' } as const;

interface Hidden {
  villages: ScopeVillage[];
  timer: ReturnType<typeof setTimeout> | null;
  reader: CardReader | null;
}
const hidden = new WeakMap<object, Hidden>();
const state = (page: object): Hidden => {
  let h = hidden.get(page);
  if (!h) {
    h = { villages: [], timer: null, reader: null };
    hidden.set(page, h);
  }
  return h;
};

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
  data: {
    status: 'loading' as Status,
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
  },

  methods: {
    async onLoad(query: { id?: string } = {}) {
      const scope = await openVillages(this, state(this), ['villageCadre', 'groupLeader', 'townAdmin']);
      if (!scope) return;
      await this.loadList();
      if (query.id) await this.open(query.id);
    },

    onUnload() {
      this.stopCode();
      state(this).reader?.stop();
    },

    async loadList() {
      const village = state(this).villages[0];
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
      this.setData({ detail: null, qr: [], codeHint: '' });
      return this.loadList();
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
          counts: a.capacity > 0 ? `已签到 ${a.checkedIn} / ${a.capacity} 人` : `已签到 ${a.checkedIn} 人`,
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
            line: `${VIA_TEXT[p.via]}${p.onBehalf ? `（${p.byName}）` : ''}${p.checkedOutAt ? ' · 已签退' : ''}${p.skipReason ? ` · ${p.skipReason}` : ''}`,
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
