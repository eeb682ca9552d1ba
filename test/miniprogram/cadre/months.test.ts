/**
 * 公示与锁定 as a village cadre: each month's state, days left and objections; 开始公示 and 锁定 enabled as the
 * server says, a notice started, and a lock the server refuses shown with its message.
 */
import type { DisplayLinkView, MonthView } from '../../../miniprogram/contract/points';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest } from '../harness';
import { CADRE, SUPERVISOR, TOWN_ADMIN, session, villagesList, type Answers } from './fixtures';

const month = (over: Partial<MonthView>): MonthView => ({
  month: '2026-11',
  state: 'open',
  stateLabel: '采集中',
  noticeEndsAt: null,
  daysLeft: 0,
  objectionsOpen: true,
  canStartNotice: false,
  canLock: false,
  ...over,
});

let months: MonthView[] = [];
let links: DisplayLinkView[] = [];

const initial = () => [
  month({}),
  month({ month: '2026-10', canStartNotice: true }),
  month({
    month: '2026-09',
    state: 'notice',
    stateLabel: '公示中',
    noticeEndsAt: '2026-11-28T16:00:00.000Z',
    daysLeft: 3,
    canLock: true,
  }),
  month({ month: '2026-08', state: 'locked', stateLabel: '已锁定', objectionsOpen: false }),
];

async function openMonths(over: Answers = {}) {
  months = initial();
  links = [];
  return openLoaded('packageCadre/months/index', {
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'points/months.list': () => ok({ villageName: '斑竹村', noticeDays: 7, months }),
    'points/months.startNotice': (input: Record<string, unknown>) => {
      months = months.map((m) =>
        m.month === input.month
          ? { ...m, state: 'notice', stateLabel: '公示中', daysLeft: 7, canStartNotice: false }
          : m,
      );
      return ok({ month: String(input.month), state: 'notice', noticeEndsAt: '2026-12-03T04:00:00.000Z' });
    },
    'points/months.lock': fail('REFUSED', '公示期还有3天，结束后才能锁定', { reason: 'NOTICE_NOT_OVER' }),
    'points/screens.list': () => ok({ links }),
    'points/screens.create': (input: Record<string, unknown>) => {
      const link = {
        id: 's1',
        villageId: 'v1',
        label: String(input.label),
        createdByName: '罗亚倩',
        createdAt: '2026-11-20T02:00:00.000Z',
        revokedAt: null,
        url: 'http://127.0.0.1:3000/screen/?t=s1.sig',
      };
      links = [link];
      return ok({ link });
    },
    'points/screens.revoke': () => {
      links = links.map((l) => ({ ...l, revokedAt: '2026-11-20T03:00:00.000Z', url: null }));
      return ok({ link: links[0] });
    },
    'points/notice.poster': ok({
      fileID: 'cloud://local/exports/v1/2026-10-poster.pdf',
      tempFileURL: 'http://127.0.0.1:3000/files/exports/v1/2026-10-poster.pdf',
      fileName: '斑竹村2026年10月积分公示.pdf',
      bytes: 25000,
    }),
    ...over,
  });
}

const disabled = (opened: Awaited<ReturnType<typeof openMonths>>, id: string) =>
  Boolean(opened.page.querySelector(id)?.querySelector('.t-button--disabled'));

quietMocksEachTest();

it("shows the village's months with state, days left and objections, buttons as the server allows", async () => {
  // Act
  const opened = await openMonths();

  // Assess
  expect(callsTo('points/months.list')).toEqual([{ villageId: 'v1' }]);
  const shown = opened.text();
  expect(shown).toRead([
    '2026年11月 采集中 接受异议中',
    '2026年9月 公示中 公示剩余3天 接受异议中',
    '2026年8月 已锁定 不接受异议',
  ]);
  expect(disabled(opened, '#notice-2026-11')).toBe(true);
  expect(disabled(opened, '#notice-2026-10')).toBe(false);
  expect(disabled(opened, '#lock-2026-10')).toBe(true);
  expect(disabled(opened, '#lock-2026-09')).toBe(false);
  expect(disabled(opened, '#lock-2026-08')).toBe(true);
});

it('starts the notice of a finished month', async () => {
  // Prepare
  const opened = await openMonths();

  // Act
  await opened.tap('#notice-2026-10', '.t-button');

  // Assess
  expect(callsTo('points/months.startNotice')).toEqual([{ villageId: 'v1', month: '2026-10' }]);
  const shown = opened.text();
  expect(shown).toContain('2026年10月积分结果已开始公示7天，公示期内村民可提出异议');
  expect(shown).toContain('2026年10月 公示中 公示剩余7天');
});

it("shows the server's refusal to lock", async () => {
  // Prepare
  const opened = await openMonths();

  // Act
  await opened.tap('#lock-2026-09', '.t-button');

  // Assess
  expect(callsTo('points/months.lock')).toEqual([{ villageId: 'v1', month: '2026-09' }]);
  expect(opened.page.querySelector('#message')?.dom?.textContent).toContain('公示期还有3天，结束后才能锁定');
  expect(opened.text()).toContain('2026年9月 公示中');
});

it('does nothing for a month the server does not allow, and keeps supervisors out', async () => {
  const opened = await openMonths();
  await opened.tap('#lock-2026-11', '.t-button');
  expect(callsTo('points/months.lock')).toEqual([]);

  const supervisor = await openMonths({ 'accounts/session.me': session([SUPERVISOR]) });
  expect(supervisor.text()).toContain('只有村干部可以公示和锁定月度积分');
});

it('shows an error with 重试', async () => {
  const opened = await openMonths({ 'points/months.list': fail('INTERNAL', '服务繁忙，请稍后再试') });
  expect(opened.text()).toContain('服务繁忙，请稍后再试');
  expect(opened.text()).toContain('重试');
});

describe('the notice board off the phone', () => {
  let openDocument: jest.Mock;
  beforeEach(() => {
    openDocument = jest.fn((options: { success: () => void }) => options.success());
    Object.assign(wx, {
      openDocument,
      setClipboardData: jest.fn(),
      downloadFile: jest.fn((options: { success: (res: object) => void }) =>
        options.success({ tempFilePath: 'wxfile://tmp/poster.pdf', statusCode: 200 }),
      ),
    });
    Object.assign(wx.cloud, {
      downloadFile: jest.fn((options: { success: (res: object) => void }) =>
        options.success({ tempFilePath: 'wxfile://tmp/poster.pdf' }),
      ),
    });
  });

  it('makes a month’s 公示 poster and opens it as a PDF for printing or forwarding', async () => {
    // Prepare
    const opened = await openMonths();

    // Act
    await opened.tap('#poster-2026-10', '.t-button');

    // Assess
    expect(callsTo('points/notice.poster')).toEqual([{ villageId: 'v1', period: '2026-10' }]);
    expect(openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://tmp/poster.pdf', fileType: 'pdf', showMenu: true }),
    );
    expect(opened.text()).toContain('已生成斑竹村2026年10月积分公示.pdf，可打印张贴或转发');
    expect(opened.text()).toContain('2026年度 年度公示海报');
  });

  it('lets a town admin keep the town hall’s screen (all villages) beside the village’s', async () => {
    // Prepare
    const opened = await openMonths({ 'accounts/session.me': session([TOWN_ADMIN], '镇管理员') });
    expect(opened.text()).toContain('本村大屏');

    // Act
    await opened.tap('#scope-town', '.t-button');
    await opened.tap('#create-link', '.t-button');

    // Assess
    expect(callsTo('points/screens.list').at(-1)).toEqual({ villageId: null });
    expect(callsTo('points/screens.create')).toEqual([
      { requestId: expect.stringMatching(/^[0-9a-f]{32}$/), villageId: null, label: '镇政府大厅' },
    ]);
    expect(opened.text()).toContain('全镇大屏');
  });

  it('shows a village cadre only the village’s screen', async () => {
    const opened = await openMonths();
    expect(opened.text()).not.toContain('全镇大屏');
    expect(opened.text()).not.toContain('本村大屏');
  });

  it('creates a display link for the village office’s screen, shows it, and revokes it', async () => {
    // Prepare
    const opened = await openMonths();

    // Act
    await opened.tap('#create-link', '.t-button');

    // Assess
    expect(callsTo('points/screens.create')).toEqual([
      { requestId: expect.stringMatching(/^[0-9a-f]{32}$/), villageId: 'v1', label: '村委会大厅' },
    ]);
    expect(opened.text()).toContain('http://127.0.0.1:3000/screen/?t=s1.sig');

    // Act
    await opened.tap('#revoke-s1', '.t-button');

    // Assess
    expect(callsTo('points/screens.revoke')).toEqual([{ linkId: 's1' }]);
    expect(opened.text()).toContain('大屏链接已停用');
    expect(opened.text()).toContain('村委会大厅 已停用');
    expect(opened.text()).not.toContain('s1.sig');
  });
});
