/**
 * 心愿单 (coordinators: village cadres, town admins): the village's wishes, newest first, with what each needs
 * next — quote points (again, until the family accepts), mark an accepted wish done with what was delivered
 * (quantity and unit, e.g. 300 斤; the reserved points are spent then), or cancel with a reason.
 */
import { pagedSection, type SectionStatus } from '../../behaviors/paged-list';
import { chinaDateTime } from '../../core/time';
import type { WishView } from '../../contract/shop';
import type { Envelope } from '../../core/envelope';
import { formatPoints, parsePoints } from '../../core/points';

import { cadreVillagesLoad } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { sendOnce } from '../../services/send';
import { call } from '../../services/client';
import type { WorkPageStatus } from '../../services/page-load';

type Mode = 'quote' | 'done' | 'cancel';

interface WishRow {
  id: string;
  head: string;
  statusLabel: string;
  open: boolean;
  description: string;
  detail: string;
  meta: string;
  canQuote: boolean;
  canDone: boolean;
  canCancel: boolean;
}

function wishRow(w: WishView): WishRow {
  const quote = w.quotePoints !== null ? `报价${formatPoints(w.quotePoints)}分` : '';
  const delivered =
    w.deliveredQuantity !== null ? `已提供${w.deliveredQuantity}${w.deliveredUnit ?? ''}` : '';
  const cancelled = w.cancelReason ? `取消理由：${w.cancelReason}` : '';
  return {
    id: w.id,
    head: `${w.familyName}\u3000${w.kindLabel}`,
    statusLabel: w.statusLabel,
    open: w.status !== 'done' && w.status !== 'cancelled',
    description: w.description,
    detail: [quote, w.quoteNote, delivered, cancelled].filter(Boolean).join('\u3000'),
    meta: `${w.requestedByName} ${chinaDateTime(w.createdAt)}${w.coordinatorName ? `\u3000协调人 ${w.coordinatorName}` : ''}`,
    canQuote: w.status === 'requested' || w.status === 'quoted',
    canDone: w.status === 'accepted',
    canCancel: w.status === 'requested' || w.status === 'quoted' || w.status === 'accepted',
  };
}

/** The village's wishes, newest first, 加载更多 below. */
const wishesSection = pagedSection({
  key: 'wishes',
  pageSize: 50,
  fetch: (villageId: string, offset: number) => call('shop', 'wishes.list', { villageId, offset }),
  toRows: (data) => data.wishes.map(wishRow),
});

interface Hidden {
  sending: boolean;
}
const stateOf = pageState<Hidden>(() => ({ sending: false }));

const EMPTY_PANEL = {
  panelId: '',
  panelMode: 'quote' as Mode,
  points: '',
  note: '',
  quantity: '',
  unit: '斤',
  reason: '',
  panelError: '',
};

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    wishesStatus: 'loading' as SectionStatus,
    wishesMessage: '',
    wishes: [] as WishRow[],
    wishesHasMore: false,
    wishesLoadingMore: false,
    ...EMPTY_PANEL,
    submitting: false,
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(cadreVillagesLoad, { ready: () => ({}) })) await this.loadVillage();
    },

    onVillageSelected() {
      this.setData({ ...EMPTY_PANEL });
      return this.loadVillage();
    },

    loadVillage() {
      return wishesSection.loadFirst(this, this.currentVillage()?.id);
    },

    onMoreWishes() {
      return wishesSection.loadMore(this, this.currentVillage()?.id);
    },

    onPanelOpen(e: WechatMiniprogram.TouchEvent) {
      if (stateOf(this).sending) return;
      this.setData({
        ...EMPTY_PANEL,
        panelId: String(e.currentTarget.dataset.id),
        panelMode: e.currentTarget.dataset.mode as Mode,
      });
    },

    onPanelClose() {
      if (stateOf(this).sending) return;
      this.setData(EMPTY_PANEL);
    },

    onFieldInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const field = String(e.currentTarget.dataset.field);
      if (!['points', 'note', 'quantity', 'unit', 'reason'].includes(field)) return;
      this.setData({ [field]: e.detail.value, panelError: '' });
    },

    async onPanelSubmit() {
      const state = stateOf(this);
      if (state.sending || !this.data.panelId) return;
      const wishId = this.data.panelId;
      let send: () => Promise<Envelope<{ wish: WishView }>>;
      if (this.data.panelMode === 'quote') {
        const points = parsePoints(this.data.points);
        if (points === null || points <= 0 || points % 5 !== 0)
          return this.setData({ panelError: '请填写积分，须为0.5分的整数倍' });
        send = () => call('shop', 'wishes.quote', { wishId, points, note: this.data.note.trim() });
      } else if (this.data.panelMode === 'done') {
        const quantity = Number(this.data.quantity);
        if (!this.data.quantity.trim() || !Number.isFinite(quantity) || quantity < 0)
          return this.setData({ panelError: '请填写提供的数量' });
        const unit = this.data.unit.trim();
        if (!unit) return this.setData({ panelError: '请填写单位，如：斤、亩、小时' });
        send = () =>
          call('shop', 'wishes.done', { wishId, deliveredQuantity: quantity, deliveredUnit: unit });
      } else {
        const reason = this.data.reason.trim();
        if (reason.length < 2) return this.setData({ panelError: '请填写取消理由（至少2个字）' });
        send = () => call('shop', 'wishes.cancel', { wishId, reason });
      }
      const answered = await sendOnce(this, state, { busy: 'submitting', error: 'panelError' }, send);
      if (!answered) return;
      const index = this.data.wishes.findIndex((w) => w.id === wishId);
      this.setData({
        ...EMPTY_PANEL,
        ...(index >= 0 ? { [`wishes[${index}]`]: wishRow(answered.wish) } : {}),
      });
      wx.showToast({ title: `心愿${answered.wish.statusLabel}`, icon: 'none' });
    },
  },
});
