/**
 * The typed client: cloud mode passes envelopes through, turns failures into NETWORK and anything that is not
 * an envelope into INTERNAL; local mode (a developer's stored override) POSTs to the emulator instead.
 */
import type { RuleView } from '../../../miniprogram/contract/points';
import { DEFAULT_CATALOGUE, type RuleDefinition } from '../../../miniprogram/core/catalogue';
import { TEST_NOW } from '../clock';

const callFunction = wx.cloud.callFunction as unknown as jest.Mock;
const cloudInit = wx.cloud.init as unknown as jest.Mock;
const request = wx.request as unknown as jest.Mock;
const accountInfo = wx.getAccountInfoSync as unknown as jest.Mock;

/** 参加一次志愿活动 as the default catalogue defines it, stored as the town's first version. */
const rule: RuleView = {
  ...(DEFAULT_CATALOGUE.find((r) => r.code === 'C01') as RuleDefinition),
  id: 'rule-C01',
  villageId: null,
  version: 1,
};

/** A fresh client module each time: it remembers whether wx.cloud was initialised. */
async function loadClient() {
  jest.resetModules();
  const client = await import('../../../miniprogram/services/client');
  const config = await import('../../../miniprogram/services/config');
  const clock = await import('../../../miniprogram/services/clock');
  // The fresh clock module the client uses would run on the machine's clock: put it at the tests' instant.
  clock.setClock(TEST_NOW);
  return { ...client, ...config, clock };
}

/** The emulator's gateway answering `envelope`, with these response headers. */
const answerLocal = (envelope: unknown, header: Record<string, string>) =>
  request.mockImplementationOnce((options: WechatMiniprogram.RequestOption) =>
    options.success?.({ data: envelope, statusCode: 200, header } as never),
  );

const dynamicEnv = (wx.cloud as unknown as { DYNAMIC_CURRENT_ENV: unknown }).DYNAMIC_CURRENT_ENV;
const developVersion = { miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } };

beforeEach(() => {
  jest.clearAllMocks();
  accountInfo.mockImplementation(() => developVersion);
  wx.clearStorageSync();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('cloud mode (the default)', () => {
  it('calls the function with {action, input} and passes the envelope through', async () => {
    // Prepare
    const { call } = await loadClient();
    callFunction.mockResolvedValueOnce({
      errMsg: 'cloud.callFunction:ok',
      result: { ok: true, data: { rules: [rule] } },
    });

    // Act
    const envelope = await call('points', 'rules.list', { selfClaimOnly: true });

    // Assess
    expect(callFunction).toHaveBeenCalledWith({
      name: 'points',
      data: { action: 'rules.list', input: { selfClaimOnly: true } },
    });
    expect(envelope).toEqual({ ok: true, data: { rules: [rule] } });
    expect(cloudInit).toHaveBeenCalledTimes(1);
    expect(cloudInit).toHaveBeenCalledWith({ env: dynamicEnv, traceUser: true });
  });

  it('leaves the clock alone: only the emulator tells its time', async () => {
    const { call, clock } = await loadClient();
    callFunction.mockResolvedValueOnce({ result: { ok: true, data: { rules: [] } } });

    await call('points', 'rules.list', {});

    expect(clock.now().toISOString()).toBe(TEST_NOW);
    expect(request).not.toHaveBeenCalled();
  });

  it('passes an error envelope through with its request id', async () => {
    const { call } = await loadClient();
    const error = {
      code: 'FORBIDDEN',
      message: '仅村干部可操作',
      requestId: 'req-42',
      details: { role: 'villager' },
    };
    callFunction.mockResolvedValueOnce({ result: { ok: false, error } });

    const envelope = await call('points', 'rules.list', {});

    expect(envelope).toEqual({ ok: false, error });
  });

  it('turns a failed call into NETWORK with a message for people', async () => {
    const { call } = await loadClient();
    callFunction.mockRejectedValueOnce({ errCode: -1, errMsg: 'cloud.callFunction:fail network error' });

    const envelope = await call('points', 'rules.list', {});

    expect(envelope).toEqual({
      ok: false,
      error: { code: 'NETWORK', message: '网络连接失败，请检查网络后重试', requestId: '' },
    });
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'Internal Server Error'],
    ['ok without data', { ok: true }],
    ['an error without a code', { ok: false, error: { message: '坏了' } }],
    ['a bare object', { rules: [] }],
  ])('answers INTERNAL when the result is %s', async (_label, result) => {
    const { call } = await loadClient();
    callFunction.mockResolvedValueOnce({ result });

    const envelope = await call('points', 'rules.list', {});

    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL', requestId: '' } });
  });
});

describe('local mode (developer switch)', () => {
  it('POSTs {action, input} to the emulator with the X-WX-OPENID header', async () => {
    // Prepare
    const { call, setBackendOverride } = await loadClient();
    setBackendOverride({ mode: 'local', baseUrl: 'http://127.0.0.1:3999/', openid: 'openid-villager-1' });
    request.mockImplementationOnce((options: WechatMiniprogram.RequestOption) =>
      options.success?.({ data: { ok: true, data: { rules: [rule] } }, statusCode: 200 } as never),
    );

    // Act
    const envelope = await call('points', 'rules.list', { villageId: 'v1' });

    // Assess
    expect(envelope).toEqual({ ok: true, data: { rules: [rule] } });
    expect(callFunction).not.toHaveBeenCalled();
    expect(request).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'http://127.0.0.1:3999/functions/points',
        method: 'POST',
        data: { action: 'rules.list', input: { villageId: 'v1' } },
        header: expect.objectContaining({ 'X-WX-OPENID': 'openid-villager-1' }),
      }),
    );
  });

  it('turns an unreachable emulator into NETWORK', async () => {
    const { call, setBackendOverride } = await loadClient();
    setBackendOverride({ mode: 'local' });
    request.mockImplementationOnce((options: WechatMiniprogram.RequestOption) =>
      options.fail?.({ errMsg: 'request:fail' } as never),
    );

    const envelope = await call('points', 'rules.list', {});

    expect(envelope).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  it('follows the emulator’s clock (X-Emulator-Now, in any letter case) for the pages’ today', async () => {
    // Prepare
    const { call, setBackendOverride, clock } = await loadClient();
    setBackendOverride({ mode: 'local', baseUrl: 'http://127.0.0.1:3999', openid: 'o-he' });
    answerLocal({ ok: true, data: { rules: [] } }, { 'X-Emulator-Now': '2026-12-31T16:10:00.000Z' });

    // Act
    await call('points', 'rules.list', {});

    // Assess: 2027-01-01 00:10 in China on the emulator, while the phone says 2026-11-20.
    expect(clock.now().toISOString()).toBe('2026-12-31T16:10:00.000Z');
    const { chinaToday } = await import('../../../miniprogram/services/clock');
    expect(chinaToday()).toBe('2027-01-01');

    // Node's HTTP (and so the end-to-end test) hands headers over in lower case; an error envelope counts too.
    answerLocal(
      { ok: false, error: { code: 'INTERNAL', message: '服务暂时不可用', requestId: 'r1' } },
      { 'x-emulator-now': '2028-02-28T16:30:00.000Z' },
    );
    await call('points', 'rules.list', {});
    expect(chinaToday()).toBe('2028-02-29');
  });

  it('keeps its clock when the emulator sends no time or a garbled one', async () => {
    const { call, setBackendOverride, clock } = await loadClient();
    setBackendOverride({ mode: 'local', baseUrl: 'http://127.0.0.1:3999', openid: 'o-he' });
    answerLocal({ ok: true, data: { rules: [] } }, {});
    await call('points', 'rules.list', {});
    answerLocal({ ok: true, data: { rules: [] } }, { 'X-Emulator-Now': 'yesterday' });
    await call('points', 'rules.list', {});

    expect(clock.now().toISOString()).toBe(TEST_NOW);
  });

  it('is ignored by the released version, which always uses the cloud', async () => {
    const { call, setBackendOverride, getBackendConfig } = await loadClient();
    setBackendOverride({ mode: 'local' });
    accountInfo.mockReturnValue({
      miniProgram: { appId: 'touristappid', envVersion: 'release', version: '1.0.0' },
    });
    callFunction.mockResolvedValueOnce({ result: { ok: true, data: { rules: [] } } });

    const envelope = await call('points', 'rules.list', {});

    expect(getBackendConfig().mode).toBe('cloud');
    expect(request).not.toHaveBeenCalled();
    expect(envelope).toEqual({ ok: true, data: { rules: [] } });
  });

  it('goes back to the committed default when the override is cleared', async () => {
    const { setBackendOverride, getBackendConfig } = await loadClient();
    setBackendOverride({ mode: 'local' });
    expect(getBackendConfig().mode).toBe('local');

    setBackendOverride(null);

    expect(getBackendConfig()).toEqual({
      mode: 'cloud',
      baseUrl: 'http://127.0.0.1:3000',
      openid: 'dev-villager',
    });
  });
});
