/**
 * 心愿定制: the family asks for a service (农机租用, 农活代工, 房屋整治, 其他) with a description; a coordinator
 * quotes points; the family accepts (the points are reserved, spent when the service is done) or cancels; each
 * wish shows its status, quote and outcome. One request id per form, so a double tap asks once.
 */
import { chinaDay } from '../../core/time';
import type { WishView } from '../../contract/shop';
import { formatPoints } from '../../core/points';
import { canStep, WISH_KIND_LABELS, type WishKind, type WishStatus } from '../../core/wishes';
import { call } from '../../services/client';

import { errorText } from '../../services/errors';
import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { newRequestId } from '../../services/request-id';
import { pageContent } from '../../behaviors/page-content';

/** Per page instance: the open form's request id (a retry or a double tap asks once). */
const requestIds = new WeakMap<object, string>();

const KINDS: WishKind[] = ['machinery', 'labour', 'repair', 'other'];
const PAGE_SIZE = 50;

interface WishRow {
  id: string;
  title: string;
  status: WishStatus;
  statusLabel: string;
  description: string;
  day: string;
  /** '' until quoted. */
  quote: string;
  /** The quote shown, sent back on accepting (a changed quote is refused). */
  quotePoints: number | null;
  outcome: string;
  canAccept: boolean;
  canCancel: boolean;
}

const STATUS_THEME: Record<WishStatus, string> = {
  requested: 'default',
  quoted: 'warning',
  accepted: 'primary',
  done: 'success',
  cancelled: 'default',
};

export function toWishRow(wish: WishView): WishRow {
  const quote =
    wish.quotePoints === null
      ? ''
      : `报价 ${formatPoints(wish.quotePoints)}分${wish.quoteNote ? `：${wish.quoteNote}` : ''}` +
        `${wish.coordinatorName ? `（${wish.coordinatorName}）` : ''}`;
  let outcome = '';
  if (wish.status === 'accepted' && wish.quotePoints !== null)
    outcome = `已预留${formatPoints(wish.quotePoints)}分，服务完成后扣除`;
  if (wish.status === 'done')
    outcome = `已完成${wish.deliveredQuantity ?? ''}${wish.deliveredUnit ?? ''}，已扣${formatPoints(wish.quotePoints ?? 0)}分`;
  if (wish.status === 'cancelled') outcome = `已取消${wish.cancelReason ? `：${wish.cancelReason}` : ''}`;
  return {
    id: wish.id,
    title: wish.kindLabel,
    quotePoints: wish.quotePoints,
    status: wish.status,
    statusLabel: wish.statusLabel,
    description: wish.description,
    day: chinaDay(wish.createdAt),
    quote,
    outcome,
    canAccept: canStep(wish.status, 'accept'),
    canCancel: canStep(wish.status, 'cancel'),
  };
}

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as FamilyPageStatus,
    kinds: KINDS.map((id) => ({ id, label: WISH_KIND_LABELS[id] })),
    kind: '' as WishKind | '',
    description: '',
    formError: '',
    submitting: false,
    wishes: [] as WishRow[],
    themes: STATUS_THEME,
    /** The wish being accepted or cancelled. */
    acting: '',
  },

  methods: {
    onLoad() {
      requestIds.set(this, newRequestId());
      return this.reload();
    },

    /** The family's wishes, newest first. */
    async reload() {
      const listed = await loadMain(this, () => call('shop', 'wishes.list', {}), {
        quiet: this.data.status === 'ready',
        unlinked: {},
      });
      if (listed) this.setData({ status: 'ready', wishes: listed.wishes.slice(0, PAGE_SIZE).map(toWishRow) });
    },

    formRequestId(): string {
      let id = requestIds.get(this);
      if (!id) {
        id = newRequestId();
        requestIds.set(this, id);
      }
      return id;
    },

    onKind(event: WechatMiniprogram.BaseEvent) {
      this.setData({ kind: String(event.currentTarget.dataset.id) as WishKind, formError: '' });
    },

    onDescription(event: WechatMiniprogram.Input) {
      this.setData({ description: event.detail.value, formError: '' });
    },

    async onSubmit() {
      if (this.data.submitting) return;
      const kind = this.data.kind;
      const description = this.data.description.trim();
      if (!kind) {
        this.setData({ formError: '请选择需要的服务' });
        return;
      }
      if (description.length < 4) {
        this.setData({ formError: '请描述需要的服务（至少4个字），例如：3亩水稻收割，下周内' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      const envelope = await call('shop', 'wishes.request', {
        requestId: this.formRequestId(),
        kind,
        description,
      });
      this.setData({ submitting: false });
      if (!envelope.ok) {
        this.setData({ formError: errorText(envelope.error) });
        return;
      }
      requestIds.set(this, newRequestId());
      this.setData({
        kind: '',
        description: '',
        wishes: [
          toWishRow(envelope.data.wish),
          ...this.data.wishes.filter((w) => w.id !== envelope.data.wish.id),
        ],
      });
      wx.showToast({ title: '已提交，等待报价', icon: 'none' });
    },

    onAccept(event: WechatMiniprogram.BaseEvent) {
      const wish = this.data.wishes.find((w) => w.id === event.currentTarget.dataset.id);
      if (!wish || !wish.canAccept || this.data.acting) return;
      wx.showModal({
        title: '接受报价',
        content: `${wish.title}：${wish.quote}。确认后先预留这些积分，服务完成后扣除。`,
        confirmText: '接受',
        success: (res) => {
          if (res.confirm) void this.act(wish.id, 'accept', '');
        },
      });
    },

    onCancel(event: WechatMiniprogram.BaseEvent) {
      const wish = this.data.wishes.find((w) => w.id === event.currentTarget.dataset.id);
      if (!wish || !wish.canCancel || this.data.acting) return;
      wx.showModal({
        title: '取消心愿',
        content: '',
        editable: true,
        placeholderText: '取消原因（可不填）',
        confirmText: '取消心愿',
        cancelText: '不取消',
        success: (res) => {
          if (!res.confirm) return;
          const typed = (res.content ?? '').trim();
          void this.act(wish.id, 'cancel', typed.length >= 2 ? typed : '家庭不需要了');
        },
      });
    },

    async act(wishId: string, step: 'accept' | 'cancel', reason: string) {
      this.setData({ acting: wishId });
      // The quote the family was shown: if the coordinator changed it meanwhile, the server refuses.
      const quotePoints = this.data.wishes.find((w) => w.id === wishId)?.quotePoints ?? 0;
      const envelope =
        step === 'accept'
          ? await call('shop', 'wishes.accept', { wishId, quotePoints })
          : await call('shop', 'wishes.cancel', { wishId, reason });
      this.setData({ acting: '' });
      if (!envelope.ok) {
        wx.showModal({ title: '没有成功', content: errorText(envelope.error), showCancel: false });
        return;
      }
      const index = this.data.wishes.findIndex((w) => w.id === wishId);
      if (index >= 0) this.setData({ [`wishes[${index}]`]: toWishRow(envelope.data.wish) });
      wx.showToast({ title: step === 'accept' ? '已接受，积分已预留' : '已取消', icon: 'none' });
    },

    onBindFamily() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
