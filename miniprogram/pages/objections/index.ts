/**
 * 异议: raise an objection against a ledger entry, a review decision, a board entry (each preselected when
 * coming from its page) or a month's results, with a reason; and follow my objections (调查中 / 异议成立 /
 * 异议不成立, the deadline, the supervisors' answer). The request id is made when the form opens.
 */
import { chinaDay, dayLabel, monthLabel } from '../../core/time';
import { chinaMonth } from '../../services/clock';
import type {
  DisputedRecord,
  MonthView,
  ObjectionStatus,
  ObjectionTargetType,
  ObjectionView,
  ObjectionsGetOutput,
} from '../../contract/points';
import { call } from '../../services/client';

import { errorText, isNotLinked } from '../../services/errors';
import { loadMain } from '../../services/page-load';
import { currentCareMode } from '../../services/preferences';
import { newRequestId } from '../../services/request-id';
import { getSession } from '../../services/session';

type Status = 'loading' | 'ready' | 'empty' | 'error';

const TARGET_TYPES: readonly ObjectionTargetType[] = ['entry', 'claim', 'board', 'month'];
const THEMES: Record<ObjectionStatus, string> = { open: 'warning', upheld: 'success', dismissed: 'default' };

interface ObjectionLine {
  id: string;
  title: string;
  reason: string;
  statusLabel: string;
  statusTheme: string;
  /** `提出于 2026-11-20 · 处理期限 2026-11-27`. */
  progress: string;
  overdue: boolean;
  decision: string;
}

export function toLine(o: ObjectionView): ObjectionLine {
  return {
    id: o.id,
    // Which record: its title when the server kept one, else the month (a month's results, a board).
    title: o.targetTitle ? `${o.targetLabel}：${o.targetTitle}` : `${o.targetLabel} · ${monthLabel(o.month)}`,
    reason: o.reason,
    statusLabel: o.statusLabel,
    statusTheme: THEMES[o.status],
    progress:
      o.status === 'open'
        ? `提出于 ${dayLabel(chinaDay(o.createdAt))} · 处理期限 ${dayLabel(chinaDay(o.deadline))}`
        : `提出于 ${dayLabel(chinaDay(o.createdAt))} · 处理于 ${o.decidedAt ? dayLabel(chinaDay(o.decidedAt)) : ''}`,
    overdue: o.overdue,
    decision: o.decisionReason ? `处理意见：${o.decisionReason}` : '',
  };
}

interface MonthOption {
  month: string;
  /** `2026年10月（公示中，还剩3天）`. */
  label: string;
}

/** The months whose results can still be disputed: open, or inside their notice window. */
export function toMonthOptions(months: readonly MonthView[]): MonthOption[] {
  return months
    .filter((m) => m.objectionsOpen)
    .map((m) => ({
      month: m.month,
      label: `${monthLabel(m.month)}（${m.stateLabel}${m.state === 'notice' ? `，还剩${m.daysLeft}天` : ''}）`,
    }));
}

interface Detail {
  record: string;
  /** `2026-11-20 何雄梅：对积分记录提出异议：…`. */
  trail: string[];
}

export function describeRecord(record: DisputedRecord | null): string {
  if (!record) return '原记录已不存在';
  switch (record.type) {
    case 'entry':
      return `${record.entry.ruleTitle ?? record.entry.kindLabel} ${record.entry.pointsText} 分（${record.entry.memberName ?? '全家'}，${chinaDay(record.entry.createdAt)}）`;
    case 'claim':
      return `申报“${record.claim.rule.title}”（${record.claim.memberName}，${record.claim.deedDate}）`;
    case 'board':
      return `${record.board.board === 'red' ? '红榜' : '黑榜'}：${record.board.personName} ${record.board.title}（${record.board.date}）`;
    case 'month':
      return `${monthLabel(record.month)}的月度结果`;
  }
  return '';
}

export function toDetail(output: ObjectionsGetOutput): Detail {
  return {
    record: describeRecord(output.record),
    trail: output.trail.map((step) => `${chinaDay(step.at)} ${step.actorName}：${step.summary}`),
  };
}

const requestIds = new WeakMap<object, string>();

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    careMode: false,
    /** The preselected target ('' type: a month's results, picked below). */
    targetType: 'month' as ObjectionTargetType,
    targetId: '',
    targetLabel: '',
    /** Months open to objections (from months.list); the picker's range. */
    monthOptions: [] as MonthOption[],
    monthIndex: 0,
    monthsNote: '',
    reason: '',
    submitting: false,
    lines: [] as ObjectionLine[],
    /** The objection whose detail is open ('' for none). */
    openId: '',
    detailStatus: 'loading' as 'loading' | 'ready' | 'error',
    detailError: '',
    detail: null as Detail | null,
  },

  methods: {
    onLoad(options?: { type?: string; id?: string; label?: string }) {
      requestIds.set(this, newRequestId());
      const type = TARGET_TYPES.find((t) => t === options?.type);
      const preselected = type && type !== 'month' && options?.id;
      this.setData({
        careMode: currentCareMode(),
        ...(preselected
          ? {
              targetType: type,
              targetId: options.id,
              targetLabel: decodeURIComponent(options.label ?? ''),
            }
          : {}),
      });
      void this.loadMonths();
      return this.loadMine();
    },

    async onPullDownRefresh() {
      await Promise.all([this.loadMine(), this.loadMonths()]);
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.loadMine();
    },

    async loadMine() {
      const mine = await loadMain(this, () => call('points', 'objections.mine', { offset: 0 }), {
        quiet: this.data.status === 'ready',
      });
      if (!mine) return;
      const lines = mine.objections.map(toLine);
      this.setData({ status: lines.length > 0 ? 'ready' : 'empty', lines });
    },

    /** The village's months and which of them still take objections. */
    async loadMonths() {
      const session = await getSession();
      if (!session.ok) {
        this.setData({ monthOptions: [], monthsNote: session.error.message });
        return;
      }
      if (!session.data.villageId) {
        this.setData({ monthOptions: [], monthsNote: '绑定家庭后才能对月度结果提出异议' });
        return;
      }
      const envelope = await call('points', 'months.list', { villageId: session.data.villageId });
      if (!envelope.ok) {
        this.setData({ monthOptions: [], monthsNote: envelope.error.message });
        return;
      }
      const monthOptions = toMonthOptions(envelope.data.months);
      const current = chinaMonth();
      this.setData({
        monthOptions,
        // Preselect the latest month that is already over (the one in 公示), else the first.
        monthIndex: Math.max(
          0,
          monthOptions.findIndex((m) => m.month < current),
        ),
        monthsNote: monthOptions.length > 0 ? '' : '最近没有可以提出异议的月份（公示期已结束）',
      });
    },

    /** Opens (or closes) one objection's detail: the disputed record and its trail. */
    async onToggle(event: WechatMiniprogram.BaseEvent) {
      const id = String(event.currentTarget.dataset.id);
      if (this.data.openId === id) {
        this.setData({ openId: '', detail: null });
        return;
      }
      this.setData({ openId: id, detailStatus: 'loading', detail: null, detailError: '' });
      const envelope = await call('points', 'objections.get', { objectionId: id });
      if (this.data.openId !== id) return;
      if (!envelope.ok) this.setData({ detailStatus: 'error', detailError: envelope.error.message });
      else this.setData({ detailStatus: 'ready', detail: toDetail(envelope.data) });
    },

    onMonthChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ monthIndex: Number(event.detail.value) });
    },

    /** Objects to a month's results instead of the preselected record. */
    onChooseMonth() {
      this.setData({ targetType: 'month', targetId: '', targetLabel: '' });
    },

    onReasonInput(event: WechatMiniprogram.Input) {
      this.setData({ reason: event.detail.value });
    },

    onSubmit() {
      if (this.data.submitting) return undefined;
      const reason = this.data.reason.trim();
      if (reason.length < 2) {
        wx.showToast({ title: '请填写理由（至少2个字）', icon: 'none' });
        return undefined;
      }
      if (this.data.targetType === 'month' && !this.data.monthOptions[this.data.monthIndex]) {
        wx.showToast({ title: this.data.monthsNote || '请选择月份', icon: 'none' });
        return undefined;
      }
      this.setData({ submitting: true });
      return this.raise(reason);
    },

    async raise(reason: string) {
      const { targetType, targetId } = this.data;
      const month = this.data.monthOptions[this.data.monthIndex]?.month ?? '';
      const requestId = requestIds.get(this) ?? newRequestId();
      requestIds.set(this, requestId);
      const envelope = await call('points', 'objections.raise', {
        requestId,
        target: { type: targetType, id: targetType === 'month' ? month : targetId },
        reason,
      });
      this.setData({ submitting: false });
      if (!envelope.ok) {
        const message = isNotLinked(envelope.error) ? '绑定家庭后才能提出异议' : errorText(envelope.error);
        wx.showToast({ title: message, icon: 'none' });
        return;
      }
      requestIds.set(this, newRequestId());
      wx.showToast({ title: '异议已提交', icon: 'success' });
      this.setData({
        reason: '',
        targetType: 'month',
        targetId: '',
        targetLabel: '',
        status: 'ready',
        lines: [
          toLine(envelope.data.objection),
          ...this.data.lines.filter((l) => l.id !== envelope.data.objection.id),
        ],
      });
    },
  },
});
