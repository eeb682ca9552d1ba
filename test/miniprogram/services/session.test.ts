/** Request ids made on the phone, and the cached session (session.me asked once, failures not kept). */
import { newRequestId, randomName } from '../../../miniprogram/services/request-id';

const callFunction = wx.cloud.callFunction as unknown as jest.Mock;
const me = { openid: 'o-he', name: '何雄梅', memberId: 'm1', familyId: 'f1', villageId: 'v1', roles: [] };

beforeEach(() => jest.clearAllMocks());

it('makes 32-hex request ids that differ each time, and 16-hex names', () => {
  const ids = new Set(Array.from({ length: 100 }, () => newRequestId()));
  expect(ids.size).toBe(100);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(randomName()).toMatch(/^[0-9a-f]{16}$/);
});

it('asks session.me once, again after clearSession, and again after a failure', async () => {
  jest.resetModules();
  const { getSession, clearSession } = await import('../../../miniprogram/services/session');
  callFunction
    .mockResolvedValueOnce({
      result: { ok: false, error: { code: 'INTERNAL', message: '忙', requestId: '' } },
    })
    .mockResolvedValue({ result: { ok: true, data: me } });

  expect((await getSession()).ok).toBe(false);
  expect(await getSession()).toEqual({ ok: true, data: me });
  await getSession();
  expect(callFunction).toHaveBeenCalledTimes(2);
  clearSession();
  await getSession();

  expect(callFunction).toHaveBeenCalledTimes(3);
  expect(callFunction).toHaveBeenLastCalledWith({
    name: 'accounts',
    data: { action: 'session.me', input: {} },
  });
});
