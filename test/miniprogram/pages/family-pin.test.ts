/**
 * 我的家庭 → 兑换密码: setting the family's counter PIN (pins.set), changing it with the old one, the shape
 * checked before sending, and the server's refusal of a wrong old PIN.
 */
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
import { familyView } from '../views';

const family = familyView({ householdNumber: '012', address: '斑竹村3组', groupId: 'g3', available: 125 }, [
  { id: 'm1', name: '何雄梅', relation: '户主', partyMember: false, linked: true, isMe: true },
]);

interface FamilyMethods {
  onLoad(): Promise<void>;
}
const openFamily = () => openPage<FamilyMethods & Record<string, never>>('pages/family/index');

beforeEach(() => jest.clearAllMocks());

it('sets the PIN the first time, checking its shape first', async () => {
  backend({ 'accounts/families.get': ok(family), 'shop/pins.set': ok({ set: true }) });
  const { methods, tap, text, enter, expectRefusedBeforeCalling } = await openFamily();
  await methods.onLoad();
  expect(text()).toContain('兑换密码');

  await enter({ '#pin': '12' });
  await expectRefusedBeforeCalling('#save-pin', '兑换密码为4到6位数字', 'shop/pins.set');

  await enter({ '#pin': '2580' });
  await tap('#save-pin', '.t-button');

  expect(callsTo('shop/pins.set')).toEqual([{ pin: '2580' }]);
  expect(wx.showToast).toHaveBeenCalledWith({ title: '兑换密码已保存', icon: 'success' });
});

it('changes the PIN with the old one, and shows the refusal of a wrong old PIN', async () => {
  backend({
    'accounts/families.get': ok(family),
    'shop/pins.set': fail('REFUSED', '原密码不正确', { reason: 'PIN_MISMATCH' }),
  });
  const { methods, page, tap, text } = await openFamily();
  await methods.onLoad();

  page.querySelector('#old-pin')?.dispatchEvent('input', { detail: { value: '1111' } });
  page.querySelector('#pin')?.dispatchEvent('input', { detail: { value: '246810' } });
  await settle();
  await tap('#save-pin', '.t-button');

  expect(callsTo('shop/pins.set')).toEqual([{ pin: '246810', oldPin: '1111' }]);
  expect(text()).toContain('原密码不正确');
});
