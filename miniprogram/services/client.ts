/**
 * The typed client: the only place the mini-program talks to the backend. Every call returns an
 * `Envelope`, never throws: network failures become `NETWORK`, anything that is not an envelope `INTERNAL`.
 */
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../contract/index';
import type { ActionEvent, Envelope, ErrorBody } from '../core/envelope';
import { syncClock } from './clock';
import { getBackendConfig } from './config';

export const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';
export const INTERNAL_MESSAGE = '服务暂时不可用，请稍后重试';

type CloudWithEnv = WxCloud & { DYNAMIC_CURRENT_ENV?: unknown };

let cloudReady = false;

/** Initialises `wx.cloud` once (current environment) when the cloud backend is in use; a no-op otherwise. */
export function initBackend(): void {
  const config = getBackendConfig();
  if (config.mode !== 'cloud' || cloudReady) return;
  if (!wx.cloud) {
    console.error('当前微信版本不支持云开发，请升级微信');
    return;
  }
  const cloud = wx.cloud as CloudWithEnv;
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as string, traceUser: true });
  cloudReady = true;
}

function failure(code: ErrorBody['code'], message: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message, requestId: '' } };
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === 'string' && typeof body.message === 'string';
}

/** Accepts `{ok: true, data}` or `{ok: false, error: {code, message}}`; anything else (null) is the server's bug. */
export function toEnvelope<T>(result: unknown): Envelope<T> | null {
  if (typeof result === 'object' && result !== null) {
    const candidate = result as Record<string, unknown>;
    if (candidate.ok === true && 'data' in candidate) return { ok: true, data: candidate.data as T };
    if (candidate.ok === false && isErrorBody(candidate.error)) {
      const error = candidate.error;
      return {
        ok: false,
        error: { ...error, requestId: typeof error.requestId === 'string' ? error.requestId : '' },
      };
    }
  }
  return null;
}

/** The emulator's gateway sends its clock on every answer, so the phone's "today" is the emulated town's. */
export const EMULATOR_NOW_HEADER = 'X-Emulator-Now';

/** A response header by name, whatever its case (DevTools keeps the server's, Node lowercases). */
function headerValue(header: unknown, name: string): unknown {
  if (typeof header !== 'object' || header === null) return undefined;
  const wanted = name.toLowerCase();
  const key = Object.keys(header).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : (header as Record<string, unknown>)[key];
}

function requestLocal(url: string, event: ActionEvent, openid: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: 'POST',
      data: event as unknown as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json', 'X-WX-OPENID': openid },
      success: (res) => {
        const serverNow = headerValue(res.header, EMULATOR_NOW_HEADER);
        if (typeof serverNow === 'string') syncClock(serverNow);
        resolve(res.data);
      },
      fail: (err) => reject(err),
    });
  });
}

/** Calls `action` of cloud function `fn` with `input`, typed by the contract. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<Envelope<ActionOutput<F, A>>> {
  const config = getBackendConfig();
  const event: ActionEvent<ActionInput<F, A>> = { action, input };
  let result: unknown;
  try {
    if (config.mode === 'local') {
      result = await requestLocal(`${config.baseUrl}/functions/${fn}`, event, config.openid);
    } else {
      initBackend();
      const response = await wx.cloud.callFunction({ name: fn, data: event });
      result = response.result;
    }
  } catch (error) {
    console.warn(`[client] ${fn}/${action} failed`, error);
    return failure('NETWORK', NETWORK_MESSAGE);
  }
  const envelope = toEnvelope<ActionOutput<F, A>>(result);
  if (envelope) return envelope;
  console.error(`[client] ${fn}/${action} returned no envelope`, result);
  return failure('INTERNAL', INTERNAL_MESSAGE);
}
