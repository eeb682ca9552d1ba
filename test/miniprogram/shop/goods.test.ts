/**
 * 商品与库存 as a clerk: the goods with prices, stock and shelf state, the low-stock list, a restock recorded with
 * its reason (once, whatever the taps), the movements refreshed; a shelf toggle refused for a clerk in the
 * server's words, done for a cadre; 新增/编辑商品 for managers (price 14 sent as 140 tenths, 0.3 refused locally),
 * no edit controls for a clerk, and the server's refusal of a price edit shown in the form.
 */
import type { GoodsView, StockMovementView } from '../../../miniprogram/contract/shop';
import { type Answers, callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, CLERK, VILLAGER, goods, goodsItem, session, shops } from './fixtures';

let shelf: GoodsView[] = [];
let movements: StockMovementView[] = [];

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([VILLAGER, CLERK], '王收银'),
    'shop/shops.list': ok({ shops }),
    'shop/goods.list': () => ok({ goods: shelf }),
    'shop/goods.lowStock': () => ok({ goods: shelf.filter((g) => g.stock <= g.lowStockThreshold) }),
    'shop/goods.movements': () => ok({ movements }),
    'shop/goods.stock': (input) => {
      const index = shelf.findIndex((g) => g.id === input.goodsId);
      const before = shelf[index] as GoodsView;
      const stock = before.stock + Number(input.quantity);
      shelf[index] = { ...before, stock, lowStock: stock <= before.lowStockThreshold };
      movements = [
        {
          id: 'm1',
          goodsId: before.id,
          goodsName: before.name,
          kind: 'restock',
          kindLabel: '进货',
          change: Number(input.quantity),
          stockAfter: stock,
          reason: String(input.reason),
          byName: '王收银',
          at: '2026-11-26T03:00:00.000Z',
        },
      ];
      return ok({ goods: shelf[index], movementId: 'm1' });
    },
    ...over,
  };
}

async function openGoods(over: Answers = {}) {
  shelf = goods.map((g) => ({ ...g }));
  movements = [];
  return openLoaded('packageShop/goods/index', answers(over));
}

quietMocksEachTest();

it('lists the goods with prices, stock and shelf state, and the low-stock list', async () => {
  const { text } = await openGoods();
  expect(callsTo('shop/goods.list')).toEqual([{ shopId: 's1', includeOffShelf: true }]);
  expect(text()).toRead([
    '低库存提醒 食盐：剩3袋（提醒线5）',
    '洗洁精 14分/瓶 日用品 库存20瓶',
    '挂面 已下架',
    '还没有库存变动',
  ]);
});

it('records a restock with its reason once, and refreshes stock, low-stock list and movements', async () => {
  // Prepare
  const opened = await openGoods();
  const { page, tap, text } = opened;
  await tap('#stock-g2');
  expect(text()).toContain('库存变动：食盐（库存3袋）');

  // Act: no reason first, then a full restock with a double tap
  page.querySelector('#move-quantity')?.dispatchEvent('input', { detail: { value: '10' } });
  await tap('#move-submit', '.t-button');
  expect(text()).toContain('请填写理由（至少2个字）');
  page.querySelector('#move-reason')?.dispatchEvent('input', { detail: { value: '镇上进货' } });
  const submit = page.querySelector('#move-submit')?.querySelector('.t-button');
  submit?.dispatchEvent('tap');
  submit?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('shop/goods.stock')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      shopId: 's1',
      goodsId: 'g2',
      kind: 'restock',
      quantity: 10,
      reason: '镇上进货',
    },
  ]);
  expect(text()).toRead([
    '食盐 1.5分/袋 日用品 库存13袋',
    '库存都充足',
    '进货 食盐 +10（余13）',
    '王收银 镇上进货',
  ]);
});

it('refuses a loss typed as a negative number before asking the server', async () => {
  const { tap, enter, expectRefusedBeforeCalling } = await openGoods();
  await tap('#stock-g1');
  await tap('#kind-loss');
  await enter({ '#move-quantity': '-2', '#move-reason': '破损' });
  await expectRefusedBeforeCalling('#move-submit', '请填写大于0的整数', 'shop/goods.stock');
});

it("shows the server's refusal when a clerk takes a good off the shelf, and a cadre's toggle", async () => {
  // A clerk: refused by the server
  const clerk = await openGoods({
    'shop/goods.save': fail('FORBIDDEN', '只有超市所属村的干部或镇管理员可以维护商品'),
  });
  await clerk.tap('#shelf-g1');
  expect(wx.showToast).toHaveBeenCalledWith({
    title: '只有超市所属村的干部或镇管理员可以维护商品',
    icon: 'none',
  });

  // A cadre of the shop's village: done
  const cadre = await openGoods({
    'accounts/session.me': session([CADRE]),
    'shop/goods.save': (input) => ok({ goods: goodsItem({ onShelf: Boolean(input.onShelf) }) }),
  });
  expect(cadre.text()).toContain('斑竹村积分超市 切换');
  await cadre.tap('#shelf-g1');
  expect(callsTo('shop/goods.save').at(-1)).toMatchObject({
    goodsId: 'g1',
    onShelf: false,
    pricePoints: 140,
  });
  expect(cadre.text()).toContain('洗洁精 已下架');
});

it('tells a villager the page is not for them', async () => {
  const { text } = await openGoods({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有超市收银员、所属村干部或镇管理员可以管理商品');
});

// ---- 新增/编辑商品 (goods.save, the shop's managers) ----

type Opened = Awaited<ReturnType<typeof openGoods>>;

function fill(opened: Opened, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values))
    opened.page.querySelector(`#form-${field}`)?.dispatchEvent('input', { detail: { value } });
}

it("adds a good as a cadre of the shop's village: price 14 sent as 140 tenths, cost in fen", async () => {
  // Prepare
  const opened = await openGoods({
    'accounts/session.me': session([CADRE]),
    'shop/goods.save': (input) => {
      const added = goodsItem({ id: 'g9', name: String(input.name), unit: String(input.unit), stock: 0 });
      shelf = [...shelf, { ...added, pricePoints: Number(input.pricePoints), lowStock: true }];
      return ok({ goods: added });
    },
  });
  await opened.tap('#add-goods');
  expect(opened.text()).toContain('新增商品');

  // Act
  fill(opened, { name: '香皂', category: '日用品', unit: '块', price: '14', cost: '3.5' });
  await opened.tap('#form-submit', '.t-button');
  await settle();

  // Assess
  expect(callsTo('shop/goods.save')).toEqual([
    {
      shopId: 's1',
      name: '香皂',
      category: '日用品',
      unit: '块',
      pricePoints: 140,
      costFen: 350,
      cashPriceFen: 0,
      lowStockThreshold: 5,
      picture: '',
      onShelf: true,
    },
  ]);
  expect(opened.page.querySelector('#goods-form')).toBeFalsy();
  expect(opened.text()).toContain('香皂 库存低 14分/块 日用品 库存0块');
});

it('refuses a price of 0.3 before asking the server', async () => {
  const opened = await openGoods({ 'accounts/session.me': session([CADRE]) });
  await opened.tap('#add-goods');
  fill(opened, { name: '香皂', category: '日用品', unit: '块', price: '0.3' });
  await opened.tap('#form-submit', '.t-button');

  expect(opened.text()).toContain('积分价格须大于0，且为0.5分的整数倍');
  expect(callsTo('shop/goods.save')).toHaveLength(0);
});

it("shows no edit controls to a clerk, and the server's refusal of a price edit in the form", async () => {
  // A clerk only: shelf and stock, no 新增/编辑
  const clerk = await openGoods();
  expect(clerk.page.querySelector('#add-goods')).toBeFalsy();
  expect(clerk.page.querySelector('#edit-g1')).toBeFalsy();
  expect(clerk.page.querySelector('#shelf-g1')).toBeTruthy();

  // A clerk whose session still shows a cadre grant the server no longer honours: refused in its words
  const stale = await openGoods({
    'accounts/session.me': session([VILLAGER, CLERK, CADRE], '王收银'),
    'shop/goods.save': fail('FORBIDDEN', '只有超市所属村的干部或镇管理员可以维护商品'),
  });
  await stale.tap('#edit-g1');
  expect(stale.text()).toContain('编辑商品：洗洁精');
  fill(stale, { price: '15' });
  await stale.tap('#form-submit', '.t-button');
  await settle();

  expect(callsTo('shop/goods.save').at(-1)).toMatchObject({ goodsId: 'g1', pricePoints: 150, costFen: 1200 });
  expect(stale.text()).toContain('只有超市所属村的干部或镇管理员可以维护商品');
  expect(stale.page.querySelector('#goods-form')).toBeTruthy();
});

it('pages the stock movements: 加载更多 asks for the next 50 and appends them, then says there are no more', async () => {
  // Prepare: 70 movements, served 50 at a time, newest first
  const many: StockMovementView[] = Array.from({ length: 70 }, (_, i) => ({
    id: `m-${i}`,
    goodsId: 'g1',
    goodsName: '洗洁精',
    kind: 'restock',
    kindLabel: '进货',
    change: 1,
    stockAfter: 70 - i,
    reason: `第${70 - i}次进货`,
    byName: '王收银',
    at: '2026-11-26T03:00:00.000Z',
  }));
  const { tap, text, page } = await openGoods({
    'shop/goods.movements': (input) => {
      const offset = Number(input.offset ?? 0);
      return ok({ movements: many.slice(offset, offset + 50) });
    },
  });
  expect(page.querySelectorAll('.movement')).toHaveLength(50);

  // Act
  await tap('#more-movements >>> #more', '.t-button');

  // Assess
  expect(callsTo('shop/goods.movements')).toEqual([
    { shopId: 's1', offset: 0 },
    { shopId: 's1', offset: 50 },
  ]);
  expect(page.querySelectorAll('.movement')).toHaveLength(70);
  expect(text()).toContain('第1次进货');
  expect(text()).toContain('没有更多了');
  expect(page.querySelector('#more-movements >>> #more')).toBeFalsy();
});
