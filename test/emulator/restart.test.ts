// Durability: an emulator child process is SIGKILLed while writes are in flight, then restarted on the same data.
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import path from 'path';
import { adminEnv } from '../../emulator';
import type { Cloud } from './helpers';
import { FIXTURE_SCHEMA, tempDir, transferAToB } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function startChild(dataDir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // `node --import tsx` keeps the emulator in this one process, so SIGKILL hits the server itself.
      ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts'), '--no-build', '--no-seed'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          DATA_DIR: dataDir,
          SCHEMA_PATH: FIXTURE_SCHEMA,
          ENV_ID: 'local',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let actualPort = 0;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) actualPort = Number(m[1]);
      if (out.includes('READY') && actualPort) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, port: actualPort });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`emulator exited early (${code}):\n${out}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

// The SDK warns about requests cut off by the kill ("longer than 3s", from a timer it never clears on failure):
// expected here, so keep the output quiet (the spy stays in place until this file's environment is torn down).
beforeAll(() => {
  const warn = console.warn.bind(console);
  jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('[TCB][WARN]')) warn(...args);
  });
});

it('every acknowledged write survives SIGKILL mid-run; transactions are all-or-nothing', async () => {
  const dataDir = tempDir('emu-restart-');
  const first = await startChild(dataDir, 0);
  adminEnv({
    envId: 'local',
    tcbContextConfig: JSON.stringify({ URL: `http://127.0.0.1:${first.port}/admin` }),
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as Cloud;
  cloud.init({ env: 'local' });
  const db = cloud.database();
  await db.collection('accounts').add({ data: { _id: 'a', bal: 1000 } });
  await db.collection('accounts').add({ data: { _id: 'b', bal: 0 } });

  const ackedNotes: string[] = [];
  let ackedTransfers = 0;
  let attemptedTransfers = 0;
  let stop = false;
  let acked = 0;
  let resolveEnough: () => void = () => undefined;
  const enough = new Promise<void>((r) => (resolveEnough = r));
  const ack = () => {
    acked++;
    if (acked >= 150) resolveEnough();
  };

  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      try {
        if (i % 2 === 0) {
          const id = `w${w}-n${i}`;
          await db.collection('notes').add({ data: { _id: id, w, i } });
          ackedNotes.push(id);
        } else {
          attemptedTransfers++;
          await transferAToB(db, 1);
          ackedTransfers++;
        }
        ack();
      } catch {
        if (stop) return;
      }
    }
  };
  const workers = Array.from({ length: 6 }, (_x, w) => worker(w));
  await enough;
  stop = true; // workers stop issuing new requests; the ones already sent are still in flight
  await killed(first.child);
  await Promise.all(workers);

  const second = await startChild(dataDir, 0); // the old port may still be held by dying connections
  adminEnv({
    envId: 'local',
    tcbContextConfig: JSON.stringify({ URL: `http://127.0.0.1:${second.port}/admin` }),
  });
  try {
    const notes = await db.collection('notes').limit(1000).get();
    const ids = new Set(notes.data.map((d: { _id: string }) => d._id));
    for (const id of ackedNotes) expect(ids.has(id)).toBe(true);
    const a = (await db.collection('accounts').doc('a').get()).data.bal as number;
    const b = (await db.collection('accounts').doc('b').get()).data.bal as number;
    expect(a + b).toBe(1000);
    expect(b).toBeGreaterThanOrEqual(ackedTransfers);
    expect(b).toBeLessThanOrEqual(attemptedTransfers);
    expect(ackedNotes.length + ackedTransfers).toBeGreaterThanOrEqual(150);
    expect(ackedTransfers).toBeGreaterThan(0);
    // SIGTERM shuts down cleanly.
    const code = await new Promise<number | null>((resolve) => {
      second.child.removeAllListeners('exit');
      second.child.once('exit', (c) => resolve(c));
      second.child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  } finally {
    if (second.child.exitCode === null && second.child.signalCode === null) await killed(second.child);
  }
  // Let the SDK's slow-request timers of the cut-off requests fire while console.warn is still muted.
  await new Promise((r) => setTimeout(r, 3200));
});
