/**
 * 绑定积分卡 against a fake NFC adapter: a card discovered and bound (and its token written to the tag); an
 * already-bound card refused with the server's message; a failed token write, then written on the next tap;
 * no NFC on the phone; NFC switched off; iPhone guidance; 挂失 with a confirm; discovery stopped on hide.
 */
import type { CardView } from '../../../miniprogram/contract/shop';
import { fakeNfc, type Callbacks } from '../fake-nfc';
import { backend, callsTo, fail, notLinked, ok, openPage } from '../harness';
import { cardView, familyView } from '../views';

const family = familyView({ householdNumber: '012', address: '斑竹村3组', groupId: 'g3', available: 125 }, [
  { id: 'm1', name: '何雄梅', relation: '户主', partyMember: true, linked: true, isMe: true },
  { id: 'm2', name: '何大爷', relation: '父亲', partyMember: false, linked: false, isMe: false },
]);

/** 何大爷's card, bound on 2026-03-05, with `over`. */
const card = (over: Partial<CardView> = {}): CardView =>
  cardView({ memberId: 'm2', memberName: '何大爷', boundAt: '2026-03-05T02:00:00.000Z', ...over });

const showModal = jest.fn();
let platform = 'android';

interface CardMethods {
  onLoad(): Promise<void>;
  onHide(): void;
}
const openCard = () => openPage<CardMethods & Record<string, never>>('pages/card/index');

beforeAll(() =>
  Object.assign(wx, {
    showModal,
    getDeviceInfo: jest.fn(() => ({ platform })),
  }),
);
beforeEach(() => {
  jest.clearAllMocks();
  platform = 'android';
});

it('binds a tapped card to the chosen member and writes the signed token to the tag', async () => {
  let cards: CardView[] = [];
  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': () => ok({ cards }),
    'shop/cards.bind': (input) => {
      cards = [card({ uid: String(input.uid), memberId: String(input.memberId) })];
      return ok({ card: cards[0], token: 'tok.abc123' });
    },
  });
  const nfc = fakeNfc();
  const { methods, tap, text } = await openCard();
  await methods.onLoad();
  expect(text()).toContain('还没有绑定积分卡');

  await tap('#member-m2');
  await tap('#card-bind >>> #start', '.t-button');
  expect(text()).toContain('请把积分卡贴在手机背面');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(callsTo('shop/cards.bind')).toEqual([{ uid: '04A2B3C4', memberId: 'm2', writesToken: true }]);
  expect(nfc.ndef.writeNdefMessage).toHaveBeenCalledWith(expect.objectContaining({ texts: ['tok.abc123'] }));
  expect(text()).toContain('已为何大爷绑定积分卡（04 A2 B3 C4），并写入防伪令牌');
  expect(text()).toContain('何大爷 · 04 A2 B3 C4');
  expect(nfc.adapter.stopDiscovery).toHaveBeenCalled();
  expect(nfc.listening()).toBe(false);
});

it('binds a card without NDEF by its UID only, asking for no token', async () => {
  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': ok({ cards: [] }),
    'shop/cards.bind': ok({
      card: card({ uid: '0A0B0C0D', memberId: 'm1', tokenRequired: false }),
      token: null,
    }),
  });
  const nfc = fakeNfc();
  const { methods, tap, text } = await openCard();
  await methods.onLoad();

  await tap('#card-bind >>> #start', '.t-button');
  await nfc.tap([0x0a, 0x0b, 0x0c, 0x0d], ['NFC-A', 'MIFARE-Classic']);

  expect(callsTo('shop/cards.bind')).toEqual([{ uid: '0A0B0C0D', memberId: 'm1', writesToken: false }]);
  expect(nfc.ndef.writeNdefMessage).not.toHaveBeenCalled();
  expect(text()).toContain('已为何雄梅绑定积分卡（0A 0B 0C 0D）');
});

it('shows the server’s refusal for a card that is already bound, and keeps reading', async () => {
  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': ok({ cards: [] }),
    'shop/cards.bind': fail('CONFLICT', '该卡已绑定，请先解绑后再绑定', { reason: 'CARD_BOUND' }),
  });
  const nfc = fakeNfc();
  const { methods, tap, text } = await openCard();
  await methods.onLoad();

  await tap('#card-bind >>> #start', '.t-button');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(text()).toContain('该卡已绑定，请先解绑后再绑定');
  expect(text()).toContain('请把积分卡贴在手机背面');
  expect(nfc.listening()).toBe(true);
  expect(nfc.ndef.writeNdefMessage).not.toHaveBeenCalled();
});

it('says clearly when writing the token fails, and writes it when the same card is tapped again', async () => {
  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': ok({ cards: [card()] }),
    'shop/cards.bind': ok({ card: card(), token: 'tok.abc123' }),
  });
  const nfc = fakeNfc();
  nfc.ndef.writeNdefMessage.mockImplementationOnce((o: Callbacks) =>
    o.fail?.({ errCode: 13017, errMsg: 'writeNdefMessage:fail system internal error' }),
  );
  const { methods, tap, text } = await openCard();
  await methods.onLoad();

  await tap('#member-m2');
  await tap('#card-bind >>> #start', '.t-button');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(text()).toContain('卡已绑定给何大爷，但写入防伪令牌失败：写入卡片失败');
  expect(text()).toContain('这张卡要有令牌才能在超市使用，请把同一张卡再贴到手机背面，重新写入');
  expect(nfc.listening()).toBe(true);

  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(callsTo('shop/cards.bind')).toHaveLength(1);
  expect(nfc.ndef.writeNdefMessage).toHaveBeenCalledTimes(2);
  expect(text()).toContain('并写入防伪令牌');
});

it('tells a phone without NFC to use another phone or the QR code', async () => {
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [] }) });
  Object.assign(wx, { getNFCAdapter: undefined });
  const { methods, page, text } = await openCard();
  await methods.onLoad();

  expect(text()).toContain('这部手机没有NFC功能');
  expect(page.querySelector('#card-bind >>> #start')).toBeFalsy();
  expect(page.querySelector('#open-qr')).toBeTruthy();
});

it('tells a phone whose NFC hardware is missing (13000) the same, after trying', async () => {
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [] }) });
  fakeNfc({ startFailure: { errCode: 13000, errMsg: 'startDiscovery:fail 设备不支持NFC' } });
  const { methods, tap, page, text } = await openCard();
  await methods.onLoad();

  await tap('#card-bind >>> #start', '.t-button');

  expect(text()).toContain('这部手机没有NFC功能');
  expect(page.querySelector('#card-bind >>> #start')).toBeFalsy();
  expect(page.querySelector('#open-qr')).toBeTruthy();
});

it('asks to switch NFC on (13001), then reads after 重新读卡', async () => {
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [] }) });
  fakeNfc({ startFailure: { errCode: 13001, errMsg: 'startDiscovery:fail 系统NFC开关未打开' } });
  const { methods, tap, text } = await openCard();
  await methods.onLoad();

  await tap('#card-bind >>> #start', '.t-button');
  expect(text()).toContain('手机的NFC没有打开');
  expect(text()).toContain('重新读卡');

  fakeNfc();
  await tap('#card-bind >>> #start', '.t-button');
  expect(text()).not.toContain('手机的NFC没有打开');
  expect(text()).toContain('请把积分卡贴在手机背面');
});

it('on an iPhone explains that cards can’t be read and offers the QR code', async () => {
  platform = 'ios';
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [card()] }) });
  fakeNfc();
  const { methods, page, tap, text } = await openCard();
  await methods.onLoad();

  expect(text()).toContain('苹果手机的微信不能读取积分卡');
  expect(page.querySelector('#card-bind >>> #start')).toBeFalsy();
  // The family's cards can still be listed and reported lost.
  expect(text()).toContain('何大爷 · 04 A2 B3 C4');
  await tap('#open-qr', '.t-button');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/qr/index' });
});

it('reports a lost card in one tap after a confirm', async () => {
  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': ok({ cards: [card()] }),
    'shop/cards.block': (input) =>
      ok({
        card: card({ uid: String(input.uid), status: 'blocked', blockedAt: '2026-03-06T02:00:00.000Z' }),
      }),
  });
  showModal.mockImplementation((o: { content: string; success(r: { confirm: boolean }): void }) =>
    o.success({ confirm: true }),
  );
  fakeNfc();
  const { methods, tap, text } = await openCard();
  await methods.onLoad();
  expect(text()).toContain('正常');

  await tap('#block-04A2B3C4', '.t-button');

  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '挂失积分卡' }));
  expect(callsTo('shop/cards.block')).toEqual([{ uid: '04A2B3C4', reason: '家庭挂失' }]);
  expect(text()).toContain('已挂失');
  expect(text()).toContain('2026-03-06挂失，柜台已停用此卡');
});

it('stops discovery when the page is hidden', async () => {
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [] }) });
  const nfc = fakeNfc();
  const { methods, tap } = await openCard();
  await methods.onLoad();
  await tap('#card-bind >>> #start', '.t-button');
  expect(nfc.listening()).toBe(true);

  methods.onHide();

  expect(nfc.adapter.stopDiscovery).toHaveBeenCalled();
  expect(nfc.listening()).toBe(false);
});

it('asks to bind the family first, and shows errors with 重试', async () => {
  backend({ 'accounts/families.get': notLinked(), 'shop/cards.list': notLinked() });
  const first = await openCard();
  await first.methods.onLoad();
  expect(first.text()).toContain('请先用邀请码绑定您的家庭');

  backend({
    'accounts/families.get': ok(family),
    'shop/cards.list': fail('INTERNAL', '服务繁忙，请稍后再试'),
  });
  const second = await openCard();
  await second.methods.onLoad();
  expect(second.text()).toContain('服务繁忙，请稍后再试');
  backend({ 'accounts/families.get': ok(family), 'shop/cards.list': ok({ cards: [] }) });
  await second.tap('#state >>> #retry', '.t-button');
  expect(second.text()).toContain('还没有绑定积分卡');
});
