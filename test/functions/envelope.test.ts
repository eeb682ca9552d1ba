/**
 * The pattern every function follows, checked on the real bundle in the emulator: a valid call, invalid input
 * (typed error, nothing written), an unknown action, a caller without the role, and a call without identity.
 */
import { ADMIN, data, errorOf, startBackend, type Backend } from '../support/backend';
import type { RuleDraftInput } from '../../miniprogram/contract/points';

describe('the function envelope on the emulator', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await startBackend();
  });
  afterAll(() => b.stop());

  const draft: RuleDraftInput = {
    code: 'C11',
    category: 'contribution',
    aspect: '公益活动',
    title: '参与防汛值守',
    description: '',
    points: 10,
    selfClaim: true,
    photosRequired: true,
    cap: null,
  };

  it('answers a valid call with ok and data', async () => {
    expect(data(await b.call('points', 'rules.list', {}, 'o-anyone')).rules).toEqual([]);
    const checked = data(await b.call('points', 'rules.check', draft, ADMIN));
    expect(checked).toMatchObject({ rule: { points: 10 }, replaces: null });
  });

  it('refuses invalid input with INVALID_INPUT naming the field, and writes nothing', async () => {
    const before = b.emu.collections().map((c) => b.emu.documentCount(c));
    const error = errorOf(await b.call('points', 'rules.check', { ...draft, points: 7 }, ADMIN));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe('提交的内容不正确，请检查后重试');
    expect(JSON.stringify(error.details)).toContain('points');
    expect(error.requestId).toBeTruthy();
    expect(b.emu.collections().map((c) => b.emu.documentCount(c))).toEqual(before);
  });

  it('answers an unknown action with UNKNOWN_ACTION', async () => {
    expect(errorOf(await b.send('points', 'rules.delete', {}, ADMIN))).toMatchObject({
      code: 'UNKNOWN_ACTION',
      message: '不支持的操作',
    });
  });

  it('refuses a caller without the needed role, before looking at the input', async () => {
    expect(errorOf(await b.call('points', 'rules.check', draft, 'o-villager')).code).toBe('FORBIDDEN');
    expect(errorOf(await b.send('points', 'rules.check', { nonsense: true }, 'o-villager')).code).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses a call that carries no WeChat identity', async () => {
    const res = await fetch(`${b.emu.url}/functions/points`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'rules.list', input: {} }),
    });
    const body = (await res.json()) as { ok: boolean; error?: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  describe('admin scripts without a WeChat identity', () => {
    const KEY = 'test-admin-api-key-0123456789abcdef0123';
    let a: Backend;
    beforeAll(async () => {
      a = await startBackend({ env: { ADMIN_API_KEY: KEY } });
    });
    afterAll(() => a.stop());
    const asScript = async (event: object) =>
      (await a.emu.invoke('accounts', event, { openid: '' })).result as Parameters<typeof data>[0];

    it('act as a town admin only with the function’s ADMIN_API_KEY', async () => {
      const setup = { name: '福禄镇', villages: [{ id: 'banzhu', name: '斑竹村', groups: ['一组'] }] };
      expect(errorOf(await asScript({ action: 'town.setup', input: setup })).code).toBe('UNAUTHENTICATED');
      expect(errorOf(await asScript({ action: 'town.setup', input: setup, adminKey: `${KEY}x` })).code).toBe(
        'UNAUTHENTICATED',
      );
      const done = data(await asScript({ action: 'town.setup', input: setup, adminKey: KEY }));
      expect(done).toMatchObject({ villages: [{ id: 'banzhu' }] });
    });

    it('never lend the key’s powers to a mini-program caller', async () => {
      const res = (
        await a.emu.invoke(
          'accounts',
          { action: 'roles.list', input: { villageId: 'banzhu' }, adminKey: KEY },
          { openid: 'o-villager' },
        )
      ).result as Parameters<typeof data>[0];
      expect(errorOf(res).code).toBe('FORBIDDEN');
    });
  });
});
