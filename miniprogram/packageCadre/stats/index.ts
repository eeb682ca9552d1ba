/**
 * 统计与导出 (village cadres and supervisors for their village, town admins for any village or the whole town):
 * for a month or a year, participation, points awarded and deducted, points by rule, claims and boards
 * (`points` / `stats.points`), and redemptions — families and villagers who redeemed, points redeemed, goods
 * value, wish services done (`shop` / `stats.get`). For a village and a month, exports the ledger, the
 * ranking or the 公示 sheet as Excel (`reports.export`), downloads it and opens it.
 * The server counts claims and boards over all time (not the period) and goods at cost: labelled so.
 */
import { monthLabel } from '../../core/time';
import { chinaMonth } from '../../services/clock';
import type { ExportSheet, StatsPointsOutput } from '../../contract/points';
import type { ShopStatsOutput } from '../../contract/shop';
import { formatYuan } from '../../core/fund';
import { formatPoints, formatSignedPoints } from '../../core/points';

import { downloadStoredFile, openSpreadsheet } from '../../services/download';
import { errorText } from '../../services/errors';
import { holdsAny, loadScope, type ScopeVillage } from '../lib/scope';
import { pageState } from '../../services/page-state';
import { call } from '../../services/client';
import { chooseTab, type WorkPageStatus } from '../../services/page-load';

type SectionStatus = 'loading' | 'ready' | 'error';
type Mode = 'month' | 'year';

/** The points figures as shown. */
export interface PointsFigures {
  participation: string;
  rate: string;
  awarded: string;
  deducted: string;
  claims: string;
  boards: string;
  rules: { code: string; title: string; count: string; points: string }[];
}

/** The redemption figures as shown. */
export interface ShopFigures {
  families: string;
  villagers: string;
  points: string;
  goodsValue: string;
  services: string;
}

export function pointsFigures(stats: StatsPointsOutput): PointsFigures {
  return {
    participation: `${stats.participatingFamilies} / ${stats.families} 户`,
    rate: `${stats.participationRate}%`,
    awarded: `${formatSignedPoints(stats.pointsAwarded)} 分`,
    deducted: `${formatPoints(stats.pointsDeducted)} 分`,
    claims: `待审核 ${stats.claims.pending}，已通过 ${stats.claims.approved}，已驳回 ${stats.claims.rejected}`,
    boards: `红榜 ${stats.boards.red} 条，黑榜 ${stats.boards.black} 条`,
    rules: stats.byRule.map((r) => ({
      code: r.code,
      title: r.title,
      count: `${r.count} 次`,
      points: `${r.pointsText} 分`,
    })),
  };
}

export function shopFigures(stats: ShopStatsOutput): ShopFigures {
  return {
    families: `${stats.familiesRedeemed} 户`,
    villagers: `${stats.villagersRedeemed} 人`,
    points: `${formatPoints(stats.pointsRedeemed)} 分`,
    goodsValue: formatYuan(stats.goodsValueFen),
    services: `${stats.servicesDone} 次（${formatPoints(stats.servicePoints)} 分）`,
  };
}

export const SHEETS: { sheet: ExportSheet; label: string }[] = [
  { sheet: 'ledger', label: '积分明细' },
  { sheet: 'ranking', label: '家庭排名' },
  { sheet: 'notice', label: '公示表' },
];

/** `2026年11月` or `2026年`. */
export function periodLabel(period: string): string {
  return period.length === 4 ? `${period}年` : monthLabel(period);
}

interface Hidden {
  /** The places in the picker: the whole town (id null) first for town admins. */
  places: { id: string | null; name: string }[];
  /** Answers to the latest load only (a quick switch must not show an older period). */
  loadSeq: number;
  exporting: boolean;
}
const stateOf = pageState<Hidden>(() => ({ places: [], loadSeq: 0, exporting: false }));

const TOWN = '全镇';

Component({
  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    placeNames: [] as string[],
    placeIndex: 0,
    mode: 'month' as Mode,
    month: '',
    year: '',
    thisMonth: '',
    periodText: '',
    pointsStatus: 'loading' as SectionStatus,
    pointsMessage: '',
    points: null as PointsFigures | null,
    shopStatus: 'loading' as SectionStatus,
    shopMessage: '',
    shop: null as ShopFigures | null,
    /** Exports need one village and one month. */
    canExport: false,
    sheets: SHEETS,
    exportingSheet: '',
    exportError: '',
    exportDone: '',
  },

  methods: {
    async onLoad() {
      const thisMonth = chinaMonth();
      this.setData({
        status: 'loading',
        errorMessage: '',
        thisMonth,
        month: this.data.month || thisMonth,
        year: this.data.year || thisMonth.slice(0, 4),
      });
      const result = await loadScope(['villageCadre', 'supervisor', 'townAdmin']);
      if (!result.ok) {
        this.setData({ status: 'error', errorMessage: result.error.message });
        return;
      }
      const townAdmin = holdsAny(result.scope.session.roles, ['townAdmin']);
      const villages: ScopeVillage[] = result.scope.villages;
      const places = [
        ...(townAdmin ? [{ id: null, name: TOWN }] : []),
        ...villages.map((v) => ({ id: v.id, name: v.name })),
      ];
      stateOf(this).places = places;
      if (places.length === 0) {
        this.setData({ status: 'forbidden' });
        return;
      }
      this.setData({ status: 'ready', placeNames: places.map((p) => p.name), placeIndex: 0 });
      await this.loadStats();
    },

    onRetry() {
      return this.onLoad();
    },

    onPlaceChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ placeIndex: Number(e.detail.value) });
      return this.loadStats();
    },

    onModeTap(e: WechatMiniprogram.TouchEvent) {
      return chooseTab(this, 'mode', e.currentTarget.dataset.mode) ? this.loadStats() : undefined;
    },

    onMonthChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ month: e.detail.value.slice(0, 7) });
      return this.loadStats();
    },

    onYearChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ year: e.detail.value.slice(0, 4) });
      return this.loadStats();
    },

    /** Both sets of figures for the chosen place and period; each section shows its own failure. */
    async loadStats() {
      const state = stateOf(this);
      const place = state.places[this.data.placeIndex];
      if (!place) return;
      const period = this.data.mode === 'month' ? this.data.month : this.data.year;
      const seq = (state.loadSeq += 1);
      this.setData({
        periodText: periodLabel(period),
        canExport: place.id !== null && this.data.mode === 'month',
        pointsStatus: 'loading',
        pointsMessage: '',
        shopStatus: 'loading',
        shopMessage: '',
        exportError: '',
        exportDone: '',
      });
      const input = { period, ...(place.id ? { villageId: place.id } : {}) };
      const [points, shop] = await Promise.all([
        call('points', 'stats.points', input),
        call('shop', 'stats.get', input),
      ]);
      if (seq !== state.loadSeq) return;
      this.setData({
        ...(points.ok
          ? { pointsStatus: 'ready', points: pointsFigures(points.data) }
          : { pointsStatus: 'error', pointsMessage: errorText(points.error), points: null }),
        ...(shop.ok
          ? { shopStatus: 'ready', shop: shopFigures(shop.data) }
          : { shopStatus: 'error', shopMessage: errorText(shop.error), shop: null }),
      });
    },

    /** Builds the sheet on the server, downloads it and opens it; each step's failure is shown. */
    async onExport(e: WechatMiniprogram.TouchEvent) {
      const state = stateOf(this);
      const place = state.places[this.data.placeIndex];
      if (state.exporting || !place?.id || !this.data.canExport) return;
      const sheet = e.currentTarget.dataset.sheet as ExportSheet;
      state.exporting = true;
      this.setData({ exportingSheet: sheet, exportError: '', exportDone: '' });
      const finish = (done: Record<string, string>) => {
        state.exporting = false;
        this.setData({ exportingSheet: '', ...done });
      };
      const envelope = await call('points', 'reports.export', {
        villageId: place.id,
        month: this.data.month,
        sheet,
      });
      if (!envelope.ok) {
        finish({ exportError: `导出失败：${errorText(envelope.error)}` });
        return;
      }
      const file = envelope.data;
      const downloaded = await downloadStoredFile(file);
      if (!downloaded.ok) {
        finish({ exportError: `${file.fileName}已生成，但下载失败：${downloaded.message}` });
        return;
      }
      const opened = await openSpreadsheet(downloaded.filePath);
      if (!opened.ok) {
        finish({ exportError: `${file.fileName}已下载，但${opened.message}` });
        return;
      }
      finish({
        exportDone: `已打开${file.fileName}（${Math.max(1, Math.round(file.bytes / 1024))} KB），可从右上角转发或保存`,
      });
    },
  },
});
