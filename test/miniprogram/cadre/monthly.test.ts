/**
 * 月度采集 as a group leader records a monthly pass: the group's members × rules grid (collected rules first,
 * names in a column of their own, 全选 per rule), a date, 代老年村民录入, one `records.create` even on a double
 * tap; deductions apart from the grid, each confirmed in a dialog first; then what still waits for approval.
 */
import { callFunction, callsTo, fail, ok, openLoaded, quietMocksEachTest, rule, settle } from '../harness';
import {
  CADRE,
  GROUP_LEADER,
  VILLAGER,
  familiesList,
  queueItem,
  session,
  villagesList,
  type Answers,
} from './fixtures';

const rules = [
  rule({}),
  rule({
    id: 'r-b01',
    code: 'B01',
    aspect: '爱国爱党',
    title: '党员每月按时参加组织生活',
    points: 5,
    selfClaim: false,
  }),
  rule({
    id: 'r-d01',
    code: 'D01',
    category: 'basic',
    aspect: '环境卫生',
    title: '乱扔垃圾',
    points: -20,
    selfClaim: false,
    photosRequired: false,
  }),
];

const showModal = jest.fn();
beforeAll(() => Object.assign(wx, { showModal }));

/** Answers the next dialog with 确认 (true) or 取消 (false). */
const answerDialog = (confirm: boolean) =>
  showModal.mockImplementationOnce((o: { success(r: { confirm: boolean }): void }) => o.success({ confirm }));

const family = (id: string, head: string, members: { id: string; name: string }[]) =>
  ok({
    family: {
      id,
      householdNumber: id,
      headName: head,
      address: '',
      villageId: 'v1',
      groupId: 'g2',
      available: 0,
      suspendedUntil: null,
    },
    members: members.map((m) => ({ ...m, relation: '户主', partyMember: true, linked: false, isMe: false })),
  });

const families = {
  f1: family('f1', '王建国', [
    { id: 'm1', name: '王建国' },
    { id: 'm2', name: '王大爷' },
  ]),
  f2: family('f2', '何雄梅', [{ id: 'm3', name: '何雄梅' }]),
};

function answers(over: Answers = {}) {
  return {
    'accounts/session.me': session([GROUP_LEADER], '张组长'),
    'accounts/villages.list': villagesList,
    'accounts/families.list': familiesList('g2'),
    'accounts/families.get': (input: Record<string, unknown>) => families[input.familyId as 'f1' | 'f2'],
    'points/rules.list': ok({ rules }),
    'points/records.create': (input: Record<string, unknown>) =>
      ok({
        recorded: 2,
        lines: (input.lines as { memberId: string; ruleId: string }[]).map((l, i) => ({
          id: `c-${i}`,
          memberName: l.memberId === 'm2' ? '王大爷' : '何雄梅',
          ruleTitle: l.ruleId === 'r-b01' ? '党员每月按时参加组织生活' : '参加一次志愿活动',
        })),
      }),
    'points/review.queue': fail('FORBIDDEN', '您不是本村（社区）的干部，不能执行此操作'),
    ...over,
  };
}

const openMonthly = (over: Answers = {}) => openLoaded('packageCadre/monthly/index', answers(over));

quietMocksEachTest();

it("shows the group leader's group as a grid of members × rules, collected rules first", async () => {
  // Act
  const { text } = await openMonthly();

  // Assess
  expect(callsTo('accounts/families.list')).toEqual([{ villageId: 'v1', groupId: 'g2', offset: 0 }]);
  expect(callsTo('points/rules.list')).toEqual([{ villageId: 'v1' }]);
  const shown = text();
  expect(shown).toContain('二组');
  expect(shown.indexOf('党员每月按时参加组织生活')).toBeLessThan(shown.indexOf('参加一次志愿活动'));
  expect(shown).toRead(['王建国', '王大爷', '何雄梅户', '代老年村民录入', '提交本次采集（0项）']);
});

it('records the pass once on a double tap, on behalf, and lists what was filed', async () => {
  // Prepare
  const { page, tap, text } = await openMonthly();
  await tap('#cell-m2-r-b01');
  await tap('#cell-m3-r-c01');
  await tap('#on-behalf', '.t-switch');
  page.querySelector('#date-picker')?.dispatchEvent('change', { detail: { value: '2026-11-03' } });
  await settle();
  expect(text()).toContain('提交本次采集（2项）');

  // Act
  const button = page.querySelector('#submit')?.querySelector('.t-button');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await settle(10);

  // Assess
  const calls = callsTo('points/records.create');
  expect(calls).toHaveLength(1);
  expect(calls[0]).toEqual({
    requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    villageId: 'v1',
    onBehalf: true,
    lines: [
      { memberId: 'm2', ruleId: 'r-b01', deedDate: '2026-11-03', note: '' },
      { memberId: 'm3', ruleId: 'r-c01', deedDate: '2026-11-03', note: '' },
    ],
  });
  const shown = text();
  expect(shown).toRead([
    '已录入2条，等待村干部审核',
    '本组待审核',
    '审核进度请向村干部了解；以下为本次录入的记录',
    '王大爷 党员每月按时参加组织生活',
    '提交本次采集（0项）',
  ]);
});

it("a cadre sees this group's lines still waiting in the village queue, not other groups'", async () => {
  // Prepare
  const { page, tap, text } = await openMonthly({
    'accounts/session.me': session([CADRE]),
    'points/review.queue': ok({
      items: [
        queueItem({ id: 'c-0', memberId: 'm2', memberName: '王大爷', kind: 'record' }),
        queueItem({ id: 'c-x', memberId: 'm-other', memberName: '别组的人', kind: 'record' }),
      ],
    }),
  });
  // A cadre's page opens on the village's first group (never blank, issue 14), then switches to another.
  expect(text()).toContain('村民小组 一组');
  expect(callsTo('accounts/families.list')).toEqual([{ villageId: 'v1', groupId: 'g1', offset: 0 }]);
  callFunction.mockClear();
  page.querySelector('#group-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await settle(10);
  await tap('#cell-m2-r-b01');

  // Act
  await tap('#submit', '.t-button');
  await settle();

  // Assess
  expect(callsTo('accounts/families.list')).toEqual([{ villageId: 'v1', groupId: 'g2', offset: 0 }]);
  expect(text()).toContain('王大爷 参加一次志愿活动 +1 分 待审核');
  expect(text()).not.toContain('别组的人');
});

it("shows the server's refusal and keeps the ticks", async () => {
  // Prepare
  const { tap, text } = await openMonthly({
    'points/records.create': fail('FORBIDDEN', '您不能为王大爷所在的村民小组录入积分'),
  });
  await tap('#cell-m2-r-b01');

  // Act
  await tap('#submit', '.t-button');

  // Assess
  expect(wx.showToast).toHaveBeenCalledWith({ title: '您不能为王大爷所在的村民小组录入积分', icon: 'none' });
  expect(text()).toContain('提交本次采集（1项）');
});

it('tells someone without a collecting role, and shows errors with 重试', async () => {
  const villager = await openMonthly({ 'accounts/session.me': session([VILLAGER]) });
  expect(villager.text()).toContain('只有村民小组长和村干部可以进行月度采集');

  let calls = 0;
  const broken = await openMonthly({
    'points/rules.list': () => (++calls === 1 ? fail('INTERNAL', '服务繁忙，请稍后再试') : ok({ rules })),
  });
  expect(broken.text()).toContain('服务繁忙，请稍后再试');
  await broken.tap('#grid-state >>> #retry', '.t-button');
  expect(broken.text()).toContain('提交本次采集（0项）');
});

it('ticks a whole column with 全选, and clears it again', async () => {
  // Prepare
  const { tap, text, page } = await openMonthly();
  await tap('#cell-m1-r-b01');

  // Act
  await tap('#column-r-b01');

  // Assess: all three members ticked for 党员每月按时参加组织生活, once each
  expect(text()).toContain('提交本次采集（3项）');
  expect(text()).toContain('取消全选');
  await tap('#column-r-b01');
  expect(text()).toContain('提交本次采集（0项）');
  await tap('#column-r-c01');
  await tap('#submit', '.t-button');
  const lines = callsTo('points/records.create')[0]?.lines as { memberId: string; ruleId: string }[];
  expect(lines.map((l) => `${l.memberId}:${l.ruleId}`)).toEqual(['m1:r-c01', 'm2:r-c01', 'm3:r-c01']);
  expect(page.querySelector('#cell-m1-r-d01')).toBeFalsy();
});

it('keeps deductions out of the grid and records one only after the dialog naming member, rule and points', async () => {
  // Prepare
  const { page, tap, text } = await openMonthly();
  expect(page.querySelector('#column-r-d01')).toBeFalsy();
  expect(text()).toContain('扣分');
  page.querySelector('#deduction-member')?.dispatchEvent('change', { detail: { value: '1' } });
  page.querySelector('#deduction-rule')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();
  expect(text()).toContain('王大爷（王建国户）');
  expect(text()).toContain('乱扔垃圾（-2分）');

  // Act: 取消 first, then 确认
  answerDialog(false);
  await tap('#deduct', '.t-button');
  expect(callsTo('points/records.create')).toHaveLength(0);
  answerDialog(true);
  await tap('#deduct', '.t-button');
  await settle();

  // Assess
  expect(showModal).toHaveBeenLastCalledWith(
    expect.objectContaining({
      title: '确认扣分',
      content: '给 王大爷 记扣分：乱扔垃圾，-2 分。确认后提交村干部审核。',
    }),
  );
  expect(callsTo('points/records.create')).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      villageId: 'v1',
      onBehalf: false,
      lines: [{ memberId: 'm2', ruleId: 'r-d01', deedDate: '2026-11-20', note: '' }],
    },
  ]);
  expect(text()).toContain('已记录王大爷的扣分：乱扔垃圾 -2分，等待村干部审核');
});

it('asks for a member and a deduction before any dialog', async () => {
  const { tap, text } = await openMonthly();
  await tap('#deduct', '.t-button');
  expect(showModal).not.toHaveBeenCalled();
  expect(text()).toContain('请先选择成员和扣分项');
});
