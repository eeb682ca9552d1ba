/**
 * `npm run shots`: every page of miniprogram/app.json (and the states that matter) rendered with the demo town
 * at 375 × 812 CSS px, device scale 2, into build/shots/<page>--<state>.png, with build/shots/index.html listing
 * them and build/shots/layout-report.json (text under 12 px, or 18 px in care mode; elements past the screen's
 * edges; the counter's 确认兑换 on the first screen or not).
 *
 * 1. A local emulator seeded with the demo town, its clock at 2026-11-20 10:00 China time.
 * 2. jest (scripts/shots/jest.config.js) renders each page with miniprogram-simulate in jsdom, the app in local
 *    mode against the emulator, and writes each as an HTML document (test/shots/render.shots.ts).
 * 3. Chromium (Debian's chromium through puppeteer-core) opens each document, runs the checks, saves the PNG.
 *
 * Flags: --strict (layout findings fail the command too), --no-png (the report only), --only a,b (these shots;
 * `home--*`: every state of home), --fixtures <dir> (also render each component folder of dir, with its shots.json),
 * --no-app (no app pages: fixtures only), --full-page (whole pages instead of the first screen), --out <dir>.
 * Exits non-zero on rendering errors (and, with --strict, on layout findings).
 * Env: CHROMIUM_PATH (another browser), FUNCTIONS_DIR (functions already built: no build).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, startEmulator, type Emulator } from '../../emulator';
import { buildFunctions } from '../build-functions';
import { DEMO_FUNCTION_ENV, seedDemo } from '../seed-demo';
import { capture, findChromium, type ReportEntry } from './capture';
import { MANIFEST, type FixtureShot, type RenderedShot, type RenderPlan } from './plan';
import { allShots, type Shot } from './scenarios';

/** 2026-11-20 10:00 China time: the page tests' day, in November's 采集 with October in 公示. */
export const SHOTS_AT = new Date('2026-11-20T02:00:00.000Z');

export interface ShotsOptions {
  outDir: string;
  png: boolean;
  strict: boolean;
  fullPage: boolean;
  /** Substrings of shot names to keep (all when empty). */
  only: string[];
  app: boolean;
  fixturesDir?: string;
  /** Output of the render stage goes to the console (otherwise only when it fails). */
  verbose: boolean;
}

export interface ShotsResult {
  report: ReportEntry[];
  errors: { name: string; error: string }[];
  findings: number;
  exitCode: number;
}

function parseArgs(argv: string[]): ShotsOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const fixtures = value('--fixtures');
  return {
    outDir: path.resolve(value('--out') ?? path.join(REPO_ROOT, 'build', 'shots')),
    png: !argv.includes('--no-png'),
    strict: argv.includes('--strict'),
    fullPage: argv.includes('--full-page'),
    only: (value('--only') ?? '').split(',').filter(Boolean),
    app: !argv.includes('--no-app'),
    ...(fixtures ? { fixturesDir: path.resolve(fixtures) } : {}),
    verbose: argv.includes('--verbose'),
  };
}

/** Each folder of `dir` with an index.json is a fixture page; its shots.json says its caption and checks. */
export function fixtureShots(dir: string): FixtureShot[] {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'index.json')))
    .sort()
    .map((name) => {
      const configFile = path.join(dir, name, 'shots.json');
      const config = fs.existsSync(configFile)
        ? (JSON.parse(fs.readFileSync(configFile, 'utf8')) as Partial<FixtureShot>)
        : {};
      return {
        name: `fixture-${name}`,
        // One root for all: simulate's compiled templates are keyed by their path under the root.
        root: dir,
        page: `${name}/index`,
        caption: config.caption ?? name,
        ...(config.careMode ? { careMode: true } : {}),
        ...(config.primary ? { primary: config.primary } : {}),
      };
    });
}

async function demoTown(): Promise<{ emu: Emulator; dataDir: string }> {
  let functionsDir = process.env.FUNCTIONS_DIR ?? process.env.ZJF_FUNCTIONS_DIR;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-shots-'));
  if (!functionsDir) {
    functionsDir = path.join(dataDir, 'functions');
    await buildFunctions(functionsDir);
  }
  const emu = await startEmulator({
    port: 0,
    dataDir: path.join(dataDir, 'store'),
    functionsDir: path.resolve(functionsDir),
    functionEnv: DEMO_FUNCTION_ENV,
    clockAt: SHOTS_AT,
    quiet: true,
  });
  await seedDemo(emu);
  return { emu, dataDir };
}

/** Runs the render stage; asynchronously, since the emulator answering its requests lives in this process. */
function renderPages(plan: RenderPlan, verbose: boolean): Promise<{ status: number; output: string }> {
  const planFile = path.join(plan.outDir, 'html', 'plan.json');
  fs.mkdirSync(path.dirname(planFile), { recursive: true });
  fs.rmSync(path.join(plan.outDir, 'html', MANIFEST), { force: true });
  fs.writeFileSync(planFile, JSON.stringify(plan, null, 2));
  const jest = require.resolve('jest/bin/jest');
  const child = spawn(
    process.execPath,
    [jest, '--config', path.join(__dirname, 'jest.config.js'), '--ci', '--silent', '--runInBand'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, SHOTS_PLAN: planFile },
      stdio: verbose ? 'inherit' : 'pipe',
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, output }));
  });
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function findingsOf(entry: ReportEntry): string[] {
  const found: string[] = [];
  if (entry.smallText.length > 0) {
    const smallest = Math.min(...entry.smallText.map((s) => s.fontSize));
    found.push(`${entry.smallText.length} text(s) under ${entry.minFontPx}px (smallest ${smallest}px)`);
  }
  if (entry.overflow.length > 0 || entry.pageWidth > 375) {
    found.push(`${entry.overflow.length} element(s) past the screen's edge (page ${entry.pageWidth}px wide)`);
  }
  if (entry.squeezed.length > 0) {
    found.push(`${entry.squeezed.length} text(s) squeezed to a character or two a line`);
  }
  if (entry.primary && !entry.primary.onFirstScreen) {
    found.push(
      entry.primary.found
        ? `${entry.primary.text} below the first screen (at ${entry.primary.top}–${entry.primary.bottom}px)`
        : `${entry.primary.text} not found`,
    );
  }
  return found;
}

function indexHtml(report: ReportEntry[], errors: { name: string; error: string }[]): string {
  const cards = report
    .map((e) => {
      const found = findingsOf(e);
      const image = e.png
        ? `<a href="${escapeHtml(path.basename(e.png))}"><img src="${escapeHtml(path.basename(e.png))}" width="375" height="812" loading="lazy" alt="${escapeHtml(e.name)}"></a>`
        : '';
      return `<figure id="${escapeHtml(e.name)}">${image}<figcaption><b>${escapeHtml(e.name)}</b><br>${escapeHtml(
        e.page,
      )}<br>${escapeHtml(e.caption)}${found.map((f) => `<br><span class="finding">${escapeHtml(f)}</span>`).join('')}</figcaption></figure>`;
    })
    .join('\n');
  const failed = errors
    .map((e) => `<li><b>${escapeHtml(e.name)}</b><pre>${escapeHtml(e.error)}</pre></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>攒积分 · screenshots</title>
<style>
body { font-family: sans-serif; margin: 24px; background: #fafafa; }
figure { display: inline-block; vertical-align: top; width: 375px; margin: 0 24px 32px 0; }
img { border: 1px solid #ccc; background: #fff; }
figcaption { font-size: 14px; line-height: 1.5; }
.finding { color: #c5221f; }
</style></head><body>
<h1>攒积分 · screenshots (375 × 812, device scale 2)</h1>
<p>${report.length} shots · layout report: <a href="layout-report.json">layout-report.json</a></p>
${failed ? `<h2>Rendering errors</h2><ul>${failed}</ul>` : ''}
${cards}
</body></html>
`;
}

export async function runShots(options: ShotsOptions): Promise<ShotsResult> {
  findChromium();
  const keep = (name: string) =>
    options.only.length === 0 ||
    options.only.some((o) => (o.endsWith('*') ? name.startsWith(o.slice(0, -1)) : name === o));
  const shots: Shot[] = options.app ? allShots().filter((s) => keep(s.name)) : [];
  const fixtures = options.fixturesDir ? fixtureShots(options.fixturesDir).filter((f) => keep(f.name)) : [];
  fs.mkdirSync(options.outDir, { recursive: true });

  const town = shots.length > 0 ? await demoTown() : undefined;
  let rendered: RenderedShot[] = [];
  const errors: { name: string; error: string }[] = [];
  try {
    const plan: RenderPlan = { outDir: options.outDir, baseUrl: town?.emu.url ?? '', shots, fixtures };
    const run = await renderPages(plan, options.verbose);
    const manifestFile = path.join(options.outDir, 'html', MANIFEST);
    if (fs.existsSync(manifestFile)) {
      rendered = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as RenderedShot[];
    }
    if (run.status !== 0 || !fs.existsSync(manifestFile)) {
      errors.push({ name: '(render stage)', error: `jest exited with ${run.status}\n${run.output}` });
    }
  } finally {
    if (town) {
      await town.emu.stop();
      fs.rmSync(town.dataDir, { recursive: true, force: true });
    }
  }
  for (const r of rendered) if (r.error) errors.push({ name: r.name, error: r.error });
  const names = new Set(rendered.map((r) => r.name));
  for (const wanted of [...shots.map((s) => s.name), ...fixtures.map((f) => f.name)]) {
    if (!names.has(wanted)) errors.push({ name: wanted, error: 'not rendered' });
  }

  const report = await capture(rendered, {
    outDir: options.outDir,
    png: options.png,
    fullPage: options.fullPage,
  });
  fs.writeFileSync(path.join(options.outDir, 'layout-report.json'), JSON.stringify(report, null, 2));
  if (options.png) fs.writeFileSync(path.join(options.outDir, 'index.html'), indexHtml(report, errors));
  const findings = report.reduce((n, e) => n + findingsOf(e).length, 0);
  const exitCode = errors.length > 0 || (options.strict && findings > 0) ? 1 : 0;
  return { report, errors, findings, exitCode };
}

function printSummary(result: ShotsResult, options: ShotsOptions): void {
  const { report, errors } = result;
  const list = (title: string, names: string[]) =>
    console.log(`${title}: ${names.length === 0 ? 'none' : `${names.length}\n  ${names.join('\n  ')}`}`);
  console.log(`\n${report.length} page(s) checked${options.png ? `, screenshots in ${options.outDir}` : ''}`);
  list(
    'Text under the minimum (12px, care mode 18px)',
    report
      .filter((e) => e.smallText.length > 0)
      .map(
        (e) =>
          `${e.name}: ${e.smallText.length}, smallest ${Math.min(...e.smallText.map((s) => s.fontSize))}px`,
      ),
  );
  list(
    "Past the screen's edge",
    report
      .filter((e) => e.overflow.length > 0 || e.pageWidth > 375)
      .map((e) => `${e.name}: ${e.overflow.map((o) => o.element).join(', ')}`),
  );
  list(
    'Text squeezed to a character or two a line',
    report
      .filter((e) => e.squeezed.length > 0)
      .map((e) => `${e.name}: ${e.squeezed.map((q) => `“${q.text}” in ${q.lines} lines`).join(', ')}`),
  );
  list(
    'Primary button not on the first screen',
    report
      .filter((e) => e.primary && !e.primary.onFirstScreen)
      .map(
        (e) => `${e.name}: ${e.primary?.text} ${e.primary?.found ? `at ${e.primary.top}px` : 'not found'}`,
      ),
  );
  console.log(`Layout report: ${path.join(options.outDir, 'layout-report.json')}`);
  if (errors.length > 0) {
    console.error(`\n${errors.length} rendering error(s):`);
    for (const e of errors) console.error(`- ${e.name}: ${e.error.split('\n').slice(0, 12).join('\n    ')}`);
  }
  if (options.strict && result.findings > 0) console.error(`--strict: ${result.findings} layout finding(s)`);
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  runShots(options)
    .then((result) => {
      printSummary(result, options);
      process.exit(result.exitCode);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
