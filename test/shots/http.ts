/**
 * `wx.request` and `wx.uploadFile` over real HTTP (the app in local mode talks to the emulator's gateway: JSON to
 * /functions/<name>, multipart to /upload), and direct gateway calls.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

interface Response {
  statusCode: number;
  data: unknown;
  header: http.IncomingHttpHeaders;
}

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  contentType = 'application/json',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: the text itself
          }
          resolve({ statusCode: res.statusCode ?? 0, data, header: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Callbacks as the wx APIs take them. */
interface Callbacks {
  success?: (r: unknown) => void;
  fail?: (r: unknown) => void;
  complete?: (r: unknown) => void;
}

/** A wx API's callbacks as WeChat calls them: success and complete with `<api>:ok`, or fail and complete. */
function answer<T>(options: unknown, api: string, work: Promise<T>, result: (value: T) => object): void {
  const done = options as Callbacks;
  work.then(
    (value) => {
      const ok = { ...result(value), errMsg: `${api}:ok` };
      done.success?.(ok);
      done.complete?.(ok);
    },
    (error: Error) => {
      const failed = { errMsg: `${api}:fail ${error.message}` };
      done.fail?.(failed);
      done.complete?.(failed);
    },
  );
}

export function realRequest(options: WechatMiniprogram.RequestOption): void {
  const work = post(
    options.url,
    JSON.stringify(options.data ?? {}),
    (options.header ?? {}) as Record<string, string>,
  );
  answer(options, 'request', work, (res) => ({ ...res, cookies: [] }));
}

/**
 * `wx.uploadFile` as WeChat does it: the file at `filePath` (a path on this machine: the temp files the shots'
 * `wx.chooseMessageFile` stand-in hands out) POSTed as multipart/form-data, `formData` fields first, then the
 * file under `name`; `success` gets the body as text. The task reports 100% once the body is sent.
 */
export function realUploadFile(options: WechatMiniprogram.UploadFileOption): WechatMiniprogram.UploadTask {
  const progress: ((r: { progress: number; totalBytesSent: number }) => void)[] = [];
  const boundary = `----shots${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const upload = async () => {
    const file = await fs.promises.readFile(options.filePath);
    const body = Buffer.concat([
      ...Object.entries(options.formData ?? {}).map(([name, value]) => field(name, String(value))),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${options.name}"; filename="${path.basename(
          options.filePath,
        )}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await post(
      options.url,
      body,
      (options.header ?? {}) as Record<string, string>,
      `multipart/form-data; boundary=${boundary}`,
    );
    for (const listener of progress) listener({ progress: 100, totalBytesSent: body.length });
    return res;
  };
  answer(options, 'uploadFile', upload(), (res) => ({
    statusCode: res.statusCode,
    data: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
  }));
  const task = {
    onProgressUpdate: (listener: (typeof progress)[number]) => void progress.push(listener),
    offProgressUpdate: () => void progress.splice(0),
    abort: () => undefined,
  };
  return task as unknown as WechatMiniprogram.UploadTask;
}

/** One action of a function as `openid`, through the gateway; its envelope's data, or an error. */
export async function gateway<T>(
  baseUrl: string,
  fn: string,
  action: string,
  input: Record<string, unknown>,
  openid: string,
): Promise<T> {
  const res = await post(`${baseUrl}/functions/${fn}`, JSON.stringify({ action, input }), {
    'X-WX-OPENID': openid,
  });
  const envelope = res.data as { ok?: boolean; data?: T; error?: { message?: string } };
  if (!envelope?.ok) throw new Error(`${fn}/${action} as ${openid}: ${JSON.stringify(res.data)}`);
  return envelope.data as T;
}
