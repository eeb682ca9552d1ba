/**
 * 异议处理 (supervisors; cadres and town admins may read): the village's objections, soonest deadline first,
 * overdue ones highlighted; 调查中 or all. Tapping one opens it (packageCadre/objection).
 */
import { chinaDateTime, monthLabel } from '../../core/time';
import { call } from '../../services/client';
import type { ObjectionStatus, ObjectionView } from '../../contract/points';

import { villagesReaching } from '../lib/scope';
import { appendNextPage, firstPageFlags } from '../../behaviors/paged-list';
import { villageScope } from '../../behaviors/village-scope';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';
type Filter = 'open' | 'all';

interface ObjectionRow {
  id: string;
  title: string;
  reason: string;
  raisedBy: string;
  deadline: string;
  overdue: boolean;
  open: boolean;
  statusLabel: string;
}

export function toObjectionRow(o: ObjectionView): ObjectionRow {
  return {
    id: o.id,
    title: o.targetTitle
      ? `对${o.targetLabel}“${o.targetTitle}”的异议`
      : `${monthLabel(o.month)} · 对${o.targetLabel}的异议`,
    reason: o.reason,
    raisedBy: `${o.raisedByName} 提出于 ${chinaDateTime(o.createdAt)}`,
    deadline: `处理期限 ${chinaDateTime(o.deadline)}`,
    overdue: o.overdue,
    open: o.status === 'open',
    statusLabel: o.statusLabel,
  };
}

/** The server's page of objections. */
const OBJECTIONS_PAGE = 30;

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    filter: 'open' as Filter,
    objections: [] as ObjectionRow[],
    objectionsHasMore: false,
    objectionsLoadingMore: false,
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(villagesReaching(['supervisor', 'villageCadre', 'townAdmin'])))
        await this.loadObjections();
    },

    /** Back from a decision: the list reflects it. */
    async onShow() {
      if (this.data.status === 'ready' || this.data.status === 'empty') await this.loadObjections();
    },

    async onPullDownRefresh() {
      await this.loadObjections();
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.scopeVillages().length > 0 ? this.loadObjections() : this.onLoad();
    },

    onVillageSelected() {
      return this.loadObjections();
    },

    onFilterTap(e: WechatMiniprogram.TouchEvent) {
      const filter = e.currentTarget.dataset.filter as Filter;
      if (filter === this.data.filter) return;
      this.setData({ filter });
      return this.loadObjections();
    },

    async loadObjections() {
      const village = this.currentVillage();
      if (!village) return;
      this.setData({ status: 'loading', errorMessage: '' });
      const envelope = await this.fetchObjections(village.id, 0);
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message, objections: [] });
        return;
      }
      const objections = envelope.data.objections.map(toObjectionRow);
      this.setData({
        status: objections.length > 0 ? 'ready' : 'empty',
        objections,
        ...firstPageFlags('objections', objections, OBJECTIONS_PAGE),
      });
    },

    fetchObjections(villageId: string, offset: number) {
      const status: ObjectionStatus | undefined = this.data.filter === 'open' ? 'open' : undefined;
      return call('points', 'objections.list', { villageId, ...(status ? { status } : {}), offset });
    },

    onMoreObjections() {
      const village = this.currentVillage();
      if (!village) return;
      return appendNextPage(this, {
        key: 'objections',
        pageSize: OBJECTIONS_PAGE,
        fetch: (offset) => this.fetchObjections(village.id, offset),
        toRows: (data) => data.objections.map(toObjectionRow),
      });
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      wx.navigateTo({ url: `/packageCadre/objection/index?id=${String(e.currentTarget.dataset.id)}` });
    },
  },
});
