/**
 * 工作入口: the cadre/supervisor/town pages the signed-in person may open, from `session.me` roles — village cadres
 * 审核, 月度采集, 红黑榜管理, 公示与锁定, 户籍与角色, 心愿单, 基金池, 积分冠军, 月度结算; group leaders 月度采集;
 * supervisors 异议处理; shop clerks 收银台, 商品与库存; town admins all.
 * Also 统计与导出 (cadres, supervisors), 积分细则 and 积分档案 (cadres), 镇管理 (town admins only).
 * Nobody else sees anything (the component renders nothing). Mount it on the home page.
 */
import type { RoleGrantView, RoleName } from '../../contract/accounts';
import { getSession } from '../../services/session';

interface Entrance {
  key: string;
  title: string;
  icon: string;
  url: string;
}

const CADRES: RoleName[] = ['villageCadre', 'townAdmin'];
const CLERKS: RoleName[] = ['shopClerk', 'townAdmin'];

/** `[key, title, icon, roles]`, in display order; the key is also the page's folder in its package. */
type Row = [key: string, title: string, icon: string, roles: RoleName[]];

const CADRE_PAGES: Row[] = [
  ['review', '审核', 'check-rectangle', CADRES],
  ['monthly', '月度采集', 'edit-1', ['villageCadre', 'groupLeader', 'townAdmin']],
  ['boards', '红黑榜管理', 'flag', CADRES],
  ['months', '公示与锁定', 'lock-on', CADRES],
  ['objections', '异议处理', 'chat-bubble-error', ['supervisor', 'townAdmin']],
  ['households', '户籍与角色', 'usergroup', CADRES],
  ['stats', '统计与导出', 'chart-bar', ['villageCadre', 'supervisor', 'townAdmin']],
  ['rules', '积分细则', 'view-list', CADRES],
  ['report', '积分档案', 'file-1', CADRES],
  ['town', '镇管理', 'setting', ['townAdmin']],
];

const SHOP_PAGES: Row[] = [
  ['counter', '收银台', 'scan', CLERKS],
  ['goods', '商品与库存', 'shop', CLERKS],
  ['wishes', '心愿单', 'heart', CADRES],
  ['fund', '基金池', 'wallet', CADRES],
  ['champions', '积分冠军', 'star', CADRES],
  ['settlement', '月度结算', 'money', CADRES],
];

const toEntrances = (pkg: string, rows: Row[]): (Entrance & { roles: RoleName[] })[] =>
  rows.map(([key, title, icon, roles]) => ({ key, title, icon, url: `/${pkg}/${key}/index`, roles }));

const ENTRANCES = [...toEntrances('packageCadre', CADRE_PAGES), ...toEntrances('packageShop', SHOP_PAGES)];

/** The entrances `roles` open, in a fixed order. */
export function entrancesFor(roles: readonly RoleGrantView[]): Entrance[] {
  const held = new Set(roles.map((grant) => grant.role));
  return ENTRANCES.filter((e) => e.roles.some((role) => held.has(role))).map(({ key, title, icon, url }) => ({
    key,
    title,
    icon,
    url,
  }));
}

Component({
  data: {
    entrances: [] as Entrance[],
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
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      wx.navigateTo({ url: String(e.currentTarget.dataset.url) });
    },
  },
});
