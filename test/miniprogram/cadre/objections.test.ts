/**
 * 异议处理 as a supervisor: the list with deadlines (overdue highlighted), opening one; the detail with the
 * disputed record and its trail; deciding upheld with a reason; a refusal (own family) shown; a month objection
 * upheld with per-family adjustments. As a cadre: the adjustments waiting for a second cadre, confirmed or not.
 */
import type {
  ObjectionView,
  ObjectionsGetOutput,
  PendingAdjustmentsOutput,
} from '../../../miniprogram/contract/points';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
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

  const waiting = (conflict: string | null = null): PendingAdjustmentsOutput['objections'][number] => ({
    objection: objection({
      id: 'o-month',
      target: { type: 'month', id: '2026-10' },
      targetLabel: '月度结果',
      month: '2026-10',
      status: 'upheld',
      statusLabel: '异议成立',
      decisionReason: '漏记了两户的志愿服务',
    }),
    decidedByName: '万有志',
    adjustments: [
      { familyId: 'f1', familyName: '何雄梅家（户号 012）', points: 10, pointsText: '+1' },
      { familyId: 'f2', familyName: '刘大爷家（户号 3）', points: -5, pointsText: '-0.5' },
    ],
    conflict,
  });

  it('shows a cadre the adjustments waiting for a second cadre, and confirms them', async () => {
    // Prepare
    let pending = [waiting()];
    const { text, tap, page } = await openList({
      'accounts/session.me': session([CADRE]),
      'points/objections.pendingAdjustments': () => ok({ villageName: '斑竹村', objections: pending }),
      'points/objections.confirmAdjustments': () => {
        pending = [];
        return ok({ objection: waiting().objection, corrections: ['e1', 'e2'] });
      },
    });
    expect(callsTo('points/objections.pendingAdjustments')).toEqual([{ villageId: 'v1' }]);
    expect(text()).toContain(
      '待确认的积分调整 2026年10月月度结果 · 异议成立 万有志处理：漏记了两户的志愿服务 何雄梅家（户号 012） +1分 刘大爷家（户号 3） -0.5分 确认',
    );

    // Act
    await tap('#confirm-o-month', '.t-button');

    // Assess
    expect(callsTo('points/objections.confirmAdjustments')).toEqual([{ objectionId: 'o-month' }]);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已确认，积分已计入' }));
    expect(page.querySelector('#pending')).toBeFalsy();
  });

  it('shows why a cadre may not confirm, and the server’s refusal of a confirmation', async () => {
    const conflicted = await openList({
      'accounts/session.me': session([CADRE]),
      'points/objections.pendingAdjustments': ok({
        villageName: '斑竹村',
        objections: [waiting('不能审核本家庭的记录，需由其他干部或镇管理员审核')],
      }),
    });
    expect(conflicted.text()).toContain('不能审核本家庭的记录，需由其他干部或镇管理员审核');
    expect(conflicted.page.querySelector('#confirm-o-month')).toBeFalsy();

    const refused = await openList({
      'accounts/session.me': session([CADRE]),
      'points/objections.pendingAdjustments': ok({ villageName: '斑竹村', objections: [waiting()] }),
      'points/objections.confirmAdjustments': fail('REFUSED', '本月调整已超过每户上限', {
        reason: 'MONTH_CAP',
      }),
    });
    await refused.tap('#confirm-o-month', '.t-button');
    expect(refused.text()).toContain('本月调整已超过每户上限');
  });

  it('does not ask for adjustments to confirm as a supervisor', async () => {
    const { page } = await openList();
    expect(callsTo('points/objections.pendingAdjustments')).toEqual([]);
    expect(page.querySelector('#pending')).toBeFalsy();
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
    expect(shown).toRead([
      '王大爷本月没有参加志愿活动',
      '成员 王大爷',
      '分值 +1 分',
      '录入 张组长（代录）',
      '审核 李书记',
      '2026-11-09 10:00 · 张组长 月度采集录入1条（代老年村民录入）',
      '异议成立',
    ]);
  });

  it('decides upheld with a reason, asking for the reason first', async () => {
    // Prepare
    const { page, tap, text, expectRefusedBeforeCalling } = await openDetail();
    await tap('#outcome-upheld');
    await expectRefusedBeforeCalling('#decide', '请填写处理理由（至少2个字）', 'points/objections.decide');

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

  it('upholds a month objection with per-family adjustments in half-point steps, checked in Chinese', async () => {
    // Prepare: an objection to October's results
    current = {
      ...detail(),
      objection: objection({
        target: { type: 'month', id: '2026-10' },
        targetLabel: '月度结果',
        month: '2026-10',
      }),
      record: { type: 'month', month: '2026-10' },
    };
    const { page, tap, text } = await openDetail({
      'accounts/families.list': ok({
        families: [
          {
            id: 'f10',
            householdNumber: '10',
            headName: '王大爷',
            groupId: 'g1',
            available: 0,
            suspendedUntil: null,
          },
          {
            id: 'f2',
            householdNumber: '2',
            headName: '刘奶奶',
            groupId: 'g1',
            available: 0,
            suspendedUntil: null,
          },
        ],
      }),
      'points/objections.decide': (input: Record<string, unknown>) =>
        ok({
          objection: {
            ...current.objection,
            status: 'upheld',
            statusLabel: '异议成立',
            decisionReason: String(input.reason),
          },
          corrections: [],
          needsSecondCheck: '需由其他干部或镇管理员审核',
        }),
    });
    await tap('#outcome-upheld');
    expect(callsTo('accounts/families.list')).toEqual([{ villageId: 'v1', offset: 0 }]);
    const points = (value: string) =>
      page.querySelector('#adjust-points')?.dispatchEvent('input', { detail: { value } });
    const pick = async (index: number) => {
      page.querySelector('#adjust-family')?.dispatchEvent('change', { detail: { value: String(index) } });
      await settle();
    };

    // Act / Assess: each mistake is named
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('请先选择要调整的家庭');
    await pick(0);
    expect(text()).toContain('刘奶奶家（户号 2） ▾');
    points('0.3');
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('分值须为0.5分的整数倍，如 1、-0.5、2.5');
    points('0');
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('分值不能为0');
    points('1.5');
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('刘奶奶家（户号 2） +1.5分 删除');
    await pick(0);
    points('-1');
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('同一家庭只能调整一次');
    await pick(1);
    points('-0.5');
    await tap('#adjust-add', '.t-button');
    expect(text()).toContain('王大爷家（户号 10） -0.5分 删除');

    page.querySelector('#decide-reason')?.dispatchEvent('input', { detail: { value: '核实属实，补记' } });
    await tap('#decide', '.t-button');

    expect(callsTo('points/objections.decide')).toEqual([
      {
        objectionId: 'o1',
        outcome: 'upheld',
        reason: '核实属实，补记',
        adjustments: [
          { familyId: 'f2', points: 15 },
          { familyId: 'f10', points: -5 },
        ],
      },
    ]);
    expect(text()).toContain('已处理：异议成立；2户积分调整需由其他干部或镇管理员审核，确认后计入');
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
