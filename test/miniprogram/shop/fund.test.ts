/**
 * 基金池 as a village cadre and a town admin: the balance, the point value and the health against outstanding
 * points, the ledger, a donation recorded once; the collective's income (town admin) with the 30% share
 * credited; a refusal shown in the server's words.
 */
import type { FundHealthView, FundMovementView } from '../../../miniprogram/contract/shop';
import { type Answers, callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, session, villagesList } from './fixtures';

const health = (over: Partial<FundHealthView> = {}): FundHealthView => ({
  villageId: 'v1',
  villageName: '斑竹村',
  fenPerPoint: 100,
  balanceFen: 600000,
  outstandingPoints: 80000,
  outstandingValueFen: 800000,
  coverageBp: 7500,
  status: 'watch',
  ...over,
});

let ledger: FundMovementView[] = [];

const allocation: FundMovementView = {
  id: 'fm1',
  kind: 'allocation',
  kindLabel: '镇财政拨付',
  amountFen: 600000,
  netIncomeFen: null,
  donor: null,
  note: '2026年镇财政拨付（120户×50元）',
  byName: '张镇长',
  at: '2026-03-01T02:00:00.000Z',
};

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([VILLAGER, CADRE]),
    'accounts/villages.list': villagesList,
    'shop/fund.health': ok({ villages: [health()], town: null }),
    'shop/fund.ledger': () => ok({ balanceFen: 600000, fenPerPoint: 100, movements: ledger }),
    'shop/fund.donate': (input) => {
      ledger = [
        {
          ...allocation,
          id: 'fm2',
          kind: 'donation',
          kindLabel: '捐赠',
          amountFen: Number(input.amountFen),
          donor: String(input.donor),
          note: '',
          byName: '李书记',
          at: '2026-11-26T02:00:00.000Z',
        },
        ...ledger,
      ];
      return ok({ movementId: 'fm2', amountFen: Number(input.amountFen) });
    },
    ...over,
  };
}

async function openFund(over: Answers = {}) {
  ledger = [allocation];
  return openLoaded('packageShop/fund/index', answers(over));
}

quietMocksEachTest();

it("shows the village's balance, point value, health against outstanding points, and the ledger", async () => {
  const { text, page } = await openFund();
  expect(callsTo('shop/fund.health')).toEqual([{ villageId: 'v1' }]);
  expect(callsTo('shop/fund.ledger')).toEqual([{ villageId: 'v1', offset: 0 }]);
  expect(text()).toContain(
    '基金余额 6000.00元 积分价值 1分 = 1.00元 未用积分 8000分（约8000.00元） 兑付覆盖 75%',
  );
  expect(text()).toContain('关注：余额只够兑付一半以上的未用积分');
  expect(text()).toContain('镇财政拨付 +6000.00元');
  // A cadre records donations, not the collective's income.
  expect(page.querySelector('#open-income')).toBeFalsy();
});

it('records a donation once, whatever the taps, and refreshes the ledger', async () => {
  // Prepare
  const { page, tap, text } = await openFund();
  await tap('#open-donate', '.t-button');
  page.querySelector('#field-donor')?.dispatchEvent('input', { detail: { value: '璧山某农业公司' } });
  page.querySelector('#field-amount')?.dispatchEvent('input', { detail: { value: '5000.5' } });

  // Act
  const submit = page.querySelector('#form-submit')?.querySelector('.t-button');
  submit?.dispatchEvent('tap');
  submit?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('shop/fund.donate')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      villageId: 'v1',
      amountFen: 500050,
      donor: '璧山某农业公司',
    },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已记入5000.50元', icon: 'none' });
  expect(text()).toContain('捐赠 捐赠方 璧山某农业公司 +5000.50元');
});

it("records the collective's net income as a town admin, and shows a refusal in the server's words", async () => {
  // Prepare
  const { page, tap, text } = await openFund({
    'accounts/session.me': session([TOWN_ADMIN], '张镇长'),
    'shop/fund.income': fail('FORBIDDEN', '您没有权限执行此操作'),
  });
  expect(text()).toContain('斑竹村 切换');
  await tap('#open-income', '.t-button');
  page.querySelector('#field-year')?.dispatchEvent('input', { detail: { value: '2025' } });
  page.querySelector('#field-amount')?.dispatchEvent('input', { detail: { value: '200000' } });

  // Act
  await tap('#form-submit', '.t-button');
  await settle();

  // Assess
  expect(callsTo('shop/fund.income')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      villageId: 'v1',
      year: '2025',
      netIncomeFen: 20000000,
    },
  ]);
  expect(text()).toContain('您没有权限执行此操作');
});

it('refuses an amount that is not money before asking the server', async () => {
  const { tap, enter, expectRefusedBeforeCalling } = await openFund();
  await tap('#open-donate', '.t-button');
  await enter({ '#field-donor': '王老板', '#field-amount': '12.345' });
  await expectRefusedBeforeCalling('#form-submit', '请填写金额（元），最多两位小数', 'shop/fund.donate');
});

it('tells a villager the page is not for them', async () => {
  const { text } = await openFund({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部或镇管理员可以查看基金池');
});
