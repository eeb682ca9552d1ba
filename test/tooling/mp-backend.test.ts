/**
 * `npm run mp:local` rewrites the setting, not the comment above it that mentions `mode: 'cloud'` (which left
 * DevTools calling the cloud), and `mp:cloud` puts it back as committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rewriteBackendConfig } from '../../scripts/mp-config';

const FILE = path.join(__dirname, '..', '..', 'miniprogram', 'services', 'local.config.ts');
const committed = fs.readFileSync(FILE, 'utf8');

/** The object literal's settings, read the way the app reads them. */
const settings = (text: string) => {
  const literal = /const localConfig: BackendConfig = \{([^}]*)\}/.exec(text)?.[1] ?? '';
  return Object.fromEntries([...literal.matchAll(/(\w+):\s*'([^']*)'/g)].map((m) => [m[1], m[2]]));
};

it('switches the setting to local with the URL and identity, leaving the comments alone', () => {
  // Act
  const local = rewriteBackendConfig(committed, {
    mode: 'local',
    baseUrl: 'http://192.168.1.20:3000',
    openid: 'o-he',
  });

  // Assess
  expect(settings(local)).toEqual({ mode: 'local', baseUrl: 'http://192.168.1.20:3000', openid: 'o-he' });
  const comments = (text: string) => text.split('\n').filter((l) => /^\s*(\/\*|\*)/.test(l));
  expect(comments(local)).toEqual(comments(committed));
});

it('switches back to cloud as committed', () => {
  const local = rewriteBackendConfig(committed, { mode: 'local', baseUrl: 'http://127.0.0.1:3000' });
  expect(rewriteBackendConfig(local, { mode: 'cloud', baseUrl: 'http://127.0.0.1:3000' })).toBe(committed);
});

it('refuses a file without the setting instead of writing nothing', () => {
  expect(() => rewriteBackendConfig('export default {};', { mode: 'local' })).toThrow('no mode setting');
});
