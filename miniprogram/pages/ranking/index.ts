/**
 * 排行榜: families ranked by points earned, in the village or the whole town, this month or this year. The
 * family's own place is pinned on top; suspended families are listed as 暂停评比 without a rank.
 */
import { monthLabel } from '../../core/time';
import { chinaMonth } from '../../services/clock';
import type { RankCursorView, RankingListOutput, RankingRowView, RankingScope } from '../../contract/points';
import { formatPoints } from '../../core/points';
import { NO_POINTS_LABEL, rankText } from '../../core/ranking';
import { call } from '../../services/client';

import { chooseTab, loadMain, whenRefreshing } from '../../services/page-load';
import { pageContent } from '../../behaviors/page-content';

type Status = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error';
type PeriodKind = 'month' | 'year';

interface RankLine {
  familyId: string;
  rank: string;
  name: string;
  villageName: string;
  points: string;
  suspended: boolean;
  mine: boolean;
}

interface Pinned {
  rank: string;
  points: string;
  suspended: boolean;
}

export function toLine(row: RankingRowView, showVillage: boolean): RankLine {
  return {
    familyId: row.familyId,
    // No rank for a suspended family (its tag says so) nor for one without points (暂无积分).
    rank: row.rank === null ? (row.suspended ? '' : NO_POINTS_LABEL) : String(row.rank),
    name: row.name,
    villageName: showVillage ? row.villageName : '',
    points: `${formatPoints(row.earned)} 分`,
    suspended: row.suspended,
    mine: row.mine,
  };
}

export function toPinned(me: RankingListOutput['me']): Pinned | null {
  if (!me) return null;
  return {
    rank: rankText(me),
    points: `${formatPoints(me.earned)} 分`,
    suspended: me.suspended,
  };
}

/** Where each open ranking's last page ended (kept off the view data: the template never shows it). */
const cursors = new WeakMap<object, RankCursorView | null>();

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as Status,
    scope: 'village' as RankingScope,
    periodKind: 'month' as PeriodKind,
    periodText: '',
    pinned: null as Pinned | null,
    lines: [] as RankLine[],
    hasMore: false,
    loadingMore: false,
  },

  methods: {
    onLoad() {
      return this.reload();
    },

    onReachBottom() {
      return this.loadMore();
    },

    period(): string {
      const month = chinaMonth();
      return this.data.periodKind === 'month' ? month : month.slice(0, 4);
    },

    onScope(event: WechatMiniprogram.BaseEvent) {
      return chooseTab(this, 'scope', event.currentTarget.dataset.value) ? this.reload() : undefined;
    },

    onPeriod(event: WechatMiniprogram.BaseEvent) {
      return chooseTab(this, 'periodKind', event.currentTarget.dataset.value) ? this.reload() : undefined;
    },

    /** The first page of the ranking for the scope and period shown. */
    async reload(refreshing = false) {
      const period = this.period();
      const { scope } = this.data;
      const result = await loadMain(
        this,
        () => call('points', 'ranking.list', { scope, period, offset: 0 }),
        {
          ...whenRefreshing(this, refreshing),
          unlinked: { lines: [], pinned: null },
          failed: { lines: [] },
          current: () => scope === this.data.scope && period === this.period(), // else a newer tab answered first
        },
      );
      if (!result) return;
      cursors.set(this, result.cursor);
      const lines = result.rows.map((row) => toLine(row, scope === 'town'));
      this.setData({
        status: lines.length > 0 ? 'ready' : 'empty',
        periodText: period.length === 4 ? `${period}年` : monthLabel(period),
        pinned: toPinned(result.me),
        lines,
        hasMore: result.hasMore,
      });
    },

    async loadMore() {
      if (!this.data.hasMore || this.data.loadingMore || this.data.status !== 'ready') return;
      this.setData({ loadingMore: true });
      const offset = this.data.lines.length;
      const { scope } = this.data;
      const after = cursors.get(this);
      const envelope = await call('points', 'ranking.list', {
        scope,
        period: this.period(),
        offset,
        ...(after ? { after } : {}),
      });
      if (!envelope.ok) {
        this.setData({ loadingMore: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      cursors.set(this, envelope.data.cursor);
      const patch: Record<string, unknown> = { loadingMore: false, hasMore: envelope.data.hasMore };
      envelope.data.rows.forEach((row, i) => (patch[`lines[${offset + i}]`] = toLine(row, scope === 'town')));
      this.setData(patch);
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
