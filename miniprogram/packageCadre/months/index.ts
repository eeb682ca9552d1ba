/**
 * 公示与锁定 (village cadres): the village's last months with their state (采集中, 公示中, 已锁定), days of
 * notice left and whether objections are open; 开始公示 and 锁定 are enabled as the server allows
 * (canStartNotice/canLock), and a refusal is shown as the server's message.
 */
import { monthLabel } from '../../core/time';
import type { MonthView } from '../../contract/points';
import { call } from '../../services/client';

import { cadreCall } from '../lib/api';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';

interface MonthRow {
  month: string;
  label: string;
  state: MonthView['state'];
  stateLabel: string;
  /** `公示剩余3天`, `公示期已满` or ''. */
  days: string;
  objectionsOpen: boolean;
  canStartNotice: boolean;
  canLock: boolean;
}

export function toMonthRow(view: MonthView): MonthRow {
  let days = '';
  if (view.state === 'notice') days = view.daysLeft > 0 ? `公示剩余${view.daysLeft}天` : '公示期已满';
  return {
    month: view.month,
    label: monthLabel(view.month),
    state: view.state,
    stateLabel: view.stateLabel,
    days,
    objectionsOpen: view.objectionsOpen,
    canStartNotice: view.canStartNotice,
    canLock: view.canLock,
  };
}

const TAG_THEMES = { open: 'primary', notice: 'warning', locked: 'default' } as const;

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    noticeDays: 0,
    months: [] as MonthRow[],
    tagThemes: TAG_THEMES,
    busyMonth: '',
    message: '',
    messageError: false,
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin'])))
        await this.loadMonths();
    },

    async onPullDownRefresh() {
      await this.loadMonths(true);
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.scopeVillages().length > 0 ? this.loadMonths() : this.onLoad();
    },

    onVillageSelected() {
      this.setData({ message: '' });
      return this.loadMonths();
    },

    async loadMonths(keepMessage = false) {
      const village = this.currentVillage();
      if (!village) return;
      if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
      if (!keepMessage) this.setData({ message: '' });
      const envelope = await call('points', 'months.list', { villageId: village.id });
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message, months: [] });
        return;
      }
      const months = envelope.data.months.map(toMonthRow);
      this.setData({
        status: months.length > 0 ? 'ready' : 'empty',
        noticeDays: envelope.data.noticeDays,
        months,
      });
    },

    onStartNotice(e: WechatMiniprogram.TouchEvent) {
      return this.act(String(e.currentTarget.dataset.month), 'notice');
    },

    onLock(e: WechatMiniprogram.TouchEvent) {
      return this.act(String(e.currentTarget.dataset.month), 'lock');
    },

    async act(month: string, kind: 'notice' | 'lock') {
      const village = this.currentVillage();
      const row = this.data.months.find((m) => m.month === month);
      if (!village || !row || this.data.busyMonth) return;
      if (kind === 'notice' ? !row.canStartNotice : !row.canLock) return;
      this.setData({ busyMonth: month, message: '' });
      const input = { villageId: village.id, month };
      const envelope =
        kind === 'notice'
          ? await cadreCall('points', 'months.startNotice', input)
          : await cadreCall('points', 'months.lock', input);
      if (!envelope.ok) {
        this.setData({ busyMonth: '', message: envelope.error.message, messageError: true });
        return;
      }
      const done =
        kind === 'notice'
          ? `${row.label}积分结果已开始公示${this.data.noticeDays}天，公示期内村民可提出异议`
          : `${row.label}积分结果已锁定，之后的更正将记入当月`;
      this.setData({ busyMonth: '', message: done, messageError: false });
      await this.loadMonths(true);
    },
  },
});
