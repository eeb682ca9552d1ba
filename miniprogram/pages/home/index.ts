/**
 * 首页: the family's points available (with 分, and this month against last), earned this year, ranks in the
 * village and the town out of how many families take part ("第2名 / 共12户"), two large actions (申报积分,
 * 我的二维码) above an icon grid of the rest, the 关怀模式 switch, the last 12 months as bars, a suspension
 * notice, and the latest ledger lines with their reasons and Chinese dates. Role holders see their 工作台
 * first, with what is waiting. Not linked yet: a prompt to bind the family with an invite code. 关怀模式 keeps
 * the essentials (申报积分, 我的二维码, 积分明细, 积分商城, 我的家庭) in large type and drops the chart.
 */
import { chinaDay, dayLabel, shortDayLabel } from '../../core/time';
import type { EntryView, HomeGetOutput } from '../../contract/points';
import { formatPoints } from '../../core/points';
import { rankText } from '../../core/ranking';
import { addMonths } from '../../core/time';
import { call } from '../../services/client';

import { loadMain, type FamilyPageStatus } from '../../services/page-load';
import { currentCareMode, setCareMode } from '../../services/preferences';
import { pageContent } from '../../behaviors/page-content';

interface Summary {
  familyName: string;
  villageName: string;
  available: string;
  earnedThisYear: string;
  earnedThisMonth: string;
  /** `比上月多1分`, `比上月少0.5分`, `与上月持平`. */
  trend: string;
  villageRank: string;
  townRank: string;
  /** '' when not suspended. */
  suspension: string;
  /** The points year's notice: `您家有 12 分将于 1月10日 到期`, or empty. */
  expiry: string;
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
  /** `11月21日 · 何雄梅 · 参加河道清理`: the reason only when it says more than the title. */
  description: string;
  points: string;
  deduction: boolean;
}

interface Entrance {
  id: string;
  title: string;
  icon: string;
  url: string;
  tab: boolean;
  /** Shown in 关怀模式 too. */
  essential: boolean;
}

/** The two large actions above the grid. */
const PRIMARY: Entrance[] = [
  { id: 'claim', title: '申报积分', icon: 'edit', url: '/pages/claim/index', tab: false, essential: true },
  { id: 'qr', title: '我的二维码', icon: 'qrcode', url: '/pages/qr/index', tab: false, essential: true },
];

const GRID: Entrance[] = [
  {
    id: 'ledger',
    title: '积分明细',
    icon: 'view-list',
    url: '/pages/ledger/index',
    tab: false,
    essential: true,
  },
  { id: 'shop', title: '积分商城', icon: 'shop', url: '/pages/shop/index', tab: false, essential: true },
  {
    id: 'activities',
    title: '村里活动',
    icon: 'calendar',
    url: '/pages/activities/index',
    tab: false,
    essential: false,
  },
  {
    id: 'ranking',
    title: '排行榜',
    icon: 'chart-bar',
    url: '/pages/ranking/index',
    tab: true,
    essential: false,
  },
  { id: 'boards', title: '红黑榜', icon: 'flag', url: '/pages/boards/index', tab: false, essential: false },
  {
    id: 'my-claims',
    title: '我的申报',
    icon: 'file-1',
    url: '/pages/my-claims/index',
    tab: false,
    essential: false,
  },
  {
    id: 'objections',
    title: '异议',
    icon: 'chat-bubble-error',
    url: '/pages/objections/index',
    tab: false,
    essential: false,
  },
  { id: 'family', title: '我的家庭', icon: 'home', url: '/pages/family/index', tab: false, essential: true },
  {
    id: 'wishes',
    title: '心愿定制',
    icon: 'heart',
    url: '/pages/wishes/index',
    tab: false,
    essential: false,
  },
  {
    id: 'card',
    title: '绑定积分卡',
    icon: 'creditcard',
    url: '/pages/card/index',
    tab: false,
    essential: false,
  },
  { id: 'rules', title: '积分规则', icon: 'book', url: '/pages/rules/index', tab: true, essential: false },
];

const ENTRANCES = [...PRIMARY, ...GRID];

/** What the template shows of the grid: id, title and icon. */
const shownGrid = (careMode: boolean): { id: string; title: string; icon: string }[] =>
  GRID.filter((e) => !careMode || e.essential).map((e) => ({ id: e.id, title: e.title, icon: e.icon }));

/** core's words (第N名, 暂停评比, 暂无积分), with how many families take part: `第2名 / 共12户`. */
const rankOutOf = (
  row: { rank: number | null; suspended: boolean; earned: number },
  ranked: number,
): string => {
  const text = rankText(row);
  return row.rank !== null && !row.suspended && row.earned > 0 && ranked >= row.rank
    ? `${text} / 共${ranked}户`
    : text;
};

/** This month's earnings against last month's, in words. */
export function trendText(thisMonth: number, lastMonth: number): string {
  const diff = thisMonth - lastMonth;
  if (diff === 0) return '与上月持平';
  return diff > 0 ? `比上月多${formatPoints(diff)}分` : `比上月少${formatPoints(-diff)}分`;
}

export function toSummary(home: HomeGetOutput): Summary {
  const previous = addMonths(home.month, -1);
  const lastMonth = home.chart.find((m) => m.month === previous)?.earned ?? 0;
  return {
    familyName: home.family.name,
    villageName: home.family.villageName,
    available: formatPoints(home.available),
    earnedThisYear: `${formatPoints(home.earnedThisYear)}分`,
    earnedThisMonth: `${formatPoints(home.earnedThisMonth)}分`,
    trend: trendText(home.earnedThisMonth, lastMonth),
    villageRank: rankOutOf(
      { rank: home.villageRank, suspended: home.suspended, earned: home.earnedThisYear },
      home.villageRanked ?? 0,
    ),
    townRank: rankOutOf(
      { rank: home.townRank, suspended: home.suspended, earned: home.earnedThisYear },
      home.townRanked ?? 0,
    ),
    suspension:
      home.suspended && home.suspendedUntil
        ? `因上黑榜，您家暂停评比和兑换，至${dayLabel(chinaDay(home.suspendedUntil))}恢复`
        : home.suspended
          ? '因上黑榜，您家暂停评比和兑换'
          : '',
    expiry: home.expiryNotice ?? '',
  };
}

export function toBars(chart: HomeGetOutput['chart']): Bar[] {
  const top = Math.max(0, ...chart.map((m) => m.earned));
  return chart.map((m) => ({
    month: m.month,
    // The month's number only: 12 columns of 27 px hold "11" at 12 px, not "11月" (the axis says 月).
    label: String(Number(m.month.slice(5, 7))),
    value: formatPoints(m.earned),
    height: top > 0 && m.earned > 0 ? Math.max(4, Math.round((m.earned / top) * 100)) : 0,
  }));
}

export function toLatest(entry: EntryView): LatestLine {
  const title = entry.ruleTitle ?? entry.kindLabel;
  const reason = entry.reason.trim();
  return {
    id: entry.id,
    title,
    description: [shortDayLabel(chinaDay(entry.createdAt)), entry.memberName, reason !== title ? reason : '']
      .filter(Boolean)
      .join(' · '),
    points: `${entry.pointsText}分`,
    deduction: entry.points < 0,
  };
}

Component({
  behaviors: [pageContent],

  data: {
    status: 'loading' as FamilyPageStatus,
    summary: null as Summary | null,
    bars: [] as Bar[],
    latest: [] as LatestLine[],
    primary: PRIMARY.map((e) => ({ id: e.id, title: e.title, icon: e.icon })),
    grid: shownGrid(false),
  },

  methods: {
    onLoad() {
      const careMode = currentCareMode();
      this.setData({ careMode, grid: shownGrid(careMode) });
      return this.reload();
    },

    /** Coming back (after binding the family, or switching 关怀模式) shows the latest state. */
    onShow() {
      const careMode = currentCareMode();
      if (careMode !== this.data.careMode) {
        this.setData({ careMode, grid: shownGrid(careMode) });
      }
      if (this.data.status === 'ready' || this.data.status === 'unlinked') return this.reload(true);
      return undefined;
    },

    /** A refresh (pull-down, coming back) keeps the page as it is meanwhile. */
    async reload(refreshing = false) {
      const home = await loadMain(this, () => call('points', 'home.get', {}), {
        quiet: refreshing,
        toastFailure: refreshing && this.data.status === 'ready',
        unlinked: { summary: null },
      });
      if (!home) return;
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

    /** 关怀模式 from the home page: remembered on this phone, applied at once. */
    onCareMode(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const on = e.detail.value === true;
      setCareMode(on);
      this.setData({ careMode: on, grid: shownGrid(on) });
    },

    onEntrance(event: WechatMiniprogram.BaseEvent) {
      const entrance = ENTRANCES.find((e) => e.id === event.currentTarget.dataset.id);
      if (!entrance) return;
      if (entrance.tab) wx.switchTab({ url: entrance.url });
      else wx.navigateTo({ url: entrance.url });
    },
  },
});
