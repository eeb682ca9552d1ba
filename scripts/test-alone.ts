/**
 * `npm run test:alone [-- options] [paths…]`: runs every jest test file on its own, and with `--each` every test on
 * its own (`-t '^<its full name>$'`), and prints what fails. A test that passes in the suite but fails alone
 * leans on state an earlier test left behind; this finds it. Not part of `npm test` (one jest start per file or
 * per test: minutes). The functions are built once and every run reuses that build (ZJF_FUNCTIONS_DIR, see
 * test/support/global-setup.ts).
 *
 *   --each                      also run each test of each file alone
 *   --projects core,functions   only these jest projects (core, functions, emulator, miniprogram, tooling)
 *   --jobs N                    runs at once (default 1: the machine is shared)
 *   --report FILE               where to write the outcomes (default build/test-alone.json)
 *   paths…                      only test files whose path contains one of these
 *
 * Writes the outcome of every run to the report; exits 1 when anything failed alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from './build-functions';

const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

interface Options {
  each: boolean;
  projects: string[];
  jobs: number;
  filters: string[];
  report: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    each: false,
    projects: [],
    jobs: 1,
    filters: [],
    report: path.join(ROOT, 'build', 'test-alone.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--each') options.each = true;
    else if (arg === '--projects') options.projects = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--jobs') options.jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (arg === '--report') options.report = path.resolve(argv[++i] ?? '');
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.filters.push(arg);
  }
  return options;
}

interface Run {
  status: number | null;
  output: string;
}

function jest(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [JEST, ...args], { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** What jest's --json writes, the parts read here. */
interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

interface Outcome {
  file: string;
  /** The test's full name, absent for the file's own run. */
  test?: string;
  ok: boolean;
  passed: number;
  failed: number;
  /** Why it failed: jest's message, shortened. */
  failure?: string;
}

let runCount = 0;
async function runJest(
  file: string,
  test: string | undefined,
  env: NodeJS.ProcessEnv,
  tmp: string,
): Promise<{ outcome: Outcome; json: JestJson | null }> {
  const out = path.join(tmp, `run-${++runCount}.json`);
  const args = ['--ci', '--json', `--outputFile=${out}`, '--runTestsByPath', file];
  if (test !== undefined) args.push('--testNamePattern', `^${escapeRegExp(test)}$`);
  const run = await jest(args, env);
  const json = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as JestJson) : null;
  const rel = path.relative(ROOT, file);
  if (!json)
    return { outcome: { file: rel, test, ok: false, passed: 0, failed: 0, failure: tail(run.output) }, json };
  const result = json.testResults[0];
  const failures = (result?.assertionResults ?? [])
    .filter((a) => a.status === 'failed')
    .map((a) => `${a.fullName}\n${a.failureMessages.join('\n')}`);
  // A run that ran no test (a name that matched nothing) proves nothing: it fails too.
  const ranNothing = json.numPassedTests + json.numFailedTests === 0 && test !== undefined;
  const ok = run.status === 0 && json.numFailedTests === 0 && !ranNothing;
  const failure = ok
    ? undefined
    : ranNothing
      ? 'no test matched the name'
      : shorten(failures.join('\n\n') || result?.message || tail(run.output));
  return {
    outcome: { file: rel, test, ok, passed: json.numPassedTests, failed: json.numFailedTests, failure },
    json,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// eslint-disable-next-line no-control-regex -- jest colours its messages; the report is plain text
const ANSI = /\u001b\[[0-9;]*m/g;

function shorten(text: string, lines = 25): string {
  return text.replace(ANSI, '').split('\n').slice(0, lines).join('\n');
}

function tail(text: string, lines = 25): string {
  return text.replace(ANSI, '').split('\n').slice(-lines).join('\n');
}

async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

async function listTests(options: Options, env: NodeJS.ProcessEnv): Promise<string[]> {
  const args = ['--listTests', '--json'];
  if (options.projects.length) args.push('--selectProjects', ...options.projects);
  const run = await jest(args, env);
  const start = run.output.indexOf('[');
  if (run.status !== 0 || start < 0) throw new Error(`jest --listTests failed:\n${run.output}`);
  const files = (JSON.parse(run.output.slice(start, run.output.lastIndexOf(']') + 1)) as string[]).sort();
  const rel = (f: string) => path.relative(ROOT, f);
  return options.filters.length
    ? files.filter((f) => options.filters.some((p) => rel(f).includes(p)))
    : files;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-alone-'));
  const functionsDir = path.join(tmp, 'functions');
  console.log('building the cloud functions once for every run…');
  await buildFunctions(functionsDir);
  const env = { ...process.env, ZJF_FUNCTIONS_DIR: functionsDir, FORCE_COLOR: '0' };
  const outcomes: Outcome[] = [];
  const report = (o: Outcome) => {
    outcomes.push(o);
    const what = o.test === undefined ? `${o.file} (file alone)` : `${o.file} › ${o.test}`;
    console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${what}${o.ok ? '' : `\n${indent(o.failure ?? '')}`}`);
  };
  try {
    const files = await listTests(options, env);
    console.log(`${files.length} test files${options.each ? ', each test alone too' : ''}`);
    await pool(files, options.jobs, async (file) => {
      const { outcome, json } = await runJest(file, undefined, env, tmp);
      report(outcome);
      if (!options.each || !json) return;
      const names = (json.testResults[0]?.assertionResults ?? [])
        .filter((a) => a.status === 'passed' || a.status === 'failed')
        .map((a) => a.fullName);
      for (const name of [...new Set(names)]) report((await runJest(file, name, env, tmp)).outcome);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(options.report), { recursive: true });
  fs.writeFileSync(options.report, JSON.stringify(outcomes, null, 2));
  const failed = outcomes.filter((o) => !o.ok);
  const fileRuns = outcomes.filter((o) => o.test === undefined).length;
  console.log(
    `\n${fileRuns} files alone, ${outcomes.length - fileRuns} tests alone: ${failed.length} failed (${path.relative(ROOT, options.report)})`,
  );
  for (const o of failed)
    console.log(`  FAIL ${o.file}${o.test === undefined ? ' (file alone)' : ` › ${o.test}`}`);
  if (failed.length) process.exit(1);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
