/**
 * 红黑榜管理 as a village cadre publishes a black entry: family and member, title, the deduction with the
 * 3-month suspension notice, one publish even on a double tap, the list refreshed; a refusal shown.
 */
import type { BoardView } from '../../../miniprogram/contract/points';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { familyView } from '../views';
import { CADRE, VILLAGER, familiesList, session, villagesList, type Answers } from './fixtures';

const published: BoardView[] = [];

const red: BoardView = {
  id: 'b-red',
  board: 'red',
  name: '何雄梅',
  title: '照顾孤寡老人',
  description: '',
  points: 10,
  pointsText: '+1',
  date: '2026-11-10',
  status: 'published',
  suspensionEndsAt: null,
};

function answers(over: Answers = {}) {
  return {
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'accounts/families.list': familiesList('g1'),
    'accounts/families.get': ok(
      familyView({ headName: '王建国' }, [
        { id: 'm1', name: '王建国', relation: '户主', partyMember: false, linked: true, isMe: false },
        { id: 'm2', name: '王小二', relation: '子女', partyMember: false, linked: false, isMe: false },
      ]),
    ),
    'points/boards.list': () => ok({ villageName: '斑竹村', boards: [...published, red] }),
    'points/boards.publish': (input: Record<string, unknown>) => {
      const board: BoardView = {
        id: 'b-black',
        board: 'black',
        name: '王小二',
        title: String(input.title),
        description: String(input.description),
        points: Number(input.points),
        pointsText: '-2',
        date: String(input.date),
        status: 'published',
        suspensionEndsAt: '2027-02-04T16:00:00.000Z',
      };
      published.unshift(board);
      return ok({ board });
    },
    ...over,
  };
}

async function openBoards(over: Answers = {}) {
  published.length = 0;
  return openLoaded('packageCadre/boards/index', answers(over));
}

async function fillBlackEntry(opened: Awaited<ReturnType<typeof openBoards>>) {
  const { page, tap } = opened;
  await tap('#board-black');
  page.querySelector('#family-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();
  page.querySelector('#member-picker')?.dispatchEvent('change', { detail: { value: '2' } });
  page.querySelector('#title')?.dispatchEvent('input', { detail: { value: '乱倒建筑垃圾' } });
  page.querySelector('#points')?.dispatchEvent('input', { detail: { value: '2' } });
  page.querySelector('#date-picker')?.dispatchEvent('change', { detail: { value: '2026-11-05' } });
  page.querySelector('#description')?.dispatchEvent('input', { detail: { value: '在河边倾倒建筑垃圾' } });
  await settle();
}

quietMocksEachTest();

it('lists what the village has published', async () => {
  // Act
  const { text } = await openBoards();

  // Assess
  expect(callsTo('points/boards.list')).toEqual([{ villageId: 'v1', offset: 0 }]);
  expect(text()).toContain('红榜 何雄梅 +1 分 照顾孤寡老人');
});

it('publishes a black entry once, showing the deduction and the 3-month suspension first', async () => {
  // Prepare
  const opened = await openBoards();
  await fillBlackEntry(opened);
  const { page, text } = opened;
  expect(text()).toContain('发布黑榜将扣除2分，并暂停该家庭评比3个月（期间不参与排名、不能兑换）。');
  expect(text()).toContain('王小二（子女）');

  // Act
  const button = page.querySelector('#publish')?.querySelector('.t-button');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await settle(10);

  // Assess
  expect(callsTo('accounts/families.get')).toEqual([{ familyId: 'f1' }]);
  const calls = callsTo('points/boards.publish');
  expect(calls).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      villageId: 'v1',
      board: 'black',
      familyId: 'f1',
      memberId: 'm2',
      title: '乱倒建筑垃圾',
      description: '在河边倾倒建筑垃圾',
      points: -20,
      date: '2026-11-05',
    },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '已发布', icon: 'success' });
  const shown = text();
  expect(shown).toContain('黑榜 王小二 -2 分 乱倒建筑垃圾');
  expect(shown).toContain('暂停评比至2027-02-05');
});

it('asks for the deduction on a black entry before calling the server', async () => {
  // Prepare
  const { page, tap, enter, expectRefusedBeforeCalling } = await openBoards();
  await tap('#board-black');
  page.querySelector('#family-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await enter({ '#title': '乱倒垃圾' });

  // Act, Assess
  await expectRefusedBeforeCalling('#publish', '黑榜须填写扣分', 'points/boards.publish');
});

it("shows the server's refusal", async () => {
  // Prepare
  const opened = await openBoards({
    'points/boards.publish': fail('INVALID_INPUT', '输入有误', {
      issues: [{ path: 'date', message: '日期不能晚于今天' }],
    }),
  });
  await fillBlackEntry(opened);

  // Act
  await opened.tap('#publish', '.t-button');

  // Assess
  expect(opened.text()).toContain('日期不能晚于今天');
});

it('tells a villager they cannot publish', async () => {
  const { text } = await openBoards({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有村干部可以发布红黑榜');
});

describe('a board entry waiting for a second cadre', () => {
  const waiting = (conflict: string | null) => ({
    ...red,
    id: 'b-big',
    title: '救火英雄',
    points: 300,
    pointsText: '+30',
    status: 'pending' as const,
    conflict,
  });

  it('lists it under 待确认 and confirms it as the second cadre', async () => {
    // Prepare
    const { tap, text } = await openBoards({
      'points/boards.pending': () =>
        ok({ villageName: '斑竹村', boards: callsTo('points/boards.confirm').length ? [] : [waiting(null)] }),
      'points/boards.confirm': ok({ board: { ...waiting(null), status: 'published' } }),
    });
    expect(text()).toContain('待确认（需由其他干部或镇管理员审核）');
    expect(text()).toContain('何雄梅 +30 分 救火英雄');

    // Act
    await tap('#confirm-b-big', '.t-button');

    // Assess
    expect(callsTo('points/boards.confirm')).toEqual([{ boardId: 'b-big' }]);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已确认，积分已计入' }));
    expect(text()).not.toContain('救火英雄');
  });

  it('says why its publisher may not confirm it, and shows a refusal in plain words', async () => {
    // Prepare
    const showModal = jest.fn();
    Object.assign(wx, { showModal });
    const { tap, text } = await openBoards({
      'points/boards.pending': ok({
        villageName: '斑竹村',
        boards: [
          waiting('不能确认自己发布的红黑榜，需由其他干部或镇管理员确认'),
          { ...waiting(null), id: 'b-2' },
        ],
      }),
      'points/boards.confirm': fail('REFUSED', '不能审核本家庭成员的积分，需由其他干部或镇管理员审核', {
        reason: 'OWN_FAMILY',
      }),
    });
    expect(text()).toContain('不能确认自己发布的红黑榜，需由其他干部或镇管理员确认');

    // Act
    await tap('#confirm-b-2', '.t-button');

    // Assess
    expect(showModal).toHaveBeenCalledWith(
      expect.objectContaining({ content: '不能审核本家庭成员的积分，需由其他干部或镇管理员审核' }),
    );
  });

  it('tells the publisher a large bonus waits for confirmation', async () => {
    // Prepare
    const showModal = jest.fn();
    Object.assign(wx, { showModal });
    const opened = await openBoards({
      'points/boards.publish': ok({ board: waiting(null), needsSecondCheck: '需由其他干部或镇管理员审核' }),
    });
    await fillBlackEntry(opened);

    // Act
    await opened.tap('#publish', '.t-button');

    // Assess
    expect(showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '已提交，待确认',
        content: expect.stringContaining('需由其他干部或镇管理员审核'),
      }),
    );
  });
});
