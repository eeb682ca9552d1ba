/**
 * 积分明细: the family's ledger, newest first, filtered by member and month. Each line says which rule, who
 * recorded it and who approved it, and offers 提出异议 (the objection page with this entry preselected).
 * Pull down to refresh; more lines load at the bottom (pages of 20).
 */
import { chinaDay, monthLabel } from '../../core/time';
import { chinaMonth } from '../../services/clock';
import type { EntryView, LedgerListOutput } from '../../contract/points';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/client';

import { currentCareMode } from '../../services/preferences';

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

type Filters = { memberId?: string; month?: string };

const ledgerList = pagedList({
  pageSize: PAGE_SIZE,
  fetch: (page: { filters(): Filters }, offset: number) =>
    call('points', 'ledger.list', { ...page.filters(), offset }),
  toLines: (output: LedgerListOutput) => output.entries.map(toLine),
});

Component({
  behaviors: [ledgerList],

  data: {
    careMode: false,
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
      return this.loadFirst();
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

    filters(): Filters {
      const memberId = this.data.members[this.data.memberIndex]?.id ?? '';
      return {
        ...(memberId ? { memberId } : {}),
        ...(this.data.month ? { month: this.data.month } : {}),
      };
    },

    onMemberChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ memberIndex: Number(event.detail.value) });
      return this.loadFirst();
    },

    onMonthChange(event: WechatMiniprogram.PickerChange) {
      const month = String(event.detail.value);
      this.setData({ month, monthText: monthLabel(month) });
      return this.loadFirst();
    },

    onAllMonths() {
      this.setData({ month: '', monthText: '全部月份' });
      return this.loadFirst();
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
