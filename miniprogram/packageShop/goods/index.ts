/**
 * 商品与库存 (clerks and the shop's managers): the shop's goods with prices, stock and shelf state (on/off the
 * shelf through goods.save, managers only), a stock movement with its reason (restock, loss or stocktake
 * correction through goods.stock, one request id per dialog), the low-stock list and the movements (50 at a time);
 * 新增/编辑商品 (goods.save: name, category, unit, points price in 0.5 steps, cost and cash price in yuan, low-stock
 * line), its controls shown only to the shop's managers (cadres of its village, town admins), as the server allows.
 */
import { chinaDateTime } from '../../core/time';
import type { GoodsView, StockMoveInput, StockMovementView } from '../../contract/shop';
import { HALF_POINT, formatPoints, parsePoints, type Tenths } from '../../core/points';
import type { GoodsTerms } from '../../core/shop';
import { errorText } from '../../services/errors';
import { newRequestId } from '../../services/request-id';
import { parseYuan, points } from '../lib/format';
import { loadShops, managerShops, openShopPicker, staffShops, type Named } from '../lib/scope';
import { pageState } from '../../services/page-state';
import { sendOnce } from '../../services/send';
import { call } from '../../services/client';
import { pagedSection, type SectionStatus } from '../../behaviors/paged-list';
import type { WorkPageStatus } from '../../services/page-load';

type MoveKind = StockMoveInput['kind'];

interface GoodsRow {
  id: string;
  name: string;
  meta: string;
  stockText: string;
  onShelf: boolean;
  lowStock: boolean;
}

interface LowRow {
  id: string;
  text: string;
}

interface MovementRow {
  id: string;
  title: string;
  changeText: string;
  meta: string;
}

const KINDS: { kind: MoveKind; label: string; hint: string }[] = [
  { kind: 'restock', label: '进货', hint: '进货数量' },
  { kind: 'loss', label: '报损', hint: '损耗数量' },
  { kind: 'correction', label: '盘点更正', hint: '增减数量，如 -2 或 3' },
];

function goodsRow(g: GoodsView): GoodsRow {
  return {
    id: g.id,
    name: g.name,
    meta: `${points(g.pricePoints)}/${g.unit}\u3000${g.category}`,
    stockText: `库存${g.stock}${g.unit}`,
    onShelf: g.onShelf,
    lowStock: g.lowStock,
  };
}

function movementRow(m: StockMovementView): MovementRow {
  return {
    id: m.id,
    title: `${m.kindLabel}\u3000${m.goodsName}`,
    changeText: `${m.change > 0 ? '+' : ''}${m.change}（余${m.stockAfter}）`,
    meta: `${chinaDateTime(m.at)}\u3000${m.byName}${m.reason ? `\u3000${m.reason}` : ''}`,
  };
}

/** The shop's stock movements, newest first, 加载更多 below (the server sends 50 at a time). */
const movementsSection = pagedSection({
  key: 'movements',
  pageSize: 50,
  fetch: (shopId: string, offset: number) => call('shop', 'goods.movements', { shopId, offset }),
  toRows: (data) => data.movements.map(movementRow),
});

/** A typed quantity for `kind`: whole, non-zero, positive unless a correction; else null. */
export function parseQuantity(kind: MoveKind, text: string): number | null {
  if (!/^\s*[+-]?\d{1,6}\s*$/.test(text)) return null;
  const quantity = Number(text);
  if (quantity === 0) return null;
  if (kind !== 'correction' && quantity < 0) return null;
  return quantity;
}

/** A points price typed by a manager: a positive multiple of 0.5 分, in tenths; else null. */
export function parsePrice(text: string): Tenths | null {
  const value = parsePoints(text);
  if (value === null || value <= 0 || value % HALF_POINT !== 0 || value > 100_000) return null;
  return value;
}

/** Yuan typed in a form into fen; empty is 0; null when not an amount. */
function parseFen(text: string): number | null {
  if (!text.trim() || /^\s*0+(\.0{1,2})?\s*$/.test(text)) return 0;
  return parseYuan(text);
}

const fenText = (fen: number): string => (fen > 0 ? String(fen / 100) : '');

interface GoodsForm {
  name: string;
  category: string;
  unit: string;
  price: string;
  cost: string;
  cash: string;
  threshold: string;
}
type FormField = keyof GoodsForm;

const EMPTY_FORM: GoodsForm = {
  name: '',
  category: '',
  unit: '',
  price: '',
  cost: '',
  cash: '',
  threshold: '5',
};

/** The form checked into goods.save's fields (without shop, id, picture and shelf); or the first problem. */
export function checkForm(form: GoodsForm): { ok: true; value: GoodsTerms } | { ok: false; message: string } {
  const name = form.name.trim();
  const category = form.category.trim();
  const unit = form.unit.trim();
  if (!name) return { ok: false, message: '请填写商品名称' };
  if (!category) return { ok: false, message: '请填写分类，如：日用品' };
  if (!unit) return { ok: false, message: '请填写单位，如：瓶、袋' };
  const pricePoints = parsePrice(form.price);
  if (pricePoints === null)
    return { ok: false, message: '积分价格须大于0，且为0.5分的整数倍，如 1、1.5、14' };
  const costFen = parseFen(form.cost);
  if (costFen === null) return { ok: false, message: '进价格式不正确，请填写元，如 12 或 12.5' };
  const cashPriceFen = parseFen(form.cash);
  if (cashPriceFen === null) return { ok: false, message: '现金价格式不正确，请填写元，如 15' };
  if (!/^\s*\d{1,5}\s*$/.test(form.threshold) || Number(form.threshold) > 10_000)
    return { ok: false, message: '低库存提醒请填写0到10000的整数' };
  return {
    ok: true,
    value: {
      name,
      category,
      unit,
      pricePoints,
      costFen,
      cashPriceFen,
      lowStockThreshold: Number(form.threshold),
    },
  };
}

interface Hidden {
  shops: Named[];
  /** Ids of the shops the person manages (may add and edit goods). */
  managed: Set<string>;
  /** The good being edited, null for a new one. */
  editing: GoodsView | null;
  saving: boolean;
  goods: GoodsView[];
  requestId: string;
  sending: boolean;
}
const stateOf = pageState<Hidden>(() => ({
  shops: [],
  managed: new Set(),
  editing: null,
  saving: false,
  goods: [],
  requestId: newRequestId(),
  sending: false,
}));

Component({
  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    shopNames: [] as string[],
    shopIndex: 0,
    goodsStatus: 'loading' as SectionStatus,
    goodsMessage: '',
    goods: [] as GoodsRow[],
    lowStatus: 'loading' as SectionStatus,
    low: [] as LowRow[],
    movementsStatus: 'loading' as SectionStatus,
    movements: [] as MovementRow[],
    movementsHasMore: false,
    movementsLoadingMore: false,
    kinds: KINDS.map(({ kind, label }) => ({ kind, label })),
    moveGoodsId: '',
    moveGoodsName: '',
    moveKind: 'restock' as MoveKind,
    moveHint: KINDS[0]?.hint ?? '',
    moveQuantity: '',
    moveReason: '',
    moveError: '',
    moving: false,
    canEdit: false,
    formOpen: false,
    formTitle: '',
    form: EMPTY_FORM,
    formError: '',
    saving: false,
  },

  methods: {
    async onLoad() {
      this.setData({ status: 'loading', errorMessage: '' });
      let managed: Named[] = [];
      const result = await loadShops((roles, shops) => {
        managed = managerShops(roles, shops);
        return staffShops(roles, shops);
      });
      if (!result.ok) {
        this.setData({ status: 'error', errorMessage: result.error.message });
        return;
      }
      const state = stateOf(this);
      state.shops = result.items;
      state.managed = new Set(managed.map((s) => s.id));
      const canEdit = state.managed.has(result.items[0]?.id ?? '');
      if (openShopPicker(this, result.items, { canEdit })) await this.loadShop();
    },

    onRetry() {
      return this.onLoad();
    },

    shopId(): string {
      return stateOf(this).shops[this.data.shopIndex]?.id ?? '';
    },

    onShopChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const shopIndex = Number(e.detail.value);
      const canEdit = stateOf(this).managed.has(stateOf(this).shops[shopIndex]?.id ?? '');
      this.setData({ shopIndex, moveGoodsId: '', formOpen: false, canEdit });
      return this.loadShop();
    },

    loadShop() {
      return Promise.all([this.loadGoods(), this.loadLow(), this.loadMovements()]);
    },

    async loadGoods() {
      this.setData({ goodsStatus: 'loading', goodsMessage: '' });
      const envelope = await call('shop', 'goods.list', { shopId: this.shopId(), includeOffShelf: true });
      if (!envelope.ok) {
        this.setData({ goodsStatus: 'error', goodsMessage: envelope.error.message, goods: [] });
        return;
      }
      stateOf(this).goods = envelope.data.goods;
      this.setData({
        goodsStatus: envelope.data.goods.length > 0 ? 'ready' : 'empty',
        goods: envelope.data.goods.map(goodsRow),
      });
    },

    async loadLow() {
      const envelope = await call('shop', 'goods.lowStock', { shopId: this.shopId() });
      if (!envelope.ok) {
        this.setData({ lowStatus: 'error', low: [] });
        return;
      }
      const low = envelope.data.goods.map((g) => ({
        id: g.id,
        text: `${g.name}：剩${g.stock}${g.unit}（提醒线${g.lowStockThreshold}）`,
      }));
      this.setData({ lowStatus: low.length > 0 ? 'ready' : 'empty', low });
    },

    loadMovements() {
      return movementsSection.loadFirst(this, this.shopId());
    },

    /** 加载更多 under the movements: the next page of the shop's stock movements, newest first. */
    onMoreMovements() {
      return movementsSection.loadMore(this, this.shopId());
    },

    /** On or off the shelf: goods.save with the good as it is, the shelf flipped (managers only). */
    async onShelfToggle(e: WechatMiniprogram.TouchEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const good = stateOf(this).goods[index];
      if (!good) return;
      const envelope = await call('shop', 'goods.save', {
        shopId: good.shopId,
        goodsId: good.id,
        name: good.name,
        category: good.category,
        unit: good.unit,
        pricePoints: good.pricePoints,
        costFen: good.costFen,
        cashPriceFen: good.cashPriceFen,
        picture: good.picture,
        onShelf: !good.onShelf,
        lowStockThreshold: good.lowStockThreshold,
      });
      if (!envelope.ok) {
        wx.showToast({ title: errorText(envelope.error), icon: 'none' });
        return;
      }
      stateOf(this).goods[index] = envelope.data.goods;
      this.setData({ [`goods[${index}]`]: goodsRow(envelope.data.goods) });
      wx.showToast({ title: envelope.data.goods.onShelf ? '已上架' : '已下架', icon: 'none' });
    },

    /** 新增商品: an empty form. */
    onAddOpen() {
      if (!this.data.canEdit) return;
      stateOf(this).editing = null;
      this.setData({
        formOpen: true,
        formTitle: '新增商品',
        form: EMPTY_FORM,
        formError: '',
        moveGoodsId: '',
      });
    },

    /** 编辑: the form filled with the good as it is. */
    onEditOpen(e: WechatMiniprogram.TouchEvent) {
      const good = stateOf(this).goods[Number(e.currentTarget.dataset.index)];
      if (!good || !this.data.canEdit) return;
      stateOf(this).editing = good;
      this.setData({
        formOpen: true,
        formTitle: `编辑商品：${good.name}`,
        form: {
          name: good.name,
          category: good.category,
          unit: good.unit,
          price: formatPoints(good.pricePoints),
          cost: fenText(good.costFen),
          cash: fenText(good.cashPriceFen),
          threshold: String(good.lowStockThreshold),
        },
        formError: '',
        moveGoodsId: '',
      });
    },

    onFormClose() {
      if (stateOf(this).saving) return;
      this.setData({ formOpen: false });
    },

    onFormInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const field = e.currentTarget.dataset.field as FormField;
      if (!(field in EMPTY_FORM)) return;
      this.setData({ [`form.${field}`]: e.detail.value, formError: '' });
    },

    async onFormSubmit() {
      const state = stateOf(this);
      if (state.saving || !this.data.formOpen) return;
      const checked = checkForm(this.data.form);
      if (!checked.ok) {
        this.setData({ formError: checked.message });
        return;
      }
      const editing = state.editing;
      state.saving = true;
      this.setData({ saving: true, formError: '' });
      const envelope = await call('shop', 'goods.save', {
        shopId: this.shopId(),
        ...(editing ? { goodsId: editing.id } : {}),
        ...checked.value,
        picture: editing?.picture ?? '',
        onShelf: editing?.onShelf ?? true,
      });
      state.saving = false;
      if (!envelope.ok) {
        this.setData({ saving: false, formError: errorText(envelope.error) });
        return;
      }
      this.setData({ saving: false, formOpen: false });
      wx.showToast({ title: editing ? '已保存' : '已新增', icon: 'success' });
      await Promise.all([this.loadGoods(), this.loadLow()]);
    },

    onMoveOpen(e: WechatMiniprogram.TouchEvent) {
      const good = stateOf(this).goods[Number(e.currentTarget.dataset.index)];
      if (!good) return;
      stateOf(this).requestId = newRequestId();
      this.setData({
        moveGoodsId: good.id,
        moveGoodsName: `${good.name}（库存${good.stock}${good.unit}）`,
        moveKind: 'restock',
        moveHint: KINDS[0]?.hint ?? '',
        moveQuantity: '',
        moveReason: '',
        moveError: '',
        formOpen: false,
      });
    },

    onMoveClose() {
      if (stateOf(this).sending) return;
      this.setData({ moveGoodsId: '' });
    },

    onKindTap(e: WechatMiniprogram.TouchEvent) {
      const kind = e.currentTarget.dataset.kind as MoveKind;
      this.setData({
        moveKind: kind,
        moveHint: KINDS.find((k) => k.kind === kind)?.hint ?? '',
        moveError: '',
      });
    },

    onQuantityInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ moveQuantity: e.detail.value, moveError: '' });
    },

    onReasonInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ moveReason: e.detail.value, moveError: '' });
    },

    async onMoveSubmit() {
      const state = stateOf(this);
      if (state.sending || !this.data.moveGoodsId) return;
      const quantity = parseQuantity(this.data.moveKind, this.data.moveQuantity);
      if (quantity === null) {
        this.setData({
          moveError: this.data.moveKind === 'correction' ? '请填写不为0的整数' : '请填写大于0的整数',
        });
        return;
      }
      const reason = this.data.moveReason.trim();
      if (reason.length < 2) {
        this.setData({ moveError: '请填写理由（至少2个字）' });
        return;
      }
      const moved = await sendOnce(this, state, { busy: 'moving', error: 'moveError' }, () =>
        call('shop', 'goods.stock', {
          requestId: state.requestId,
          shopId: this.shopId(),
          goodsId: this.data.moveGoodsId,
          kind: this.data.moveKind,
          quantity,
          reason,
        }),
      );
      if (!moved) return;
      this.setData({ moveGoodsId: '' });
      wx.showToast({ title: '已记录', icon: 'success' });
      await this.loadShop();
    },
  },
});
