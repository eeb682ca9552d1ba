/**
 * 异议处理 as a supervisor: the list with deadlines (overdue highlighted), opening one; the detail with the
 * disputed record and its trail; deciding upheld with a reason; a refusal (own family) shown.
 */
import type { ObjectionView, ObjectionsGetOutput } from '../../../miniprogram/contract/points';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest } from '../harness';
import { entryView, objectionView } from '../views';
import { CADRE, SUPERVISOR, VILLAGER, session, villagesList, type Answers } from './fixtures';

const objection = (over: Partial<ObjectionView>): ObjectionView =>
  objectionView({ reason: '王大爷本月没有参加志愿活动', ...over });

const list = [
  objection({
    id: 'o-late',
    reason: '黑榜记错了人',
    targetLabel: '红黑榜',
    overdue: true,
    deadline: '2026-11-18T02:00:00.000Z',
  }),
  objection({}),
];

let current: ObjectionsGetOutput;

const detail = (): ObjectionsGetOutput => ({
  objection: objection({}),
  record: {
    type: 'entry',
    entry: entryView({
      memberName: '王大爷',
      reason: '参加一次志愿活动',
      recordedByName: '张组长',
      approvedByName: '李书记',
      onBehalf: true,
      createdAt: '2026-11-10T02:00:00.000Z',
    }),
  },
  trail: [
    {
      actorName: '张组长',
      action: 'records.create',
      summary: '月度采集录入1条（代老年村民录入）',
      at: '2026-11-09T02:00:00.000Z',
    },
    {
      actorName: '李书记',
      action: 'review.approve',
      summary: '通过王大爷“参加一次志愿活动”加分+1分',
      at: '2026-11-10T02:00:00.000Z',
    },
  ],
});

function answers(over: Answers = {}) {
  return {
    'accounts/session.me': session([SUPERVISOR], '赵监督'),
    'accounts/villages.list': villagesList,
    'points/objections.list': (input: Record<string, unknown>) =>
      ok({
        objections:
          input.status === 'open'
            ? list
            : [...list, objection({ id: 'o-old', status: 'dismissed', statusLabel: '异议不成立' })],
      }),
    'points/objections.get': () => ok(current),
    'points/objections.decide': (input: Record<string, unknown>) => {
      current = {
        ...current,
        objection: {
          ...current.objection,
          status: 'upheld',
          statusLabel: '异议成立',
          decisionReason: String(input.reason),
        },
      };
      return ok({ objection: current.objection, corrections: ['e-rev'] });
    },
    ...over,
  };
}

quietMocksEachTest();

beforeEach(() => {
  current = detail();
});

describe('the list', () => {
  const openList = (over: Answers = {}) => openLoaded('packageCadre/objections/index', answers(over));

  it('shows open objections with deadlines, the overdue one highlighted, and opens one', async () => {
    // Prepare
    const { page, text, tap } = await openList();

    // Assess
    expect(callsTo('points/objections.list')).toEqual([{ villageId: 'v1', status: 'open', offset: 0 }]);
    const shown = text();
    expect(shown).toContain('2026年11月 · 对红黑榜的异议 已超期 调查中 黑榜记错了人');
    expect(shown).toContain('处理期限 2026-11-27 10:00');
    expect(page.querySelector('#objection-o-late')?.dom?.className).toContain('objection--overdue');
    expect(page.querySelector('#objection-o1')?.dom?.className).not.toContain('objection--overdue');

    // Act
    await tap('#objection-o1');

    // Assess
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packageCadre/objection/index?id=o1' });
  });

  it('shows all objections, including decided ones', async () => {
    const { text, tap } = await openList();
    await tap('#filter-all');
    expect(callsTo('points/objections.list')[1]).toEqual({ villageId: 'v1', offset: 0 });
    expect(text()).toContain('异议不成立');
  });

  it('pages a long list: 加载更多 asks for the next 30 and appends them, then says there are no more', async () => {
    // Prepare: 45 open objections, served 30 at a time
    const many = Array.from({ length: 45 }, (_, i) => objection({ id: `o-${i}` }));
    const { tap, text, page } = await openList({
      'points/objections.list': (input: Record<string, unknown>) => {
        const offset = Number(input.offset ?? 0);
        return ok({ objections: many.slice(offset, offset + 30) });
      },
    });
    expect(page.querySelectorAll('.objection')).toHaveLength(30);

    // Act
    await tap('#more-objections >>> #more', '.t-button');

    // Assess
    expect(callsTo('points/objections.list').map((c) => c.offset)).toEqual([0, 30]);
    expect(page.querySelectorAll('.objection')).toHaveLength(45);
    expect(text()).toContain('没有更多了');
    expect(page.querySelector('#more-objections >>> #more')).toBeFalsy();
  });

  it('says when nothing is open, and keeps villagers out', async () => {
    const empty = await openList({ 'points/objections.list': ok({ objections: [] }) });
    expect(empty.text()).toContain('没有待处理的异议');
    const villager = await openList({ 'accounts/session.me': session([VILLAGER]) });
    expect(villager.text()).toContain('只有积分监督小队成员和村干部可以查看异议');
  });
});

describe('one objection', () => {
  const openDetail = (over: Answers = {}) =>
    openLoaded('packageCadre/objection/index', answers(over), { id: 'o1' });

  it('shows the disputed record and its trail', async () => {
    // Act
    const { text } = await openDetail();

    // Assess
    expect(callsTo('points/objections.get')).toEqual([{ objectionId: 'o1' }]);
    const shown = text();
    expect(shown).toContain('王大爷本月没有参加志愿活动');
    expect(shown).toContain('成员 王大爷');
    expect(shown).toContain('分值 +1 分');
    expect(shown).toContain('录入 张组长（代录）');
    expect(shown).toContain('审核 李书记');
    expect(shown).toContain('2026-11-09 10:00 · 张组长 月度采集录入1条（代老年村民录入）');
    expect(shown).toContain('异议成立');
  });

  it('decides upheld with a reason, asking for the reason first', async () => {
    // Prepare
    const { page, tap, text } = await openDetail();
    await tap('#outcome-upheld');
    await tap('#decide', '.t-button');
    expect(text()).toContain('请填写处理理由（至少2个字）');
    expect(callsTo('points/objections.decide')).toEqual([]);

    // Act
    page
      .querySelector('#decide-reason')
      ?.dispatchEvent('input', { detail: { value: '经走访核实，当天未参加' } });
    await tap('#decide', '.t-button');

    // Assess
    expect(callsTo('points/objections.decide')).toEqual([
      { objectionId: 'o1', outcome: 'upheld', reason: '经走访核实，当天未参加' },
    ]);
    const shown = text();
    expect(shown).toContain('已处理：异议成立，已更正1条积分记录');
    expect(shown).toContain('异议成立：经走访核实，当天未参加');
    expect(page.querySelector('#decide')).toBeFalsy();
  });

  it("shows the server's refusal", async () => {
    // Prepare
    const { page, tap, text } = await openDetail({
      'points/objections.decide': fail('REFUSED', '不能处理本家庭提出的异议，请由其他监督员处理', {
        reason: 'OWN_FAMILY',
      }),
    });
    await tap('#outcome-dismissed');
    page.querySelector('#decide-reason')?.dispatchEvent('input', { detail: { value: '不成立' } });

    // Act
    await tap('#decide', '.t-button');

    // Assess
    expect(text()).toContain('不能处理本家庭提出的异议，请由其他监督员处理');
    expect(page.querySelector('#decide')).toBeTruthy();
  });

  it('lets a cadre read but not decide, and shows errors', async () => {
    const cadre = await openDetail({ 'accounts/session.me': session([CADRE]) });
    expect(cadre.text()).toContain('王大爷本月没有参加志愿活动');
    expect(cadre.page.querySelector('#decide')).toBeFalsy();

    const missing = await openDetail({ 'points/objections.get': fail('NOT_FOUND', '找不到该异议') });
    expect(missing.text()).toContain('找不到该异议');
  });
});
