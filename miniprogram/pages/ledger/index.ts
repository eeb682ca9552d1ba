/**
 * 积分明细: the family's ledger, newest first, filtered by member and month. Each line says which rule, who
 * recorded it and who approved it, and offers 提出异议 (the objection page with this entry preselected).
 * Pull down to refresh; more lines load at the bottom (pages of 20).
 */
import type { EntryView } from '../../contract/points';
import { call } from '../../services/client';
import { chinaDay, chinaMonth, monthLabel } from '../../services/dates';
import { isNotLinked } from '../../services/errors';
import { currentCareMode } from '../../services/preferences';

type Status = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error';

export const PAGE_SIZE = 20;

interface LedgerLine {
  id: string;
  title: string;
  kindLabel: string;
  memberName: string;
  reason: string;
  points: string;
  deduction: boolean;
  day: string;
  month: string;
  /** `记录人：傅红 · 审核人：罗亚倩`. */
  trail: string;
}

export function toLine(entry: EntryView): LedgerLine {
  const approved = entry.approvedByName ? `审核人：${entry.approvedByName}` : '无需审核';
  const recorded = `记录人：${entry.recordedByName}${entry.onBehalf ? '（代录）' : ''}`;
  return {
    id: entry.id,
    title: entry.ruleTitle ?? entry.kindLabel,
    kindLabel: entry.kindLabel,
    memberName: entry.memberName ?? '全家',
    reason: entry.reason,
    points: `${entry.pointsText} 分`,
    deduction: entry.points < 0,
    day: chinaDay(entry.createdAt),
    month: entry.month,
    trail: `${recorded} · ${approved}`,
  };
}

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    careMode: false,
    lines: [] as LedgerLine[],
    hasMore: false,
    loadingMore: false,
    /** Member filter: the picker's range (first: 全部成员, id ''). */
    members: [{ id: '', name: '全部成员' }],
    memberIndex: 0,
    /** Month filter: '' for all months. */
    month: '',
    monthText: '全部月份',
    monthEnd: chinaMonth(),
  },

  methods: {
    onLoad() {
      this.setData({ careMode: currentCareMode(), monthEnd: chinaMonth() });
      void this.loadMembers();
      return this.loadLedger();
    },

    async onPullDownRefresh() {
      await this.loadLedger(true);
      wx.stopPullDownRefresh();
    },

    onReachBottom() {
      return this.loadMore();
    },

    onRetry() {
      return this.loadLedger();
    },

    /** The member filter's choices come from the family; without them the filter offers 全部成员 only. */
    async loadMembers() {
      const envelope = await call('accounts', 'families.get', {});
      if (!envelope.ok) return;
      this.setData({
        members: [
          { id: '', name: '全部成员' },
          ...envelope.data.members.map((m) => ({ id: m.id, name: m.name })),
        ],
      });
    },

    filters(): { memberId?: string; month?: string } {
      const memberId = this.data.members[this.data.memberIndex]?.id ?? '';
      return {
        ...(memberId ? { memberId } : {}),
        ...(this.data.month ? { month: this.data.month } : {}),
      };
    },

    async loadLedger(refreshing = false) {
      const keepShown = refreshing && this.data.status === 'ready';
      if (!keepShown) this.setData({ status: 'loading', errorMessage: '' });
      const envelope = await call('points', 'ledger.list', { ...this.filters(), offset: 0 });
      if (!envelope.ok) {
        if (isNotLinked(envelope.error)) this.setData({ status: 'unlinked', lines: [] });
        else if (keepShown) wx.showToast({ title: envelope.error.message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: envelope.error.message, lines: [] });
        return;
      }
      const lines = envelope.data.entries.map(toLine);
      this.setData({
        status: lines.length > 0 ? 'ready' : 'empty',
        lines,
        hasMore: lines.length === PAGE_SIZE,
      });
    },

    async loadMore() {
      if (!this.data.hasMore || this.data.loadingMore || this.data.status !== 'ready') return;
      this.setData({ loadingMore: true });
      const offset = this.data.lines.length;
      const envelope = await call('points', 'ledger.list', { ...this.filters(), offset });
      if (!envelope.ok) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const more = envelope.data.entries.map(toLine);
      const patch: Record<string, unknown> = { loadingMore: false, hasMore: more.length === PAGE_SIZE };
      more.forEach((line, i) => (patch[`lines[${offset + i}]`] = line));
      this.setData(patch);
    },

    onMemberChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ memberIndex: Number(event.detail.value) });
      return this.loadLedger();
    },

    onMonthChange(event: WechatMiniprogram.PickerChange) {
      const month = String(event.detail.value);
      this.setData({ month, monthText: monthLabel(month) });
      return this.loadLedger();
    },

    onAllMonths() {
      this.setData({ month: '', monthText: '全部月份' });
      return this.loadLedger();
    },

    onObject(event: WechatMiniprogram.BaseEvent) {
      const line = this.data.lines.find((l) => l.id === event.currentTarget.dataset.id);
      if (!line) return;
      const label = encodeURIComponent(`${line.day} ${line.title} ${line.points}`);
      wx.navigateTo({ url: `/pages/objections/index?type=entry&id=${line.id}&label=${label}` });
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
