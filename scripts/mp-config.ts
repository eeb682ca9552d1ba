/**
 * Rewriting `miniprogram/services/local.config.ts`'s settings (mode, baseUrl, openid): only the object literal's
 * own lines, never a comment that happens to mention `mode: 'cloud'` (which left DevTools calling the cloud).
 */

export interface BackendSettings {
  mode: 'local' | 'cloud';
  baseUrl?: string;
  openid?: string;
}

/** Sets one `field: '…'` property line (indented, at the start of a line) of the config's object literal. */
export function setSetting(text: string, field: string, value: string): string {
  const pattern = new RegExp(`^(\\s+${field}:\\s*)'[^']*'`, 'm');
  if (!pattern.test(text)) throw new Error(`local.config.ts has no ${field} setting to change`);
  return text.replace(pattern, `$1'${value.replace(/'/g, '')}'`);
}

/** The config file's text with the given settings. */
export function rewriteBackendConfig(text: string, settings: BackendSettings): string {
  let out = setSetting(text, 'mode', settings.mode);
  if (settings.baseUrl) out = setSetting(out, 'baseUrl', settings.baseUrl);
  if (settings.openid) out = setSetting(out, 'openid', settings.openid);
  return out;
}
