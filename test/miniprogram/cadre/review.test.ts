/**
 * 申报审核 as a village cadre works through the queue: photos shown through the temporary links the function
 * issues (never the `cloud://` ids the storage rule denies) and previewed full screen, approve one, reject one
 * with a reason, bulk-approve where the server refuses one, and an own-family item that cannot be decided.
 */
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, queueItem, session, villagesList, type Answers } from './fixtures';

const previewImage = jest.fn();
const LINK_A = 'https://tmp.example.tcb.qcloud.la/claims/o-he/a.jpg?sign=1&t=1795658400';
const LINK_B = 'https://tmp.example.tcb.qcloud.la/claims/o-he/b.jpg?sign=2&t=1795658400';

const queue = [
  queueItem({
    id: 'c1',
    photos: ['cloud://env/claims/o-he/a.jpg', 'cloud://env/claims/o-he/b.jpg'],
    createdAt: '2026-11-20T02:00:00.000Z',
  }),
  queueItem({
    id: 'c2',
    kind: 'record',
    memberId: 'm2',
    memberName: '王大爷',
    rule: { ...queueItem({}).rule, id: 'r-b01', code: 'B01', title: '党员每月按时参加组织生活', points: 5 },
    pointsText: '+0.5',
    submittedByName: '张组长',
    onBehalf: true,
    text: '',
    createdAt: '2026-11-22T02:00:00.000Z',
  }),
  queueItem({
    id: 'c3',
    memberName: '李小明',
    familyId: 'f-li',
    createdAt: '2026-11-21T02:00:00.000Z',
    conflict: '不能审核本家庭成员的积分，请由其他干部审核',
  }),
];

const shownPhotos = (data: Record<string, unknown>, id: string) =>
  (data.items as { id: string; photos: string[] }[]).find((row) => row.id === id)?.photos;

async function openReview(answers: Answers = {}) {
  backend({
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'points/review.queue': ok({ items: queue }),
    'points/claims.photos': ok({ photos: { c1: [LINK_A, LINK_B] } }),
    ...answers,
  });
  const opened = await openPage('packageCadre/review/index');
  await opened.methods.onLoad();
  return opened;
}

beforeEach(() => {
  jest.clearAllMocks();
  Object.assign(wx, { previewImage });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

it("shows the cadre's village queue newest first, with rule, member, recorder, 代录 and conflicts", async () => {
  // Act
  const { text } = await openReview();

  // Assess
  expect(callsTo('points/review.queue')).toEqual([{ villageId: 'v1', offset: 0 }]);
  const shown = text();
  expect(shown.indexOf('王大爷')).toBeLessThan(shown.indexOf('李小明'));
  expect(shown.indexOf('李小明')).toBeLessThan(shown.indexOf('何雄梅 · 参加一次志愿活动'));
  expect(shown).toRead([
    '王大爷 · 党员每月按时参加组织生活',
    '+0.5 分',
    '录入人：张组长',
    '代录',
    '月度采集',
    '申报人：何雄梅',
    '不能审核本家庭成员的积分，请由其他干部审核',
  ]);
});

it('shows the photos through the temporary links the function issues, and opens one full screen', async () => {
  // Prepare
  const { tap, page, data } = await openReview();
  await settle();

  // Assess: one call for the page's claims with photos; the images are the links, not cloud:// ids
  expect(callsTo('points/claims.photos')).toEqual([{ claimIds: ['c1'] }]);
  // (simulate renders no src attribute: the images' sources are read from what the page renders them from)
  expect(page.querySelectorAll('.photo')).toHaveLength(2);
  expect(shownPhotos(data(), 'c1')).toEqual([LINK_A, LINK_B]);
  expect(JSON.stringify(data().items)).not.toContain('cloud://');

  // Act
  await tap('#photo-c1-1');

  // Assess
  expect(previewImage).toHaveBeenCalledWith({ urls: [LINK_A, LINK_B], current: LINK_B });
});

it('says the photos cannot be shown when their links fail, and 重试 asks again', async () => {
  // Prepare
  let calls = 0;
  const { tap, text, page, data } = await openReview({
    'points/claims.photos': () => {
      calls += 1;
      return calls === 1 ? fail('NETWORK', '网络连接失败') : ok({ photos: { c1: [LINK_A, LINK_B] } });
    },
  });
  await settle();
  expect(text()).toContain('2张照片暂时无法显示，请看过照片再审核。点此重试');
  expect(page.querySelector('#photo-c1-0')).toBeFalsy();

  // Act
  await tap('#photos-retry-c1');

  // Assess
  expect(text()).not.toContain('暂时无法显示');
  expect(page.querySelector('#photo-c1-0')).toBeTruthy();
  expect(shownPhotos(data(), 'c1')).toEqual([LINK_A, LINK_B]);
});

it('approves one claim and it leaves the queue', async () => {
  // Prepare
  const { tap, text } = await openReview({
    'points/review.approve': ok({ outcomes: [{ id: 'c1', ok: true, status: 'approved' }], decided: 1 }),
  });

  // Act
  await tap('#approve-c1', '.t-button');

  // Assess
  expect(callsTo('points/review.approve')).toEqual([{ claimIds: ['c1'] }]);
  expect(text()).not.toContain('何雄梅 · 参加一次志愿活动');
  expect(text()).toContain('已通过1条');
});

it('rejects with a reason, and asks for one when it is missing', async () => {
  // Prepare
  const { page, tap, text, methods } = await openReview({
    'points/review.reject': ok({ outcomes: [{ id: 'c2', ok: true, status: 'rejected' }], decided: 1 }),
  });
  await tap('#reject-c2', '.t-button');
  expect(text()).toContain('驳回王大爷的“党员每月按时参加组织生活”');

  // Act: confirm empty, then with a reason
  await methods.onRejectConfirm();
  expect(text()).toContain('请填写驳回理由（至少2个字）');
  page.querySelector('#reject-reason')?.dispatchEvent('input', { detail: { value: '本月未参加组织生活' } });
  await settle();
  await methods.onRejectConfirm();
  await settle();

  // Assess
  expect(callsTo('points/review.reject')).toEqual([{ claimIds: ['c2'], reason: '本月未参加组织生活' }]);
  expect(page.querySelector('#item-c2')).toBeFalsy();
  expect(page.data.rejectVisible).toBe(false);
  expect(text()).toContain('已驳回1条');
});

it('bulk-approves the selected items and shows the one the server refused with its reason', async () => {
  // Prepare
  const { tap, text, data } = await openReview({
    'points/review.approve': ok({
      outcomes: [
        { id: 'c2', ok: true, status: 'approved' },
        {
          id: 'c1',
          ok: false,
          error: {
            code: 'REFUSED',
            message: '“参加一次志愿活动”已达上限（1次），不能再加分',
            reason: 'CAP_REACHED',
          },
        },
      ],
      decided: 1,
    }),
  });
  await tap('#check-c2');
  await tap('#check-c1');
  await tap('#check-c3'); // the conflicting one cannot be selected
  expect(text()).toContain('已选 2 条');

  // Act
  await tap('#approve-selected', '.t-button');

  // Assess
  expect(callsTo('points/review.approve')).toEqual([{ claimIds: ['c2', 'c1'] }]);
  const shown = text();
  expect(shown).not.toContain('王大爷');
  expect(shown).toRead([
    '已通过1条，1条未能通过，原因见该条记录',
    '“参加一次志愿活动”已达上限（1次），不能再加分',
    '已选 0 条',
  ]);
  expect((data().items as { id: string }[]).map((i) => i.id)).toEqual(['c3', 'c1']);
});

it('approves every pending claim of the village in chunks, showing 已审核 n/total and what was refused', async () => {
  // Prepare: a queue of 200, approved by the server 100 at a time; the second chunk's first try is lost.
  let page: { text(): string } | null = null;
  const seen: string[] = [];
  let nextCalls = 0;
  const progress = (done: number, finished: boolean, outcomes: object[], failed: number) => ({
    jobId: 'j1',
    total: 200,
    done,
    finished,
    succeeded: done - failed,
    failed,
    outcomes,
  });
  const opened = await openReview({
    'points/review.bulkStart': ok(progress(100, false, [], 0)),
    'points/review.bulkNext': () => {
      nextCalls += 1;
      seen.push(page?.text() ?? '');
      return nextCalls === 1
        ? fail('INTERNAL', '服务暂时不可用，请稍后重试')
        : ok(
            progress(
              200,
              true,
              [{ key: 'c1', label: '', ok: false, message: '“参加一次志愿活动”已达上限（1次），不能再加分' }],
              1,
            ),
          );
    },
  });
  page = opened;

  // Act
  await opened.tap('#approve-all', '.t-button');
  await settle();

  // Assess
  expect(callsTo('points/review.bulkStart')).toEqual([{ requestId: expect.any(String), villageId: 'v1' }]);
  expect(callsTo('points/review.bulkNext')).toEqual([{ jobId: 'j1' }, { jobId: 'j1' }]);
  expect(seen[0]).toContain('已审核 100/200 条');
  const shown = opened.text();
  expect(shown).toContain('已通过199条，1条未能通过，原因见下');
  expect(shown).toContain('参加一次志愿活动：“参加一次志愿活动”已达上限（1次），不能再加分');
  expect(callsTo('points/review.queue')).toHaveLength(2);
});

it("keeps an own-family item undecidable, and shows the server's refusal of a single approval", async () => {
  // Prepare
  const { page, tap, text } = await openReview({
    'points/review.approve': fail('REFUSED', '不能审核本家庭成员的积分，请由其他干部审核', {
      reason: 'OWN_FAMILY',
    }),
  });

  // Act: the conflicting item's button is disabled and a tap does nothing
  await tap('#approve-c3', '.t-button');
  expect(callsTo('points/review.approve')).toEqual([]);
  expect(page.querySelector('#approve-c3')?.querySelector('.t-button--disabled')).toBeTruthy();

  // Act: an item that looked free but the server refuses
  await tap('#approve-c1', '.t-button');

  // Assess
  expect(callsTo('points/review.approve')).toEqual([{ claimIds: ['c1'] }]);
  expect(text()).toContain('何雄梅 · 参加一次志愿活动');
  const item = page.querySelector('#item-c1');
  expect(item?.dom?.textContent).toContain('不能审核本家庭成员的积分，请由其他干部审核');
  expect(wx.showToast).toHaveBeenCalledWith({
    title: '不能审核本家庭成员的积分，请由其他干部审核',
    icon: 'none',
  });
});

it('lets a town admin switch village, and tells a villager they cannot review', async () => {
  // Prepare
  const admin = await openReview({ 'accounts/session.me': session([TOWN_ADMIN]) });
  expect(admin.text()).toContain('斑竹村');

  // Act
  admin.page.querySelector('#village-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await settle();

  // Assess
  expect(callsTo('points/review.queue')).toEqual([
    { villageId: 'v1', offset: 0 },
    { villageId: 'v2', offset: 0 },
  ]);
  expect(admin.text()).toContain('大路村');

  const villager = await openReview({ 'accounts/session.me': session([VILLAGER]) });
  expect(villager.text()).toContain('您不是村干部，不能审核积分');
});

it('shows the error and retries', async () => {
  // Prepare
  let calls = 0;
  const { tap, text } = await openReview({
    'points/review.queue': () =>
      (calls += 1) === 1 ? fail('INTERNAL', '服务繁忙，请稍后再试') : ok({ items: [] }),
  });
  expect(text()).toContain('服务繁忙，请稍后再试');

  // Act
  await tap('#state >>> #retry', '.t-button');

  // Assess
  expect(text()).toContain('没有待审核的记录');
});
