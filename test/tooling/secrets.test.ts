/**
 * No secret, key or credential is committed: the git-tracked files are scanned for private keys, Tencent
 * Cloud secrets, WeChat code-upload key files and real appids. The emulator's and tests' stand-in values are
 * whitelisted by name below.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Placeholder appids that may appear in project.config.json. */
const ALLOWED_APPIDS = new Set(['touristappid', 'wx0000000000000000']);
/** Stand-in secret values of the emulator and the tests (never real). */
const ALLOWED_SECRET_VALUES = new Set([
  'local-emulator-secret-id',
  'local-emulator-secret-key',
  'test-secret-id',
  'test-secret-key',
]);

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
}

function textOf(file: string): string | null {
  const buffer = fs.readFileSync(path.join(ROOT, file));
  if (buffer.includes(0)) return null; // binary
  return buffer.toString('utf8');
}

describe('no credentials in the repository', () => {
  const files = trackedFiles();

  it('sees the tracked files', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'project.config.json']));
  });

  it('tracks no WeChat code-upload key or key-like file', () => {
    const keys = files.filter((f) =>
      /(^|\/)private\..*\.key$|\.(pem|p12|pfx)$|(^|\/)deploy\.config\.json$/.test(f),
    );
    expect(keys).toEqual([]);
  });

  it('has no private key block, SecretId or secret assignment with a real-looking value', () => {
    const secretAssignment =
      /\b(TENCENTCLOUD_SECRETKEY|TENCENTCLOUD_SECRETID|TENCENTCLOUD_SESSIONTOKEN|SECRET_?KEY|SECRET_?ID|secretKey|secretId|CARD_TOKEN_SECRET|QR_SECRET)\b["']?\s*[:=]\s*["']?([A-Za-z0-9+/_-]{16,})/g;
    const offenders: string[] = [];
    for (const file of files) {
      if (file === 'test/tooling/secrets.test.ts') continue; // the patterns themselves
      const text = textOf(file);
      if (text === null) continue;
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) offenders.push(`${file}: private key block`);
      for (const m of text.matchAll(/\bAKID[0-9A-Za-z]{32}\b/g))
        offenders.push(`${file}: SecretId ${m[0].slice(0, 8)}…`);
      for (const m of text.matchAll(secretAssignment)) {
        const value = m[2];
        if (ALLOWED_SECRET_VALUES.has(value) || /^(local|test|dummy|example|placeholder)[-_]/i.test(value))
          continue;
        if (/^process\.env|^[A-Z_]+$/.test(value)) continue; // a variable name, not a value
        offenders.push(`${file}: ${m[1]}=${value.slice(0, 4)}…`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('ships only placeholder appids in every project.config.json, and no project.private.config.json', () => {
    const configs = files.filter((f) => /(^|\/)project\.config\.json$/.test(f));
    expect(configs).toContain('project.config.json');
    for (const file of configs) {
      const { appid } = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { appid?: string };
      expect([file, ALLOWED_APPIDS.has(appid ?? 'touristappid')]).toEqual([file, true]);
    }
    expect(files.filter((f) => /project\.private\.config\.json$/.test(f))).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    // The scanner's own patterns, checked on made-up samples so a broken regex cannot pass silently.
    const fakeId = `AKID${'a1B2'.repeat(8)}`;
    expect(/\bAKID[0-9A-Za-z]{32}\b/.test(`id=${fakeId}`)).toBe(true);
    expect(/(^|\/)private\..*\.key$/.test('keys/private.wx0123456789abcdef.key')).toBe(true);
  });
});
