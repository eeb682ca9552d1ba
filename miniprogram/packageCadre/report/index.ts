/**
 * 家庭积分档案 (village cadres and supervisors for their village, town admins for any): a family picked from the
 * village's households, with its points history by year (and month), its red and black board entries and its
 * 积分冠军 titles (`shop` / `report.family`) — what 评先评优 and 两代表一委员 nominations look at.
 */
import { shortMonthLabel } from '../../core/time';
import type { FamilyReportOutput } from '../../contract/shop';
import { formatYuan } from '../../core/fund';
import { formatPoints, formatSignedPoints } from '../../core/points';

import { errorText } from '../../services/errors';
import { openFamilyPicker } from '../lib/families';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { call } from '../../services/client';
import type { WorkPageStatus } from '../../services/page-load';

type ReportStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ReportView {
  familyName: string;
  available: string;
  years: { year: string; earned: string; months: string }[];
  boards: { key: string; black: boolean; label: string; title: string; date: string; points: string }[];
  champions: { year: string; text: string }[];
}

export function reportView(report: FamilyReportOutput): ReportView {
  return {
    familyName: report.familyName,
    available: `${formatPoints(report.available)} 分`,
    years: report.years.map((y) => ({
      year: `${y.year}年`,
      earned: `${formatPoints(y.earned)} 分`,
      months: y.months.map((m) => `${shortMonthLabel(m.month)} ${formatPoints(m.earned)}`).join('，'),
    })),
    boards: report.boards.map((b, i) => ({
      key: `${b.date}-${i}`,
      black: b.board === 'black',
      label: b.board === 'black' ? '黑榜' : '红榜',
      title: b.title,
      date: b.date,
      points: b.points ? `${formatSignedPoints(b.points)} 分` : '',
    })),
    champions: report.championTitles.map((c) => ({
      year: `${c.year}年`,
      text: `积分冠军 第${c.rank}名${c.amountFen > 0 ? `，奖励${formatYuan(c.amountFen)}` : ''}`,
    })),
  };
}

interface Hidden {
  families: { id: string }[];
  /** Answers to the latest pick only. */
  seq: number;
}
const stateOf = pageState<Hidden>(() => ({ families: [], seq: 0 }));

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    familyLabels: [] as string[],
    familyIndex: -1,
    reportStatus: 'idle' as ReportStatus,
    reportMessage: '',
    report: null as ReportView | null,
  },

  methods: {
    async onLoad() {
      if (await this.openVillageScope(villagesReaching(['villageCadre', 'supervisor', 'townAdmin'])))
        await this.loadVillage();
    },

    async loadVillage() {
      const state = stateOf(this);
      const village = this.currentVillage();
      if (!village) return;
      state.seq += 1;
      const families = await openFamilyPicker(this, village.id, { reportStatus: 'idle', report: null });
      if (families) state.families = families;
    },

    onFamilyChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      return this.loadReport(Number(e.detail.value));
    },

    onReload() {
      return this.loadReport(this.data.familyIndex);
    },

    async loadReport(familyIndex: number) {
      const state = stateOf(this);
      const family = state.families[familyIndex];
      if (!family) return;
      const seq = (state.seq += 1);
      this.setData({ familyIndex, reportStatus: 'loading', reportMessage: '', report: null });
      const envelope = await call('shop', 'report.family', { familyId: family.id });
      if (seq !== state.seq) return;
      if (!envelope.ok) {
        this.setData({ reportStatus: 'error', reportMessage: errorText(envelope.error) });
        return;
      }
      this.setData({ reportStatus: 'ready', report: reportView(envelope.data) });
    },
  },
});
