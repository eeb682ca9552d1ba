/**
 * 异议处理 (supervisors; cadres and town admins may read): the village's objections, soonest deadline first,
 * overdue ones highlighted; 调查中 or all. Tapping one opens it (packageCadre/objection). Cadres and town admins
 * also see 待确认的积分调整: upheld month objections whose adjustments wait for a second cadre, with 确认 or the
 * server's reason why this person may not (objections.pendingAdjustments, objections.confirmAdjustments).
 */
import { monthLabel } from '../../core/time';
import { call } from '../../services/client';
import { chooseTab } from '../../services/page-load';
import { errorText } from '../../services/errors';
import { getSession } from '../../services/session';
import type { ObjectionStatus, ObjectionView, PendingAdjustmentsOutput } from '../../contract/points';

import { objectionFacts, type ObjectionFacts } from '../lib/objections';
import { holdsAny, villagesReaching } from '../lib/scope';
import { pagedSection } from '../../behaviors/paged-list';
import { villageScope } from '../../behaviors/village-scope';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';
type Filter = 'open' | 'all';

interface ObjectionRow extends ObjectionFacts {
  id: string;
  title: string;
}

export function toObjectionRow(o: ObjectionView): ObjectionRow {
  return {
    id: o.id,
    title: o.targetTitle
      ? `对${o.targetLabel}“${o.targetTitle}”的异议`
      : `${monthLabel(o.month)} · 对${o.targetLabel}的异议`,
    ...objectionFacts(o),
  };
}

/** The village's objections (the open ones, or all), newest first, 加载更多 below. */
const objectionsSection = pagedSection({
  key: 'objections',
  main: true,
  pageSize: 30,
  fetch: ({ villageId, status }: { villageId: string; status?: ObjectionStatus }, offset: number) =>
    call('points', 'objections.list', { villageId, ...(status ? { status } : {}), offset }),
  toRows: (data) => data.objections.map(toObjectionRow),
});

interface PendingRow {
  id: string;
  title: string;
  decision: string;
  lines: { familyId: string; familyName: string; pointsText: string }[];
  conflict: string;
  /** The refusal of the last 确认 ('' until then). */
  error: string;
}

export function toPendingRow(item: PendingAdjustmentsOutput['objections'][number]): PendingRow {
  const o = item.objection;
  return {
    id: o.id,
    title: `${monthLabel(o.month)}月度结果 · ${o.statusLabel}`,
    decision: `${item.decidedByName}处理：${o.decisionReason ?? ''}`,
    lines: item.adjustments.map((a) => ({
      familyId: a.familyId,
      familyName: a.familyName,
      pointsText: `${a.pointsText}分`,
    })),
    conflict: item.conflict ?? '',
    error: '',
  };
}

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    filter: 'open' as Filter,
    objections: [] as ObjectionRow[],
    objectionsHasMore: false,
    objectionsLoadingMore: false,
    /** 待确认的积分调整 (cadres and town admins). */
    pending: [] as PendingRow[],
    confirming: '',
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(villagesReaching(['supervisor', 'villageCadre', 'townAdmin'])))
        await this.loadVillage();
    },

    /** Back from a decision: the list reflects it. */
    async onShow() {
      if (this.data.status === 'ready' || this.data.status === 'empty') await this.loadVillage();
    },

    onFilterTap(e: WechatMiniprogram.TouchEvent) {
      return chooseTab(this, 'filter', e.currentTarget.dataset.filter) ? this.loadVillage() : undefined;
    },

    /** The village's objections under the filter, and the adjustments waiting for a second cadre. */
    async loadVillage() {
      if (!this.currentVillage()) return;
      await Promise.all([objectionsSection.loadFirst(this, this.listed()), this.loadPending()]);
    },

    /** The adjustments waiting for a second cadre, for those who may confirm them (nothing for others). */
    async loadPending() {
      const village = this.currentVillage();
      const session = await getSession();
      if (!village || !session.ok || !holdsAny(session.data.roles, ['villageCadre', 'townAdmin'])) {
        this.setData({ pending: [] });
        return;
      }
      const pending = await call('points', 'objections.pendingAdjustments', { villageId: village.id });
      this.setData({ pending: pending.ok ? pending.data.objections.map(toPendingRow) : [] });
    },

    /** 确认 as the second cadre: the adjustments are written now. */
    async onConfirmAdjustments(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id);
      const index = this.data.pending.findIndex((p) => p.id === id);
      if (index < 0 || this.data.confirming) return;
      this.setData({ confirming: id, [`pending[${index}].error`]: '' });
      const envelope = await call('points', 'objections.confirmAdjustments', { objectionId: id });
      if (!envelope.ok) {
        this.setData({ confirming: '', [`pending[${index}].error`]: errorText(envelope.error) });
        return;
      }
      this.setData({ confirming: '' });
      wx.showToast({ title: '已确认，积分已计入', icon: 'success' });
      await this.loadPending();
    },

    /** The village and the filter the list shows. */
    listed(): { villageId: string; status?: ObjectionStatus } | undefined {
      const village = this.currentVillage();
      if (!village) return undefined;
      return this.data.filter === 'open'
        ? { villageId: village.id, status: 'open' }
        : { villageId: village.id };
    },

    onMoreObjections() {
      return objectionsSection.loadMore(this, this.listed());
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      wx.navigateTo({ url: `/packageCadre/objection/index?id=${String(e.currentTarget.dataset.id)}` });
    },
  },
});
