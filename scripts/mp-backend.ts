/**
 * `npm run mp:local` / `npm run mp:cloud`: points the mini-program at the local emulator's gateway, or back at
 * CloudBase, by rewriting the values in `miniprogram/services/local.config.ts` (data, not code). Optional:
 * `npm run mp:local -- --url http://192.168.1.20:3000 --openid o-he` for a phone on the same network.
 * Switch back to cloud before committing: a test checks that the committed file ships cloud mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rewriteBackendConfig } from './mp-config';

const FILE = path.join(__dirname, '..', 'miniprogram', 'services', 'local.config.ts');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mode = process.argv[2];
if (mode !== 'local' && mode !== 'cloud') {
  console.error('usage: tsx scripts/mp-backend.ts local|cloud [--url URL] [--openid OPENID]');
  process.exit(2);
}
const url = option('url') ?? (mode === 'local' ? `http://127.0.0.1:${process.env.PORT ?? 3000}` : undefined);
const text = rewriteBackendConfig(fs.readFileSync(FILE, 'utf8'), {
  mode,
  baseUrl: url,
  openid: option('openid'),
});
fs.writeFileSync(FILE, text);
console.log(`mini-program backend: ${mode}${mode === 'local' ? ` (${url})` : ''}`);
