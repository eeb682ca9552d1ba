/** Shared fixtures for the shop-side page tests: clerks and cadres, the town's shops and goods, an order. */
import type {
  CounterIdentifyOutput,
  GoodsView,
  OrderView,
  ShopView,
} from '../../../miniprogram/contract/shop';
import { grant } from '../cadre/fixtures';

export { CADRE, TOWN_ADMIN, VILLAGER, session, villagesList } from '../cadre/fixtures';

export const CLERK = grant('shopClerk', { kind: 'shop', id: 's1' }, '收银员');

export const shops: ShopView[] = [
  {
    id: 's1',
    name: '斑竹村积分超市',
    kind: 'village',
    villageId: 'v1',
    servedVillageIds: ['v1'],
    sellsToPublic: false,
    owners: [],
  },
  {
    id: 's2',
    name: '中心超市',
    kind: 'central',
    villageId: 'v1',
    servedVillageIds: ['v1', 'v2'],
    sellsToPublic: true,
    owners: [],
  },
];

export const goodsItem = (over: Partial<GoodsView>): GoodsView => ({
  id: 'g1',
  shopId: 's1',
  code: 'A01',
  name: '洗洁精',
  category: '日用品',
  unit: '瓶',
  pricePoints: 140,
  costFen: 1200,
  cashPriceFen: 1500,
  stock: 20,
  picture: '',
  onShelf: true,
  lowStockThreshold: 5,
  lowStock: false,
  ...over,
});

export const goods: GoodsView[] = [
  goodsItem({}),
  goodsItem({ id: 'g2', code: 'A02', name: '食盐', unit: '袋', pricePoints: 15, stock: 3, lowStock: true }),
  goodsItem({ id: 'g3', code: 'A03', name: '挂面', unit: '把', pricePoints: 30, onShelf: false }),
];

export const family = (over: Partial<CounterIdentifyOutput> = {}): CounterIdentifyOutput => ({
  familyId: 'f1',
  familyName: '何雄梅家',
  villageName: '斑竹村',
  householdNumber: '12',
  members: [
    { name: '何雄梅', relation: '户主' },
    { name: '何小明', relation: '子女' },
  ],
  memberName: '何雄梅',
  via: 'card',
  shopName: '斑竹村积分超市',
  available: 150,
  reserved: 0,
  spendable: 150,
  suspended: false,
  suspendedUntil: null,
  pinRequiredAbove: null,
  ...over,
});

export const order = (over: Partial<OrderView> = {}): OrderView => ({
  id: 'o1',
  shopId: 's1',
  shopName: '斑竹村积分超市',
  familyId: 'f1',
  via: 'card',
  lines: [{ goodsId: 'g1', name: '洗洁精', unit: '瓶', quantity: 1, pricePoints: 140, costFen: 1200 }],
  totalPoints: 140,
  totalPointsText: '14',
  totalCostFen: 1200,
  clerkName: '王收银',
  status: 'done',
  day: '2026-11-26',
  createdAt: '2026-11-26T02:05:00.000Z',
  cancelReason: null,
  ...over,
});
