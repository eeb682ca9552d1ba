/**
 * 心愿定制: asking for a service (kind + description, one request id per form, checks before sending, the
 * server's refusal shown); the family's wishes with status, quote and outcome; accepting a quote (points
 * reserved) after a confirm, and a refusal for too few points; cancelling with a reason; empty and error states.
 */
import type { WishView } from '../../../miniprogram/contract/shop';
import {
  backend,
  callsTo,
  expectBindPrompt,
  expectErrorThenRetry,
  fail,
  ok,
  openPage,
  settle,
} from '../harness';
import { wishView } from '../views';

/** 何雄梅家's wish `id`, asked for on 2026-03-05: 3亩水稻收割, with `over`. */
const wish = (id: string, over: Partial<WishView> = {}): WishView =>
  wishView({
    id,
    description: '3亩水稻收割，下周内',
    createdAt: '2026-03-05T02:00:00.000Z',
    updatedAt: '2026-03-05T02:00:00.000Z',
    ...over,
  });

const quoted = wish('w2', {
  kind: 'machinery',
  kindLabel: '农机租用',
  description: '旋耕机半天',
  status: 'quoted',
  statusLabel: '待确认',
  quotePoints: 150,
  quoteNote: '含油费',
  coordinatorName: '罗亚倩',
});

const showModal = jest.fn();

interface WishesMethods {
  onLoad(): Promise<void>;
}
const openWishes = () => openPage<WishesMethods & Record<string, never>>('pages/wishes/index');

beforeAll(() => Object.assign(wx, { showModal }));
beforeEach(() => jest.clearAllMocks());

it('shows the family’s wishes with status, quote and outcome', async () => {
  backend({
    'shop/wishes.list': ok({
      wishes: [
        quoted,
        wish('w3', { status: 'accepted', statusLabel: '已确认，待服务', quotePoints: 80 }),
        wish('w4', {
          status: 'done',
          statusLabel: '已完成',
          quotePoints: 300,
          deliveredQuantity: 3,
          deliveredUnit: '亩',
        }),
        wish('w5', {
          kind: 'repair',
          kindLabel: '房屋整治',
          status: 'cancelled',
          statusLabel: '已取消',
          cancelReason: '自己修好了',
        }),
      ],
    }),
  });
  const { methods, page, text } = await openWishes();

  await methods.onLoad();

  expect(text()).toRead([
    '农机租用 待确认 旋耕机半天 2026-03-05提交 报价 15分：含油费（罗亚倩）',
    '已预留8分，服务完成后扣除',
    '已完成3亩，已扣30分',
    '房屋整治 已取消',
    '已取消：自己修好了',
  ]);
  expect(page.querySelector('#accept-w2')).toBeTruthy();
  expect(page.querySelector('#accept-w3')).toBeFalsy();
  expect(page.querySelector('#cancel-w3')).toBeTruthy();
  expect(page.querySelector('#cancel-w4')).toBeFalsy();
});

it('asks for a service with a kind and a description, once per form', async () => {
  backend({
    'shop/wishes.list': ok({ wishes: [] }),
    'shop/wishes.request': (input) =>
      ok({
        wish: wish('w9', { kind: 'repair', kindLabel: '房屋整治', description: String(input.description) }),
      }),
  });
  const { methods, page, tap, text, enter, expectRefusedBeforeCalling } = await openWishes();
  await methods.onLoad();
  expect(text()).toContain('还没有提过心愿');

  await tap('#submit', '.t-button');
  expect(text()).toContain('请选择需要的服务');
  await tap('#kind-repair');
  await enter({ '#description': '漏雨' });
  await expectRefusedBeforeCalling('#submit', '请描述需要的服务（至少4个字）', 'shop/wishes.request');

  page
    .querySelector('#description')
    ?.dispatchEvent('input', { detail: { value: ' 厨房屋顶漏雨，需要补瓦 ' } });
  await settle();
  await tap('#submit', '.t-button');

  const [request] = callsTo('shop/wishes.request');
  expect(request).toEqual({
    requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    kind: 'repair',
    description: '厨房屋顶漏雨，需要补瓦',
  });
  expect(text()).toContain('房屋整治 待报价 厨房屋顶漏雨，需要补瓦');
  expect(text()).not.toContain('还没有提过心愿');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已提交，等待报价', icon: 'none' });
});

it('keeps the request id when the server refuses, and shows why', async () => {
  backend({
    'shop/wishes.list': ok({ wishes: [] }),
    'shop/wishes.request': fail('REFUSED', '描述中含有不适宜的内容，请修改后再提交', {
      reason: 'RISKY_CONTENT',
    }),
  });
  const { methods, page, tap, text } = await openWishes();
  await methods.onLoad();
  await tap('#kind-other');
  page.querySelector('#description')?.dispatchEvent('input', { detail: { value: '帮忙搬家具到二楼' } });
  await settle();

  await tap('#submit', '.t-button');
  await tap('#submit', '.t-button');

  expect(text()).toContain('描述中含有不适宜的内容，请修改后再提交');
  const [first, second] = callsTo('shop/wishes.request');
  expect(first?.requestId).toBe(second?.requestId);
});

it('accepts a quote after a confirm: the points are reserved', async () => {
  backend({
    'shop/wishes.list': ok({ wishes: [quoted] }),
    'shop/wishes.accept': (input) =>
      ok({
        wish: { ...quoted, id: String(input.wishId), status: 'accepted', statusLabel: '已确认，待服务' },
      }),
  });
  showModal.mockImplementation((o: { success(r: { confirm: boolean }): void }) =>
    o.success({ confirm: true }),
  );
  const { methods, page, tap, text } = await openWishes();
  await methods.onLoad();

  await tap('#accept-w2', '.t-button');

  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: '接受报价', content: expect.stringContaining('报价 15分') }),
  );
  expect(callsTo('shop/wishes.accept')).toEqual([{ wishId: 'w2', quotePoints: 150 }]);
  expect(text()).toContain('已确认，待服务');
  expect(text()).toContain('已预留15分，服务完成后扣除');
  expect(page.querySelector('#accept-w2')).toBeFalsy();
});

it('shows the refusal when the family has too few points', async () => {
  backend({
    'shop/wishes.list': ok({ wishes: [quoted] }),
    'shop/wishes.accept': fail('REFUSED', '积分不足：需要15分，可用12.5分', {
      reason: 'INSUFFICIENT_POINTS',
    }),
  });
  showModal.mockImplementation((o: { success?(r: { confirm: boolean }): void }) =>
    o.success?.({ confirm: true }),
  );
  const { methods, tap, text } = await openWishes();
  await methods.onLoad();

  await tap('#accept-w2', '.t-button');

  expect(showModal).toHaveBeenLastCalledWith(
    expect.objectContaining({ title: '没有成功', content: '积分不足：需要15分，可用12.5分' }),
  );
  expect(text()).toContain('待确认');
});

it('cancels a wish with the reason typed (or a default one)', async () => {
  backend({
    'shop/wishes.list': ok({ wishes: [quoted, wish('w1')] }),
    'shop/wishes.cancel': (input) =>
      ok({
        wish: wish(String(input.wishId), {
          status: 'cancelled',
          statusLabel: '已取消',
          cancelReason: String(input.reason),
        }),
      }),
  });
  showModal
    .mockImplementationOnce((o: { success(r: { confirm: boolean; content: string }): void }) =>
      o.success({ confirm: true, content: '自己找到人了' }),
    )
    .mockImplementationOnce((o: { success(r: { confirm: boolean; content: string }): void }) =>
      o.success({ confirm: true, content: '' }),
    );
  const { methods, tap, text } = await openWishes();
  await methods.onLoad();

  await tap('#cancel-w2', '.t-button');
  await tap('#cancel-w1', '.t-button');

  expect(callsTo('shop/wishes.cancel')).toEqual([
    { wishId: 'w2', reason: '自己找到人了' },
    { wishId: 'w1', reason: '家庭不需要了' },
  ]);
  expect(text()).toContain('已取消：自己找到人了');
  expect(text()).toContain('已取消：家庭不需要了');
});

it('shows an error with 重试, and the prompt to bind when not linked', async () => {
  await expectErrorThenRetry(
    'pages/wishes/index',
    'shop/wishes.list',
    ok({ wishes: [quoted] }),
    '旋耕机半天',
  );
  await expectBindPrompt('pages/wishes/index', 'shop/wishes.list');
});
