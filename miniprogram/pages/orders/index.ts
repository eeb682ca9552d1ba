/**
 * 兑换记录: the family's redemptions at the shops, newest first (orders.list): the items, the shop, the points
 * and the day; a cancelled one is marked with its reason (its points were returned). 50 a page, more on scroll.
 */
import { careMode } from '../../behaviors/care-mode';
import { dayLabel } from '../../core/time';
import type { OrderView } from '../../contract/shop';
import { formatPoints } from '../../core/points';
import { call } from '../../services/client';
import { pagedList } from '../../behaviors/paged-list';

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

const ordersList = pagedList({
  pageSize: PAGE_SIZE,
  fetch: (_page, offset: number) => call('shop', 'orders.list', { offset }),
  toLines: (output: { orders: OrderView[] }): OrderRow[] => output.orders.map(toOrderRow),
});

Component({
  behaviors: [careMode, ordersList],

  methods: {
    onLoad() {
      return this.loadFirst();
    },

    onShop() {
      wx.navigateTo({ url: '/pages/shop/index' });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
