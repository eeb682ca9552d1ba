/**
 * Backend configuration for the typed client: CloudBase (`wx.cloud.callFunction`, the default and the only
 * mode a released build can use) or the local emulator over HTTP (`wx.request`).
 *
 * The default comes from `local.config.ts` (committed as cloud; a start script may regenerate it). In the
 * develop and trial versions a developer may override it at runtime without editing code: the override is
 * kept in storage under BACKEND_STORAGE_KEY (see setBackendOverride). The released version ignores it.
 */
import localConfig from './local.config';

export type BackendMode = 'cloud' | 'local';

export interface BackendConfig {
  mode: BackendMode;
  /** Emulator origin, e.g. `http://127.0.0.1:3000`; requests go to `${baseUrl}/functions/${fn}`. */
  baseUrl: string;
  /** The WeChat identity the emulator should assume (sent as `X-WX-OPENID`). */
  openid: string;
}

export const BACKEND_STORAGE_KEY = 'zanjifen.backend';

function isBackendOverride(value: unknown): value is Partial<BackendConfig> {
  if (typeof value !== 'object' || value === null) return false;
  const { mode, baseUrl, openid } = value as Record<string, unknown>;
  return (
    (mode === undefined || mode === 'cloud' || mode === 'local') &&
    (baseUrl === undefined || typeof baseUrl === 'string') &&
    (openid === undefined || typeof openid === 'string')
  );
}

function isReleaseBuild(): boolean {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion === 'release';
  } catch {
    return false;
  }
}

/** The backend to use now: the committed default, with a developer's stored override applied outside release. */
export function getBackendConfig(): BackendConfig {
  const base: BackendConfig = { ...localConfig };
  if (isReleaseBuild()) return { ...base, mode: 'cloud' };
  let stored: unknown;
  try {
    stored = wx.getStorageSync(BACKEND_STORAGE_KEY);
  } catch {
    stored = undefined;
  }
  if (!isBackendOverride(stored)) return base;
  return {
    mode: stored.mode ?? base.mode,
    baseUrl: (stored.baseUrl ?? base.baseUrl).replace(/\/+$/, ''),
    openid: stored.openid ?? base.openid,
  };
}

/** The developer switch: store an override (or `null` to go back to the committed default). */
export function setBackendOverride(override: Partial<BackendConfig> | null): void {
  if (override === null) wx.removeStorageSync(BACKEND_STORAGE_KEY);
  else wx.setStorageSync(BACKEND_STORAGE_KEY, override);
}
