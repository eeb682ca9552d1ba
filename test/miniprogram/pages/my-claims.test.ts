/** 我的申报: status, rejection reason, withdraw while pending (after confirming), 提出异议 on a decided claim. */
import type { ClaimView } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, notLinked, ok, openPage } from '../harness';
import { claimView } from '../views';

const claim = (id: string, over: Partial<ClaimView> = {}): ClaimView =>
  claimView({
    id,
    memberId: 'm2',
    rule: { ...claimView().rule, id: 'r1' },
    deedDate: '2026-11-05',
    photos: ['cloud://x/claims/o-he/a.jpg'],
    createdAt: '2026-11-05T02:00:00.000Z',
    ...over,
  });

const claims = [
  claim('c1'),
  claim('c2', {
    status: 'rejected',
    rejectReason: '照片看不出是本人参加',
    decidedByName: '罗亚倩',
    decidedAt: '2026-11-06T02:00:00.000Z',
  }),
  claim('c3', { status: 'approved', decidedByName: '罗亚倩', decidedAt: '2026-11-06T02:00:00.000Z' }),
];

const showModal = jest.fn();

interface MyClaimsMethods {
  onLoad(): Promise<void>;
  onPullDownRefresh(): Promise<void>;
}
const openMyClaims = () => openPage<MyClaimsMethods & Record<string, never>>('pages/my-claims/index');

beforeAll(() => Object.assign(wx, { showModal }));
beforeEach(() => jest.clearAllMocks());

it('shows each claim with its status and the reason for a rejection', async () => {
  backend({ 'points/claims.mine': ok({ claims }) });
  const { methods, text } = await openMyClaims();

  await methods.onLoad();

  const shown = text();
  expect(shown).toContain(
    '参加一次志愿活动 待审核 何雄梅 · 2026年11月5日 · +1 分 参加河道清理 照片 1 张 撤回',
  );
  expect(shown).toRead([
    '未通过 ',
    '审核人：罗亚倩 · 2026-11-06',
    '未通过原因：照片看不出是本人参加',
    '已通过',
  ]);
});

it('withdraws a pending claim after the villager confirms', async () => {
  backend({
    'points/claims.mine': ok({ claims }),
    'points/claims.withdraw': (input) => ok({ claim: claim(String(input.claimId), { status: 'withdrawn' }) }),
  });
  showModal.mockImplementation((o: { success(r: { confirm: boolean }): void }) =>
    o.success({ confirm: true }),
  );
  const { methods, tap, text, page } = await openMyClaims();
  await methods.onLoad();

  await tap('#withdraw-c1', '.t-button');

  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '撤回申报' }));
  expect(callsTo('points/claims.withdraw')).toEqual([{ claimId: 'c1' }]);
  expect(text()).toContain('已撤回');
  expect(page.querySelector('#withdraw-c1')).toBeFalsy();
});

it('does nothing when the villager cancels, and shows the server refusal', async () => {
  backend({
    'points/claims.mine': ok({ claims }),
    'points/claims.withdraw': fail('CONFLICT', '只有待审核的申报可以撤回'),
  });
  showModal.mockImplementationOnce((o: { success(r: { confirm: boolean }): void }) =>
    o.success({ confirm: false }),
  );
  const { methods, tap } = await openMyClaims();
  await methods.onLoad();

  await tap('#withdraw-c1', '.t-button');
  expect(callsTo('points/claims.withdraw')).toHaveLength(0);

  showModal.mockImplementationOnce((o: { success(r: { confirm: boolean }): void }) =>
    o.success({ confirm: true }),
  );
  await tap('#withdraw-c1', '.t-button');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '只有待审核的申报可以撤回', icon: 'none' });
});

it('offers 提出异议 on a decided claim only', async () => {
  backend({ 'points/claims.mine': ok({ claims }) });
  const { methods, tap, page } = await openMyClaims();
  await methods.onLoad();

  expect(page.querySelector('#object-c1')).toBeFalsy();
  await tap('#object-c2');

  const url = (wx.navigateTo as jest.Mock).mock.calls[0][0].url as string;
  expect(url).toMatch(/^\/pages\/objections\/index\?type=claim&id=c2&label=/);
});

it('has empty, not-linked and error states, and refreshes on pull-down', async () => {
  backend({ 'points/claims.mine': ok({ claims: [] }) });
  let opened = await openMyClaims();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('还没有申报记录');
  await opened.tap('#state >>> #empty-action', '.t-button');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/claim/index' });

  backend({ 'points/claims.mine': notLinked() });
  opened = await openMyClaims();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('绑定家庭后才能查看申报');
  await opened.tap('#state >>> #bind', '.t-button');
  expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/family/index' });

  backend({ 'points/claims.mine': fail('NETWORK', '网络连接失败，请检查网络后重试') });
  opened = await openMyClaims();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('网络连接失败，请检查网络后重试');

  backend({ 'points/claims.mine': ok({ claims }) });
  await opened.methods.onPullDownRefresh();
  expect(opened.text()).toContain('参加河道清理');
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});
