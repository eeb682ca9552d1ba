/**
 * `npm run test:faketime [-- jest args]`: the jest suite again with the MACHINE's clock faked (libfaketime, Debian
 * package `faketime`) at the instants where date code breaks, in a time zone far from Asia/Shanghai. Tests set
 * their own clock, so the suite must pass whatever the machine's date is; this proves it. `.ci/run` runs it.
 * Every test file runs, except the screenshot tool's (Chromium under a faked clock; see below).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TZ = 'America/Los_Angeles';

/** Machine instants, written in Los Angeles time as faketime reads them, with what they are in China. */
const INSTANTS: { local: string; china: string }[] = [
  { local: '2026-11-30 07:45:00', china: '2026-11-30 23:45，月末最后半小时' },
  { local: '2026-12-31 08:10:00', china: '2027-01-01 00:10，元旦（UTC 仍是 12 月 31 日）' },
  { local: '2028-02-28 17:00:00', china: '2028-02-29 09:00，闰日' },
  { local: '2039-06-14 19:00:00', china: '2039-06-15 10:00，多年以后' },
];

function faketimeInstalled(): boolean {
  return spawnSync('faketime', ['--version'], { encoding: 'utf8' }).status === 0;
}

function main(): void {
  if (!faketimeInstalled()) {
    console.error('faketime is not installed: apt-get install -y faketime (Debian package "faketime")');
    process.exit(1);
  }
  // The screenshot tool's test drives Chromium, whose own use of the clock under libfaketime is not ours to test
  // (it fixes its backend's clock like every other test); it runs in the ordinary `npm test`.
  const jestArgs = [
    '--testPathIgnorePatterns',
    'test/tooling/shots.test.ts',
    'test/tooling/screen.test.ts',
    ...process.argv.slice(2),
  ];
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const results: { instant: string; line: string; ok: boolean }[] = [];
  for (const { local, china } of INSTANTS) {
    const out = path.join(ROOT, 'build', `jest-faketime-${local.slice(0, 10)}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    console.log(`\n== machine clock at ${local} ${TZ} (China ${china}) ==`);
    const run = spawnSync(
      'faketime',
      [local, process.execPath, jest, '--ci', '--json', `--outputFile=${out}`, ...jestArgs],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TZ, FAKETIME_DONT_FAKE_MONOTONIC: '1' } },
    );
    let line = `jest exited with ${run.status ?? run.signal}`;
    if (fs.existsSync(out)) {
      const r = JSON.parse(fs.readFileSync(out, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
      };
      line = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`;
    }
    results.push({ instant: `${local} ${TZ}`, line, ok: run.status === 0 });
  }
  console.log('\nThe suite with the machine clock faked:');
  for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.instant}: ${r.line}`);
  if (results.some((r) => !r.ok)) process.exit(1);
}

main();
