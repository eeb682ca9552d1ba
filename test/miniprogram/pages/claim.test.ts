/**
 * 申报积分 as a villager fills it in: pick a rule and a member, add photos (uploaded with progress, a failed one
 * retried), submit with a double tap that files once, consent asked in the tap; privacy prompt before photos;
 * not linked, empty and error states.
 */
import { backend, callsTo, fail, notLinked, ok, openPage, rule, settle } from '../harness';
import { claimView, familyView, villagerSessionView } from '../views';

const rules = [
  rule({}),
  rule({ id: 'r-c05', code: 'C05', title: '建言献策被采纳', points: 10, photosRequired: false }),
];

const family = ok(
  familyView({}, [
    { id: 'm1', name: '王强', relation: '配偶', partyMember: false, linked: false, isMe: false },
    { id: 'm2', name: '何雄梅', relation: '户主', partyMember: false, linked: true, isMe: true },
  ]),
);

const session = ok(villagerSessionView());

const submitted = (input: Record<string, unknown>) =>
  ok({
    claim: claimView({
      memberId: String(input.memberId),
      deedDate: String(input.deedDate),
      text: String(input.text),
      photos: input.photos as string[],
    }),
  });

interface UploadCall {
  cloudPath: string;
  filePath: string;
  success(res: { fileID: string }): void;
  fail(err: unknown): void;
  progress?: (res: { progress: number }) => void;
}

const uploads: UploadCall[] = [];
const uploadFile = wx.cloud.uploadFile as unknown as jest.Mock;
const chooseMedia = jest.fn();
const requestSubscribeMessage = jest.fn();

interface ClaimMethods {
  onLoad(): Promise<void>;
}
const openClaim = () => openPage<ClaimMethods & Record<string, never>>('pages/claim/index');

beforeAll(() => {
  Object.assign(wx, { chooseMedia, requestSubscribeMessage, previewImage: jest.fn(), redirectTo: jest.fn() });
});

beforeEach(() => {
  jest.clearAllMocks();
  uploads.length = 0;
  uploadFile.mockImplementation((options: UploadCall) => {
    const call = { ...options };
    uploads.push(call);
    return { onProgressUpdate: (listener: UploadCall['progress']) => (call.progress = listener) };
  });
  chooseMedia.mockImplementation((options: { success(res: object): void }) =>
    options.success({ tempFiles: [{ tempFilePath: 'wxfile://a.jpg' }, { tempFilePath: 'wxfile://b.jpg' }] }),
  );
  (wx.requirePrivacyAuthorize as jest.Mock).mockImplementation((o: { success(): void }) => o.success());
});

async function readyForm() {
  const opened = await openClaim();
  await opened.methods.onLoad();
  return opened;
}

it('offers the self-claimable rules and the family, preselecting me and today', async () => {
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  const { text, data } = await readyForm();

  expect(callsTo('points/rules.list')[0]).toEqual({ selfClaimOnly: true });
  expect(text()).toContain('积分规则 请选择');
  expect(text()).toContain('家庭成员 何雄梅');
  expect((data().rules as { label: string }[]).map((r) => r.label)).toEqual([
    '参加一次志愿活动（+1 分）',
    '建言献策被采纳（+1 分）',
  ]);
  // Today by the tests' clock (2026-11-20 10:00 China time, test/miniprogram/clock.ts).
  expect(data().deedDate).toBe('2026-11-20');
});

it('uploads chosen photos with progress, retries a failed one, and a double tap submits once', async () => {
  // Prepare
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
    'points/claims.submit': submitted,
  });
  const { page, tap, text } = await readyForm();
  page.querySelector('#rule-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  page.querySelector('#text')?.dispatchEvent('input', { detail: { value: '参加河道清理' } });
  await settle();

  // Act: add two photos
  await tap('#add-photo');

  // Assess: compressed images only, uploaded under claims/<openid>/, progress shown
  expect(chooseMedia).toHaveBeenCalledWith(
    expect.objectContaining({ count: 9, mediaType: ['image'], sizeType: ['compressed'] }),
  );
  expect(uploads).toHaveLength(2);
  expect(uploads[0].cloudPath).toMatch(/^claims\/o-he\/[0-9a-f]{16}\.jpg$/);
  uploads[0].progress?.({ progress: 42 });
  await settle();
  expect(text()).toContain('42%');
  uploads[0].success({ fileID: 'cloud://env.bucket/claims/o-he/a.jpg' });
  uploads[1].fail({ errMsg: 'uploadFile:fail timeout' });
  await settle();
  expect(text()).not.toContain('42%');
  expect(text()).toContain('上传失败 点击重试');

  // Submitting now is refused: a photo failed
  await tap('#submit', '.t-button');
  expect(callsTo('points/claims.submit')).toHaveLength(0);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '有照片上传失败，请重试或删除', icon: 'none' });

  // Retry the failed photo
  await tap('#photo-1 .photo__cover--failed');
  expect(uploads).toHaveLength(3);
  expect(uploads[2].filePath).toBe('wxfile://b.jpg');
  uploads[2].success({ fileID: 'cloud://env.bucket/claims/o-he/b.jpg' });
  await settle();
  expect(text()).not.toContain('上传失败');

  // Double tap
  const button = page.querySelector('#submit')?.querySelector('.t-button');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await settle();

  // One claim, with the phone's request id, the photos and consent asked
  const submits = callsTo('points/claims.submit');
  expect(submits).toHaveLength(1);
  expect(submits[0]).toEqual({
    requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    ruleId: 'r-c01',
    memberId: 'm2',
    deedDate: '2026-11-20',
    text: '参加河道清理',
    photos: ['cloud://env.bucket/claims/o-he/a.jpg', 'cloud://env.bucket/claims/o-he/b.jpg'],
  });
  expect(requestSubscribeMessage).toHaveBeenCalledWith(
    expect.objectContaining({ tmplIds: ['claim-decided-template-id'] }),
  );
  expect(text()).toContain('申报已提交');
  expect(text()).toContain('已为何雄梅申报“参加一次志愿活动”（+1 分），请等待村干部审核。');
});

it('keeps the same request id when a failed submit is tried again', async () => {
  let attempts = 0;
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
    'points/claims.submit': (input) => {
      attempts += 1;
      return attempts === 1 ? fail('NETWORK', '网络连接失败，请检查网络后重试') : submitted(input);
    },
  });
  const { page, tap, text } = await readyForm();
  page.querySelector('#rule-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  await settle();

  await tap('#submit', '.t-button');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '网络连接失败，请检查网络后重试', icon: 'none' });
  await tap('#submit', '.t-button');

  const submits = callsTo('points/claims.submit');
  expect(submits).toHaveLength(2);
  expect(submits[1].requestId).toBe(submits[0].requestId);
  expect(text()).toContain('申报已提交');
});

it('asks for a rule first, and for photos when the rule needs them', async () => {
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  const { page, tap } = await readyForm();

  await tap('#submit', '.t-button');
  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '请选择申报的积分规则', icon: 'none' });
  page.querySelector('#rule-picker')?.dispatchEvent('change', { detail: { value: '0' } });
  await settle();
  await tap('#submit', '.t-button');

  expect(wx.showToast).toHaveBeenLastCalledWith({ title: '该规则需要上传照片作为凭证', icon: 'none' });
  expect(callsTo('points/claims.submit')).toHaveLength(0);
  expect(requestSubscribeMessage).not.toHaveBeenCalled();
});

it('shows the privacy prompt before photos, and chooses photos only after 同意', async () => {
  // Prepare: WeChat needs authorisation; requirePrivacyAuthorize goes through onNeedPrivacyAuthorization.
  let need: ((resolve: (r: { event: string }) => void) => void) | undefined;
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  const opened = await openClaim();
  const { registerPrivacyHandler } = await import('../../../miniprogram/services/privacy');
  (wx.onNeedPrivacyAuthorization as jest.Mock).mockImplementation((listener) => (need = listener));
  registerPrivacyHandler();
  (wx.requirePrivacyAuthorize as jest.Mock).mockImplementation((o: { success(): void; fail(): void }) =>
    need?.((r) => (r.event === 'agree' ? o.success() : o.fail())),
  );
  await opened.methods.onLoad();

  // Act
  await opened.tap('#add-photo');

  // Assess
  expect(opened.text()).toContain('隐私保护提示');
  expect(chooseMedia).not.toHaveBeenCalled();
  const prompt = opened.page.querySelector('#privacy');
  prompt?.querySelector('#privacy-contract')?.dispatchEvent('tap');
  await settle();
  expect(wx.openPrivacyContract).toHaveBeenCalled();
  prompt?.querySelector('#privacy-agree')?.dispatchEvent('agreeprivacyauthorization');
  await settle();
  expect(opened.text()).not.toContain('隐私保护提示');
  expect(chooseMedia).toHaveBeenCalled();
});

it('asks to bind when not linked, says when nothing can be claimed, and shows errors with 重试', async () => {
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': notLinked(),
    'accounts/session.me': session,
  });
  let opened = await readyForm();
  expect(opened.text()).toContain('绑定家庭后才能申报积分');

  backend({
    'points/rules.list': ok({ rules: [] }),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  opened = await readyForm();
  expect(opened.text()).toContain('暂无可自主申报的积分规则');

  backend({
    'points/rules.list': fail('INTERNAL', '服务繁忙，请稍后再试'),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  opened = await readyForm();
  expect(opened.text()).toContain('服务繁忙，请稍后再试');
  backend({
    'points/rules.list': ok({ rules }),
    'accounts/families.get': family,
    'accounts/session.me': session,
  });
  await opened.tap('#state >>> #retry', '.t-button');
  expect(opened.text()).toContain('提交申报');
});
