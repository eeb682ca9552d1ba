/**
 * 工作入口: the cadre/supervisor/town pages the signed-in person may open, from `session.me` roles — village cadres
 * 审核, 月度采集, 红黑榜管理, 公示与锁定, 户籍与角色, 心愿单, 基金池; group leaders 月度采集; supervisors 异议处理;
 * shop clerks 收银台, 商品与库存; town admins all.
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

const ENTRANCES: (Entrance & { roles: RoleName[] })[] = [
  {
    key: 'review',
    title: '审核',
    icon: 'check-rectangle',
    url: '/packageCadre/review/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'monthly',
    title: '月度采集',
    icon: 'edit-1',
    url: '/packageCadre/monthly/index',
    roles: ['villageCadre', 'groupLeader', 'townAdmin'],
  },
  {
    key: 'boards',
    title: '红黑榜管理',
    icon: 'flag',
    url: '/packageCadre/boards/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'months',
    title: '公示与锁定',
    icon: 'lock-on',
    url: '/packageCadre/months/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'objections',
    title: '异议处理',
    icon: 'chat-bubble-error',
    url: '/packageCadre/objections/index',
    roles: ['supervisor', 'townAdmin'],
  },
  {
    key: 'households',
    title: '户籍与角色',
    icon: 'usergroup',
    url: '/packageCadre/households/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'stats',
    title: '统计与导出',
    icon: 'chart-bar',
    url: '/packageCadre/stats/index',
    roles: ['villageCadre', 'supervisor', 'townAdmin'],
  },
  {
    key: 'rules',
    title: '积分细则',
    icon: 'view-list',
    url: '/packageCadre/rules/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'report',
    title: '积分档案',
    icon: 'file-1',
    url: '/packageCadre/report/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'town',
    title: '镇管理',
    icon: 'setting',
    url: '/packageCadre/town/index',
    roles: ['townAdmin'],
  },
  {
    key: 'counter',
    title: '收银台',
    icon: 'scan',
    url: '/packageShop/counter/index',
    roles: ['shopClerk', 'townAdmin'],
  },
  {
    key: 'goods',
    title: '商品与库存',
    icon: 'shop',
    url: '/packageShop/goods/index',
    roles: ['shopClerk', 'townAdmin'],
  },
  {
    key: 'wishes',
    title: '心愿单',
    icon: 'heart',
    url: '/packageShop/wishes/index',
    roles: ['villageCadre', 'townAdmin'],
  },
  {
    key: 'fund',
    title: '基金池',
    icon: 'wallet',
    url: '/packageShop/fund/index',
    roles: ['villageCadre', 'townAdmin'],
  },
];

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
