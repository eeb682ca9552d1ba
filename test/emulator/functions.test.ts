// Cloud functions in workers: identity isolation, function-to-function calls, timeouts, env, errors, accounting,
// open API (msgSecCheck, subscribeMessage outbox), uploads from inside a function, warm instances and the clock.
import type { Emulator } from '../../emulator';
import { TEST_NOW } from '../support/clock';
import { startTestEmulator } from './helpers';

interface WhoAmI {
  ctx: { OPENID: string; APPID?: string; UNIONID?: string; ENV: string; SOURCE?: string };
  event: { n?: number; from?: string };
}

let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator({ functionEnv: { FOO: 'from-emulator' }, riskyWords: ['坏词'] });
});

afterAll(async () => {
  await emu.stop();
});

it('10 concurrent invocations as different users each see only their own identity', async () => {
  const results = await Promise.all(
    Array.from({ length: 10 }, (_x, n) =>
      emu.invoke('whoami', { n }, { openid: `openid-${n}`, appid: 'wx-app', unionid: `union-${n}` }),
    ),
  );
  results.forEach((r, n) => {
    const who = r.result as WhoAmI;
    expect(who.ctx).toEqual({
      OPENID: `openid-${n}`,
      APPID: 'wx-app',
      UNIONID: `union-${n}`,
      ENV: emu.envId,
      SOURCE: 'wx_client',
    });
    expect(who.event.n).toBe(n);
  });
});

it('a function calling another passes the caller’s identity, never another user’s', async () => {
  const results = await Promise.all(
    Array.from({ length: 4 }, (_x, n) => emu.invoke('caller', { n }, { openid: `caller-${n}` })),
  );
  results.forEach((r, n) => {
    const { me, callee } = r.result as { me: WhoAmI['ctx']; callee: WhoAmI };
    expect(me.OPENID).toBe(`caller-${n}`);
    expect(callee.ctx.OPENID).toBe(`caller-${n}`);
    expect(callee.event).toEqual({ from: 'caller', n });
  });
});

it('with one concurrent slot, invocations queue and nested calls still run (no deadlock)', async () => {
  const single = await startTestEmulator({ maxConcurrentFunctions: 1 });
  try {
    const results = await Promise.all(
      [0, 1, 2].map((n) => single.invoke('caller', { n }, { openid: `queued-${n}` })),
    );
    results.forEach((r, n) => expect((r.result as { callee: WhoAmI }).callee.ctx.OPENID).toBe(`queued-${n}`));
  } finally {
    await single.stop();
  }
});

it('a function past its config.json timeout is killed with the timeout error', async () => {
  await expect(emu.invoke('sleepy', {}, { openid: 'o' })).rejects.toMatchObject({
    errCode: -504003,
    code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
  });
});

it('functionTimeoutMs overrides every function’s timeout', async () => {
  const quick = await startTestEmulator({ functionTimeoutMs: 1500 });
  try {
    await expect(quick.invoke('sleepy', { ms: 30000 }, { openid: 'o' })).rejects.toMatchObject({
      errCode: -504003,
    });
    expect((await quick.invoke('sleepy', { ms: 1 }, { openid: 'o' })).result).toEqual({ woke: true });
  } finally {
    await quick.stop();
  }
});

it('config.json envVariables reach the function, overlaid by the emulator’s functionEnv', async () => {
  const r = await emu.invoke('envecho', {}, { openid: 'o' });
  expect(r.result).toEqual({ FOO: 'from-emulator', BAR: 'bar-config', SECRET: 's' });
});

it('a throwing function fails with errCode -504002 and its message; a missing one fails too', async () => {
  await expect(emu.invoke('thrower', {}, { openid: 'o' })).rejects.toMatchObject({ errCode: -504002 });
  await expect(emu.invoke('thrower', {}, { openid: 'o' })).rejects.toThrow(/boom from thrower/);
  await expect(emu.invoke('no-such-fn', {}, { openid: 'o' })).rejects.toMatchObject({ errCode: -504002 });
});

it('counts the database requests each invocation made', async () => {
  const [a, b] = await Promise.all([
    emu.invoke('dbwriter', { text: 'x' }, { openid: 'writer-a' }),
    emu.invoke('dbwriter', { text: 'y' }, { openid: 'writer-b' }),
  ]);
  expect(a!.dbRequests).toBe(2);
  expect(b!.dbRequests).toBe(2);
  expect((a!.result as { total: number }).total).toBe(1);
  expect((await emu.invoke('whoami', {}, { openid: 'o' })).dbRequests).toBe(0);
});

it('msgSecCheck passes clean text and rejects risky words with 87014; subscribeMessage.send lands in the outbox', async () => {
  const clean = await emu.invoke(
    'openapi',
    { text: '今天打扫了村道', tryOther: true },
    { openid: 'msg-user' },
  );
  const r = clean.result as {
    blocked: boolean;
    sent: { errCode: number; msgid: number };
    other: { errCode: number; errMsg: string };
  };
  expect(r.blocked).toBe(false);
  expect(r.sent.errCode).toBe(0);
  expect(r.other.errCode).toBe(-604100);
  expect(r.other.errMsg).toMatch(/not emulated/);
  const risky = await emu.invoke('openapi', { text: '这里有坏词' }, { openid: 'msg-user' });
  expect(risky.result).toMatchObject({ blocked: true, errCode: 87014 });
  const outbox = emu.outbox() as {
    api: string;
    data: { touser: string; template_id: string; data: unknown; msgid: number };
  }[];
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatchObject({
    api: 'subscribeMessage.send',
    data: {
      touser: 'msg-user',
      template_id: 'TPL_POINTS',
      data: { thing1: { value: '今天打扫了村道' } },
      msgid: r.sent.msgid,
    },
  });
  const http = (await (await fetch(`${emu.url}/outbox`)).json()) as unknown[];
  expect(http).toEqual(JSON.parse(JSON.stringify(outbox)));
});

it('uploads from a function record the invoking user and are downloadable through the temp URL', async () => {
  const r = await emu.invoke(
    'uploader',
    { cloudPath: 'photos/u1/a.txt', text: '你好' },
    { openid: 'uploader-1' },
  );
  const { fileID, url } = r.result as { fileID: string; url: string };
  expect(fileID).toBe(`cloud://${emu.envId}.${emu.envId}-emulator/photos/u1/a.txt`);
  expect(emu.fileInfo(fileID)).toMatchObject({
    fileId: fileID,
    openid: 'uploader-1',
    size: Buffer.byteLength('你好'),
  });
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('你好');
});

interface Warm {
  calls: number;
  openid: string;
  marker: string;
  offsetMs: number;
  machineMs: number;
}

it('keeps a function instance warm between calls (module state kept), each call with its own identity', async () => {
  const first = (await emu.invoke('warm', {}, { openid: 'o-first' })).result as Warm;
  const second = (await emu.invoke('warm', {}, { openid: 'o-second' })).result as Warm;
  expect(second.calls).toBe(first.calls + 1);
  expect([first.openid, second.openid]).toEqual(['o-first', 'o-second']);
  // Calls that overlap run on separate instances, each seeing only its own caller.
  const overlapping = await Promise.all(
    ['o-a', 'o-b', 'o-c'].map((openid) => emu.invoke('warm', { sleepMs: 50 }, { openid })),
  );
  expect(overlapping.map((r) => (r.result as Warm).openid)).toEqual(['o-a', 'o-b', 'o-c']);
});

it('a cold instance can be asked for: warmFunctions false starts every call afresh', async () => {
  const cold = await startTestEmulator({ warmFunctions: false });
  try {
    const a = (await cold.invoke('warm', {}, { openid: 'o' })).result as Warm;
    const b = (await cold.invoke('warm', {}, { openid: 'o' })).result as Warm;
    expect([a.calls, b.calls]).toEqual([1, 1]);
  } finally {
    await cold.stop();
  }
});

it('a timed-out instance is replaced: the next call runs on a fresh one', async () => {
  const quick = await startTestEmulator({ functionTimeoutMs: 1500 });
  try {
    await expect(quick.invoke('warm', { sleepMs: 5000 }, { openid: 'o' })).rejects.toMatchObject({
      code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
    });
    expect(((await quick.invoke('warm', {}, { openid: 'o' })).result as Warm).calls).toBe(1);
  } finally {
    await quick.stop();
  }
});

it('every invocation sees the emulator’s clock, moved and saved across a restart', async () => {
  const dataDir = (await import('./helpers')).tempDir();
  const first = await startTestEmulator({ dataDir, clockAt: TEST_NOW });
  try {
    first.clock.advance(8 * 86_400_000);
    const r = (await first.invoke('warm', {}, { openid: 'o' })).result as Warm;
    expect(r.marker).toBe('1');
    const seen = r.machineMs + r.offsetMs;
    expect(seen - TEST_NOW.getTime()).toBeGreaterThanOrEqual(8 * 86_400_000);
    expect(seen - TEST_NOW.getTime()).toBeLessThan(8 * 86_400_000 + 60_000);
  } finally {
    await first.stop();
  }
  const again = await startTestEmulator({ dataDir });
  try {
    const r = (await again.invoke('warm', {}, { openid: 'o' })).result as Warm;
    const seen = r.machineMs + r.offsetMs;
    expect(seen - TEST_NOW.getTime()).toBeGreaterThanOrEqual(8 * 86_400_000);
    expect(seen - TEST_NOW.getTime()).toBeLessThan(8 * 86_400_000 + 120_000);
  } finally {
    await again.stop();
  }
});
