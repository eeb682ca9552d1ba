/**
 * The card-bind component on its own, as a page uses it: given a member, it reads a card, binds it, writes the
 * token, and tells the page what happened through its events (bound, failed, cancelled, busy).
 */
import { fakeNfc, type Callbacks } from '../fake-nfc';
import { backend, callsTo, fail, ok, openPage } from '../harness';
import { cardView } from '../views';

type Event = { name: string; detail: unknown };

async function mount(properties: Record<string, unknown>) {
  const opened = await openPage('components/card-bind/index', properties);
  const events: Event[] = [];
  const instance = opened.page.instance as unknown as { triggerEvent(name: string, detail?: unknown): void };
  const trigger = instance.triggerEvent.bind(instance);
  instance.triggerEvent = (name: string, detail?: unknown) => {
    events.push({ name, detail });
    trigger(name, detail);
  };
  return { ...opened, events, names: () => events.map((e) => e.name) };
}

beforeEach(() => {
  jest.clearAllMocks();
  Object.assign(wx, { getDeviceInfo: () => ({ platform: 'android' }) });
});

it('binds the tapped card to the given member, writes its token, and raises bound', async () => {
  // Prepare
  backend({
    'shop/cards.bind': (input) => ok({ card: cardView({ uid: String(input.uid) }), token: 'tok.liu' }),
  });
  const nfc = fakeNfc();
  const { tap, text, events, names } = await mount({ memberId: 'm4', memberName: '刘奶奶' });
  expect(text()).toBe('开始读卡');

  // Act
  await tap('#start', '.t-button');
  expect(text()).toBe('请把积分卡贴在手机背面（NFC位置一般在摄像头附近），不要移动 停止读卡');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  // Assess
  expect(callsTo('shop/cards.bind')).toEqual([{ uid: '04A2B3C4', memberId: 'm4', writesToken: true }]);
  expect(nfc.ndef.writeNdefMessage).toHaveBeenCalledWith(expect.objectContaining({ texts: ['tok.liu'] }));
  expect(text()).toBe('已为刘奶奶绑定积分卡（04 A2 B3 C4），并写入防伪令牌 再绑一张卡');
  expect(names()).toEqual(['busy', 'busy', 'bound']);
  expect(events.map((e) => e.detail)).toEqual([
    { busy: true },
    { busy: false },
    { card: cardView(), tokenWritten: true },
  ]);
  expect(nfc.listening()).toBe(false);
});

it('starts at once on behalf of a member, and raises failed with the server’s refusal while reading on', async () => {
  backend({ 'shop/cards.bind': fail('CONFLICT', '该卡已绑定，请先解绑后再绑定', { reason: 'CARD_BOUND' }) });
  const nfc = fakeNfc();
  const { tap, text, events } = await mount({
    memberId: 'm4',
    memberName: '刘奶奶',
    onBehalf: true,
    autoStart: true,
  });
  expect(text()).toContain('请让刘奶奶把积分卡贴在手机背面');

  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(text()).toContain('该卡已绑定，请先解绑后再绑定');
  expect(nfc.listening()).toBe(true);
  expect(events.filter((e) => e.name === 'failed')).toEqual([
    { name: 'failed', detail: { stage: 'bind', message: '该卡已绑定，请先解绑后再绑定' } },
  ]);

  // 停止读卡 before any card was bound: cancelled.
  await tap('#stop', '.t-button');
  expect(events.at(-1)?.name).toBe('cancelled');
  expect(nfc.listening()).toBe(false);
});

it('raises failed at the write with the bound card, then bound when the same card is tapped again', async () => {
  backend({ 'shop/cards.bind': ok({ card: cardView(), token: 'tok.liu' }) });
  const nfc = fakeNfc();
  nfc.ndef.writeNdefMessage.mockImplementationOnce((o: Callbacks) =>
    o.fail?.({ errCode: 13013, errMsg: 'writeNdefMessage:fail connection lost' }),
  );
  const { tap, text, events, names } = await mount({ memberId: 'm4', memberName: '刘奶奶', onBehalf: true });

  await tap('#start', '.t-button');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(text()).toContain('卡已绑定给刘奶奶，但写入防伪令牌失败：卡片离开了手机');
  expect(text()).toContain('请让村民把同一张卡再贴到手机背面，重新写入');
  expect(events.find((e) => e.name === 'failed')?.detail).toEqual({
    stage: 'write',
    message: '卡片离开了手机（连接断开），请把卡片贴紧手机背面不要移动',
    card: cardView(),
  });

  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(callsTo('shop/cards.bind')).toHaveLength(1);
  expect(nfc.ndef.writeNdefMessage).toHaveBeenCalledTimes(2);
  expect(names().at(-1)).toBe('bound');
  expect(text()).toContain('并写入防伪令牌');
});

it('says why the phone cannot read: no retry on an iPhone, 重新读卡 when NFC is off', async () => {
  fakeNfc();
  Object.assign(wx, { getDeviceInfo: () => ({ platform: 'ios' }) });
  const iphone = await mount({ memberId: 'm4', memberName: '刘奶奶', autoStart: true });
  expect(iphone.text()).toContain('苹果手机的微信不能读取积分卡');
  expect(iphone.page.querySelector('#start')).toBeFalsy();

  Object.assign(wx, { getDeviceInfo: () => ({ platform: 'android' }) });
  fakeNfc({
    startFailure: { errCode: 13001, errMsg: 'startDiscovery:fail NFC switch has not been turned on' },
  });
  const off = await mount({ memberId: 'm4', memberName: '刘奶奶' });
  await off.tap('#start', '.t-button');
  expect(off.text()).toContain('手机的NFC没有打开');
  expect(off.text()).toContain('重新读卡');
  expect(off.events).toEqual([
    {
      name: 'failed',
      detail: { stage: 'nfc', problem: 'off', message: expect.stringContaining('NFC没有打开') },
    },
  ]);
});
