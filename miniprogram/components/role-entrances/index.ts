/**
 * 工作台: the cadre/supervisor/town pages the signed-in person may open, from `session.me` roles — village cadres
 * 审核, 月度采集, 红黑榜管理, 公示与锁定, 户籍与角色, 心愿单, 基金池, 积分冠军, 月度结算; group leaders 月度采集;
 * supervisors 异议处理; shop clerks 收银台, 商品与库存; town admins all.
 * Also 统计与导出 (cadres, supervisors), 积分细则 and 积分档案 (cadres), 镇管理 (town admins only).
 * What is waiting is counted beside the title ("审核 3": claims to review in the cadre's village, open objections
 * for a supervisor, goods low on stock for a clerk); a count that fails to load is left out, never guessed.
 * Nobody else sees anything (the component renders nothing). Mount it on the home page, first.
 */
import type { RoleGrantView } from '../../contract/accounts';
import { opensWorkPage, type WorkPage } from '../../core/access';
import type { Envelope } from '../../core/envelope';
import { call } from '../../services/client';
import { getSession } from '../../services/session';

interface Entrance {
  key: string;
  title: string;
  icon: string;
  url: string;
}

/** `[page, title, icon]`, in display order; who opens each page is core/access's WORK_PAGE_ROLES. */
type Row = [page: WorkPage, title: string, icon: string];

const CADRE_PAGES: Row[] = [
  ['review', '审核', 'check-rectangle'],
  ['monthly', '月度采集', 'edit-1'],
  ['activities', '活动签到', 'scan'],
  ['boards', '红黑榜管理', 'flag'],
  ['months', '公示与锁定', 'lock-on'],
  ['objections', '异议处理', 'chat-bubble-error'],
  ['households', '户籍与角色', 'usergroup'],
  ['stats', '统计与导出', 'chart-bar'],
  ['rules', '积分细则', 'view-list'],
  ['report', '积分档案', 'file-1'],
  ['town', '镇管理', 'setting'],
];

const SHOP_PAGES: Row[] = [
  ['counter', '收银台', 'scan'],
  ['goods', '商品与库存', 'shop'],
  ['wishes', '心愿单', 'heart'],
  ['fund', '基金池', 'wallet'],
  ['champions', '积分冠军', 'star'],
  ['settlement', '月度结算', 'money'],
];

const toEntrances = (pkg: string, rows: Row[]): (Entrance & { page: WorkPage })[] =>
  rows.map(([page, title, icon]) => ({ key: page, page, title, icon, url: `/${pkg}/${page}/index` }));

const ENTRANCES = [...toEntrances('packageCadre', CADRE_PAGES), ...toEntrances('packageShop', SHOP_PAGES)];

/** The entrances `roles` open, in a fixed order. */
export function entrancesFor(roles: readonly RoleGrantView[]): Entrance[] {
  const held = new Set(roles.map((grant) => grant.role));
  return ENTRANCES.filter((e) => opensWorkPage(held, e.page)).map(({ key, title, icon, url }) => ({
    key,
    title,
    icon,
    url,
  }));
}

/** One count to fetch: the entrance it belongs to, the call, and how to count its answer. */
interface CountSource {
  key: string;
  fn: 'points' | 'shop';
  action: string;
  input: Record<string, unknown>;
  count: (data: unknown) => number;
  /** The list is a page of this many: a full page reads "20+". */
  page: number;
}

const villageOf = (grant: RoleGrantView): string | null =>
  grant.scope.kind === 'village' ? grant.scope.id : (grant.scope.villageId ?? null);

/** What is waiting for these roles: one source per entrance, from the first grant that scopes it. */
export function countSources(roles: readonly RoleGrantView[]): CountSource[] {
  const sources: CountSource[] = [];
  const cadre = roles.find((g) => g.role === 'villageCadre' && villageOf(g));
  if (cadre) {
    sources.push({
      key: 'review',
      fn: 'points',
      action: 'review.queue',
      input: { villageId: villageOf(cadre) },
      count: (d) => (d as { items: unknown[] }).items.length,
      page: 20,
    });
  }
  const supervisor = roles.find((g) => g.role === 'supervisor' && villageOf(g));
  if (supervisor) {
    sources.push({
      key: 'objections',
      fn: 'points',
      action: 'objections.list',
      input: { villageId: villageOf(supervisor), status: 'open' },
      count: (d) => (d as { objections: unknown[] }).objections.length,
      page: 20,
    });
  }
  const clerk = roles.find((g) => g.role === 'shopClerk' && g.scope.kind === 'shop');
  if (clerk) {
    sources.push({
      key: 'goods',
      fn: 'shop',
      action: 'goods.lowStock',
      input: { shopId: clerk.scope.id },
      count: (d) => (d as { goods: unknown[] }).goods.length,
      page: Number.POSITIVE_INFINITY,
    });
  }
  return sources;
}

type UntypedCall = (fn: string, action: string, input: unknown) => Promise<Envelope<unknown>>;

Component({
  properties: {
    /** 关怀模式: the page's flag (page styles do not reach into a component). */
    careMode: { type: Boolean, value: false },
  },

  data: {
    entrances: [] as Entrance[],
    /** Entrance key → what is waiting (`3`, `20+`); absent when nothing is or it could not be counted. */
    counts: {} as Record<string, string>,
  },

  lifetimes: {
    attached() {
      return this.load();
    },
  },

  methods: {
    async load() {
      const session = await getSession();
      this.setData({ entrances: session.ok ? entrancesFor(session.data.roles) : [] });
      if (session.ok) await this.loadCounts(session.data.roles);
    },

    async loadCounts(roles: readonly RoleGrantView[]) {
      const sources = countSources(roles);
      const answers = await Promise.all(
        sources.map((s) => (call as unknown as UntypedCall)(s.fn, s.action, s.input)),
      );
      const counts: Record<string, string> = {};
      sources.forEach((source, i) => {
        const answer = answers[i];
        if (!answer?.ok) return;
        const n = source.count(answer.data);
        if (n > 0) counts[source.key] = n >= source.page ? `${source.page}+` : String(n);
      });
      this.setData({ counts });
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      wx.navigateTo({ url: String(e.currentTarget.dataset.url) });
    },
  },
});
