// The HTTP side: CloudBase's admin endpoint (/admin, /admin/inv/<invocationId>), the upload target, the
// local gateway for the mini-program and people (/functions/<name>, /upload, /files, /outbox, /healthz, /).
import crypto from 'crypto';
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import type { Doc } from './ejson';
import { ProtocolError, isPlainObject } from './ejson';
import { Clock, parseClockCommand, type ClockState } from './clock';
import { DatabaseService, type TransactionIsolation } from './database';
import type { Identity, Invocation } from './functions';
import { FunctionExecutor } from './functions';
import { escapeHtml, renderCollection, renderFamily, renderHome } from './page';
import { loadSchema } from './schema';
import type { FileRecord, OutboxEntry } from './store';
import { Store } from './store';
import { decodeOpenApiRequest, encodeOpenApiResponse, errCodeOf, parseMultipart } from './wire';
import { SCREEN_SECRET_VAR, SCREEN_URL_VAR } from '../cloudfunctions/common/display-links';
import { screenPageFiles } from '../web/screen/build';
import { qrPng } from './qr-png';

/** The display links' signing secret on this machine (production's comes from deploy.config.json). */
const LOCAL_SCREEN_SECRET = 'local-emulator-screen-secret';

export interface EmulatorOptions {
  port?: number;
  dataDir: string;
  envId?: string;
  functionsDir?: string;
  schemaPath?: string;
  functionEnv?: Record<string, string>;
  riskyWords?: string[];
  functionTimeoutMs?: number;
  /** Top-level invocations running at once (more queue; nested callFunction never waits). Default max(4, 2 × CPUs). */
  maxConcurrentFunctions?: number;
  /** A transaction's lifetime from its start (CloudBase: 30 s). */
  transactionTimeoutMs?: number;
  /** `snapshot` (default, CloudBase's model) or `strict` (commit fails if anything read changed). */
  transactionIsolation?: TransactionIsolation;
  /** Load wx-server-sdk in workers from a cached single-file bundle (faster start). Default true; env EMULATOR_BUNDLE_SDK=0 turns it off. */
  bundleSdk?: boolean;
  /** No log lines, and functions' stdout is dropped (their stderr still shows). */
  quiet?: boolean;
  /** Delay every database request from a function by this many ms (production costs ~5–30 ms each). Default 0. */
  dbLatencyMs?: number;
  /** Keep function instances loaded between calls, as CloudBase does (default true). */
  warmFunctions?: boolean;
  /** Start with the clock reading this instant (and running on); otherwise the clock saved in the store. */
  clockAt?: Date | number;
}

export interface InvokeResult {
  result: unknown;
  dbRequests: number;
  /** Rounds of database requests the invocation waited for one after another (requests run side by side count once). */
  sequentialDbRequests: number;
  /** Documents those requests read and tested: grows with the town where a request scans instead of using an index. */
  dbExamined: number;
}

export interface InvokeError extends Error {
  errCode: number;
  code: string;
}

export interface DbFault {
  /** e.g. `database.insertDocument`, `database.commitTransaction`. */
  action: string;
  collection?: string;
  /** How many matching requests pass first (0: the next one fails). */
  after?: number;
}

export interface Emulator {
  url: string;
  port: number;
  envId: string;
  tcbContextConfig: string;
  /** The emulated time every function sees (moved by `npm run clock`, the page, or tests). */
  clock: Clock;
  /** The delay added to each database request from a function (0 by default). */
  dbLatencyMs: number;
  /**
   * Fault injection for tests: the `after`+1-th database request from a function with this action (and
   * collection, when given) from now on fails with SYS_ERR "injected fault", as a request lost when a function is
   * killed halfway. One-shot; the same call again adds another.
   */
  failDbRequest(fault: DbFault): void;
  invoke(fn: string, event: unknown, who: Identity): Promise<InvokeResult>;
  outbox(): unknown[];
  fileInfo(fileId: string): FileRecord | undefined;
  collections(): string[];
  documentCount(collection: string): number;
  stop(): Promise<void>;
}

export const REPO_ROOT = path.resolve(__dirname, '..');
export const DEFAULT_RISKY_WORDS = ['赌博', '色情', '毒品', '代开发票', 'risky-word'];
const MAX_BODY = 50 * 1024 * 1024;
const CLOCK_SETTING = 'clockOffsetMs';

interface PendingUpload {
  cloudPath: string;
  fileId: string;
  openid: string;
  expires: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/** The clock as the gateway reports it: the instant, its China wall-clock reading, and the offset. */
function clockView(state: ClockState): ClockState & { china: string } {
  const china = new Date(Date.parse(state.now) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  return { ...state, china: `${china}（北京时间）` };
}

function requestId(): string {
  return crypto.randomBytes(8).toString('hex');
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function safeCloudPath(p: string): string {
  const norm = p.replace(/\\/g, '/').replace(/^\/+/, '');
  if (!norm || norm.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) {
    throw new ProtocolError('STORAGE_REQUEST_FAIL', `invalid cloudPath: ${p}`);
  }
  return norm;
}

export class EmulatorServer implements Emulator {
  readonly envId: string;
  readonly store: Store;
  readonly db: DatabaseService;
  readonly executor: FunctionExecutor;
  readonly clock: Clock;
  /** Delay added to every database request from a function (0: none), as production's ~5–30 ms per request. */
  dbLatencyMs: number;
  private faults: (DbFault & { left: number })[] = [];
  private readonly server: http.Server;
  private readonly riskyWords: string[];
  private readonly pendingUploads = new Map<string, PendingUpload>();
  private readonly storageDir: string;
  private readonly quiet: boolean;
  private msgSeq = 0;
  /** Every function's extra variables (the options', plus where the big screen is served, once listening). */
  private readonly functionEnv: Record<string, string>;
  port = 0;
  url = '';

  failDbRequest(fault: DbFault): void {
    this.faults.push({ ...fault, left: fault.after ?? 0 });
  }

  /** Whether a fault is due for this request (and uses it up). */
  private injectedFault(action: string, collection: unknown): boolean {
    const i = this.faults.findIndex(
      (f) => f.action === action && (f.collection === undefined || f.collection === collection),
    );
    if (i < 0) return false;
    const fault = this.faults[i];
    if (fault.left > 0) {
      fault.left -= 1;
      return false;
    }
    this.faults.splice(i, 1);
    return true;
  }

  constructor(opts: EmulatorOptions) {
    this.envId = opts.envId ?? 'local';
    this.functionEnv = { [SCREEN_SECRET_VAR]: LOCAL_SCREEN_SECRET, ...opts.functionEnv };
    this.quiet = opts.quiet ?? false;
    this.riskyWords = opts.riskyWords ?? DEFAULT_RISKY_WORDS;
    this.store = new Store(opts.dataDir);
    this.dbLatencyMs = opts.dbLatencyMs ?? 0;
    const savedOffset = Number(this.store.setting(CLOCK_SETTING) ?? 0);
    this.clock = new Clock(Number.isFinite(savedOffset) ? savedOffset : 0, (offset) =>
      this.store.setSetting(CLOCK_SETTING, String(offset)),
    );
    if (opts.clockAt !== undefined) this.clock.setAt(opts.clockAt);
    this.storageDir = path.join(opts.dataDir, 'storage');
    fs.mkdirSync(this.storageDir, { recursive: true });
    const schema = loadSchema(opts.schemaPath ?? path.join(REPO_ROOT, 'cloudfunctions', 'schema.json'));
    this.db = new DatabaseService(this.store, schema, {
      transactionTimeoutMs: opts.transactionTimeoutMs ?? 30_000,
      ...(opts.transactionIsolation ? { transactionIsolation: opts.transactionIsolation } : {}),
      clock: this.clock,
    });
    this.executor = new FunctionExecutor({
      functionsDir: opts.functionsDir ?? path.join(REPO_ROOT, 'build', 'cloudfunctions'),
      envId: this.envId,
      repoRoot: REPO_ROOT,
      adminUrl: (id) => `${this.url}/admin/inv/${id}`,
      clock: this.clock,
      warmInstances: opts.warmFunctions ?? true,
      functionEnv: this.functionEnv,
      ...(opts.functionTimeoutMs !== undefined ? { functionTimeoutMs: opts.functionTimeoutMs } : {}),
      ...(opts.maxConcurrentFunctions !== undefined ? { maxConcurrent: opts.maxConcurrentFunctions } : {}),
      bundleSdk: opts.bundleSdk ?? process.env.EMULATOR_BUNDLE_SDK !== '0',
      log: (line) => this.log(line),
      quietFunctions: this.quiet,
    });
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : 500;
        if (!res.headersSent) sendJson(res, status, { errCode: -501001, errMsg: (e as Error).message });
        else res.end();
      });
    });
  }

  get tcbContextConfig(): string {
    return JSON.stringify({ URL: `${this.url}/admin` });
  }

  log(line: string): void {
    if (!this.quiet) console.log(`[emulator] ${line}`);
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    // Display links point at this server's copy of the big screen (production: static hosting, via deploy).
    this.functionEnv[SCREEN_URL_VAR] ??= `${this.url}/screen/`;
  }

  async stop(): Promise<void> {
    await this.executor.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.db.close();
    this.store.close();
  }

  collections(): string[] {
    return this.store.collections();
  }

  documentCount(collection: string): number {
    return this.store.all(collection).length;
  }

  outbox(): OutboxEntry[] {
    return this.store.outbox();
  }

  fileInfo(fileId: string): FileRecord | undefined {
    return this.store.getFile(fileId);
  }

  async invoke(fn: string, event: unknown, who: Identity): Promise<InvokeResult> {
    try {
      const r = await this.executor.invoke(fn, event, who);
      return {
        result: r.result,
        dbRequests: r.dbRequests,
        sequentialDbRequests: r.sequential,
        dbExamined: r.examined,
      };
    } catch (e) {
      throw this.invokeError(e);
    }
  }

  private invokeError(e: unknown): InvokeError {
    const code = e instanceof ProtocolError ? e.code : 'SYS_ERR';
    const err = new Error((e as Error).message) as InvokeError;
    err.code = code;
    err.errCode = errCodeOf(code);
    return err;
  }

  // ---------- routing ----------

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && (p === '/admin' || p.startsWith('/admin/inv/'))) {
      const invId = p.startsWith('/admin/inv/') ? p.slice('/admin/inv/'.length) : undefined;
      return this.handleAdmin(req, res, url, invId);
    }
    if (method === 'PUT' && p.startsWith('/storage-upload/')) return this.handleCosPut(req, res, p.slice(16));
    if (method === 'POST' && p.startsWith('/functions/'))
      return this.handleGatewayCall(req, res, p.slice(11));
    if (method === 'POST' && p === '/upload') return this.handleGatewayUpload(req, res);
    if (method === 'GET' && p === '/files') {
      const rec = this.store.getFile(url.searchParams.get('fileId') ?? '');
      return rec
        ? sendJson(res, 200, rec)
        : sendJson(res, 404, { errCode: -503003, errMsg: 'storage file not exists' });
    }
    if ((method === 'GET' || method === 'HEAD') && p.startsWith('/files/'))
      return this.serveFile(res, p.slice(7));
    if (method === 'GET' && p === '/healthz') return sendJson(res, 200, { ok: true, envId: this.envId });
    if (method === 'GET' && p === '/outbox') return sendJson(res, 200, this.store.outbox());
    if (method === 'GET' && p === '/clock') return sendJson(res, 200, clockView(this.clock.state()));
    if (method === 'POST' && p === '/clock') return this.handleClock(req, res);
    if (method === 'GET' && (p === '/' || p === '/family' || p === '/collection'))
      return this.servePage(res, url);
    if ((method === 'GET' || method === 'OPTIONS') && p === '/screen-api')
      return this.handleScreenApi(req, res, url);
    if (method === 'GET' && (p === '/screen' || p.startsWith('/screen/')))
      return this.serveScreenPage(res, p);
    sendJson(res, 404, { errCode: -501001, errMsg: `no route for ${method} ${p}` });
  }

  private async handleAdmin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    invId: string | undefined,
  ): Promise<void> {
    const rid = requestId();
    const fail = (code: string, message: string) => sendJson(res, 200, { code, message, requestId: rid });
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      return fail('INVALID_PARAM', (e as Error).message);
    }
    let body: Doc;
    const ct = header(req, 'content-type') ?? '';
    try {
      if (ct.startsWith('multipart/form-data')) {
        body = {};
        for (const part of parseMultipart(raw, ct)) {
          body[part.name] = part.name === 'requestData' ? part.data : part.data.toString('utf8');
        }
      } else {
        const parsed = JSON.parse(raw.toString('utf8')) as unknown;
        if (!isPlainObject(parsed)) throw new Error('body must be a JSON object');
        body = parsed;
      }
    } catch (e) {
      return fail('INVALID_PARAM', `malformed request body: ${(e as Error).message}`);
    }
    const action = body.action;
    if (typeof action !== 'string' || !action) return fail('INVALID_PARAM', 'action is required');
    const inv = invId ? this.executor.invocation(invId) : undefined;
    if (invId && !inv) return fail('INVALID_PARAM', `unknown or finished invocation ${invId}`);
    const finished = inv && action.startsWith('database.') ? this.executor.countDbRequest(inv.id) : undefined;
    if (finished && this.injectedFault(action, body.collectionName)) {
      finished();
      return fail('SYS_ERR', 'injected fault');
    }
    if (finished && process.env.EMULATOR_TRACE_DB === '1')
      process.stderr.write(`db ${inv?.fn} ${action} ${String(body.collectionName ?? '')}\n`);
    // A production-like delay per database request (npm run bench), so that requests sent side by side overlap.
    try {
      if (finished && this.dbLatencyMs > 0)
        await new Promise((resolve) => setTimeout(resolve, this.dbLatencyMs));
      const env = (typeof body.envName === 'string' && body.envName) || url.searchParams.get('env') || '';
      if (env && env !== this.envId) {
        return fail('INVALID_ENV', `Environment ${env} not found (this emulator serves env "${this.envId}")`);
      }
      if (action === 'wx.openApi') {
        const out = this.handleOpenApi(body, inv);
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(out);
        return;
      }
      const reply = await this.dispatch(action, body, inv);
      sendJson(res, 200, { ...reply, requestId: rid });
    } catch (e) {
      if (e instanceof ProtocolError) return fail(e.code, e.message);
      this.log(`internal error on ${action}: ${(e as Error).stack ?? String(e)}`);
      return fail('SYS_ERR', (e as Error).message);
    } finally {
      finished?.();
    }
  }

  private async dispatch(action: string, body: Doc, inv: Invocation | undefined): Promise<Doc> {
    if (action.startsWith('database.'))
      return this.db.handle(action, body, inv ? (n) => this.executor.countExamined(inv.id, n) : undefined);
    switch (action) {
      case 'functions.invokeFunction':
        return this.adminInvoke(body, inv);
      case 'storage.getUploadMetadata':
        return this.uploadMetadata(body, inv);
      case 'storage.batchGetDownloadUrl':
        return this.downloadUrls(body);
      case 'storage.batchDeleteFile':
        return this.deleteFiles(body);
      default:
        throw new ProtocolError(
          'INVALID_ACTION',
          `action ${action} is not emulated by the local CloudBase emulator`,
        );
    }
  }

  private async adminInvoke(body: Doc, inv: Invocation | undefined): Promise<Doc> {
    const name = body.function_name;
    if (typeof name !== 'string' || !name)
      throw new ProtocolError('INVALID_PARAM', 'function_name is required');
    let event: unknown = {};
    if (typeof body.request_data === 'string' && body.request_data) {
      try {
        event = JSON.parse(body.request_data) as unknown;
      } catch {
        throw new ProtocolError('INVALID_PARAM', 'request_data must be a JSON string');
      }
    }
    // A function calling another keeps the original user's identity (as CloudBase does).
    const who: Identity = inv ? { ...inv.identity } : { openid: '', source: 'scf' };
    const r = await this.executor.invoke(name, event, who, inv);
    return { data: { response_data: JSON.stringify(r.result) } };
  }

  // ---------- storage ----------

  fileIdFor(cloudPath: string): string {
    return `cloud://${this.envId}.${this.envId}-emulator/${cloudPath}`;
  }

  private cloudPathOf(fileId: string): string | undefined {
    const prefix = `cloud://${this.envId}.`;
    if (!fileId.startsWith(prefix)) return undefined;
    const rest = fileId.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return undefined;
    try {
      return safeCloudPath(rest.slice(slash + 1));
    } catch {
      return undefined;
    }
  }

  private uploadMetadata(body: Doc, inv: Invocation | undefined): Doc {
    if (typeof body.path !== 'string') throw new ProtocolError('INVALID_PARAM', 'path is required');
    const cloudPath = safeCloudPath(body.path);
    const token = crypto.randomBytes(16).toString('hex');
    const fileId = this.fileIdFor(cloudPath);
    this.pendingUploads.set(token, {
      cloudPath,
      fileId,
      openid: inv?.identity.openid ?? '',
      expires: performance.now() + 10 * 60_000,
    });
    return {
      data: {
        url: `${this.url}/storage-upload/${token}`,
        token: 'local-emulator',
        authorization: 'local-emulator',
        fileId,
        cosFileId: token,
      },
    };
  }

  private async handleCosPut(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    token: string,
  ): Promise<void> {
    const pending = this.pendingUploads.get(token);
    const now = performance.now();
    for (const [t, u] of this.pendingUploads) if (u.expires < now) this.pendingUploads.delete(t);
    if (!pending || pending.expires < now) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version='1.0' encoding='utf-8' ?><Error><Code>AccessDenied</Code><Message>upload token unknown or expired</Message><RequestId>${requestId()}</RequestId><TraceId>local</TraceId></Error>`,
      );
      return;
    }
    const data = await readBody(req);
    this.pendingUploads.delete(token);
    this.saveFile(pending.cloudPath, data, pending.openid);
    res.writeHead(200);
    res.end();
  }

  private saveFile(cloudPath: string, data: Buffer, openid: string): string {
    const file = path.join(this.storageDir, cloudPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const fileId = this.fileIdFor(cloudPath);
    const rec: FileRecord = {
      fileId,
      path: cloudPath,
      openid,
      size: data.length,
      uploadedAt: this.clock.nowMs(),
    };
    this.store.addFile(rec);
    if (this.store.hasCollection('uploads')) {
      const id = crypto.createHash('sha1').update(fileId).digest('hex').slice(0, 32);
      this.store.apply([
        {
          coll: 'uploads',
          id,
          doc: {
            _id: id,
            fileID: fileId,
            cloudPath,
            openid,
            size: data.length,
            uploadedAt: new Date(rec.uploadedAt),
          },
        },
      ]);
    }
    return fileId;
  }

  private fileList(body: Doc, key: string): unknown[] {
    const list = body[key];
    if (!Array.isArray(list)) throw new ProtocolError('INVALID_PARAM', `${key} must be an array`);
    return list;
  }

  private downloadUrls(body: Doc): Doc {
    const download_list = this.fileList(body, 'file_list').map((item) => {
      const fileID = isPlainObject(item) && typeof item.fileid === 'string' ? item.fileid : String(item);
      const cloudPath = this.cloudPathOf(fileID);
      if (!cloudPath || !fs.existsSync(path.join(this.storageDir, cloudPath))) {
        return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' };
      }
      const url = `${this.url}/files/${cloudPath.split('/').map(encodeURIComponent).join('/')}`;
      return { fileID, tempFileURL: url, code: 'SUCCESS' };
    });
    return { data: { download_list } };
  }

  private deleteFiles(body: Doc): Doc {
    const delete_list = this.fileList(body, 'fileid_list').map((item) => {
      const fileID = String(item);
      const cloudPath = this.cloudPathOf(fileID);
      const file = cloudPath ? path.join(this.storageDir, cloudPath) : undefined;
      if (!file || !fs.existsSync(file)) return { fileID, code: 'STORAGE_FILE_NONEXIST' };
      fs.unlinkSync(file);
      this.store.deleteFile(fileID);
      return { fileID, code: 'SUCCESS' };
    });
    return { data: { delete_list } };
  }

  private serveFile(res: http.ServerResponse, encoded: string): void {
    let cloudPath: string;
    try {
      cloudPath = safeCloudPath(encoded.split('/').map(decodeURIComponent).join('/'));
    } catch {
      return sendJson(res, 400, { errCode: -503001, errMsg: 'invalid path' });
    }
    const file = path.join(this.storageDir, cloudPath);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return sendJson(res, 404, { errCode: -503003, errMsg: 'storage file not exists' });
    }
    const data = fs.readFileSync(file);
    const ext = path.extname(file).toLowerCase();
    const types: Record<string, string> = {
      '.jpg': 'image/jpeg',
      '.jpeg': 'image/jpeg',
      '.png': 'image/png',
      '.gif': 'image/gif',
      '.webp': 'image/webp',
      '.txt': 'text/plain; charset=utf-8',
      '.json': 'application/json',
    };
    res.writeHead(200, {
      'content-type': types[ext] ?? 'application/octet-stream',
      'content-length': data.length,
    });
    res.end(data);
  }

  // ---------- open API ----------

  private handleOpenApi(body: Doc, inv: Invocation | undefined): Buffer {
    const apiName = typeof body.apiName === 'string' ? body.apiName : '';
    const raw = body.requestData;
    if (!Buffer.isBuffer(raw)) throw new ProtocolError('INVALID_PARAM', 'requestData is required');
    let params: Record<string, unknown>;
    try {
      const decoded = decodeOpenApiRequest(raw);
      params = {};
      for (const [k, v] of decoded.pairs) {
        const text = v.toString('utf8');
        try {
          params[k] = JSON.parse(text) as unknown;
        } catch {
          params[k] = text;
        }
      }
    } catch (e) {
      throw new ProtocolError(
        'INVALID_PARAM',
        `requestData is not a valid CommApiData message: ${(e as Error).message}`,
      );
    }
    const json = (value: unknown) =>
      encodeOpenApiResponse(Buffer.from(JSON.stringify(value)), 'application/json');
    switch (apiName) {
      case 'security.msgSecCheck': {
        const content = typeof params.content === 'string' ? params.content : '';
        const hit = this.riskyWords.find((w) => w && content.includes(w));
        if (hit)
          return json({
            errcode: 87014,
            errmsg: 'risky content',
            result: { suggest: 'risky', label: 20001 },
          });
        return json({
          errcode: 0,
          errmsg: 'ok',
          result: { suggest: 'pass', label: 100 },
          detail: [],
          trace_id: requestId(),
        });
      }
      case 'subscribeMessage.send': {
        if (typeof params.touser !== 'string' || typeof params.template_id !== 'string') {
          return json({ errcode: 47003, errmsg: 'argument invalid! touser and template_id are required' });
        }
        const at = this.clock.nowMs();
        const msgid = (at % 1_000_000_000) * 1000 + (this.msgSeq++ % 1000);
        this.store.addOutbox(apiName, { ...params, msgid, fromOpenid: inv?.identity.openid ?? '' }, at);
        return json({ errcode: 0, errmsg: 'ok', msgid });
      }
      case 'wxacode.getUnlimited': {
        // A plain QR code of the page and scene stands in for WeChat's 小程序码 (same call, same PNG answer).
        const page = typeof params.page === 'string' ? params.page : '';
        const scene = typeof params.scene === 'string' ? params.scene : '';
        if (!scene) return json({ errcode: 40169, errmsg: 'invalid length for scene' });
        return encodeOpenApiResponse(qrPng(`${page}?${scene}`), 'image/png');
      }
      default:
        return json({
          errcode: -604100,
          errmsg: `openapi ${apiName} is not emulated by the local CloudBase emulator`,
        });
    }
  }

  // ---------- the big screen (CloudBase static hosting + the HTTP access service, locally) ----------

  /** The page's files, built once (web/screen/build.ts); `config.js` points at this server's `/screen-api`. */
  private screenFiles: Record<string, string> | null = null;

  private serveScreenPage(res: http.ServerResponse, p: string): void {
    this.screenFiles ??= screenPageFiles('/screen-api');
    const name = p.split('/').pop() ?? '';
    const file = name in this.screenFiles ? name : 'index.html';
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(this.screenFiles[file]);
  }

  /** As CloudBase's HTTP access service: the `screen` function gets the request as an HTTP event, no identity. */
  private async handleScreenApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const event = {
      path: url.pathname,
      httpMethod: req.method ?? 'GET',
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      queryStringParameters: Object.fromEntries(url.searchParams),
      body: '',
      isBase64Encoded: false,
    };
    const { result } = await this.invoke('screen', event, { openid: '', source: 'http' });
    const answer = result as { statusCode?: number; headers?: Record<string, string>; body?: string };
    res.writeHead(answer.statusCode ?? 502, answer.headers ?? { 'content-type': 'application/json' });
    res.end(answer.body ?? '');
  }

  // ---------- gateway ----------

  private identityFrom(req: http.IncomingMessage): Identity {
    const who: Identity = { openid: header(req, 'x-wx-openid') ?? '', source: 'wx_client' };
    const appid = header(req, 'x-wx-appid');
    const unionid = header(req, 'x-wx-unionid');
    if (appid) who.appid = appid;
    if (unionid) who.unionid = unionid;
    return who;
  }

  private async handleGatewayCall(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string,
  ): Promise<void> {
    const raw = await readBody(req);
    let event: unknown = {};
    if (raw.length) {
      try {
        event = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return sendJson(res, 400, { errCode: -501007, errMsg: 'request body must be JSON (the event)' });
      }
    }
    if (!this.executor.functionDir(name)) {
      return sendJson(res, 404, { errCode: -504002, errMsg: `function ${name} not found` });
    }
    try {
      const r = await this.executor.invoke(name, event, this.identityFrom(req));
      sendJson(res, 200, r.result ?? null, {
        'x-db-requests': String(r.dbRequests),
        'x-db-examined': String(r.examined),
        // The mini-program in local mode follows this clock (services/clock syncClock).
        'x-emulator-now': this.clock.now().toISOString(),
      });
    } catch (e) {
      const err = this.invokeError(e);
      sendJson(res, 500, { errCode: err.errCode, errMsg: err.message, code: err.code });
    }
  }

  /**
   * Moves the clock: JSON `{"command": "+8d"}` (or `{"at": "2027-01-05"}`), or the page's form
   * (`command=...`, answered with a redirect back to the page).
   */
  private async handleClock(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const form = (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
    let command = '';
    if (form) command = new URLSearchParams(raw).get('command') ?? '';
    else {
      try {
        const body = JSON.parse(raw || '{}') as { command?: unknown; at?: unknown };
        command =
          typeof body.command === 'string' ? body.command : typeof body.at === 'string' ? body.at : '';
      } catch {
        return sendJson(res, 400, { errCode: -501007, errMsg: 'body must be JSON: {"command": "+8d"}' });
      }
    }
    let state: ClockState;
    try {
      const parsed = parseClockCommand(command, this.clock.now());
      state =
        parsed.kind === 'reset'
          ? this.clock.reset()
          : parsed.kind === 'at'
            ? this.clock.setAt(parsed.at)
            : this.clock.advance(parsed.ms);
    } catch (e) {
      return sendJson(res, 400, { errCode: -501007, errMsg: (e as Error).message });
    }
    this.log(`clock set: ${clockView(state).china} (offset ${state.offsetMs} ms)`);
    // Timer triggers whose time the move passed run now, before anyone sees the new time.
    await this.executor.runDueTimers();
    if (form) {
      res.writeHead(303, { location: '/' });
      res.end();
      return;
    }
    sendJson(res, 200, clockView(state));
  }

  private async handleGatewayUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const ct = header(req, 'content-type') ?? '';
    const raw = await readBody(req);
    let cloudPath = '';
    let file: Buffer | undefined;
    try {
      for (const part of parseMultipart(raw, ct)) {
        if (part.name === 'file') file = part.data;
        else if (part.name === 'cloudPath') cloudPath = part.data.toString('utf8');
      }
      if (!file) throw new Error('field "file" is required');
      cloudPath = safeCloudPath(cloudPath);
    } catch (e) {
      return sendJson(res, 400, { errCode: -503001, errMsg: `uploadFile:fail ${(e as Error).message}` });
    }
    const who = this.identityFrom(req);
    const fileID = this.saveFile(cloudPath, file, who.openid);
    sendJson(res, 200, { fileID, statusCode: 200, errMsg: 'uploadFile:ok' });
  }

  /** The page's clock control: what time the functions see, and a form to move it (same as `npm run clock`). */
  private clockSection(): string[] {
    const view = clockView(this.clock.state());
    const moved =
      view.offsetMs === 0 ? '与本机时间一致' : `已调整 ${(view.offsetMs / 86_400_000).toFixed(2)} 天`;
    return [
      '<h2>模拟时钟</h2>',
      `<p id="clock">云函数看到的时间：<strong>${escapeHtml(view.china)}</strong>（${moved}）</p>`,
      '<form method="post" action="/clock"><input name="command" placeholder="+8d、-2h、+1mo、2027-01-05 或 reset" size="36"> ',
      '<button type="submit">调整时钟</button></form>',
      '<p>仅用于本地演练：调整后所有云函数（采集、公示、异议、锁定、黑榜到期、年终冠军）都按这个时间运行；生产环境的云函数不读取该设置。</p>',
    ];
  }

  /** The page for a town's IT person (emulator/page.ts): `/`, `/family?id=`, `/collection?name=`. */
  private servePage(res: http.ServerResponse, url: URL): void {
    const ctx = { envId: this.envId, clockHtml: this.clockSection().join('\n') };
    const q = url.searchParams;
    const html =
      url.pathname === '/family'
        ? renderFamily(this.store, ctx, q.get('id') ?? '')
        : url.pathname === '/collection'
          ? renderCollection(this.store, ctx, q.get('name') ?? '', Number(q.get('offset')) || 0)
          : renderHome(this.store, ctx, q.get('q') ?? '');
    if (html === null) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><p>没有找到。<a href="/">返回首页</a></p>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  }
}
