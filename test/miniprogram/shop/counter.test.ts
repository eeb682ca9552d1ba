/**
 * 收银台 as a clerk: a family taps its card (a fake NFC adapter fires a tag with a UID and an NDEF token) or shows
 * its QR code (wx.scanCode), the cart is filled ("15 分兑 14 分洗洁精，剩下下次再来"), one confirm charges once
 * whatever the taps and retries, refusals (suspension, not enough points, PIN) are shown in the server's words,
 * and one of today's orders is cancelled with a reason.
 */
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
import { CLERK, VILLAGER, family, goods, order, session, shops } from './fixtures';

type Answers = Parameters<typeof backend>[0];

/** A fake NFC adapter: keeps the onDiscovered listener so a test can "tap" a card. */
function fakeNfc() {
  let listener: ((res: unknown) => void) | null = null;
  const adapter = {
    onDiscovered: jest.fn((fn: (res: unknown) => void) => void (listener = fn)),
    offDiscovered: jest.fn(() => void (listener = null)),
    startDiscovery: jest.fn((options: { success?: () => void }) => options.success?.()),
    stopDiscovery: jest.fn(),
  };
  Object.assign(wx, { getNFCAdapter: jest.fn(() => adapter) });
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
  backend(answers(over));
  const opened = await openPage('packageShop/counter/index');
  await opened.methods.onLoad();
  await settle();
  return { ...opened, nfc };
}

/** One 洗洁精 (14 分) in the cart. */
async function addDishSoap(opened: Awaited<ReturnType<typeof openCounter>>) {
  await opened.tap('#qty-g1', '.t-stepper__plus');
  await settle();
}

const confirmButton = (opened: Awaited<ReturnType<typeof openCounter>>) =>
  opened.page.querySelector('#confirm')?.querySelector('.t-button');

beforeEach(() => {
  jest.clearAllMocks();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

it('redeems 14 of 15 points at a card tap, with the token read from the tag, and shows the receipt', async () => {
  // Prepare
  const opened = await openCounter();
  const { text, nfc } = opened;
  expect(text()).toContain('请将积分卡贴近手机背面');
  expect(text()).toContain('今天还没有兑换');

  // Act: the card is tapped
  await nfc.tap('tok-abc123');

  // Assess: the family, its points, the shelf (off-shelf goods hidden)
  expect(callsTo('shop/counter.identify')).toEqual([
    { shopId: 's1', card: { uid: '04A21B3C', token: 'tok-abc123' } },
  ]);
  expect(text()).toContain('何雄梅家');
  expect(text()).toContain('可用积分 15分');
  expect(text()).toContain('洗洁精 14分/瓶 库存20');
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
  expect(text()).toContain('兑换成功');
  expect(text()).toContain('洗洁精 1瓶 14分');
  expect(text()).toContain('共用积分 14分');
  expect(text()).toContain('兑换后余额 1分');
  expect(text()).toContain('洗洁精×1');
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
  // Prepare
  const opened = await openCounter({
    'shop/counter.redeem': fail('REFUSED', '积分不足：需要15.5分，可用15分', {
      reason: 'INSUFFICIENT_POINTS',
    }),
  });
  await opened.nfc.tap();
  await addDishSoap(opened);
  await opened.tap('#qty-g2', '.t-stepper__plus');
  expect(opened.text()).toContain('合计 15.5分 还差0.5分');

  // Act
  confirmButton(opened)?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(opened.text()).toContain('积分不足：需要15.5分，可用15分');
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
