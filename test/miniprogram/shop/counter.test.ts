/**
 * 收银台 as a clerk: a family taps its card (a fake NFC adapter fires a tag with a UID and an NDEF token) or shows
 * its QR code (wx.scanCode) or the clerk types the 码号 under it, the clerk sees who it is (real name, 户号,
 * members), the cart is filled from a searchable shelf by category, frequent items first ("15 分兑 14 分洗洁精，
 * 剩下下次再来"), a cart over the balance cannot be confirmed and says what is missing, one confirm charges once
 * whatever the taps and retries, refusals (suspension, not enough points, PIN) are shown in the server's words,
 * and one of today's orders is cancelled with a reason behind the 今日兑换 tab.
 */
import {
  type Answers,
  backend,
  callsTo,
  fail,
  ok,
  openLoaded,
  openPage,
  quietMocksEachTest,
  settle,
} from '../harness';
import { CLERK, VILLAGER, family, goods, goodsItem, order, session, shops } from './fixtures';

/** A fake NFC adapter: keeps the onDiscovered listener so a test can "tap" a card. */
function fakeNfc() {
  let listener: ((res: unknown) => void) | null = null;
  const adapter = {
    onDiscovered: jest.fn((fn: (res: unknown) => void) => void (listener = fn)),
    offDiscovered: jest.fn(() => void (listener = null)),
    startDiscovery: jest.fn((options: { success?: () => void }) => options.success?.()),
    stopDiscovery: jest.fn(),
  };
  // The counter's phone: an Android phone (WeChat on iOS has no NFC).
  Object.assign(wx, {
    getNFCAdapter: jest.fn(() => adapter),
    getDeviceInfo: jest.fn(() => ({ platform: 'android' })),
  });
  const bytes = (values: number[]) => new Uint8Array(values).buffer;
  const text = (value: string) => {
    const lang = [0x65, 0x6e]; // "en"
    return bytes([lang.length, ...lang, ...Array.from(value, (c) => c.charCodeAt(0))]);
  };
  return {
    adapter,
    /** A card with UID 04:A2:1B:3C and, optionally, an NDEF text record with `token`. */
    tap: async (token?: string) => {
      listener?.({
        id: bytes([0x04, 0xa2, 0x1b, 0x3c]),
        techs: ['NfcA', 'Ndef'],
        messages: token ? [{ records: [{ tnf: 1, type: bytes([0x54]), payload: text(token) }] }] : [],
      });
      await settle(10);
    },
  };
}

const placed: ReturnType<typeof order>[] = [];

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([VILLAGER, CLERK], '王收银'),
    'shop/shops.list': ok({ shops }),
    'shop/goods.list': ok({ goods }),
    'shop/orders.list': () => ok({ orders: [...placed] }),
    'shop/counter.identify': ok(family()),
    'shop/counter.redeem': () => {
      const done = order();
      placed.unshift(done);
      return ok({ order: done, available: 10, spendable: 10 });
    },
    ...over,
  };
}

async function openCounter(over: Answers = {}) {
  placed.length = 0;
  const nfc = fakeNfc();
  const opened = await openLoaded('packageShop/counter/index', answers(over));
  return { ...opened, nfc };
}

/** One 洗洁精 (14 分) in the cart. */
async function addDishSoap(opened: Awaited<ReturnType<typeof openCounter>>) {
  await opened.tap('#qty-g1', '.t-stepper__plus');
  await settle();
}

const confirmButton = (opened: Awaited<ReturnType<typeof openCounter>>) =>
  opened.page.querySelector('#confirm')?.querySelector('.t-button');

quietMocksEachTest();

it('redeems 14 of 15 points at a card tap, with the token read from the tag, and shows the receipt', async () => {
  // Prepare
  const opened = await openCounter();
  const { text, nfc } = opened;
  expect(text()).toContain('请将积分卡贴近手机背面');
  expect(text()).toContain('收银 今日兑换');

  // Act: the card is tapped
  await nfc.tap('tok-abc123');

  // Assess: the family, its points, the shelf (off-shelf goods hidden)
  expect(callsTo('shop/counter.identify')).toEqual([
    { shopId: 's1', card: { uid: '04A21B3C', token: 'tok-abc123' } },
  ]);
  expect(text()).toRead([
    '何雄梅家 可用 15分',
    '斑竹村 · 12号 · 刷卡：何雄梅',
    '家庭成员：何雄梅（户主）、何小明（子女）',
    '洗洁精 14分/瓶 · 库存20',
  ]);
  expect(text()).not.toContain('挂面');

  // Act: one bottle of dish soap, confirm
  await addDishSoap(opened);
  expect(text()).toContain('合计 14分 剩余1分');
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('shop/counter.redeem')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      shopId: 's1',
      familyId: 'f1',
      card: { uid: '04A21B3C', token: 'tok-abc123' },
      items: [{ goodsId: 'g1', quantity: 1 }],
    },
  ]);
  expect(text()).toRead(['兑换成功', '洗洁精 1瓶 14分', '共用积分 14分', '兑换后余额 1分']);

  // Act: today's orders, behind their tab
  await opened.tap('#tab-orders');

  // Assess
  expect(text()).toContain('今日兑换（1笔）');
  expect(text()).toContain('洗洁精×1');
  expect(text()).not.toContain('兑换成功');
});

it('identifies a family by the 码号 typed under its QR code, and redeems with the token it stands for', async () => {
  // Prepare
  const opened = await openCounter({
    'shop/counter.identify': ok(family({ via: 'code', memberName: null, qrToken: 'qr1.f1.m1.abc.mac123' })),
  });

  // Act: a code too short, then the right one
  opened.page.querySelector('#code')?.dispatchEvent('input', { detail: { value: 'C12' } });
  await opened.tap('#code-submit', '.t-button');
  expect(opened.text()).toContain('码号是二维码下方的6位字母或数字');
  opened.page.querySelector('#code')?.dispatchEvent('input', { detail: { value: 'AC123X' } });
  await opened.tap('#code-submit', '.t-button');
  await settle(10);
  await addDishSoap(opened);
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('shop/counter.identify')).toEqual([{ shopId: 's1', code: 'AC123X' }]);
  expect(opened.text()).toContain('斑竹村 · 12号 · 输码号');
  expect(callsTo('shop/counter.redeem')[0]).toMatchObject({ qr: 'qr1.f1.m1.abc.mac123', familyId: 'f1' });
  expect(opened.text()).toContain('兑换成功');
});

it('keeps 确认兑换 disabled with what is missing while the cart costs more than the family can spend', async () => {
  // Prepare: 15 points to spend
  const opened = await openCounter({
    'shop/counter.identify': ok(family({ spendable: 150, available: 150 })),
  });
  await opened.nfc.tap();

  // Act: two bottles of dish soap (28 分)
  await addDishSoap(opened);
  await addDishSoap(opened);

  // Assess: the bar says what is missing and the button does nothing
  expect(opened.text()).toContain('积分不够，还差13分，请减少商品');
  expect(opened.text()).toContain('合计 28分 还差13分');
  expect(opened.page.querySelector('#confirm')?.querySelector('.t-button--disabled')).toBeTruthy();
  confirmButton(opened)?.dispatchEvent('tap');
  await opened.methods.onConfirm();
  await settle(10);
  expect(callsTo('shop/counter.redeem')).toHaveLength(0);

  // Act: one bottle back
  await opened.tap('#qty-g1', '.t-stepper__minus');

  // Assess: confirmable again
  expect(opened.text()).toContain('合计 14分 剩余1分');
  expect(opened.text()).not.toContain('积分不够');
  expect(opened.page.querySelector('#confirm')?.querySelector('.t-button--disabled')).toBeFalsy();
});

it('finds goods by search and by category, and puts what this counter redeems most first', async () => {
  // Prepare: 食盐 was redeemed here before; three categories
  wx.setStorageSync('counter-frequency', { s1: { g2: 5 } });
  const shelf = [
    ...goods,
    goodsItem({ id: 'g4', code: 'B01', name: '大米', category: '粮油', unit: '袋', pricePoints: 50 }),
    goodsItem({ id: 'g5', code: 'B02', name: '菜籽油', category: '粮油', unit: '桶', pricePoints: 90 }),
  ];
  const opened = await openCounter({ 'shop/goods.list': ok({ goods: shelf }) });
  await opened.nfc.tap();
  const names = () => Array.from(opened.page.querySelectorAll('.goods__name')).map((n) => n.dom?.textContent);

  // Assess: frequent first, then the shop's order; the categories
  expect(names()).toEqual(['食盐', '洗洁精', '大米', '菜籽油']);
  expect(opened.text()).toContain('全部 日用品 粮油');

  // Act: a category
  await opened.tap('#category-2');

  // Assess
  expect(names()).toEqual(['大米', '菜籽油']);

  // Act: back to all, then a search by name and by code
  await opened.tap('#category-0');
  opened.page.querySelector('#search')?.dispatchEvent('input', { detail: { value: '油' } });
  await settle();
  expect(names()).toEqual(['菜籽油']);
  opened.page.querySelector('#search')?.dispatchEvent('input', { detail: { value: 'a01' } });
  await settle();
  expect(names()).toEqual(['洗洁精']);

  // Act: pick it, search for nothing, clear
  await addDishSoap(opened);
  opened.page.querySelector('#search')?.dispatchEvent('input', { detail: { value: '电视机' } });
  await settle();
  expect(opened.text()).toContain('没有找到“电视机”，换个词试试');
  await opened.tap('#search-clear');

  // Assess: the cart kept the pick through the filtering
  expect(names()).toHaveLength(4);
  expect(opened.text()).toContain('合计 14分 剩余1分');
});

it('identifies a family by its QR code when the clerk scans it', async () => {
  // Prepare
  const opened = await openCounter({ 'shop/counter.identify': ok(family({ via: 'qr', memberName: null })) });
  const scan = jest.fn(() => Promise.resolve({ result: 'qr1.f1.m1.abc.mac123', scanType: 'QR_CODE' }));
  Object.assign(wx, { scanCode: scan });

  // Act
  await opened.tap('#scan', '.t-button');
  await settle(10);
  await addDishSoap(opened);
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('shop/counter.identify')).toEqual([{ shopId: 's1', qr: 'qr1.f1.m1.abc.mac123' }]);
  expect(callsTo('shop/counter.redeem')[0]).toMatchObject({ qr: 'qr1.f1.m1.abc.mac123', familyId: 'f1' });
  expect(opened.text()).toContain('兑换成功');
});

it('charges once on a double-tapped confirm, and retries a lost answer with the same request id', async () => {
  // Prepare: the first answer is lost (network), the retry succeeds
  let calls = 0;
  const opened = await openCounter({
    'shop/counter.redeem': () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('timeout'));
      return ok({ order: order(), available: 10, spendable: 10 });
    },
  });
  await opened.nfc.tap();
  await addDishSoap(opened);

  // Act: a double tap
  confirmButton(opened)?.dispatchEvent('tap');
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess: one call, the network error shown
  expect(callsTo('shop/counter.redeem')).toHaveLength(1);
  expect(opened.text()).toContain('网络连接失败，请检查网络后重试');

  // Act: retry
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess: the same request id, the receipt
  const [first, retry] = callsTo('shop/counter.redeem');
  expect(retry?.requestId).toBe(first?.requestId);
  expect(opened.text()).toContain('兑换成功');
});

it('refuses a suspended family clearly, with no cart', async () => {
  // Act
  const opened = await openCounter({
    'shop/counter.identify': ok(family({ suspended: true, suspendedUntil: '2027-02-04T16:00:00.000Z' })),
  });
  await opened.nfc.tap();

  // Assess
  expect(opened.text()).toContain('该家庭上了黑榜，暂停兑换，至2027-02-05。本次不能兑换。');
  expect(opened.page.querySelector('#qty-g1')).toBeFalsy();
  expect(opened.page.querySelector('#confirm')).toBeFalsy();
  expect(callsTo('shop/goods.list')).toHaveLength(0);
});

it('warns the clerk when a card carries no anti-copy token', async () => {
  // Act
  const opened = await openCounter({
    'shop/counter.identify': ok(
      family({ warning: '注意：这张卡没有防复制令牌，卡号可能被复制，请核对持卡人身份' }),
    ),
  });
  await opened.nfc.tap();

  // Assess
  expect(opened.page.querySelector('#card-warning')?.dom?.textContent).toContain(
    '这张卡没有防复制令牌，卡号可能被复制，请核对持卡人身份',
  );
});

it("shows the server's refusal when points are not enough", async () => {
  // Prepare: the balance changed since the card was read (an over-balance cart can no longer be confirmed)
  const opened = await openCounter({
    'shop/counter.redeem': fail('REFUSED', '积分不足：需要14分，可用10分', {
      reason: 'INSUFFICIENT_POINTS',
    }),
  });
  await opened.nfc.tap();
  await addDishSoap(opened);
  expect(opened.text()).toContain('合计 14分 剩余1分');

  // Act
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(opened.text()).toContain('积分不足：需要14分，可用10分');
  expect(opened.text()).not.toContain('兑换成功');
});

it('shows a refused card and stays ready for the next tap', async () => {
  const opened = await openCounter({
    'shop/counter.identify': fail('REFUSED', '这张卡已挂失，不能使用', { reason: 'CARD_BLOCKED' }),
  });
  await opened.nfc.tap();
  expect(opened.text()).toContain('这张卡已挂失，不能使用');
  expect(opened.text()).toContain('扫村民二维码');
});

it('asks for the PIN when the server requires it and sends it with the same request id', async () => {
  // Prepare
  let calls = 0;
  const opened = await openCounter({
    'shop/counter.redeem': () => {
      calls += 1;
      return calls === 1
        ? fail('REFUSED', '本次兑换积分较多，请输入家庭兑换密码', { reason: 'PIN_REQUIRED' })
        : ok({ order: order(), available: 10, spendable: 10 });
    },
  });
  await opened.nfc.tap();
  await addDishSoap(opened);
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);
  expect(opened.text()).toContain('本次兑换积分较多，请输入家庭兑换密码');

  // Act
  opened.page.querySelector('#pin')?.dispatchEvent('input', { detail: { value: '2468' } });
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  const [first, second] = callsTo('shop/counter.redeem');
  expect(second).toMatchObject({ pin: '2468', requestId: first?.requestId });
  expect(opened.text()).toContain('兑换成功');
});

it("cancels one of today's orders with a reason", async () => {
  // Prepare
  placed.length = 0;
  const opened = await openCounter({
    'shop/orders.list': () => ok({ orders: [...placed] }),
    'shop/counter.cancel': (input) => {
      placed[0] = order({ status: 'cancelled', cancelReason: String(input.reason) });
      return ok({ order: placed[0], available: 150 });
    },
  });
  placed.push(order());
  await opened.methods.loadOrders();
  await settle();
  expect(opened.text()).not.toContain('洗洁精×1');
  await opened.tap('#tab-orders');
  expect(opened.text()).toContain('洗洁精×1');

  // Act: a reason too short, then a real one
  await opened.tap('#cancel-o1');
  await opened.tap('#cancel-confirm', '.t-button');
  expect(opened.text()).toContain('请填写撤销理由（至少2个字）');
  opened.page.querySelector('#cancel-reason')?.dispatchEvent('input', { detail: { value: '拿错商品' } });
  await opened.tap('#cancel-confirm', '.t-button');
  await settle(10);

  // Assess
  expect(callsTo('shop/counter.cancel')).toEqual([{ orderId: 'o1', reason: '拿错商品' }]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已撤销，退回14分', icon: 'none' });
  expect(opened.text()).toContain('已撤销');
  expect(opened.text()).toContain('撤销理由：拿错商品');
});

it('tells a non-clerk the counter is not for them', async () => {
  backend(answers({ 'accounts/session.me': session([VILLAGER]) }));
  fakeNfc();
  const opened = await openPage('packageShop/counter/index');
  await opened.methods.onLoad();
  expect(opened.text()).toContain('只有超市收银员可以使用收银台');
});
