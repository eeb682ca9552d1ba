/**
 * 年终积分冠军 as a village cadre and a town admin: the year's champions with each family's points and share in
 * yuan; the award form (town admin) behind a confirm, sent once in fen; a refusal shown in the server's words;
 * a villager turned away.
 */
import type { ChampionsView } from '../../../miniprogram/contract/shop';
import { type Answers, callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, session, villagesList } from './fixtures';

/** The page opens on this year: the tests' clock says 2026-11-20 in China (test/miniprogram/clock.ts). */
const YEAR = '2026';

const champions: ChampionsView = {
  villageId: 'v1',
  year: YEAR,
  topN: 2,
  rewardFen: 100001,
  eachFen: 50000,
  remainderFen: 1,
  families: [
    { familyId: 'f1', familyName: '何雄梅家', earned: 1205, rank: 1, amountFen: 50000 },
    { familyId: 'f2', familyName: '刘**家', earned: 980, rank: 2, amountFen: 50000 },
  ],
  at: '2026-12-31T02:00:00.000Z',
};

let showModal: jest.Mock;

const openChampions = (over: Answers = {}) =>
  openLoaded('packageShop/champions/index', {
    'accounts/session.me': session([VILLAGER, CADRE]),
    'accounts/villages.list': villagesList,
    'shop/champions.list': ok({ champions }),
    ...over,
  });

quietMocksEachTest();

beforeEach(() => {
  showModal = jest.fn((o: { success: (res: { confirm: boolean }) => void }) => o.success({ confirm: true }));
  Object.assign(wx, { showModal });
});

it("lists the year's champions with the points earned and each family's share in yuan", async () => {
  const { text, page } = await openChampions();
  expect(callsTo('shop/champions.list')).toEqual([{ villageId: 'v1', year: YEAR }]);
  expect(text()).toRead([
    '评前2名，共2户，奖励总额1000.01元，每户500.00元，余0.01元留存基金',
    '第1名 何雄梅家 500.00元 获得120.5分',
    '第2名 刘**家 500.00元 获得98分',
  ]);
  // A cadre sees the champions, not the award form.
  expect(page.querySelector('#form')).toBeFalsy();
});

it('awards as a town admin after a confirm: one champions.award call in fen, then the list', async () => {
  // Prepare
  let awarded = false;
  const { page, tap, text } = await openChampions({
    'accounts/session.me': session([TOWN_ADMIN], '张镇长'),
    'shop/champions.list': () => ok({ champions: awarded ? champions : null }),
    'shop/champions.award': () => {
      awarded = true;
      return ok(champions);
    },
  });
  expect(text()).toContain('本年度还没有评出积分冠军');
  page.querySelector('#field-topN')?.dispatchEvent('input', { detail: { value: '2' } });
  page.querySelector('#field-amount')?.dispatchEvent('input', { detail: { value: '1000.01' } });

  // Act
  await tap('#award', '.t-button');
  await settle();

  // Assess
  expect(showModal).toHaveBeenCalledTimes(1);
  expect(showModal.mock.calls[0][0].content).toContain(`斑竹村${YEAR}年积分前2名家庭，平分奖励1000.01元`);
  expect(callsTo('shop/champions.award')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      villageId: 'v1',
      year: YEAR,
      topN: 2,
      rewardFen: 100001,
    },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已评出2户积分冠军', icon: 'none' });
  expect(text()).toContain('第1名 何雄梅家 500.00元');
  expect(page.querySelector('#form')).toBeFalsy();
});

it("shows the server's refusal in its words, and sends nothing when the confirm is cancelled", async () => {
  // Prepare
  const { page, tap, text } = await openChampions({
    'accounts/session.me': session([TOWN_ADMIN], '张镇长'),
    'shop/champions.list': ok({ champions: null }),
    'shop/champions.award': fail('CONFLICT', '斑竹村2026年的积分冠军已评出', { reason: 'ALREADY_AWARDED' }),
  });
  page.querySelector('#field-topN')?.dispatchEvent('input', { detail: { value: '10' } });
  page.querySelector('#field-amount')?.dispatchEvent('input', { detail: { value: '5000' } });
  showModal.mockImplementationOnce((o: { success: (res: { confirm: boolean }) => void }) =>
    o.success({ confirm: false }),
  );

  // Act
  await tap('#award', '.t-button');
  await settle();
  expect(callsTo('shop/champions.award')).toHaveLength(0);
  await tap('#award', '.t-button');
  await settle();

  // Assess
  expect(callsTo('shop/champions.award')).toEqual([expect.objectContaining({ topN: 10, rewardFen: 500000 })]);
  expect(text()).toContain('斑竹村2026年的积分冠军已评出');
});

it('refuses a form that is not a count and an amount before asking', async () => {
  const { page, tap, text } = await openChampions({
    'accounts/session.me': session([TOWN_ADMIN], '张镇长'),
    'shop/champions.list': ok({ champions: null }),
  });
  page.querySelector('#field-topN')?.dispatchEvent('input', { detail: { value: '0' } });
  await tap('#award', '.t-button');
  expect(text()).toContain('评选户数应为1到100之间的整数');
  page.querySelector('#field-topN')?.dispatchEvent('input', { detail: { value: '3' } });
  page.querySelector('#field-amount')?.dispatchEvent('input', { detail: { value: '1.234' } });
  await tap('#award', '.t-button');
  expect(text()).toContain('请填写奖励总额（元），最多两位小数');
  expect(showModal).not.toHaveBeenCalled();
});

it('lists another year when one is picked', async () => {
  const { page, text } = await openChampions({
    'shop/champions.list': (input) => ok({ champions: input.year === '2024' ? null : champions }),
  });
  page.querySelector('#year-picker')?.dispatchEvent('change', { detail: { value: '2024' } });
  await settle();
  expect(callsTo('shop/champions.list')).toEqual([
    { villageId: 'v1', year: YEAR },
    { villageId: 'v1', year: '2024' },
  ]);
  expect(text()).toContain('2024年');
  expect(text()).toContain('本年度还没有评出积分冠军');
});

it('shows a load failure with a retry', async () => {
  const { text } = await openChampions({ 'shop/champions.list': fail('INTERNAL', '服务繁忙，请稍后再试') });
  expect(text()).toContain('服务繁忙，请稍后再试');
});

it('tells a villager the page is not for them', async () => {
  const { text } = await openChampions({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部或镇管理员可以查看积分冠军');
  expect(callsTo('shop/champions.list')).toHaveLength(0);
});
