/**
 * Builds the `dependencies` of package.json (tdesign-miniprogram) into miniprogram/miniprogram_npm, as
 * WeChat DevTools' “构建 npm” does with project.config.json's packNpmRelationList. Works offline.
 * `npm run build:npm`; check:mp and the mini-program tests call buildNpm() themselves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');
export const miniprogramNpmDir = path.join(repoRoot, 'miniprogram', 'miniprogram_npm');

export interface BuildNpmResult {
  miniProgramPackNum: number;
  otherNpmPackNum: number;
  warnings: string[];
}

export async function buildNpm(): Promise<BuildNpmResult> {
  // Loaded lazily: miniprogram-ci takes a few seconds to require.
  const ci = await import('miniprogram-ci');
  const result = await ci.packNpmManually({
    packageJsonPath: path.join(repoRoot, 'package.json'),
    miniprogramNpmDistDir: path.join(repoRoot, 'miniprogram'),
  });
  const warnings = result.warnList.map((w) => `${w.jsPath ?? ''}:${w.startLine ?? ''} ${w.msg ?? ''}`.trim());
  return { miniProgramPackNum: result.miniProgramPackNum, otherNpmPackNum: result.otherNpmPackNum, warnings };
}

/** True when the TDesign build exists (the tests only rebuild when it is missing). */
export function isNpmBuilt(): boolean {
  return existsSync(path.join(miniprogramNpmDir, 'tdesign-miniprogram', 'button', 'button.js'));
}

/**
 * For test setups: builds miniprogram_npm in a child process (miniprogram-ci keeps handles open) unless it is
 * there, under a file lock so parallel jest workers don't build over each other.
 */
export function ensureNpmBuilt(): void {
  if (isNpmBuilt()) return;
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const lock = path.join(os.tmpdir(), 'zanjifen-build-npm.lock');
  const result = spawnSync(
    'flock',
    [lock, tsx, path.join(repoRoot, 'scripts', 'build-npm.ts'), '--if-missing'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0 || !isNpmBuilt()) {
    throw new Error(
      `build:npm failed (exit ${result.status}): ${result.stderr || result.stdout || result.error}`,
    );
  }
}

// Run as a script (not imported by check:mp or a test setup)?
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename) {
  if (process.argv.includes('--if-missing') && isNpmBuilt()) {
    console.log('build:npm: miniprogram/miniprogram_npm already built');
    process.exit(0);
  }
  buildNpm()
    .then((result) => {
      for (const warning of result.warnings) console.warn(`warning: ${warning}`);
      console.log(
        `build:npm: ${result.miniProgramPackNum} mini-program package(s), ${result.otherNpmPackNum} other → miniprogram/miniprogram_npm`,
      );
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error('build:npm failed:', error);
      process.exit(1);
    });
}
