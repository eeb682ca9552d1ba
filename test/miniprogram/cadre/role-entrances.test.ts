/**
 * The role entrances on the home page: each role sees its entrances, a villager sees nothing, and a tap opens
 * the page in the cadre subpackage.
 */
import type { RoleGrantView } from '../../../miniprogram/contract/accounts';
import { backend, callsTo, fail, ok, openPage, quietMocksEachTest, settle } from '../harness';
import { CADRE, GROUP_LEADER, SUPERVISOR, TOWN_ADMIN, VILLAGER, grant, session } from './fixtures';

const CLERK = grant('shopClerk', { kind: 'shop', id: 's1' }, '收银员');

async function mount(roles: RoleGrantView[] | null) {
  backend({ 'accounts/session.me': roles ? session(roles) : fail('INTERNAL', '服务繁忙') });
  const opened = await openPage('components/role-entrances/index');
  await settle();
  return opened;
}

quietMocksEachTest();

it('shows a village cadre the review, monthly, activities, boards, months, households, stats, rules, report, wishes, fund, champions and settlement entrances', async () => {
  const { text } = await mount([VILLAGER, CADRE]);
  expect(text()).toBe(
    '工作台 审核 月度采集 活动签到 红黑榜管理 公示与锁定 户籍与角色 统计与导出 积分细则 积分档案 心愿单 基金池 积分冠军 月度结算',
  );
});

it('shows a shop clerk the counter and the goods', async () => {
  const { text, tap } = await mount([VILLAGER, CLERK]);
  expect(text()).toBe('工作台 收银台 商品与库存');
  await tap('#entrance-counter');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageShop/counter/index' });
});

it('shows a group leader only 月度采集 and 活动签到, a supervisor 异议处理 and 统计与导出', async () => {
  expect((await mount([VILLAGER, GROUP_LEADER])).text()).toBe('工作台 月度采集 活动签到');
  expect((await mount([SUPERVISOR])).text()).toBe('工作台 异议处理 统计与导出');
});

it('shows a town admin every entrance', async () => {
  expect((await mount([TOWN_ADMIN])).text()).toBe(
    '工作台 审核 月度采集 活动签到 红黑榜管理 公示与锁定 异议处理 户籍与角色 统计与导出 积分细则 积分档案 镇管理 收银台 商品与库存 心愿单 基金池 积分冠军 月度结算',
  );
});

it('shows nothing to a villager, or when the session cannot be read', async () => {
  expect((await mount([VILLAGER])).text()).toBe('');
  expect((await mount([])).text()).toBe('');
  expect((await mount(null)).text()).toBe('');
});

it('opens 镇管理 for a town admin and 统计与导出 for a supervisor', async () => {
  await (await mount([TOWN_ADMIN])).tap('#entrance-town');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageCadre/town/index' });
  await (await mount([SUPERVISOR])).tap('#entrance-stats');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageCadre/stats/index' });
});

it('opens the page on tap', async () => {
  const { tap } = await mount([CADRE]);
  await tap('#entrance-review');
  expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageCadre/review/index' });
});

it("counts what is waiting beside the title: a cadre's claims to review, a supervisor's open objections, a clerk's low stock", async () => {
  // Prepare
  backend({
    'accounts/session.me': session([VILLAGER, CADRE, SUPERVISOR, CLERK]),
    'points/review.queue': ok({ items: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }] }),
    'points/objections.list': ok({ objections: [] }),
    'shop/goods.lowStock': ok({ goods: [{ id: 'g1' }] }),
  });

  // Act
  const { text } = await openPage('components/role-entrances/index');
  await settle(10);

  // Assess: 审核 3 and 商品与库存 1; no count for no open objection
  expect(text()).toRead(['审核 3 月度采集', '商品与库存 1', '异议处理 户籍与角色']);
  expect(callsTo('points/review.queue')).toEqual([{ villageId: CADRE.scope.id }]);
  expect(callsTo('points/objections.list')).toEqual([{ villageId: expect.any(String), status: 'open' }]);
});

it('reads a full page of claims as 20+', async () => {
  backend({
    'accounts/session.me': session([CADRE]),
    'points/review.queue': ok({ items: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}` })) }),
  });
  const { text } = await openPage('components/role-entrances/index');
  await settle(10);
  expect(text()).toContain('审核 20+');
});
