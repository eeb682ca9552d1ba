// Cloud function executor: one worker_threads Worker per invocation, each with its own process.env
// (identity, environment, redirect to this emulator) and its own module cache, so nothing leaks between calls.
import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { Worker } from 'worker_threads';
import { build } from 'esbuild';
import { ProtocolError } from './ejson';

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
}

export interface Invocation {
  id: string;
  fn: string;
  identity: Identity;
  dbRequests: number;
  parent?: Invocation;
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
}

export const DEFAULT_TIMEOUT_S = 20;

// Runs inside the worker: make the repo's node_modules resolvable, load the function, call main.
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
(async () => {
  let reply;
  try {
    const mod = require(workerData.file);
    const main = mod && (mod.main || (mod.default && mod.default.main));
    if (typeof main !== 'function') throw new Error('the function module does not export main(event, context)');
    const result = await main(workerData.event, workerData.context);
    reply = { ok: true, json: result === undefined ? 'null' : JSON.stringify(result) };
  } catch (e) {
    const err = e && typeof e === 'object' ? e : { message: String(e) };
    reply = { ok: false, message: String(err.errMsg || err.message || e), stack: err.stack ? String(err.stack) : undefined };
  }
  parentPort.postMessage(reply);
})();
`;

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
  private readonly sdkBundle: Promise<string | undefined>;
  private readonly maxConcurrent: number;
  private running = 0;
  private stopped = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: ExecutorOptions) {
    this.sdkBundle = opts.bundleSdk === false ? Promise.resolve(undefined) : sdkBundle(opts.repoRoot);
    this.maxConcurrent = opts.maxConcurrent ?? Math.max(4, 2 * os.cpus().length);
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

  /** Counts a database request against an invocation and its callers. */
  countDbRequest(id: string): void {
    for (let inv = this.invocations.get(id); inv; inv = inv.parent) inv.dbRequests++;
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
    await Promise.all([...this.workers].map((w) => w.terminate()));
    this.workers.clear();
  }

  async invoke(
    fn: string,
    event: unknown,
    identity: Identity,
    parent?: Invocation,
  ): Promise<{ result: unknown; dbRequests: number; ms: number }> {
    const dir = this.functionDir(fn);
    if (!dir)
      throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `FunctionName parameter could not be found: ${fn}`);
    const config = this.readConfig(dir);
    const timeoutMs =
      this.opts.functionTimeoutMs ??
      (typeof config.timeout === 'number' && config.timeout > 0 ? config.timeout : DEFAULT_TIMEOUT_S) * 1000;
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
  ): Promise<{ result: unknown; dbRequests: number; ms: number }> {
    if (this.stopped) throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', 'the emulator is stopping');
    const id = crypto.randomBytes(12).toString('hex');
    const inv: Invocation = { id, fn, identity, dbRequests: 0 };
    if (parent) inv.parent = parent;
    this.invocations.set(id, inv);
    const started = Date.now();
    const source = identity.source ?? 'wx_client';
    const env: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG']) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    Object.assign(env, config.envVariables ?? {}, this.opts.functionEnv ?? {}, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_SOURCE',
      WX_OPENID: identity.openid,
      WX_APPID: identity.appid ?? '',
      WX_UNIONID: identity.unionid ?? '',
      WX_SOURCE: source,
      TCB_SOURCE: source,
      TCB_ENV: this.opts.envId,
      SCF_NAMESPACE: this.opts.envId,
      SCF_FUNCTIONNAME: fn,
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.opts.adminUrl(id) }),
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'local-emulator-secret-id',
      TENCENTCLOUD_SECRETKEY: 'local-emulator-secret-key',
      TENCENTCLOUD_SESSIONTOKEN: '',
      NODE_PATH: path.join(this.opts.repoRoot, 'node_modules'),
    });
    if (!identity.appid) delete env.WX_APPID;
    if (!identity.unionid) delete env.WX_UNIONID;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: id,
      function_name: fn,
      function_version: '$LATEST',
      namespace: this.opts.envId,
      tencentcloud_region: 'ap-shanghai',
      environ: Object.entries(env)
        .filter(([k]) => !k.startsWith('TENCENTCLOUD_SECRET'))
        .map(([k, v]) => `${k}=${v}`)
        .join(';'),
    };
    let outcome = '';
    try {
      const bundle = await this.sdkBundle;
      const reply = await this.runWorker(path.join(dir, 'index.js'), event, context, env, timeoutMs, bundle);
      if (!reply.ok) {
        throw new ProtocolError('FUNCTIONS_EXECUTE_FAIL', reply.message);
      }
      const result = JSON.parse(reply.json) as unknown;
      return { result, dbRequests: inv.dbRequests, ms: Date.now() - started };
    } catch (e) {
      outcome = ` error=${e instanceof ProtocolError ? e.code : 'SYS_ERR'}`;
      throw e;
    } finally {
      this.invocations.delete(id);
      const action =
        event !== null && typeof event === 'object' && 'action' in event
          ? String((event as { action: unknown }).action)
          : '-';
      this.opts.log(`fn=${fn} action=${action} db=${inv.dbRequests} ms=${Date.now() - started}${outcome}`);
    }
  }

  private runWorker(
    file: string,
    event: unknown,
    context: Record<string, unknown>,
    env: Record<string, string>,
    timeoutMs: number,
    bundle: string | undefined,
  ): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        env,
        stdout: true,
        stderr: true,
        execArgv: [], // plain Node: no TypeScript loader hooks (tsx) slowing down every require in the function
        workerData: {
          file,
          event: JSON.parse(JSON.stringify(event ?? {})) as unknown,
          context,
          sdkBundle: bundle,
        },
      });
      this.workers.add(worker);
      if (this.opts.quietFunctions) worker.stdout.resume();
      else worker.stdout.pipe(process.stdout, { end: false });
      worker.stderr.pipe(process.stderr, { end: false });
      const finish = (fnResult: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fnResult();
        void worker.terminate().finally(() => this.workers.delete(worker));
      };
      const timer = setTimeout(() => {
        finish(() =>
          reject(
            new ProtocolError(
              'FUNCTIONS_TIME_LIMIT_EXCEEDED',
              `Invoking task timed out after ${Math.round(timeoutMs / 100) / 10} seconds`,
            ),
          ),
        );
      }, timeoutMs);
      worker.on('message', (m: WorkerReply) => finish(() => resolve(m)));
      worker.on('error', (e) =>
        finish(() => reject(new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `${e.message}\n${e.stack ?? ''}`))),
      );
      worker.on('exit', (code) =>
        finish(() =>
          reject(new ProtocolError('FUNCTIONS_EXECUTE_FAIL', `function process exited with code ${code}`)),
        ),
      );
    });
  }
}
