/**
 * 月度结算 (village cadres, town admins): a shop's month — what each village's fund owes it at cost for its
 * families' redemptions (fund.settlement) and, for a shop that sells to the public, the income statement
 * (shops.incomeStatement: sales, cost, profit and each owner village's share). A cadre sees the shops their
 * village runs, is served by or owns a share of; a town admin every shop.
 */
import { chinaMonth } from '../../services/clock';
import type { RoleGrantView, VillageView } from '../../contract/accounts';
import type { IncomeStatementOutput, SettlementOutput, ShopView } from '../../contract/shop';
import { call } from '../../services/client';
import { allOk, loadMain, type WorkPageStatus } from '../../services/page-load';

import { getSession } from '../../services/session';
import { points, yuan } from '../lib/format';
import { openShopPicker } from '../lib/scope';
import { pageState } from '../../services/page-state';

type PartStatus = 'loading' | 'ready' | 'empty' | 'error';

interface VillageRow {
  villageId: string;
  name: string;
  ordersText: string;
  pointsText: string;
  owesText: string;
}

interface IncomeCard {
  salesText: string;
  revenueText: string;
  costText: string;
  profitText: string;
}

interface ShareRow {
  villageId: string;
  name: string;
  shareText: string;
  amountText: string;
}

/** The shops a person may settle: town admins all; cadres those their village runs, is served by or co-owns. */
export function settlementShops(roles: readonly RoleGrantView[], shops: readonly ShopView[]): ShopView[] {
  if (roles.some((g) => g.role === 'townAdmin')) return [...shops];
  const mine = new Set(
    roles.filter((g) => g.role === 'villageCadre' && g.scope.kind === 'village').map((g) => g.scope.id),
  );
  return shops.filter(
    (s) =>
      mine.has(s.villageId) ||
      s.servedVillageIds.some((v) => mine.has(v)) ||
      s.owners.some((o) => mine.has(o.villageId)),
  );
}

const percent = (bp: number): string => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

interface Hidden {
  shops: ShopView[];
  villageNames: Map<string, string>;
  mine: Set<string>;
  townAdmin: boolean;
}
const stateOf = pageState<Hidden>(() => ({
  shops: [],
  villageNames: new Map(),
  mine: new Set(),
  townAdmin: false,
}));

Component({
  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    shopNames: [] as string[],
    shopIndex: 0,
    month: '',
    settleStatus: 'loading' as PartStatus,
    settleMessage: '',
    rows: [] as VillageRow[],
    totalText: '',
    publicSales: false,
    incomeStatus: 'loading' as PartStatus,
    incomeMessage: '',
    income: null as IncomeCard | null,
    shares: [] as ShareRow[],
  },

  methods: {
    async onLoad() {
      const loaded = await loadMain(this, async () => {
        const answers = await Promise.all([
          getSession(),
          call('shop', 'shops.list', {}),
          call('accounts', 'villages.list', {}),
        ]);
        return allOk(answers);
      });
      if (!loaded) return;
      const [session, shops, villages] = loaded;
      const state = stateOf(this);
      const roles = session.roles;
      state.townAdmin = roles.some((g) => g.role === 'townAdmin');
      state.mine = new Set(
        roles.filter((g) => g.role === 'villageCadre' && g.scope.kind === 'village').map((g) => g.scope.id),
      );
      state.villageNames = new Map(villages.villages.map((v: VillageView) => [v.id, v.name]));
      state.shops = settlementShops(roles, shops.shops);
      if (openShopPicker(this, state.shops, { month: this.data.month || chinaMonth() }))
        await this.loadMonth();
    },

    onRetry() {
      return this.onLoad();
    },

    shop(): ShopView | undefined {
      return stateOf(this).shops[this.data.shopIndex];
    },

    villageName(id: string): string {
      return stateOf(this).villageNames.get(id) ?? '其他村（社区）';
    },

    onShopChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ shopIndex: Number(e.detail.value) });
      return this.loadMonth();
    },

    onMonthChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ month: String(e.detail.value).slice(0, 7) });
      return this.loadMonth();
    },

    /** The income statement is asked for only where the person may read it: town admins, the shop's village, owners. */
    showsIncome(shop: ShopView): boolean {
      if (!shop.sellsToPublic) return false;
      const { townAdmin, mine } = stateOf(this);
      return townAdmin || mine.has(shop.villageId) || shop.owners.some((o) => mine.has(o.villageId));
    },

    loadMonth() {
      const shop = this.shop();
      if (!shop) return Promise.resolve();
      const publicSales = this.showsIncome(shop);
      this.setData({ publicSales });
      return Promise.all([this.loadSettlement(shop), publicSales ? this.loadIncome(shop) : undefined]);
    },

    async loadSettlement(shop: ShopView) {
      this.setData({ settleStatus: 'loading', settleMessage: '' });
      const envelope = await call('shop', 'fund.settlement', { shopId: shop.id, month: this.data.month });
      if (!envelope.ok) {
        this.setData({
          settleStatus: 'error',
          settleMessage: envelope.error.message,
          rows: [],
          totalText: '',
        });
        return;
      }
      const data: SettlementOutput = envelope.data;
      const rows = data.villages.map((v) => ({
        villageId: v.villageId,
        name: this.villageName(v.villageId),
        ordersText: `${v.orders}单`,
        pointsText: points(v.points),
        owesText: yuan(v.owesFen),
      }));
      this.setData({
        settleStatus: rows.length > 0 ? 'ready' : 'empty',
        rows,
        totalText: yuan(data.totalFen),
      });
    },

    async loadIncome(shop: ShopView) {
      this.setData({ incomeStatus: 'loading', incomeMessage: '' });
      const envelope = await call('shop', 'shops.incomeStatement', {
        shopId: shop.id,
        month: this.data.month,
      });
      if (!envelope.ok) {
        this.setData({
          incomeStatus: 'error',
          incomeMessage: envelope.error.message,
          income: null,
          shares: [],
        });
        return;
      }
      const data: IncomeStatementOutput = envelope.data;
      if (data.sales === 0) {
        this.setData({ incomeStatus: 'empty', income: null, shares: [] });
        return;
      }
      this.setData({
        incomeStatus: 'ready',
        income: {
          salesText: `${data.sales}笔`,
          revenueText: yuan(data.revenueFen),
          costText: yuan(data.costFen),
          profitText: yuan(data.profitFen),
        },
        shares: data.shares.map((s) => ({
          villageId: s.villageId,
          name: this.villageName(s.villageId),
          shareText: `占股${percent(s.shareBp)}`,
          amountText: yuan(s.fen),
        })),
      });
    },
  },
});
