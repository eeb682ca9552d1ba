/**
 * 兑换记录: each redemption with its items, shop, points and day; a cancelled one marked with its reason;
 * the empty state; more on reaching the bottom; errors with 重试.
 */
import type { OrderView } from '../../../miniprogram/contract/shop';
import { backend, callsTo, expectBindPrompt, expectErrorThenRetry, ok, openPage } from '../harness';

const order = (id: string, over: Partial<OrderView> = {}): OrderView => ({
  id,
  shopId: 's1',
  shopName: '福禄村积分超市',
  familyId: 'f1',
  via: 'card',
  lines: [
    { goodsId: 'g1', name: '洗洁精', unit: '瓶', quantity: 1, pricePoints: 140, costFen: 1000 },
    { goodsId: 'g2', name: '肥皂', unit: '块', quantity: 2, pricePoints: 20, costFen: 200 },
  ],
  totalPoints: 180,
  totalPointsText: '18',
  totalCostFen: 1400,
  clerkName: '王收银',
  status: 'done',
  day: '2026-03-05',
  createdAt: '2026-03-05T02:00:00.000Z',
  cancelReason: null,
  ...over,
});

interface OrdersMethods {
  onLoad(): Promise<void>;
  onReachBottom(): Promise<void>;
}
const openOrders = () => openPage<OrdersMethods & Record<string, never>>('pages/orders/index');

beforeEach(() => jest.clearAllMocks());

it('lists redemptions with items, shop, points and day, marking cancelled ones', async () => {
  backend({
    'shop/orders.list': ok({
      orders: [
        order('o2', { via: 'qr', status: 'cancelled', cancelReason: '拿错了商品', totalPoints: 45 }),
        order('o1'),
      ],
    }),
  });
  const { methods, text, page } = await openOrders();

  await methods.onLoad();

  expect(text()).toRead([
    '福禄村积分超市 -18分 洗洁精×1瓶、肥皂×2块 2026年3月5日 · 刷卡',
    '-4.5分',
    '2026年3月5日 · 扫码 已撤销 已撤销，积分已退回（拿错了商品）',
  ]);
  expect(page.querySelector('#order-o2')?.dom?.className).toContain('order--cancelled');
  expect(page.querySelector('#order-o1')?.dom?.className).not.toContain('order--cancelled');
  expect(text()).toContain('没有更多了');
});

it('shows the empty state with a way to the shop', async () => {
  backend({ 'shop/orders.list': ok({ orders: [] }) });
  const { methods, tap, text } = await openOrders();
  await methods.onLoad();

  expect(text()).toContain('还没有兑换记录');
  await tap('#empty >>> #empty-action', '.t-button');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/shop/index' });
});

it('loads 50 more at the bottom', async () => {
  const firstPage = Array.from({ length: 50 }, (_, i) => order(`o${i}`));
  backend({
    'shop/orders.list': (input) =>
      ok({ orders: input.offset === 50 ? [order('o50', { shopName: '斑竹村中心超市' })] : firstPage }),
  });
  const { methods, text } = await openOrders();
  await methods.onLoad();
  expect(text()).not.toContain('没有更多了');

  await methods.onReachBottom();

  expect(callsTo('shop/orders.list')).toEqual([{ offset: 0 }, { offset: 50 }]);
  expect(text()).toContain('斑竹村中心超市');
  expect(text()).toContain('没有更多了');
});

it('shows an error with 重试, and the prompt to bind when not linked', async () => {
  await expectErrorThenRetry(
    'pages/orders/index',
    'shop/orders.list',
    ok({ orders: [order('o1')] }),
    '洗洁精×1瓶',
  );
  await expectBindPrompt('pages/orders/index', 'shop/orders.list');
});
