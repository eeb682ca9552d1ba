/**
 * 心愿单 as a village cadre: the village's wishes, a quote of 20 points with a note, an accepted wish marked done
 * with 300 斤 delivered, a cancel refused by the server in its words.
 */
import { type Answers, callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { wishView } from '../views';
import { CADRE, VILLAGER, session, villagesList } from './fixtures';

const accepted = wishView({
  id: 'w2',
  familyName: '王建国家',
  kind: 'machinery',
  kindLabel: '农机租用',
  description: '租用打谷机一天',
  status: 'accepted',
  statusLabel: '已确认，待服务',
  quotePoints: 300,
  coordinatorName: '李书记',
});

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([VILLAGER, CADRE]),
    'accounts/villages.list': villagesList,
    'shop/wishes.list': ok({ wishes: [wishView(), accepted] }),
    'shop/wishes.quote': (input) =>
      ok({
        wish: wishView({
          status: 'quoted',
          statusLabel: '待确认',
          quotePoints: Number(input.points),
          quoteNote: String(input.note),
          coordinatorName: '李书记',
        }),
      }),
    'shop/wishes.done': (input) =>
      ok({
        wish: {
          ...accepted,
          status: 'done',
          statusLabel: '已完成',
          deliveredQuantity: Number(input.deliveredQuantity),
          deliveredUnit: String(input.deliveredUnit),
        },
      }),
    ...over,
  };
}

const openWishes = (over: Answers = {}) => openLoaded('packageShop/wishes/index', answers(over));

quietMocksEachTest();

it("lists the village's wishes with what each needs next", async () => {
  const { text, page } = await openWishes();
  expect(callsTo('shop/wishes.list')).toEqual([{ villageId: 'v1', offset: 0 }]);
  expect(text()).toContain('何雄梅家 农活代工 待报价 帮忙收割两亩稻谷');
  expect(text()).toContain('王建国家 农机租用 已确认，待服务 租用打谷机一天 报价30分');
  expect(page.querySelector('#quote-w1')).toBeTruthy();
  expect(page.querySelector('#done-w1')).toBeFalsy();
  expect(page.querySelector('#done-w2')).toBeTruthy();
});

it('quotes points with a note', async () => {
  // Prepare
  const { page, tap, text } = await openWishes();
  await tap('#quote-w1');

  // Act: a bad figure, then 20 points
  page.querySelector('#quote-points')?.dispatchEvent('input', { detail: { value: '20.25' } });
  await tap('#panel-submit', '.t-button');
  expect(text()).toContain('请填写积分，须为0.5分的整数倍');
  page.querySelector('#quote-points')?.dispatchEvent('input', { detail: { value: '20' } });
  page.querySelector('#quote-note')?.dispatchEvent('input', { detail: { value: '后天上午' } });
  await tap('#panel-submit', '.t-button');
  await settle();

  // Assess
  expect(callsTo('shop/wishes.quote')).toEqual([{ wishId: 'w1', points: 200, note: '后天上午' }]);
  expect(text()).toContain('何雄梅家 农活代工 待确认 帮忙收割两亩稻谷 报价20分 后天上午');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '心愿待确认', icon: 'none' });
});

it('marks an accepted wish done with the delivered quantity and unit', async () => {
  const { page, tap, text } = await openWishes();
  await tap('#done-w2');
  page.querySelector('#done-quantity')?.dispatchEvent('input', { detail: { value: '300' } });
  await tap('#panel-submit', '.t-button');
  await settle();
  expect(callsTo('shop/wishes.done')).toEqual([
    { wishId: 'w2', deliveredQuantity: 300, deliveredUnit: '斤' },
  ]);
  expect(text()).toContain('王建国家 农机租用 已完成 租用打谷机一天 报价30分 已提供300斤');
});

it("shows the server's refusal when a cancel is not allowed", async () => {
  const { page, tap, text } = await openWishes({
    'shop/wishes.cancel': fail('CONFLICT', '该心愿已完成，不能再这样操作'),
  });
  await tap('#cancel-w1');
  page.querySelector('#cancel-reason')?.dispatchEvent('input', { detail: { value: '村民不需要了' } });
  await tap('#panel-submit', '.t-button');
  expect(callsTo('shop/wishes.cancel')).toEqual([{ wishId: 'w1', reason: '村民不需要了' }]);
  expect(text()).toContain('该心愿已完成，不能再这样操作');
});

it('tells a villager the page is not for them', async () => {
  const { text } = await openWishes({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部可以协调心愿');
});
