/**
 * 我的家庭: members and who has linked WeChat; binding with an invite code (and its refusals); the 关怀模式
 * switch remembered on the phone; the developer identity switch, shown in local mode only.
 */
import { BACKEND_STORAGE_KEY } from '../../../miniprogram/services/config';
import { CARE_MODE_STORAGE_KEY } from '../../../miniprogram/services/preferences';
import { backend, callsTo, fail, notLinked, ok, openPage, settle } from '../harness';
import { familyView } from '../views';

const family = familyView({ householdNumber: '012', address: '斑竹村3组', groupId: 'g3', available: 125 }, [
  { id: 'm1', name: '何雄梅', relation: '户主', partyMember: true, linked: true, isMe: true },
  { id: 'm2', name: '王小明', relation: '子女', partyMember: false, linked: false, isMe: false },
]);

interface FamilyMethods {
  onLoad(): Promise<void>;
}
const openFamily = () => openPage<FamilyMethods & Record<string, never>>('pages/family/index');

beforeEach(() => {
  jest.clearAllMocks();
  wx.clearStorageSync();
  (getApp() as IAppOption).globalData.careMode = false;
});

it('lists the members, marking me, party members and who has linked WeChat', async () => {
  backend({ 'accounts/families.get': ok(family) });
  const { methods, text, page } = await openFamily();

  await methods.onLoad();

  expect(text()).toRead([
    '何雄梅家（户号 012） 斑竹村3组 可用积分 12.5 分',
    '何雄梅（我） 户主 党员 已绑定微信',
    '王小明 子女 未绑定微信',
  ]);
  expect(page.querySelector('#invite-code')).toBeFalsy();
  // Not in local mode: no developer switch.
  expect(text()).not.toContain('开发者');
});

it('binds this WeChat with an invite code, then shows the family', async () => {
  let linked = false;
  backend({
    'accounts/families.get': () => (linked ? ok(family) : notLinked()),
    'accounts/invites.redeem': () => {
      linked = true;
      return ok({ memberId: 'm1', familyId: 'f1' });
    },
  });
  const { page, methods, tap, text } = await openFamily();
  await methods.onLoad();
  expect(text()).toContain('请输入村干部给您的8位邀请码');

  page.querySelector('#invite-code')?.dispatchEvent('input', { detail: { value: ' ab12cd34 ' } });
  await settle();
  await tap('#bind', '.t-button');

  expect(callsTo('accounts/invites.redeem')).toEqual([{ code: 'AB12CD34' }]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '绑定成功', icon: 'success' });
  expect(text()).toContain('何雄梅（我）');
});

it('checks the code’s shape and shows why the server refused it', async () => {
  backend({
    'accounts/families.get': notLinked(),
    'accounts/invites.redeem': fail('REFUSED', '该邀请码已过期，请联系村干部重新生成', {
      reason: 'INVITE_EXPIRED',
    }),
  });
  const { methods, tap, text, enter, expectRefusedBeforeCalling } = await openFamily();
  await methods.onLoad();

  await enter({ '#invite-code': '123' });
  await expectRefusedBeforeCalling('#bind', '邀请码为8位字母或数字', 'accounts/invites.redeem');

  await enter({ '#invite-code': 'ZZ99ZZ99' });
  await tap('#bind', '.t-button');
  expect(text()).toContain('该邀请码已过期，请联系村干部重新生成');
});

it('turns 关怀模式 on, remembers it on the phone, and enlarges this page', async () => {
  backend({ 'accounts/families.get': ok(family) });
  const { page, methods } = await openFamily();
  await methods.onLoad();

  page.querySelector('#care-mode')?.dispatchEvent('change', { detail: { value: true } });
  await settle();

  expect(wx.getStorageSync(CARE_MODE_STORAGE_KEY)).toBe(true);
  expect((getApp() as IAppOption).globalData.careMode).toBe(true);
  expect(page.querySelector('.care-mode')).toBeTruthy();
});

it('gives and withdraws the family’s consent to full names on the red board, showing what the server recorded', async () => {
  // Prepare
  let consent: { at: string; byName: string } | null = null;
  backend({
    'accounts/families.get': () => ok({ ...family, family: { ...family.family, redBoardConsent: consent } }),
    'accounts/families.setRedBoardConsent': (input: Record<string, unknown>) => {
      consent = input.consent ? { at: '2026-11-20T02:00:00.000Z', byName: '何雄梅' } : null;
      return ok({ redBoardConsent: consent });
    },
  });
  const { page, methods, text } = await openFamily();
  await methods.onLoad();
  expect(text()).toContain('红榜显示全名 关闭时红榜上只显示姓氏');

  // Act
  page.querySelector('#red-board-consent')?.dispatchEvent('change', { detail: { value: true } });
  await settle();

  // Assess
  expect(callsTo('accounts/families.setRedBoardConsent')).toEqual([{ consent: true }]);
  expect(text()).toContain('何雄梅已于2026-11-20同意红榜显示全名，关闭即撤回');

  // Act
  page.querySelector('#red-board-consent')?.dispatchEvent('change', { detail: { value: false } });
  await settle();

  // Assess
  expect(callsTo('accounts/families.setRedBoardConsent')).toEqual([{ consent: true }, { consent: false }]);
  expect(text()).toContain('关闭时红榜上只显示姓氏（如“何**”）');
});

it('in local mode lets a developer act as a demo identity', async () => {
  wx.setStorageSync(BACKEND_STORAGE_KEY, { mode: 'local', baseUrl: 'http://127.0.0.1:3999', openid: 'o-he' });
  const request = wx.request as unknown as jest.Mock;
  request.mockImplementation((o: WechatMiniprogram.RequestOption) =>
    o.success?.({ data: { ok: true, data: family }, statusCode: 200 } as never),
  );
  const { methods, tap, text } = await openFamily();
  await methods.onLoad();
  expect(text()).toContain('开发者：切换身份');
  expect(text()).toContain('何雄梅（村民）（o-he） ✓');

  await tap('#identity-o-luo');

  expect(wx.getStorageSync(BACKEND_STORAGE_KEY)).toEqual({
    mode: 'local',
    baseUrl: 'http://127.0.0.1:3999',
    openid: 'o-luo',
  });
  expect(text()).toContain('罗亚倩（斑竹村干部）（o-luo） ✓');
  const lastCall = request.mock.calls[request.mock.calls.length - 1][0] as WechatMiniprogram.RequestOption;
  expect(lastCall.header).toMatchObject({ 'X-WX-OPENID': 'o-luo' });
});

it('shows an error with 重试', async () => {
  backend({ 'accounts/families.get': fail('INTERNAL', '服务繁忙，请稍后再试') });
  const { methods, tap, text } = await openFamily();
  await methods.onLoad();
  expect(text()).toContain('服务繁忙，请稍后再试');

  backend({ 'accounts/families.get': ok(family) });
  await tap('#state >>> #retry', '.t-button');

  expect(text()).toContain('王小明');
});
