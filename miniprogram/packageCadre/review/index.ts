/**
 * 申报审核 (village cadres, town admins): the village's pending claims and recorded lines, newest first, with
 * photos, rule, member, recorder and the 代录 tag. Approve or reject one (with a reason), or select many and
 * decide together; conflicts the server flags (own submission, own family) are shown and cannot be decided,
 * and any refusal comes back as the server's message on the item. Photos are shown through short-lived links
 * the function issues to the cadre (claims.photos): the storage rule denies the phone reading `cloud://` ids,
 * and a cadre must never approve without seeing the evidence, so a page whose links failed says so.
 */
import { pagedSection } from '../../behaviors/paged-list';
import { chinaDateTime } from '../../core/time';
import type { ReviewItemView, ReviewOutcome } from '../../contract/points';
import type { JobProgress } from '../../contract/jobs';
import { newRequestId } from '../../services/request-id';

import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { call } from '../../services/client';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';

/** One item as the page shows it. */
interface ReviewRow {
  id: string;
  memberName: string;
  ruleTitle: string;
  pointsText: string;
  deedDate: string;
  /** `申报人：何雄梅` or `录入人：李组长`. */
  recorder: string;
  /** `村民申报` or `月度采集`. */
  kindLabel: string;
  onBehalf: boolean;
  text: string;
  /** How many photos the claim carries, and their download links once issued. */
  photoCount: number;
  photos: string[];
  photoState: 'none' | 'loading' | 'ready' | 'error';
  submittedAt: string;
  conflict: string;
  selected: boolean;
  /** The server's refusal for this item, if the last decision failed. */
  message: string;
}

export function toReviewRow(item: ReviewItemView): ReviewRow {
  const record = item.kind === 'record';
  return {
    id: item.id,
    memberName: item.memberName,
    ruleTitle: item.rule.title,
    pointsText: item.pointsText,
    deedDate: item.deedDate,
    recorder: `${record ? '录入人' : '申报人'}：${item.submittedByName}`,
    kindLabel: record ? '月度采集' : '村民申报',
    onBehalf: item.onBehalf,
    text: item.text,
    photoCount: item.photos.length,
    photos: [],
    photoState: item.photos.length > 0 ? 'loading' : 'none',
    submittedAt: chinaDateTime(item.createdAt),
    conflict: item.conflict ?? '',
    selected: false,
    message: '',
  };
}

/** The village's claims waiting for review, newest first, 加载更多 below. */
const queueSection = pagedSection({
  key: 'items',
  main: true,
  reset: { notice: '', selectedCount: 0 },
  pageSize: 50,
  fetch: (villageId: string, offset: number) => call('points', 'review.queue', { villageId, offset }),
  toRows: (data) => [...data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(toReviewRow),
});

/** Not shown, kept per page instance: the villages in scope and the ids the reject dialog is for. */
interface Hidden {
  rejecting: string[];
}
const stateOf = pageState<Hidden>(() => ({ rejecting: [] }));

const DONE = { approve: '通过', reject: '驳回' } as const;

/** How many claims' photos one claims.photos call takes. */
const PHOTOS_PER_CALL = 50;

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    items: [] as ReviewRow[],
    itemsHasMore: false,
    itemsLoadingMore: false,
    selectedCount: 0,
    notice: '',
    busy: false,
    rejectVisible: false,
    rejectTitle: '',
    rejectReason: '',
    rejectHint: '',
    /** 全部通过 in progress: 已审核 50/200 条. */
    bulkProgress: '',
    /** Claims the bulk approval could not approve, with why (at most 50 shown). */
    bulkFailures: [] as string[],
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin'])))
        await this.loadVillage();
    },

    /** The village's queue, with its photos. */
    async loadVillage() {
      if (await queueSection.loadFirst(this, this.currentVillage()?.id)) await this.loadPhotos();
    },

    /** The next 50 of the queue, with their photos. */
    async onMoreItems() {
      if (!this.currentVillage()) return;
      await queueSection.loadMore(this, this.currentVillage()?.id);
      await this.loadPhotos();
    },

    /** Download links for the photos on the page, in one call; a failure is shown on each item, with 重试. */
    async loadPhotos() {
      // The rows still waiting for their links (new ones, or retried), as many as one call takes.
      const wanted = this.data.items
        .filter((row) => row.photoState === 'loading')
        .map((row) => row.id)
        .slice(0, PHOTOS_PER_CALL);
      if (wanted.length === 0) return;
      const envelope = await call('points', 'claims.photos', { claimIds: wanted });
      const changes: Record<string, unknown> = {};
      this.data.items.forEach((row, index) => {
        if (!wanted.includes(row.id)) return;
        const links = envelope.ok ? envelope.data.photos[row.id] : undefined;
        const ready = !!links && links.length > 0;
        changes[`items[${index}].photos`] = ready ? links : [];
        changes[`items[${index}].photoState`] = ready ? 'ready' : 'error';
      });
      this.setData(changes);
    },

    onPhotosRetry() {
      this.data.items.forEach((row, index) => {
        if (row.photoState === 'error') this.setData({ [`items[${index}].photoState`]: 'loading' });
      });
      return this.loadPhotos();
    },

    onPreview(e: WechatMiniprogram.TouchEvent) {
      const { id, index } = e.currentTarget.dataset as { id: string; index: number };
      const item = this.data.items.find((row) => row.id === id);
      if (!item) return;
      wx.previewImage({ urls: item.photos, current: item.photos[Number(index)] });
    },

    onToggle(e: WechatMiniprogram.TouchEvent) {
      const index = this.data.items.findIndex((row) => row.id === e.currentTarget.dataset.id);
      const item = this.data.items[index];
      if (!item || item.conflict) return;
      this.setData({
        [`items[${index}].selected`]: !item.selected,
        selectedCount: this.data.selectedCount + (item.selected ? -1 : 1),
      });
    },

    onApprove(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const item = this.data.items.find((row) => row.id === id);
      if (!item || item.conflict) return;
      return this.decide([id], 'approve');
    },

    onApproveSelected() {
      const ids = this.data.items.filter((row) => row.selected).map((row) => row.id);
      if (ids.length === 0) return;
      return this.decide(ids, 'approve');
    },

    /**
     * 全部通过: every pending claim of the village, approved by the server in chunks (review.bulkStart, then
     * review.bulkNext until finished); the page shows the progress and, at the end, what could not be approved.
     * A chunk that failed is asked for once more (repeating one approves nothing twice).
     */
    async onApproveAll() {
      const village = this.currentVillage();
      if (!village || this.data.busy) return;
      this.setData({ busy: true, notice: '', bulkProgress: '正在审核…', bulkFailures: [] });
      const failures: string[] = [];
      const label = (key: string, given: string) =>
        given || (this.data.items.find((row) => row.id === key)?.ruleTitle ?? '一条记录');
      const show = (progress: JobProgress) => {
        for (const o of progress.outcomes) if (!o.ok) failures.push(`${label(o.key, o.label)}：${o.message}`);
        this.setData({
          bulkProgress: `已审核 ${progress.done}/${progress.total} 条`,
          bulkFailures: failures.slice(0, 50),
        });
      };
      const first = await call('points', 'review.bulkStart', {
        requestId: newRequestId(),
        villageId: village.id,
      });
      let progress: JobProgress | null = first.ok ? first.data : null;
      let problem = first.ok ? '' : first.error.message;
      if (progress) show(progress);
      while (progress && !progress.finished) {
        let next = await call('points', 'review.bulkNext', { jobId: progress.jobId });
        if (!next.ok) next = await call('points', 'review.bulkNext', { jobId: progress.jobId });
        if (!next.ok) {
          problem = next.error.message;
          break;
        }
        progress = next.data;
        show(progress);
      }
      const approved = progress?.succeeded ?? 0;
      const notice = problem
        ? `已通过${approved}条，其余暂未审核：${problem}`
        : `已通过${approved}条${failures.length > 0 ? `，${failures.length}条未能通过，原因见下` : ''}`;
      this.setData({ busy: false, bulkProgress: '' });
      await this.loadVillage();
      this.setData({ notice });
      wx.showToast({ title: notice, icon: problem || failures.length > 0 ? 'none' : 'success' });
    },

    onReject(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const item = this.data.items.find((row) => row.id === id);
      if (!item || item.conflict) return;
      this.openReject([id], `驳回${item.memberName}的“${item.ruleTitle}”`);
    },

    onRejectSelected() {
      const ids = this.data.items.filter((row) => row.selected).map((row) => row.id);
      if (ids.length === 0) return;
      this.openReject(ids, `驳回选中的${ids.length}条记录`);
    },

    openReject(ids: string[], title: string) {
      stateOf(this).rejecting = ids;
      this.setData({ rejectVisible: true, rejectTitle: title, rejectReason: '', rejectHint: '' });
    },

    onReasonInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ rejectReason: e.detail.value, rejectHint: '' });
    },

    onRejectCancel() {
      stateOf(this).rejecting = [];
      this.setData({ rejectVisible: false });
    },

    async onRejectConfirm() {
      const reason = this.data.rejectReason.trim();
      if (reason.length < 2) {
        // The dialog stays open (its visibility is ours to set) and says what is missing.
        this.setData({ rejectHint: '请填写驳回理由（至少2个字）' });
        return;
      }
      const ids = stateOf(this).rejecting;
      stateOf(this).rejecting = [];
      this.setData({ rejectVisible: false });
      await this.decide(ids, 'reject', reason);
    },

    /** Calls approve/reject; decided items leave the list, refused ones stay with the server's message. */
    async decide(ids: string[], kind: 'approve' | 'reject', reason = '') {
      if (this.data.busy) return;
      this.setData({ busy: true, notice: '' });
      const envelope =
        kind === 'approve'
          ? await call('points', 'review.approve', { claimIds: ids })
          : await call('points', 'review.reject', { claimIds: ids, reason });
      let outcomes: ReviewOutcome[];
      if (envelope.ok) {
        outcomes = envelope.data.outcomes;
      } else if (ids.length === 1) {
        outcomes = [
          { id: ids[0], ok: false, error: { code: envelope.error.code, message: envelope.error.message } },
        ];
      } else {
        this.setData({ busy: false, notice: envelope.error.message });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const failed = new Map<string, string>();
      const done = new Set<string>();
      for (const outcome of outcomes) {
        if (outcome.ok) done.add(outcome.id);
        else failed.set(outcome.id, outcome.error.message);
      }
      const items = this.data.items
        .filter((row) => !done.has(row.id))
        .map((row) =>
          failed.has(row.id) ? { ...row, selected: false, message: failed.get(row.id) ?? '' } : row,
        );
      const parts: string[] = [];
      if (done.size > 0) parts.push(`已${DONE[kind]}${done.size}条`);
      if (failed.size > 0) parts.push(`${failed.size}条未能${DONE[kind]}，原因见该条记录`);
      const notice = parts.join('，');
      this.setData({
        busy: false,
        items,
        selectedCount: items.filter((row) => row.selected).length,
        notice,
        status: items.length > 0 ? 'ready' : 'empty',
      });
      const single = ids.length === 1 ? failed.get(ids[0]) : undefined;
      wx.showToast({ title: single ?? notice, icon: done.size > 0 && !single ? 'success' : 'none' });
    },
  },
});
