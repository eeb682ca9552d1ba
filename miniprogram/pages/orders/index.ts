/**
 * 兑换记录: the family's redemptions at the shops, newest first (orders.list): the items, the shop, the points
 * and the day; a cancelled one is marked with its reason (its points were returned). 50 a page, more on scroll.
 */
import { dayLabel } from '../../core/time';
import type { OrderView } from '../../contract/shop';
import { formatPoints } from '../../core/points';
import { call } from '../../services/client';

import { isNotLinked } from '../../services/errors';
import { currentCareMode } from '../../services/preferences';

type Status = 'loading' | 'ready' | 'unlinked' | 'error';

const PAGE_SIZE = 50;

interface OrderRow {
  id: string;
  shopName: string;
  day: string;
  items: string;
  points: string;
  cancelled: boolean;
  cancelNote: string;
  via: string;
}

export function toOrderRow(order: OrderView): OrderRow {
  const cancelled = order.status === 'cancelled';
  return {
    id: order.id,
    shopName: order.shopName,
    day: dayLabel(order.day),
    items: order.lines.map((l) => `${l.name}×${l.quantity}${l.unit}`).join('、'),
    points: `${formatPoints(order.totalPoints)}分`,
    cancelled,
    cancelNote: cancelled ? `已撤销，积分已退回${order.cancelReason ? `（${order.cancelReason}）` : ''}` : '',
    via: order.via === 'card' ? '刷卡' : '扫码',
  };
}

Component({
  data: {
    careMode: false,
    status: 'loading' as Status,
    errorMessage: '',
    orders: [] as OrderRow[],
    hasMore: false,
    loadingMore: false,
  },

  methods: {
    onLoad() {
      this.setData({ careMode: currentCareMode() });
      return this.loadFirst();
    },

    async onPullDownRefresh() {
      await this.loadFirst();
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.loadFirst();
    },

    async loadFirst() {
      if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
      const envelope = await call('shop', 'orders.list', { offset: 0 });
      if (!envelope.ok) {
        if (isNotLinked(envelope.error)) this.setData({ status: 'unlinked' });
        else this.setData({ status: 'error', errorMessage: envelope.error.message });
        return;
      }
      const orders = envelope.data.orders;
      this.setData({
        status: 'ready',
        orders: orders.map(toOrderRow),
        hasMore: orders.length === PAGE_SIZE,
      });
    },

    async onReachBottom() {
      if (!this.data.hasMore || this.data.loadingMore) return;
      const offset = this.data.orders.length;
      this.setData({ loadingMore: true });
      const envelope = await call('shop', 'orders.list', { offset });
      if (!envelope.ok) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const more = envelope.data.orders;
      const patch: Record<string, unknown> = { loadingMore: false, hasMore: more.length === PAGE_SIZE };
      more.forEach((order, i) => (patch[`orders[${offset + i}]`] = toOrderRow(order)));
      this.setData(patch);
    },

    onShop() {
      wx.navigateTo({ url: '/pages/shop/index' });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
