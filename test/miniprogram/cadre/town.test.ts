/**
 * 镇管理 as the bootstrap town admin on a fresh deployment: the town's name, two villages with their groups and
 * settings, one row added and removed, sent once with `town.setup`, the villages and groups created shown;
 * a form problem caught before the server; a non-admin's refusal shown with the server's message; an existing
 * village's settings saved alone.
 */
import type { TownSetupInput } from '../../../miniprogram/contract/accounts';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { villages, villagesList, type Answers } from './fixtures';

function setupAnswer(input: Record<string, unknown>) {
  const { villages } = input as unknown as TownSetupInput;
  return ok({
    townId: 'fulu',
    villages: villages.map((v, i) => ({
      id: v.id ?? `v-new-${i + 1}`,
      name: v.name,
      groups: v.groups.map((name, g) => ({ id: `v-new-${i + 1}-g${g + 1}`, name })),
    })),
    seededRules: 19,
  });
}

const openTown = (over: Answers = {}) =>
  openLoaded('packageCadre/town/index', {
    'accounts/villages.list': ok({ villages: [] }),
    'accounts/town.setup': setupAnswer,
    ...over,
  });

type Opened = Awaited<ReturnType<typeof openTown>>;

async function fillTwoVillages({ page, tap }: Opened) {
  page.querySelector('#town-name')?.dispatchEvent('input', { detail: { value: '福禄镇' } });
  page.querySelector('#village-name-0')?.dispatchEvent('input', { detail: { value: '斑竹村' } });
  page.querySelector('#groups-0')?.dispatchEvent('input', { detail: { value: '一组、二组 三组' } });
  page.querySelector('#name-display-0')?.dispatchEvent('change', { detail: { value: '0' } });
  await tap('#add-village', '.t-button');
  await tap('#add-village', '.t-button');
  await tap('#remove-2');
  page.querySelector('#village-name-1')?.dispatchEvent('input', { detail: { value: '大路村' } });
  page.querySelector('#groups-1')?.dispatchEvent('input', { detail: { value: '一组，二组' } });
  page.querySelector('#notice-days-1')?.dispatchEvent('input', { detail: { value: '5' } });
  await settle();
}

quietMocksEachTest();

it('sets up a town with two villages and their groups, once, and shows what was created', async () => {
  // Prepare
  const opened = await openTown();
  await fillTwoVillages(opened);

  // Act
  const button = opened.page.querySelector('#submit')?.querySelector('.t-button');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('accounts/town.setup')).toEqual([
    {
      name: '福禄镇',
      villages: [
        {
          name: '斑竹村',
          groups: ['一组', '二组', '三组'],
          settings: { nameDisplay: 'full', noticeDays: 7 },
        },
        { name: '大路村', groups: ['一组', '二组'], settings: { nameDisplay: 'masked', noticeDays: 5 } },
      ],
    },
  ]);
  const shown = opened.text();
  expect(shown).toContain('福禄镇设置完成：2个村（社区） 斑竹村 一组、二组、三组 大路村 一组、二组');
  expect(shown).toContain('已添加默认积分细则19条');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '设置完成', icon: 'success' });
});

it('catches a village without groups before calling the server', async () => {
  const opened = await openTown();
  await opened.enter({ '#town-name': '福禄镇', '#village-name-0': '斑竹村' });

  await opened.expectRefusedBeforeCalling('#submit', '斑竹村：请至少填写一个村民小组', 'accounts/town.setup');
});

it("shows a non-admin the server's refusal", async () => {
  // Prepare
  const opened = await openTown({
    'accounts/town.setup': fail('FORBIDDEN', '您没有执行此操作的权限'),
  });
  await fillTwoVillages(opened);

  // Act
  await opened.tap('#submit', '.t-button');

  // Assess
  expect(opened.text()).toContain('您没有执行此操作的权限');
  expect(opened.text()).not.toContain('设置完成');
});

it("keeps existing villages (with their ids) and saves one village's settings alone", async () => {
  // Prepare
  const { page, tap, text } = await openTown({
    'accounts/villages.list': villagesList,
    'accounts/villages.updateSettings': (input) =>
      ok({ villageId: input.villageId, settings: { nameDisplay: 'full', noticeDays: 10 } }),
  });
  expect(text()).toContain('已建');
  expect(page.querySelector('#remove-0')).toBeFalsy();

  // Act
  page.querySelector('#notice-days-1')?.dispatchEvent('input', { detail: { value: '10' } });
  page.querySelector('#name-display-1')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();
  await tap('#save-settings-1', '.t-button');

  // Assess
  expect(callsTo('accounts/villages.updateSettings')).toEqual([
    { villageId: 'v2', settings: { nameDisplay: 'full', noticeDays: 10 } },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '大路村设置已保存', icon: 'none' });

  // Act: the whole setup again keeps the ids
  page.querySelector('#town-name')?.dispatchEvent('input', { detail: { value: '福禄镇' } });
  await settle();
  await tap('#submit', '.t-button');

  // Assess
  const [setup] = callsTo('accounts/town.setup') as unknown as TownSetupInput[];
  expect(setup?.villages.map((v) => [v.id, v.name, v.groups])).toEqual([
    ['v1', '斑竹村', ['一组', '二组']],
    ['v2', '大路村', ['三组']],
  ]);
});

it('switches a village’s acceptance of cards bound before card tokens, explained, and puts it back on a refusal', async () => {
  // Prepare: 斑竹村 accepts old cards, 大路村 does not (the setting absent)
  const [banzhu, dalu] = villages;
  const { page, text } = await openTown({
    'accounts/villages.list': ok({
      villages: [{ ...banzhu, settings: { ...banzhu.settings, allowTokenlessCards: true } }, dalu],
    }),
    'accounts/villages.updateSettings': (input) =>
      input.villageId === 'v2'
        ? ok({ villageId: 'v2', settings: { ...dalu.settings, allowTokenlessCards: true } })
        : fail('FORBIDDEN', '您没有执行此操作的权限'),
  });
  const switchOf = (index: number) => page.querySelector(`#tokenless-switch-${index}`);
  const hintOf = (index: number) =>
    page.querySelector(`#tokenless-${index} .tokenless__hint`)?.dom?.textContent ?? '';
  expect(text()).toContain('允许没有防伪令牌的旧卡');
  expect(hintOf(0)).toContain('已开启（切换即保存）。启用防伪令牌之前绑定的积分卡里没有令牌');
  expect(hintOf(1)).toContain('未开启（切换即保存）。');
  expect(hintOf(1)).toContain('不开启时旧卡会被拒绝，村民可出示“我的二维码”或重新绑卡');

  // Act: 大路村 switched on
  switchOf(1)?.dispatchEvent('change', { detail: { value: true } });
  await settle();

  // Assess
  expect(callsTo('accounts/villages.updateSettings')).toEqual([
    { villageId: 'v2', settings: { allowTokenlessCards: true } },
  ]);
  expect(hintOf(1)).toContain('已开启（切换即保存）。');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '大路村：旧卡可继续使用', icon: 'none' });

  // Act: 斑竹村 switched off, refused: the switch is back on and the refusal shown
  switchOf(0)?.dispatchEvent('change', { detail: { value: false } });
  await settle();
  expect(hintOf(0)).toContain('已开启（切换即保存）。');
  expect(text()).toContain('您没有执行此操作的权限');
});
