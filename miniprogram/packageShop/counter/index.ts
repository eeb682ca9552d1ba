/**
 * 收银台 (shop clerks): pick the shop, identify the family by tapping its card (NFC), scanning its QR code or
 * typing the 码号 under it, see who it is (real name, village, 户号, members), its spendable points and
 * suspension (suspended: a clear refusal, no cart), fill a cart from the shelf (search, categories, the items
 * this counter redeems most first) with a sticky bar of 合计 / 剩余 / 确认兑换 (disabled, with what is missing,
 * when the cart costs more than the family can spend), enter the family's PIN when asked, confirm once (a
 * request id made when the cart starts: a double tap or a retry never charges twice), show the receipt, and,
 * behind the 今日兑换 tab, cancel one of today's orders with a reason.
 */
import { pagedSection } from '../../behaviors/paged-list';
import { chinaDateTime } from '../../core/time';
import type { CounterIdentifyOutput, GoodsView, OrderView, PresentedCard } from '../../contract/shop';
import { errorText } from '../../services/errors';
import { newRequestId } from '../../services/request-id';
import { points } from '../lib/format';
import { startCardReader, type NfcProblem } from '../../services/nfc';
import { clerkShops, loadShops, openShopPicker, type Named } from '../lib/scope';
import { pageState } from '../../services/page-state';
import { sendOnce, type Sending, type SendShown } from '../../services/send';
import { call } from '../../services/client';
import type { WorkPageStatus } from '../../services/page-load';

/** idle: waiting for a card or QR; family: cart open; suspended: refused; receipt: order done. */
type Stage = 'idle' | 'identifying' | 'family' | 'suspended' | 'receipt';
type Tab = 'cashier' | 'orders';

/** Where this phone keeps how often each good was redeemed at it, per shop: frequent items come first. */
const FREQUENCY_KEY = 'counter-frequency';
const ALL = '全部';

interface FamilyCard {
  name: string;
  village: string;
  household: string;
  members: string;
  member: string;
  via: string;
  spendableText: string;
  reservedText: string;
  /** A card without an anti-copy token (accepted only where the village allows it): check who holds it. */
  warning: string;
}

interface GoodsRow {
  id: string;
  name: string;
  unit: string;
  priceText: string;
  stock: number;
  quantity: number;
}

/** Goods a clerk sees first: most redeemed at this counter, then the shop's own order. */
export function rankGoods<T extends { id: string }>(
  goods: readonly T[],
  frequency: Readonly<Record<string, number>>,
): T[] {
  return goods
    .map((g, index) => ({ g, index, times: frequency[g.id] ?? 0 }))
    .sort((a, b) => b.times - a.times || a.index - b.index)
    .map((x) => x.g);
}

/** The shelf as shown: one category (or all), names or codes containing the search words. */
export function shelfFilter<T extends { name: string; code: string; category: string }>(
  goods: readonly T[],
  category: string,
  search: string,
): T[] {
  const words = search.trim().toLowerCase();
  return goods.filter(
    (g) =>
      (category === ALL || g.category === category) &&
      (!words || g.name.toLowerCase().includes(words) || g.code.toLowerCase().includes(words)),
  );
}

function readFrequency(shopId: string): Record<string, number> {
  try {
    const stored = wx.getStorageSync(FREQUENCY_KEY) as Record<string, Record<string, number>> | '';
    return (stored && stored[shopId]) || {};
  } catch {
    return {};
  }
}

function countRedeemed(shopId: string, items: readonly { goodsId: string; quantity: number }[]): void {
  try {
    const stored = (wx.getStorageSync(FREQUENCY_KEY) || {}) as Record<string, Record<string, number>>;
    const counts = { ...(stored[shopId] ?? {}) };
    for (const item of items) counts[item.goodsId] = (counts[item.goodsId] ?? 0) + item.quantity;
    wx.setStorageSync(FREQUENCY_KEY, { ...stored, [shopId]: counts });
  } catch {
    // The order stands; only the shelf's ordering is not remembered.
  }
}

interface ReceiptView {
  orderId: string;
  family: string;
  lines: { key: string; name: string; quantityText: string; pointsText: string }[];
  totalText: string;
  balanceText: string;
  time: string;
}

interface OrderRow {
  id: string;
  time: string;
  summary: string;
  totalText: string;
  cancelled: boolean;
  cancelReason: string;
}

const LISTENING_TEXT = '请将积分卡贴近手机背面';

/** What the clerk reads when the counter's phone cannot read cards: scan or type the code instead. */
const READER_PROBLEM_TEXT: Record<NfcProblem, string> = {
  ios: '本机不能读卡，请扫村民的二维码',
  unsupported: '本机不能读卡，请扫村民的二维码',
  off: '请打开手机的NFC开关后重新进入，或扫码',
  unauthorized: '请在手机设置中允许微信使用NFC后重新进入，或扫码',
  failed: '读卡没有启动，请重新进入，或扫码',
};

const VIA_TEXT: Record<CounterIdentifyOutput['via'], string> = { card: '刷卡', qr: '扫码', code: '输码号' };

/** Sum of a cart in tenths. */
export function cartTotal(
  goods: readonly { id: string; pricePoints: number }[],
  quantities: Readonly<Record<string, number>>,
): number {
  return goods.reduce((sum, g) => sum + g.pricePoints * (quantities[g.id] ?? 0), 0);
}

function familyCard(who: CounterIdentifyOutput): FamilyCard {
  return {
    name: who.familyName,
    village: who.villageName,
    household: who.householdNumber ? `${who.householdNumber}号` : '',
    members: (who.members ?? []).map((m) => (m.relation ? `${m.name}（${m.relation}）` : m.name)).join('、'),
    member: who.memberName ?? '',
    via: VIA_TEXT[who.via],
    spendableText: points(who.spendable),
    reservedText: who.reserved > 0 ? `（另有${points(who.reserved)}已被心愿单预留）` : '',
    warning: who.warning ?? '',
  };
}

function orderRow(order: OrderView): OrderRow {
  return {
    id: order.id,
    time: chinaDateTime(order.createdAt).slice(11),
    summary: order.lines.map((l) => `${l.name}×${l.quantity}`).join('、'),
    totalText: `${order.totalPointsText}分`,
    cancelled: order.status === 'cancelled',
    cancelReason: order.cancelReason ?? '',
  };
}

/** The shop's orders, newest first, 加载更多 below. */
const ordersSection = pagedSection({
  key: 'orders',
  pageSize: 50,
  fetch: (shopId: string, offset: number) => call('shop', 'orders.list', { shopId, offset }),
  toRows: (data) => data.orders.map(orderRow),
});

interface Hidden {
  shops: Named[];
  goods: GoodsView[];
  quantities: Record<string, number>;
  presented: { card: PresentedCard } | { qr: string } | null;
  /** The shelf, ranked (frequent first); `goods` above keeps the server's rows for totals. */
  shelf: GoodsView[];
  who: CounterIdentifyOutput | null;
  requestId: string;
  sending: boolean;
  /** An order's cancel on its way (beside a redemption's `sending`). */
  cancel: Sending;
  stopReader: () => void;
}
const stateOf = pageState<Hidden>(() => ({
  shops: [],
  goods: [],
  quantities: {},
  presented: null,
  shelf: [],
  who: null,
  requestId: newRequestId(),
  sending: false,
  cancel: { sending: false },
  stopReader: () => undefined,
}));

/**
 * A confirm sent: a refusal shows the server's words, and a PIN asked for opens the PIN field. The request id
 * stays: a refusal applies nothing (the server stores only results), and after a lost answer the retry returns
 * the first result.
 */
const REDEEM_SENT: SendShown = {
  busy: 'submitting',
  error: 'confirmError',
  refused: (error) => {
    const reason = error.details?.reason;
    return reason === 'PIN_REQUIRED' || reason === 'PIN_WRONG' ? { pinNeeded: true, pin: '' } : {};
  },
};

Component({
  data: {
    status: 'loading' as WorkPageStatus,
    tab: 'cashier' as Tab,
    code: '',
    categories: [] as string[],
    category: ALL,
    search: '',
    cartCount: 0,
    errorMessage: '',
    shopNames: [] as string[],
    shopIndex: 0,
    readerText: '',
    stage: 'idle' as Stage,
    identifyError: '',
    family: null as FamilyCard | null,
    suspendedText: '',
    goodsStatus: 'loading' as 'loading' | 'ready' | 'empty' | 'error',
    goodsMessage: '',
    goods: [] as GoodsRow[],
    totalText: '0分',
    remainingText: '',
    over: false,
    shortText: '',
    pinNeeded: false,
    pin: '',
    submitting: false,
    confirmError: '',
    receipt: null as ReceiptView | null,
    ordersStatus: 'loading' as 'loading' | 'ready' | 'empty' | 'error',
    ordersMessage: '',
    orders: [] as OrderRow[],
    ordersHasMore: false,
    ordersLoadingMore: false,
    cancelId: '',
    cancelReason: '',
    cancelError: '',
    cancelSubmitting: false,
  },

  methods: {
    async onLoad() {
      this.setData({ status: 'loading', errorMessage: '' });
      const result = await loadShops(clerkShops);
      if (!result.ok) {
        this.setData({ status: 'error', errorMessage: result.error.message });
        return;
      }
      const state = stateOf(this);
      state.shops = result.items;
      if (!openShopPicker(this, result.items)) return;
      state.stopReader();
      state.stopReader = () => undefined;
      const started = await startCardReader(
        ({ uid, token }) => void this.onCard(token ? { uid, token } : { uid }),
      );
      if (started.ok) {
        state.stopReader = () => started.reader.stop();
        this.setData({ readerText: LISTENING_TEXT });
      } else {
        this.setData({ readerText: READER_PROBLEM_TEXT[started.problem] });
      }
      await this.loadOrders();
    },

    onUnload() {
      stateOf(this).stopReader();
    },

    onRetry() {
      return this.onLoad();
    },

    shopId(): string {
      return stateOf(this).shops[this.data.shopIndex]?.id ?? '';
    },

    onShopChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ shopIndex: Number(e.detail.value) });
      this.onNext();
      return this.loadOrders();
    },

    /** A card was tapped: identify it unless a family is already at the counter. */
    onCard(card: PresentedCard) {
      if (this.data.stage !== 'idle' || this.data.status !== 'ready') return;
      return this.identify({ card });
    },

    async onScan() {
      if (this.data.stage !== 'idle') return;
      let qr: string;
      try {
        const res = await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
        qr = res.result.trim();
      } catch {
        return; // The clerk closed the scanner.
      }
      if (!qr) return;
      await this.identify({ qr });
    },

    onTab(e: WechatMiniprogram.TouchEvent) {
      this.setData({ tab: e.currentTarget.dataset.tab === 'orders' ? 'orders' : 'cashier' });
    },

    onCodeInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ code: e.detail.value, identifyError: '' });
    },

    /** The 码号 under the villager's QR code, typed when the camera cannot read the screen. */
    onCodeSubmit() {
      if (this.data.stage !== 'idle') return;
      const code = this.data.code.trim();
      if (!/^[0-9A-Za-z_-]{6}$/.test(code)) {
        this.setData({ identifyError: '码号是二维码下方的6位字母或数字' });
        return;
      }
      return this.identify({ code });
    },

    async identify(presented: { card: PresentedCard } | { qr: string } | { code: string }) {
      const state = stateOf(this);
      this.setData({ stage: 'identifying', identifyError: '' });
      const envelope = await call('shop', 'counter.identify', { shopId: this.shopId(), ...presented });
      if (!envelope.ok) {
        this.setData({ stage: 'idle', identifyError: errorText(envelope.error) });
        return;
      }
      const who = envelope.data;
      state.who = who;
      // A typed code stands for its token: the redeem sends the token as if it had been scanned.
      state.presented = 'code' in presented ? { qr: who.qrToken ?? '' } : presented;
      if (who.suspended) {
        const until = who.suspendedUntil ? `，至${chinaDateTime(who.suspendedUntil).slice(0, 10)}` : '';
        this.setData({
          stage: 'suspended',
          family: familyCard(who),
          suspendedText: `该家庭上了黑榜，暂停兑换${until}。本次不能兑换。`,
        });
        return;
      }
      // The cart starts now: one request id for every confirm of this cart.
      state.requestId = newRequestId();
      state.quantities = {};
      this.setData({
        stage: 'family',
        family: familyCard(who),
        code: '',
        pinNeeded: false,
        pin: '',
        confirmError: '',
      });
      this.refreshTotals();
      await this.loadGoods();
    },

    async loadGoods() {
      this.setData({ goodsStatus: 'loading', goodsMessage: '' });
      const envelope = await call('shop', 'goods.list', { shopId: this.shopId() });
      if (!envelope.ok) {
        this.setData({ goodsStatus: 'error', goodsMessage: envelope.error.message, goods: [] });
        return;
      }
      const state = stateOf(this);
      const goods = envelope.data.goods.filter((g) => g.onShelf && g.stock > 0);
      state.goods = goods;
      state.shelf = rankGoods(goods, readFrequency(this.shopId()));
      const categories = [...new Set(goods.map((g) => g.category).filter(Boolean))];
      this.setData({
        goodsStatus: goods.length > 0 ? 'ready' : 'empty',
        categories: categories.length > 1 ? [ALL, ...categories] : [],
        category: ALL,
        search: '',
      });
      this.showShelf();
    },

    /** The shelf rows for the chosen category and search, with the cart's quantities. */
    showShelf() {
      const state = stateOf(this);
      const rows = shelfFilter(state.shelf, this.data.category, this.data.search).map((g) => ({
        id: g.id,
        name: g.name,
        unit: g.unit,
        priceText: `${points(g.pricePoints)}/${g.unit}`,
        stock: g.stock,
        quantity: state.quantities[g.id] ?? 0,
      }));
      this.setData({ goods: rows });
    },

    onCategory(e: WechatMiniprogram.TouchEvent) {
      this.setData({ category: String(e.currentTarget.dataset.category) });
      this.showShelf();
    },

    onSearchInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ search: e.detail.value });
      this.showShelf();
    },

    onSearchClear() {
      this.setData({ search: '' });
      this.showShelf();
    },

    onQuantityChange(e: WechatMiniprogram.CustomEvent<{ value: number | string }>) {
      const state = stateOf(this);
      if (state.sending) return;
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.goods[index];
      if (!row) return;
      const quantity = Math.max(0, Math.min(row.stock, Math.floor(Number(e.detail.value)) || 0));
      state.quantities[row.id] = quantity;
      this.setData({ [`goods[${index}].quantity`]: quantity, confirmError: '' });
      this.refreshTotals();
    },

    refreshTotals() {
      const state = stateOf(this);
      const total = cartTotal(state.goods, state.quantities);
      const spendable = state.who?.spendable ?? 0;
      const over = total > spendable;
      const pinAbove = state.who?.pinRequiredAbove ?? null;
      this.setData({
        totalText: points(total),
        remainingText: over ? `还差${points(total - spendable)}` : `剩余${points(spendable - total)}`,
        shortText: over ? `积分不够，还差${points(total - spendable)}，请减少商品` : '',
        cartCount: Object.values(state.quantities).reduce((sum, q) => sum + q, 0),
        over,
        pinNeeded: this.data.pinNeeded || (pinAbove !== null && total > pinAbove),
      });
    },

    onPinInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ pin: e.detail.value, confirmError: '' });
    },

    async onConfirm() {
      const state = stateOf(this);
      if (state.sending || this.data.stage !== 'family' || !state.who || !state.presented) return;
      if (this.data.over) return; // The bar says what is missing; the server would refuse it anyway.
      const items = state.goods
        .filter((g) => (state.quantities[g.id] ?? 0) > 0)
        .map((g) => ({ goodsId: g.id, quantity: state.quantities[g.id] as number }));
      if (items.length === 0) {
        this.setData({ confirmError: '请先选择要兑换的商品' });
        return;
      }
      if (this.data.pinNeeded && !/^\d{4,6}$/.test(this.data.pin)) {
        this.setData({ confirmError: '请输入4到6位家庭兑换密码' });
        return;
      }
      const { who, presented } = state;
      const redeemed = await sendOnce(this, state, REDEEM_SENT, () =>
        call('shop', 'counter.redeem', {
          requestId: state.requestId,
          shopId: this.shopId(),
          familyId: who.familyId,
          ...presented,
          items,
          ...(this.data.pinNeeded && this.data.pin ? { pin: this.data.pin } : {}),
        }),
      );
      if (!redeemed) return;
      const { order, available } = redeemed;
      countRedeemed(this.shopId(), items);
      this.setData({
        stage: 'receipt',
        goods: [],
        receipt: {
          orderId: order.id,
          family: who.familyName,
          lines: order.lines.map((l) => ({
            key: l.goodsId,
            name: l.name,
            quantityText: `${l.quantity}${l.unit}`,
            pointsText: points(l.pricePoints * l.quantity),
          })),
          totalText: `${order.totalPointsText}分`,
          balanceText: points(available),
          time: chinaDateTime(order.createdAt),
        },
      });
      await this.loadOrders();
    },

    /** Next family: back to waiting for a card or QR. */
    onNext() {
      const state = stateOf(this);
      if (state.sending) return;
      state.who = null;
      state.presented = null;
      state.quantities = {};
      this.setData({
        stage: 'idle',
        family: null,
        suspendedText: '',
        identifyError: '',
        goods: [],
        receipt: null,
        pinNeeded: false,
        pin: '',
        confirmError: '',
        totalText: '0分',
        remainingText: '',
        shortText: '',
        cartCount: 0,
        over: false,
      });
    },

    loadOrders() {
      return ordersSection.loadFirst(this, this.shopId());
    },

    onMoreOrders() {
      return ordersSection.loadMore(this, this.shopId());
    },

    onCancelOpen(e: WechatMiniprogram.TouchEvent) {
      this.setData({ cancelId: String(e.currentTarget.dataset.id), cancelReason: '', cancelError: '' });
    },

    onCancelClose() {
      if (stateOf(this).cancel.sending) return;
      this.setData({ cancelId: '', cancelReason: '', cancelError: '' });
    },

    onCancelReasonInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ cancelReason: e.detail.value, cancelError: '' });
    },

    async onCancelConfirm() {
      const state = stateOf(this);
      if (state.cancel.sending || !this.data.cancelId) return;
      const reason = this.data.cancelReason.trim();
      if (reason.length < 2) {
        this.setData({ cancelError: '请填写撤销理由（至少2个字）' });
        return;
      }
      const cancelled = await sendOnce(
        this,
        state.cancel,
        { busy: 'cancelSubmitting', error: 'cancelError' },
        () => call('shop', 'counter.cancel', { orderId: this.data.cancelId, reason }),
      );
      if (!cancelled) return;
      this.setData({ cancelId: '', cancelReason: '' });
      wx.showToast({ title: `已撤销，退回${cancelled.order.totalPointsText}分`, icon: 'none' });
      await this.loadOrders();
    },
  },
});
