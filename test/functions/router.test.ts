/**
 * The router in isolation (its dependencies are parameters, so no SDK is faked): envelope shapes, validation,
 * unknown actions, identity and roles. The built functions themselves are tested on the emulator.
 */
import { z } from 'zod';
import { actionsOf, createRouter } from '../../cloudfunctions/common/router';
import { ConflictError } from '../../cloudfunctions/common/errors';

/** A contract of four actions, as miniprogram/contract/<fn>.ts writes one. */
interface TestApi {
  'echo.upper': { input: { text: string }; output: { text: string; by: string } };
  'admin.only': { input: Record<string, never>; output: string };
  'fails.conflict': { input: Record<string, never>; output: never };
  'fails.bug': { input: Record<string, never>; output: never };
}
const defineTestActions = actionsOf<TestApi>();
const nothing = z.object({}).strict();

function makeRouter(openid: string | undefined, env: Record<string, string> = {}) {
  const logged: string[] = [];
  const calls: unknown[] = [];
  const main = createRouter<TestApi>(
    defineTestActions({
      'echo.upper': {
        input: z.object({ text: z.string().min(1) }).strict(),
        handler: async ({ text }, { caller }) => {
          calls.push(text);
          return { text: text.toUpperCase(), by: caller.openid };
        },
      },
      'admin.only': { input: nothing, roles: ['townAdmin'], handler: async () => 'done' },
      'fails.conflict': {
        input: nothing,
        handler: async () => {
          throw new ConflictError('该申报已审核');
        },
      },
      'fails.bug': {
        input: nothing,
        handler: async () => {
          throw new Error('boom');
        },
      },
    }),
    { getWXContext: () => (openid === undefined ? {} : { OPENID: openid }), env, log: (l) => logged.push(l) },
  );
  return { main, logged, calls };
}

describe('action router', () => {
  it('answers a valid call with ok:true and the handler’s data', async () => {
    const { main } = makeRouter('o-villager');
    await expect(
      main({ action: 'echo.upper', input: { text: 'hi' } }, { request_id: 'r1' }),
    ).resolves.toEqual({
      ok: true,
      data: { text: 'HI', by: 'o-villager' },
    });
  });

  it('refuses invalid input with INVALID_INPUT naming the field, and never runs the handler', async () => {
    const { main, calls } = makeRouter('o-villager');
    const result = await main({ action: 'echo.upper', input: { text: '', extra: 1 } }, { request_id: 'r2' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.requestId).toBe('r2');
    expect(result.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const issues = (result.error.details?.issues ?? []) as { path: string }[];
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['text']));
    expect(calls).toEqual([]);
  });

  it('refuses a malformed event and an unknown action', async () => {
    const { main } = makeRouter('o-villager');
    const malformed = await main('not an event');
    expect(!malformed.ok && malformed.error.code).toBe('INVALID_INPUT');
    const unknown = await main({ action: 'nope' });
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'UNKNOWN_ACTION',
      details: { action: 'nope' },
    });
    const inherited = await main({ action: 'toString' });
    expect(!inherited.ok && inherited.error.code).toBe('UNKNOWN_ACTION');
  });

  it('requires a WeChat identity', async () => {
    const { main } = makeRouter(undefined);
    const result = await main({ action: 'echo.upper', input: { text: 'x' } });
    expect(!result.ok && result.error.code).toBe('UNAUTHENTICATED');
  });

  it('checks roles before validating input, and grants bootstrap town admins from TOWN_ADMINS', async () => {
    const villager = makeRouter('o-villager', { TOWN_ADMINS: 'o-admin' });
    const refused = await villager.main({ action: 'admin.only' });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    const admin = makeRouter('o-admin', { TOWN_ADMINS: ' o-other , o-admin ' });
    await expect(admin.main({ action: 'admin.only' })).resolves.toEqual({ ok: true, data: 'done' });
  });

  it('passes typed errors through and hides unexpected ones as INTERNAL, logged with the request id', async () => {
    const { main, logged } = makeRouter('o-villager');
    const conflict = await main({ action: 'fails.conflict' }, { request_id: 'r3' });
    expect(conflict).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: '该申报已审核', requestId: 'r3' },
    });
    const bug = await main({ action: 'fails.bug' }, { request_id: 'r4' });
    expect(bug).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试', requestId: 'r4' },
    });
    expect(logged.join('\n')).toContain('[r4]');
    expect(logged.join('\n')).toContain('boom');
  });
});

describe('timer triggers', () => {
  const timerRouter = (openid: string | undefined) => {
    const runs: string[] = [];
    const main = createRouter(
      {},
      {
        getWXContext: () => (openid === undefined ? {} : { OPENID: openid }),
        env: {},
        timers: {
          pointsYear: async (caller) => {
            runs.push(caller.openid);
            return { done: true };
          },
        },
      },
    );
    return { main, runs };
  };
  const event = { Type: 'Timer', TriggerName: 'pointsYear', Time: '2027-01-10T00:00:00Z', Message: '' };

  it('runs the named trigger for CloudBase’s timer event, as the timer', async () => {
    const { main, runs } = timerRouter(undefined);
    await expect(main(event)).resolves.toEqual({ ok: true, data: { done: true } });
    expect(runs).toEqual(['timer:pointsYear']);
  });

  it('refuses a timer event from a WeChat user, and an unknown trigger', async () => {
    const fromPhone = timerRouter('o-villager');
    const refused = await fromPhone.main(event);
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    expect(fromPhone.runs).toEqual([]);
    const unknown = await timerRouter(undefined).main({ ...event, TriggerName: 'toString' });
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_ACTION');
  });
});
