/**
 * 积分商城: what the shops serving the family's village have on the shelf, with the points price, stock and
 * 缺货; the family's available points on top; links to 兑换记录. Redemption itself happens at the counter
 * (card or QR), so this page only shows.
 */
import { chinaDay, dayLabel } from '../../core/time';
import type { GoodsView, ShopView } from '../../contract/shop';
import { formatPoints } from '../../core/points';
import { nowMs } from '../../services/clock';
import { call } from '../../services/client';

import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { pageContent } from '../../behaviors/page-content';

type GoodsStatus = 'loading' | 'ready' | 'error';

interface ShopTab {
  id: string;
  name: string;
}

interface GoodsRow {
  id: string;
  name: string;
  category: string;
  price: string;
  stock: string;
  soldOut: boolean;
}

export function toGoodsRow(goods: GoodsView): GoodsRow {
  const soldOut = goods.stock <= 0;
  return {
    id: goods.id,
    name: goods.name,
    category: goods.category,
    price: `${formatPoints(goods.pricePoints)}分/${goods.unit}`,
    stock: soldOut ? '缺货' : `库存 ${goods.stock}${goods.unit}`,
    soldOut,
  };
}

/** Village shops first, then the central shop. */
const byKind = (a: ShopView, b: ShopView): number =>
  a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'village' ? -1 : 1;

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as FamilyPageStatus,
    available: '',
    /** '' unless the family is suspended (no redemption). */
    suspension: '',
    shops: [] as ShopTab[],
    shopId: '',
    goodsStatus: 'loading' as GoodsStatus,
    goodsError: '',
    goods: [] as GoodsRow[],
  },

  methods: {
    onLoad() {
      return this.reload();
    },

    /** The family's points and its shops, then the chosen shop's goods. */
    async reload() {
      const family = await loadMain(this, () => call('accounts', 'families.get', {}), {
        quiet: this.data.status === 'ready',
        unlinked: {},
      });
      if (!family) return;
      const { villageId, available, suspendedUntil } = family.family;
      const shops = await loadMain(this, () => call('shop', 'shops.list', { villageId }), { quiet: true });
      if (!shops) return;
      const tabs = [...shops.shops].sort(byKind).map((s) => ({ id: s.id, name: s.name }));
      const suspended = suspendedUntil !== null && new Date(suspendedUntil).getTime() > nowMs();
      const shopId = tabs.some((t) => t.id === this.data.shopId) ? this.data.shopId : (tabs[0]?.id ?? '');
      this.setData({
        status: 'ready',
        available: formatPoints(available),
        suspension: suspended
          ? `因上黑榜，您家暂停兑换，至${dayLabel(chinaDay(suspendedUntil ?? ''))}恢复`
          : '',
        shops: tabs,
        shopId,
      });
      if (shopId) await this.loadGoods(shopId);
      else this.setData({ goodsStatus: 'ready', goods: [] });
    },

    async loadGoods(shopId: string) {
      this.setData({ goodsStatus: 'loading', goodsError: '' });
      const envelope = await call('shop', 'goods.list', { shopId });
      if (shopId !== this.data.shopId) return;
      if (!envelope.ok) {
        this.setData({ goodsStatus: 'error', goodsError: envelope.error.message });
        return;
      }
      this.setData({ goodsStatus: 'ready', goods: envelope.data.goods.map(toGoodsRow) });
    },

    onShop(event: WechatMiniprogram.BaseEvent) {
      const shopId = String(event.currentTarget.dataset.id);
      if (shopId === this.data.shopId) return undefined;
      this.setData({ shopId });
      return this.loadGoods(shopId);
    },

    onGoodsRetry() {
      return this.loadGoods(this.data.shopId);
    },

    onOrders() {
      wx.navigateTo({ url: '/pages/orders/index' });
    },

    onQr() {
      wx.navigateTo({ url: '/pages/qr/index' });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
