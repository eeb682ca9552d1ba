/**
 * 首页: the family's points available, earned this year and month, ranks in the village and the town, the last
 * 12 months as bars, a suspension notice, and the latest ledger lines with reasons; entrances to the other
 * pages (积分商城, 我的二维码, 心愿定制 and 绑定积分卡 among them). Not linked yet: a prompt to bind the family
 * with an invite code. 关怀模式 shows only the essentials.
 */
import type { EntryView, HomeGetOutput } from '../../contract/points';
import { formatPoints } from '../../core/points';
import { rankText } from '../../core/ranking';
import { call } from '../../services/client';
import { chinaDay, dayLabel, shortMonthLabel } from '../../services/dates';
import { isNotLinked } from '../../services/errors';
import { currentCareMode } from '../../services/preferences';

type Status = 'loading' | 'ready' | 'unlinked' | 'error';

interface Summary {
  familyName: string;
  villageName: string;
  available: string;
  earnedThisYear: string;
  earnedThisMonth: string;
  villageRank: string;
  townRank: string;
  /** '' when not suspended. */
  suspension: string;
}

interface Bar {
  month: string;
  label: string;
  value: string;
  /** Bar height, percent of the tallest month. */
  height: number;
}

interface LatestLine {
  id: string;
  title: string;
  reason: string;
  points: string;
  deduction: boolean;
  day: string;
}

interface Entrance {
  id: string;
  title: string;
  url: string;
  tab: boolean;
  /** Shown in 关怀模式 too. */
  essential: boolean;
}

const ENTRANCES: Entrance[] = [
  { id: 'claim', title: '申报积分', url: '/pages/claim/index', tab: false, essential: true },
  { id: 'ledger', title: '积分明细', url: '/pages/ledger/index', tab: false, essential: true },
  { id: 'ranking', title: '排行榜', url: '/pages/ranking/index', tab: true, essential: false },
  { id: 'boards', title: '红黑榜', url: '/pages/boards/index', tab: false, essential: false },
  { id: 'my-claims', title: '我的申报', url: '/pages/my-claims/index', tab: false, essential: false },
  { id: 'objections', title: '异议', url: '/pages/objections/index', tab: false, essential: false },
  { id: 'family', title: '我的家庭', url: '/pages/family/index', tab: false, essential: true },
  { id: 'shop', title: '积分商城', url: '/pages/shop/index', tab: false, essential: false },
  { id: 'qr', title: '我的二维码', url: '/pages/qr/index', tab: false, essential: false },
  { id: 'wishes', title: '心愿定制', url: '/pages/wishes/index', tab: false, essential: false },
  { id: 'card', title: '绑定积分卡', url: '/pages/card/index', tab: false, essential: false },
  { id: 'rules', title: '积分规则', url: '/pages/rules/index', tab: true, essential: false },
];

/** What the template shows of the entrances: id and title. */
const shownEntrances = (careMode: boolean): { id: string; title: string }[] =>
  ENTRANCES.filter((e) => !careMode || e.essential).map((e) => ({ id: e.id, title: e.title }));

export function toSummary(home: HomeGetOutput): Summary {
  return {
    familyName: home.family.name,
    villageName: home.family.villageName,
    available: formatPoints(home.available),
    earnedThisYear: formatPoints(home.earnedThisYear),
    earnedThisMonth: formatPoints(home.earnedThisMonth),
    // core's words: 第N名, 暂停评比, or 暂无积分 for a family without points this year.
    villageRank: rankText({ rank: home.villageRank, suspended: home.suspended, earned: home.earnedThisYear }),
    townRank: rankText({ rank: home.townRank, suspended: home.suspended, earned: home.earnedThisYear }),
    suspension:
      home.suspended && home.suspendedUntil
        ? `因上黑榜，您家暂停评比和兑换，至${dayLabel(chinaDay(home.suspendedUntil))}恢复`
        : home.suspended
          ? '因上黑榜，您家暂停评比和兑换'
          : '',
  };
}

export function toBars(chart: HomeGetOutput['chart']): Bar[] {
  const top = Math.max(0, ...chart.map((m) => m.earned));
  return chart.map((m) => ({
    month: m.month,
    label: shortMonthLabel(m.month),
    value: formatPoints(m.earned),
    height: top > 0 && m.earned > 0 ? Math.max(4, Math.round((m.earned / top) * 100)) : 0,
  }));
}

export function toLatest(entry: EntryView): LatestLine {
  return {
    id: entry.id,
    title: entry.ruleTitle ?? entry.kindLabel,
    reason: entry.memberName ? `${entry.memberName}：${entry.reason}` : entry.reason,
    points: `${entry.pointsText} 分`,
    deduction: entry.points < 0,
    day: chinaDay(entry.createdAt),
  };
}

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    careMode: false,
    summary: null as Summary | null,
    bars: [] as Bar[],
    latest: [] as LatestLine[],
    entrances: shownEntrances(false),
  },

  methods: {
    onLoad() {
      const careMode = currentCareMode();
      this.setData({ careMode, entrances: shownEntrances(careMode) });
      return this.loadHome();
    },

    /** Coming back (after binding the family, or switching 关怀模式) shows the latest state. */
    onShow() {
      const careMode = currentCareMode();
      if (careMode !== this.data.careMode) {
        this.setData({ careMode, entrances: shownEntrances(careMode) });
      }
      if (this.data.status === 'ready' || this.data.status === 'unlinked') return this.loadHome(true);
      return undefined;
    },

    async onPullDownRefresh() {
      await this.loadHome(true);
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.loadHome();
    },

    async loadHome(refreshing = false) {
      const keepShown = refreshing && this.data.status === 'ready';
      if (!refreshing) this.setData({ status: 'loading', errorMessage: '' });
      const envelope = await call('points', 'home.get', {});
      if (!envelope.ok) {
        if (isNotLinked(envelope.error)) this.setData({ status: 'unlinked', summary: null });
        else if (keepShown) wx.showToast({ title: envelope.error.message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: envelope.error.message });
        return;
      }
      const home = envelope.data;
      this.setData({
        status: 'ready',
        summary: toSummary(home),
        bars: toBars(home.chart),
        latest: home.latest.map(toLatest),
      });
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },

    onEntrance(event: WechatMiniprogram.BaseEvent) {
      const entrance = ENTRANCES.find((e) => e.id === event.currentTarget.dataset.id);
      if (!entrance) return;
      if (entrance.tab) wx.switchTab({ url: entrance.url });
      else wx.navigateTo({ url: entrance.url });
    },
  },
});
