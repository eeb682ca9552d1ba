/** `wx.request` over real HTTP (the app in local mode talks to the emulator's gateway), and direct gateway calls. */
import http from 'node:http';

interface Response {
  statusCode: number;
  data: unknown;
  header: http.IncomingHttpHeaders;
}

function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
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
          'content-type': 'application/json',
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

export function realRequest(options: WechatMiniprogram.RequestOption): void {
  const done = options as unknown as {
    success?: (r: unknown) => void;
    fail?: (r: unknown) => void;
    complete?: (r: unknown) => void;
  };
  post(
    options.url,
    JSON.stringify(options.data ?? {}),
    (options.header ?? {}) as Record<string, string>,
  ).then(
    (res) => {
      const result = { ...res, cookies: [], errMsg: 'request:ok' };
      done.success?.(result);
      done.complete?.(result);
    },
    (error: Error) => {
      const result = { errMsg: `request:fail ${error.message}` };
      done.fail?.(result);
      done.complete?.(result);
    },
  );
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
