/**
 * 异议: raise against a preselected entry (from 积分明细) or a month's results, with a reason; a double tap raises
 * once; my objections with their progress; empty and error states.
 */
import type { ObjectionView } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
import { entryView, objectionView, villagerSessionView } from '../views';

const session = ok(villagerSessionView({ memberId: 'm1' }));
const month = (m: string, state: 'open' | 'notice' | 'locked', objectionsOpen: boolean, daysLeft = 0) => ({
  month: m,
  state,
  stateLabel: { open: '采集中', notice: '公示中', locked: '已锁定' }[state],
  noticeEndsAt: null,
  daysLeft,
  objectionsOpen,
  canStartNotice: false,
  canLock: false,
});
const months = ok({
  villageName: '斑竹村',
  noticeDays: 7,
  months: [
    month('2026-11', 'open', true),
    month('2026-10', 'notice', true, 3),
    month('2026-09', 'locked', false),
  ],
});
const common = { 'accounts/session.me': session, 'points/months.list': months };

const objection = (id: string, over: Partial<ObjectionView> = {}): ObjectionView =>
  objectionView({ id, targetTitle: '参加一次志愿活动 +1分 · 何雄梅 · 11月18日', ...over });

interface ObjectionsMethods {
  onLoad(options?: Record<string, string>): Promise<void>;
}
const openObjections = () => openPage<ObjectionsMethods & Record<string, never>>('pages/objections/index');

beforeEach(() => jest.clearAllMocks());

it('raises an objection against the entry chosen on 积分明细, once for a double tap', async () => {
  // Prepare
  backend({
    ...common,
    'points/objections.mine': ok({ objections: [] }),
    'points/objections.raise': (input) =>
      ok({ objection: objection('o1', { reason: String(input.reason) }) }),
  });
  const { page, methods, text } = await openObjections();
  await methods.onLoad({
    type: 'entry',
    id: 'e1',
    label: encodeURIComponent('2026-11-10 参加一次志愿活动 +1 分'),
  });
  expect(text()).toContain('异议对象 2026-11-10 参加一次志愿活动 +1 分');
  expect(text()).toContain('还没有提出过异议');

  // Act
  page.querySelector('#reason')?.dispatchEvent('input', { detail: { value: '那天我家不在村里' } });
  await settle();
  const button = page.querySelector('#submit')?.querySelector('.t-button');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await settle();

  // Assess
  const raised = callsTo('points/objections.raise');
  expect(raised).toEqual([
    {
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      target: { type: 'entry', id: 'e1' },
      reason: '那天我家不在村里',
    },
  ]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '异议已提交', icon: 'success' });
  expect(text()).toContain('积分记录：参加一次志愿活动 +1分 · 何雄梅 · 11月18日 调查中 那天我家不在村里');
  // One date style per card, and which record the objection is about (issue 14)
  expect(text()).toContain('积分记录：参加一次志愿活动 +1分 · 何雄梅 · 11月18日');
  expect(text()).toContain('提出于 2026年11月20日 · 处理期限 2026年11月27日');
});

it('raises against a month’s results when opened directly', async () => {
  backend({
    ...common,
    'points/objections.mine': ok({ objections: [] }),
    'points/objections.raise': () =>
      ok({ objection: objection('o2', { target: { type: 'month', id: '2026-10' } }) }),
  });
  const { page, methods, tap, text } = await openObjections();
  await methods.onLoad({});
  await settle();
  // Only months still open to objections are offered; the one in 公示 is preselected.
  expect(text()).toContain('异议对象：月度结果 2026年10月（公示中，还剩3天）');
  expect(callsTo('points/months.list')).toEqual([{ villageId: 'v1' }]);
  expect((page.data as { monthOptions: { label: string }[] }).monthOptions.map((m) => m.label)).toEqual([
    '2026年11月（采集中）',
    '2026年10月（公示中，还剩3天）',
  ]);

  page.querySelector('#month-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  page.querySelector('#month-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  page.querySelector('#reason')?.dispatchEvent('input', { detail: { value: '我家10月的志愿活动没有记上' } });
  await settle();
  expect(text()).toContain('2026年10月（公示中，还剩3天）');
  await tap('#submit', '.t-button');

  expect(callsTo('points/objections.raise')[0]).toMatchObject({ target: { type: 'month', id: '2026-10' } });
});

it('says when no month can be disputed any more', async () => {
  backend({
    ...common,
    'points/months.list': ok({
      villageName: '斑竹村',
      noticeDays: 7,
      months: [month('2026-09', 'locked', false)],
    }),
    'points/objections.mine': ok({ objections: [] }),
  });
  const { methods, text, page, tap } = await openObjections();

  await methods.onLoad({});
  await settle();

  expect(text()).toContain('最近没有可以提出异议的月份（公示期已结束）');
  page.querySelector('#reason')?.dispatchEvent('input', { detail: { value: '结果不对' } });
  await settle();
  await tap('#submit', '.t-button');
  expect(wx.showToast).toHaveBeenLastCalledWith({
    title: '最近没有可以提出异议的月份（公示期已结束）',
    icon: 'none',
  });
  expect(callsTo('points/objections.raise')).toHaveLength(0);
});

it('asks for a reason, and shows the server refusal', async () => {
  backend({
    ...common,
    'points/objections.mine': ok({ objections: [] }),
    'points/objections.raise': fail('REFUSED', '2026-10的公示期已结束，不能再提出异议', {
      reason: 'MONTH_CLOSED',
    }),
  });
  const { page, methods, tap } = await openObjections();
  await methods.onLoad({});

  await tap('#submit', '.t-button');
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请填写理由（至少2个字）', icon: 'none' });
  expect(callsTo('points/objections.raise')).toHaveLength(0);

  page.querySelector('#reason')?.dispatchEvent('input', { detail: { value: '结果不对' } });
  await settle();
  await tap('#submit', '.t-button');
  expect(wx.showToast).toHaveBeenLastCalledWith({
    title: '2026-10的公示期已结束，不能再提出异议',
    icon: 'none',
  });
});

it('lists my objections with their progress and the supervisors’ answer', async () => {
  backend({
    ...common,
    'points/objections.mine': ok({
      objections: [
        objection('o1', { overdue: true }),
        objection('o2', {
          status: 'dismissed',
          statusLabel: '异议不成立',
          decisionReason: '经核实记录无误',
          decidedAt: '2026-11-22T02:00:00.000Z',
          targetLabel: '红黑榜',
          targetTitle: '',
        }),
      ],
    }),
  });
  const { methods, text } = await openObjections();

  await methods.onLoad({});

  expect(text()).toRead([
    '处理期限 2026年11月27日 （已超期）',
    '红黑榜 · 2026年11月 异议不成立',
    '处理于 2026年11月22日',
    '处理意见：经核实记录无误',
  ]);
});

it('shows an error with 重试 when the list cannot load', async () => {
  backend({ ...common, 'points/objections.mine': fail('NETWORK', '网络连接失败，请检查网络后重试') });
  const { methods, text, tap } = await openObjections();
  await methods.onLoad({});
  expect(text()).toContain('网络连接失败，请检查网络后重试');

  backend({ ...common, 'points/objections.mine': ok({ objections: [objection('o1')] }) });
  await tap('#state >>> #retry', '.t-button');

  expect(text()).toContain('那天我家不在村里');
});

it('opens an objection to show the disputed record and what happened to it', async () => {
  backend({
    ...common,
    'points/objections.mine': ok({ objections: [objection('o1')] }),
    'points/objections.get': ok({
      objection: objection('o1'),
      record: {
        type: 'entry',
        entry: entryView({ reason: '河道清理', createdAt: '2026-11-10T02:00:00.000Z' }),
      },
      trail: [
        { actorName: '傅红', action: 'records.create', summary: '采集积分', at: '2026-11-09T02:00:00.000Z' },
        {
          actorName: '何雄梅',
          action: 'objections.raise',
          summary: '对积分记录提出异议',
          at: '2026-11-20T02:00:00.000Z',
        },
      ],
    }),
  });
  const { methods, tap, text } = await openObjections();
  await methods.onLoad({});
  expect(text()).toContain('查看详情');

  await tap('#objection-o1');

  expect(callsTo('points/objections.get')).toEqual([{ objectionId: 'o1' }]);
  expect(text()).toRead([
    '异议对象：参加一次志愿活动 +1 分（何雄梅，2026-11-10）',
    '2026-11-09 傅红：采集积分',
    '2026-11-20 何雄梅：对积分记录提出异议',
  ]);
});
