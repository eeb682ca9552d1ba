// Cloud function executor: one worker_threads Worker per invocation, each with its own process.env
// (identity, environment, redirect to this emulator) and its own module cache, so nothing leaks between calls.
import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { Worker } from 'worker_threads';
import { build } from 'esbuild';
import type { Clock } from './clock';
import { lastFireBetween, parseCron } from './cron';
import { ProtocolError } from './ejson';

// The functions' clock reads these (cloudfunctions/common/clock.ts); kept in step by name there.
const EMULATOR_MARKER = 'ZJF_EMULATOR';
const CLOCK_OFFSET_VAR = 'ZJF_CLOCK_OFFSET_MS';

export interface Identity {
  openid: string;
  appid?: string;
  unionid?: string;
  source?: string;
}

export interface FunctionConfig {
  timeout?: number;
  envVariables?: Record<string, string>;
  permissions?: unknown;
  /** CloudBase timer triggers: `{name, type: 'timer', config: '<7-field cron>'}`. */
  triggers?: { name: string; type: string; config: string }[];
}

export interface Invocation {
  id: string;
  fn: string;
  identity: Identity;
  dbRequests: number;
  /** Rounds of database requests: a request that starts while none of this invocation's is in flight opens one. */
  sequential: number;
  /** Database requests of this invocation in flight now. */
  inflight: number;
  /** Documents its database requests read and tested (emulator/database.ts `examined`). */
  examined: number;
  parent?: Invocation;
}

export interface InvocationResult {
  result: unknown;
  dbRequests: number;
  sequential: number;
  examined: number;
  ms: number;
}

export interface ExecutorOptions {
  functionsDir: string;
  envId: string;
  repoRoot: string;
  adminUrl: (invocationId: string) => string;
  functionEnv?: Record<string, string>;
  functionTimeoutMs?: number;
  /** Load wx-server-sdk from a single-file bundle (about half the start-up cost). Default true. */
  bundleSdk?: boolean;
  log: (line: string) => void;
  /** Drop what functions print to stdout (stderr is always passed through). */
  quietFunctions?: boolean;
  /** At most this many top-level invocations run at once (others queue; nested calls never wait). */
  maxConcurrent?: number;
  /** The time functions see; each invocation gets its offset from the machine's clock. */
  clock?: Clock;
  /** Keep function instances loaded between invocations (default true, as CloudBase does). */
  warmInstances?: boolean;
}

export const DEFAULT_TIMEOUT_S = 20;
/** Instances of one bundle kept loaded while idle (more are started when calls overlap). */
const MAX_IDLE_PER_BUNDLE = 8;

// Runs inside the worker: make the repo's node_modules resolvable, then serve invocations one at a time. The
// function's module is loaded once and stays loaded (a warm instance, as CloudBase keeps one between calls); each
// invocation brings its own identity, request URL and clock as environment variables.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const { Module } = require('module');
Module._initPaths();
if (workerData.sdkBundle) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'wx-server-sdk' ? workerData.sdkBundle : resolve.call(this, request, ...rest);
  };
}
parentPort.on('message', async (call) => {
  for (const key of workerData.perCallKeys) delete process.env[key];
  Object.assign(process.env, call.env);
  let reply;
  try {
    const mod = require(workerData.file);
    const main = mod && (mod.main || (mod.default && mod.default.main));
    if (typeof main !== 'function') throw new Error('the function module does not export main(event, context)');
    const result = await main(call.event, call.context);
    reply = { ok: true, json: result === undefined ? 'null' : JSON.stringify(result) };
  } catch (e) {
    const err = e && typeof e === 'object' ? e : { message: String(e) };
    reply = { ok: false, message: String(err.errMsg || err.message || e), stack: err.stack ? String(err.stack) : undefined };
  }
  parentPort.postMessage(reply);
});
`;

/** The variables that differ per invocation (who calls, where the SDK sends requests, what time it is). */
const PER_CALL_KEYS = [
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_SOURCE',
  'TCB_SOURCE',
  'TCB_CONTEXT_CNFG',
  CLOCK_OFFSET_VAR,
];

/** A loaded function instance: one worker, serving one invocation at a time. */
interface Instance {
  worker: Worker;
  /** Identifies the bundle and configuration it was started with; a rebuilt function gets new instances. */
  key: string;
  onReply?: (reply: WorkerReply) => void;
  onFailure?: (error: ProtocolError) => void;
}

type WorkerReply = { ok: true; json: string } | { ok: false; message: string; stack?: string };

/**
 * Bundles the repo's wx-server-sdk into one file (cached in the OS temp dir, keyed by SDK version), which loads
 * in roughly half the time of the package's many modules. Resolves to undefined if that is not possible.
 */
async function sdkBundle(repoRoot: string): Promise<string | undefined> {
  try {
    const pkgFile = path.join(repoRoot, 'node_modules', 'wx-server-sdk', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string };
    const key = crypto
      .createHash('sha1')
      .update(`${repoRoot}|${pkg.version}|${fs.statSync(pkgFile).mtimeMs}`)
      .digest('hex')
      .slice(0, 12);
    const dir = path.join(os.tmpdir(), 'zanjifen-emulator');
    const file = path.join(dir, `wx-server-sdk-${pkg.version}-${key}.js`);
    if (fs.existsSync(file)) return file;
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    await build({
      stdin: { contents: "module.exports = require('wx-server-sdk');", resolveDir: repoRoot, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: tmp,
      logLevel: 'silent',
    });
    fs.renameSync(tmp, file);
    return file;
  } catch {
    return undefined;
  }
}

export class FunctionExecutor {
  private readonly invocations = new Map<string, Invocation>();
  private readonly workers = new Set<Worker>();
  /** Loaded instances waiting for their next invocation, by bundle. */
  private readonly idle = new Map<string, Instance[]>();
  private readonly warm: boolean;
  private readonly sdkBundle: Promise<string | undefined>;
  private readonly maxConcurrent: number;
  private running = 0;
  private stopped = false;
  /** Timer triggers have run for every fire time up to here (the emulated clock, ms). */
  private timersCheckedAt: number;
  private timersRunning: Promise<void> | null = null;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: ExecutorOptions) {
    this.sdkBundle = opts.bundleSdk === false ? Promise.resolve(undefined) : sdkBundle(opts.repoRoot);
    this.maxConcurrent = opts.maxConcurrent ?? Math.max(4, 2 * os.cpus().length);
    this.warm = opts.warmInstances ?? true;
    this.timersCheckedAt = opts.clock?.nowMs() ?? 0;
  }

  /**
   * Runs the timer triggers (config.json `triggers`) whose fire time has passed on the emulated clock since the
   * last look: before each top-level invocation and when the clock is moved. A trigger runs once however many of
   * its fire times a move skipped (its job must catch up from the clock, as after an outage in production), with
   * CloudBase's timer event and no WeChat identity.
   */
  async runDueTimers(): Promise<void> {
    const clock = this.opts.clock;
    if (!clock || this.stopped) return;
    while (this.timersRunning) await this.timersRunning;
    const to = clock.nowMs();
    const from = this.timersCheckedAt;
    this.timersCheckedAt = to;
    if (to <= from) return;
    const due: { fn: string; dir: string; config: FunctionConfig; name: string; at: number }[] = [];
    for (const fn of fs.existsSync(this.opts.functionsDir) ? fs.readdirSync(this.opts.functionsDir) : []) {
      const dir = this.functionDir(fn);
      if (!dir) continue;
      const config = this.readConfig(dir);
      for (const trigger of config.triggers ?? []) {
        if (trigger.type !== 'timer') continue;
        let at: number | null = null;
        try {
          at = lastFireBetween(parseCron(trigger.config), from, to);
        } catch (e) {
          this.opts.log(`timer ${fn}/${trigger.name}: ${(e as Error).message}`);
        }
        if (at !== null) due.push({ fn, dir, config, name: trigger.name, at });
      }
    }
    if (due.length === 0) return;
    this.timersRunning = (async () => {
      for (const t of due) {
        const event = { Type: 'Timer', TriggerName: t.name, Time: new Date(t.at).toISOString(), Message: '' };
        const timeoutMs = (t.config.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
        try {
          await this.run(t.fn, t.dir, t.config, event, { openid: '', source: 'timer' }, timeoutMs, undefined);
        } catch (e) {
          this.opts.log(`timer ${t.fn}/${t.name} failed: ${(e as Error).message}`);
        }
      }
    })();
    try {
      await this.timersRunning;
    } finally {
      this.timersRunning = null;
    }
  }

  private async acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.running--;
  }

  invocation(id: string): Invocation | undefined {
    return this.invocations.get(id);
  }

  /**
   * Counts a database request against an invocation and its callers, and whether it had to wait for the ones
   * before it (a new round) or ran beside them. Returns the call that marks it finished.
   */
  /** Counts documents a database request of an invocation read, against it and its callers. */
  countExamined(id: string, n: number): void {
    for (let inv = this.invocations.get(id); inv; inv = inv.parent) inv.examined += n;
  }

  countDbRequest(id: string): () => void {
    const chain: Invocation[] = [];
    for (let inv = this.invocations.get(id); inv; inv = inv.parent) chain.push(inv);
    for (const inv of chain) {
      inv.dbRequests++;
      if (inv.inflight === 0) inv.sequential++;
      inv.inflight++;
    }
    return () => {
      for (const inv of chain) inv.inflight--;
    };
  }

  functionDir(name: string): string | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) return undefined;
    const dir = path.join(this.opts.functionsDir, name);
    return fs.existsSync(path.join(dir, 'index.js')) ? dir : undefined;
  }

  readConfig(dir: string): FunctionConfig {
    const file = path.join(dir, 'config.json');
    if (!fs.existsSync(file)) return {};
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
    } catch {
      return {};
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiting.splice(0)) wake();
    this.idle.clear();
    const workers = [...this.workers];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  async invoke(
    fn: string,
    event: unknown,
    identity: Identity,
    parent?: Invocation,
  ): Promise<InvocationResult> {
    const dir = this.functionDir(fn);
    if (!dir)
      throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `FunctionName parameter could not be found: ${fn}`);
    const config = this.readConfig(dir);
    const timeoutMs =
      this.opts.functionTimeoutMs ??
      (typeof config.timeout === 'number' && config.timeout > 0 ? config.timeout : DEFAULT_TIMEOUT_S) * 1000;
    if (!parent) await this.runDueTimers();
    if (!parent) await this.acquire();
    try {
      return await this.run(fn, dir, config, event, identity, timeoutMs, parent);
    } finally {
      if (!parent) this.release();
    }
  }

  private async run(
    fn: string,
    dir: string,
    config: FunctionConfig,
    event: unknown,
    identity: Identity,
    timeoutMs: number,
    parent: Invocation | undefined,
  ): Promise<InvocationResult> {
    if (this.stopped) throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', 'the emulator is stopping');
    const id = crypto.randomBytes(12).toString('hex');
    const inv: Invocation = { id, fn, identity, dbRequests: 0, sequential: 0, inflight: 0, examined: 0 };
    if (parent) inv.parent = parent;
    this.invocations.set(id, inv);
    const started = performance.now();
    const source = identity.source ?? 'wx_client';
    const baseEnv: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG']) {
      const v = process.env[k];
      if (v !== undefined) baseEnv[k] = v;
    }
    Object.assign(baseEnv, config.envVariables ?? {}, this.opts.functionEnv ?? {}, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_SOURCE',
      TCB_ENV: this.opts.envId,
      SCF_NAMESPACE: this.opts.envId,
      SCF_FUNCTIONNAME: fn,
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'local-emulator-secret-id',
      TENCENTCLOUD_SECRETKEY: 'local-emulator-secret-key',
      TENCENTCLOUD_SESSIONTOKEN: '',
      NODE_PATH: path.join(this.opts.repoRoot, 'node_modules'),
      [EMULATOR_MARKER]: '1',
    });
    const callEnv: Record<string, string> = {
      WX_OPENID: identity.openid,
      WX_SOURCE: source,
      TCB_SOURCE: source,
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.opts.adminUrl(id) }),
      [CLOCK_OFFSET_VAR]: String(this.opts.clock?.offsetMs ?? 0),
    };
    if (identity.appid) callEnv.WX_APPID = identity.appid;
    if (identity.unionid) callEnv.WX_UNIONID = identity.unionid;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: id,
      function_name: fn,
      function_version: '$LATEST',
      namespace: this.opts.envId,
      tencentcloud_region: 'ap-shanghai',
      environ: Object.entries({ ...baseEnv, ...callEnv })
        .filter(([k]) => !k.startsWith('TENCENTCLOUD_SECRET'))
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
    };
    let outcome = '';
    try {
      const bundle = await this.sdkBundle;
      const file = path.join(dir, 'index.js');
      const key = `${file}|${fs.statSync(file).mtimeMs}|${JSON.stringify(baseEnv)}|${bundle ?? ''}`;
      const instance = this.instance(key, file, baseEnv, bundle);
      const reply = await this.runOn(
        instance,
        {
          env: callEnv,
          // Events cross the wire as JSON in CloudBase too: dates arrive as strings.
          event: JSON.parse(JSON.stringify(event ?? {})) as unknown,
          context,
        },
        timeoutMs,
      );
      if (!reply.ok) {
        throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', reply.message);
      }
      const result = JSON.parse(reply.json) as unknown;
      return {
        result,
        dbRequests: inv.dbRequests,
        sequential: inv.sequential,
        examined: inv.examined,
        ms: Math.round(performance.now() - started),
      };
    } catch (e) {
      outcome = ` error=${e instanceof ProtocolError ? e.code : 'SYS_ERR'}`;
      throw e;
    } finally {
      this.invocations.delete(id);
      const action =
        event !== null && typeof event === 'object' && 'action' in event
          ? String((event as { action: unknown }).action)
          : '-';
      this.opts.log(
        `fn=${fn} action=${action} db=${inv.dbRequests} ms=${Math.round(performance.now() - started)}${outcome}`,
      );
    }
  }

  /** An idle instance of this bundle, or a new one. */
  private instance(
    key: string,
    file: string,
    env: Record<string, string>,
    bundle: string | undefined,
  ): Instance {
    const idle = this.idle.get(key);
    const warm = idle?.pop();
    if (warm) return warm;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env,
      stdout: true,
      stderr: true,
      execArgv: [], // plain Node: no TypeScript loader hooks (tsx) slowing down every require in the function
      workerData: { file, sdkBundle: bundle, perCallKeys: PER_CALL_KEYS },
    });
    const instance: Instance = { worker, key };
    this.workers.add(worker);
    // Forward output by chunk: piping every warm instance into process.stdout would pile listeners on it.
    if (this.opts.quietFunctions) worker.stdout.resume();
    else worker.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    worker.on('message', (m: WorkerReply) => instance.onReply?.(m));
    worker.on('error', (e) =>
      instance.onFailure?.(new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `${e.message}\n${e.stack ?? ''}`)),
    );
    worker.on('exit', (code) => {
      this.discard(instance);
      instance.onFailure?.(
        new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `function process exited with code ${code}`),
      );
    });
    return instance;
  }

  /** Forgets an instance (it crashed, timed out, or the emulator stops) and ends its worker. */
  private discard(instance: Instance): void {
    const idle = this.idle.get(instance.key);
    if (idle) {
      const at = idle.indexOf(instance);
      if (at >= 0) idle.splice(at, 1);
    }
    if (this.workers.delete(instance.worker)) void instance.worker.terminate();
  }

  private runOn(
    instance: Instance,
    call: { env: Record<string, string>; event: unknown; context: Record<string, unknown> },
    timeoutMs: number,
  ): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (healthy: boolean, settle: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        instance.onReply = undefined;
        instance.onFailure = undefined;
        settle();
        if (healthy && this.warm && !this.stopped) {
          const idle = this.idle.get(instance.key) ?? [];
          this.idle.set(instance.key, idle);
          if (idle.length < MAX_IDLE_PER_BUNDLE) {
            idle.push(instance);
            return;
          }
        }
        this.discard(instance);
      };
      const timer = setTimeout(() => {
        finish(false, () =>
          reject(
            new ProtocolError(
              'FUNCTIONS_TIME_LIMIT_EXCEEDED',
              `Invoking task timed out after ${Math.round(timeoutMs / 100) / 10} seconds`,
            ),
          ),
        );
      }, timeoutMs);
      instance.onReply = (m) => finish(true, () => resolve(m));
      instance.onFailure = (e) => finish(false, () => reject(e));
      instance.worker.postMessage(call);
    });
  }
}
