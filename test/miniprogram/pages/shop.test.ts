/**
 * 积分商城: the family's available points on top; the shelf of the shops serving its village with points
 * prices and stock (缺货 at 0); switching shops; suspension notice; empty village; errors with 重试.
 */
import type { FamiliesGetOutput } from '../../../miniprogram/contract/accounts';
import type { GoodsView, ShopView } from '../../../miniprogram/contract/shop';
import { backend, callsTo, expectBindPrompt, fail, ok, openPage } from '../harness';
import { familyView } from '../views';

const family = (over: Partial<FamiliesGetOutput['family']> = {}): FamiliesGetOutput =>
  familyView({ householdNumber: '012', address: '斑竹村3组', groupId: 'g3', available: 235, ...over }, []);

const shop = (id: string, name: string, kind: ShopView['kind']): ShopView => ({
  id,
  name,
  kind,
  villageId: 'v1',
  servedVillageIds: ['v1'],
  sellsToPublic: kind === 'central',
  owners: [],
});

const goods = (id: string, name: string, pricePoints: number, stock: number, unit = '瓶'): GoodsView => ({
  id,
  shopId: 's1',
  code: id,
  name,
  category: '日用品',
  unit,
  pricePoints,
  costFen: 1000,
  cashPriceFen: 1200,
  stock,
  picture: '',
  onShelf: true,
  lowStockThreshold: 3,
  lowStock: stock <= 3,
});

interface ShopMethods {
  onLoad(): Promise<void>;
}
const openShop = () => openPage<ShopMethods & Record<string, never>>('pages/shop/index');

beforeEach(() => jest.clearAllMocks());

it('shows the available points and the shelf with prices, stock and 缺货', async () => {
  backend({
    'accounts/families.get': ok(family()),
    'shop/shops.list': ok({
      shops: [shop('s9', '斑竹村中心超市', 'central'), shop('s1', '福禄村积分超市', 'village')],
    }),
    'shop/goods.list': (input) =>
      ok({
        goods:
          input.shopId === 's1'
            ? [goods('g1', '洗洁精', 140, 12), goods('g2', '大米', 150, 0, '袋')]
            : [goods('g3', '食用油', 455, 4, '桶')],
      }),
  });
  const { methods, tap, text } = await openShop();

  await methods.onLoad();

  expect(callsTo('shop/shops.list')).toEqual([{ villageId: 'v1' }]);
  expect(text()).toContain('我家可用积分 23.5 分');
  // The village's own shop first.
  expect(callsTo('shop/goods.list')).toEqual([{ shopId: 's1' }]);
  expect(text()).toContain('洗洁精 日用品 14分/瓶 库存 12瓶');
  expect(text()).toContain('大米 日用品 15分/袋 缺货');

  await tap('#shop-s9');

  expect(text()).toContain('食用油 日用品 45.5分/桶 库存 4桶');
  expect(text()).not.toContain('洗洁精');
});

it('tells a suspended family that redemption is paused', async () => {
  backend({
    'accounts/families.get': ok(family({ suspendedUntil: '2099-06-01T00:00:00.000Z' })),
    'shop/shops.list': ok({ shops: [shop('s1', '福禄村积分超市', 'village')] }),
    'shop/goods.list': ok({ goods: [] }),
  });
  const { methods, text } = await openShop();
  await methods.onLoad();

  expect(text()).toContain('因上黑榜，您家暂停兑换，至2099年6月1日恢复');
  expect(text()).toContain('货架上暂时没有商品');
});

it('says so when the village has no shop yet', async () => {
  backend({ 'accounts/families.get': ok(family()), 'shop/shops.list': ok({ shops: [] }) });
  const { methods, text } = await openShop();
  await methods.onLoad();

  expect(text()).toContain('本村还没有开通积分超市');
  expect(callsTo('shop/goods.list')).toHaveLength(0);
});

it('opens 兑换记录 and the QR code', async () => {
  backend({
    'accounts/families.get': ok(family()),
    'shop/shops.list': ok({ shops: [shop('s1', '福禄村积分超市', 'village')] }),
    'shop/goods.list': ok({ goods: [] }),
  });
  const { methods, tap } = await openShop();
  await methods.onLoad();

  await tap('#orders');
  await tap('#qr');

  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/orders/index' });
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/qr/index' });
});

it('shows errors with 重试 (the page and the shelf), and the prompt to bind when not linked', async () => {
  backend({ 'accounts/families.get': fail('INTERNAL', '服务繁忙，请稍后再试') });
  const first = await openShop();
  await first.methods.onLoad();
  expect(first.text()).toContain('服务繁忙，请稍后再试');

  let shelfFails = true;
  backend({
    'accounts/families.get': ok(family()),
    'shop/shops.list': ok({ shops: [shop('s1', '福禄村积分超市', 'village')] }),
    'shop/goods.list': () =>
      shelfFails
        ? fail('NETWORK', '网络连接失败，请检查网络后重试')
        : ok({ goods: [goods('g1', '洗洁精', 140, 12)] }),
  });
  await first.tap('#state >>> #retry', '.t-button');
  expect(first.text()).toContain('网络连接失败，请检查网络后重试');
  shelfFails = false;
  await first.tap('#goods-state >>> #retry', '.t-button');
  expect(first.text()).toContain('洗洁精');

  await expectBindPrompt('pages/shop/index', 'accounts/families.get');
});
