/**
 * Checks a mini-program the way WeChat would, without DevTools. Each checker takes a folder and returns a list
 * of problems (empty when healthy), so the CLI (scripts/check-mp.ts) and the tests (test/tooling) share them.
 *
 * - checkAppJson: app.json integrity (pages on disk, subpackages, tab bar, usingComponents resolve).
 * - checkWxml / checkWxss: WeChat's own compilers (wcc, wcsc from miniprogram-compiler), one file at a time.
 * - checkTypes: tsc on a tsconfig, every diagnostic named by file and line.
 * - compileWithCi: miniprogram-ci's getCompiledResult (TS → JS as DevTools uploads it) and checkCodeQuality,
 *   in a child process (miniprogram-ci leaves watchers open); measurePackages/checkPackageSizes on its output.
 */
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

export interface Problem {
  /** Which checker found it. */
  check: 'app.json' | 'wxml' | 'wxss' | 'types' | 'compile' | 'size';
  /** Path relative to the checked folder (or the tsconfig's folder), `/`-separated. */
  file: string;
  message: string;
}

export const KB = 1024;
/** WeChat's limits: 2 MB for the main package and for each subpackage, 20 MB for all of them together. */
export const PACKAGE_LIMIT = 2 * 1024 * KB;
export const TOTAL_LIMIT = 20 * 1024 * KB;

const NPM_DIR = 'miniprogram_npm';
const toPosix = (p: string): string => p.split(path.sep).join('/');

interface AppJson {
  pages?: unknown;
  subpackages?: unknown;
  subPackages?: unknown;
  tabBar?: { list?: { pagePath?: string; iconPath?: string; selectedIconPath?: string }[] };
  usingComponents?: Record<string, string>;
  sitemapLocation?: string;
}

interface ComponentJson {
  usingComponents?: Record<string, string>;
}

export interface PageEntry {
  /** e.g. `pages/rules/index` or `packageCadre/review/index`. */
  path: string;
  /** Subpackage root (`packageCadre`), or null for the main package. */
  packageRoot: string | null;
}

export interface SubpackageEntry {
  root: string;
  name: string;
}

function readJsonFile<T>(file: string): { value?: T; error?: string } {
  if (!existsSync(file)) return { error: 'file not found' };
  try {
    return { value: JSON.parse(readFileSync(file, 'utf8')) as T };
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
}

function readAppJson(root: string): { app?: AppJson; problems: Problem[] } {
  const { value, error } = readJsonFile<AppJson>(path.join(root, 'app.json'));
  if (error || !value)
    return { problems: [{ check: 'app.json', file: 'app.json', message: error ?? 'empty' }] };
  return { app: value, problems: [] };
}

function rawSubpackages(app: AppJson): { root?: unknown; name?: unknown; pages?: unknown }[] {
  const list = app.subpackages ?? app.subPackages ?? [];
  return Array.isArray(list) ? (list as { root?: unknown; name?: unknown; pages?: unknown }[]) : [];
}

export function listSubpackages(root: string): SubpackageEntry[] {
  const { app } = readAppJson(root);
  if (!app) return [];
  return rawSubpackages(app)
    .filter((sub) => typeof sub.root === 'string')
    .map((sub) => {
      const subRoot = (sub.root as string).replace(/\/+$/, '');
      return { root: subRoot, name: typeof sub.name === 'string' ? sub.name : subRoot };
    });
}

/** Every page app.json declares, main package first. */
export function listPages(root: string): PageEntry[] {
  const { app } = readAppJson(root);
  if (!app) return [];
  const pages: PageEntry[] = [];
  if (Array.isArray(app.pages)) {
    for (const page of app.pages) if (typeof page === 'string') pages.push({ path: page, packageRoot: null });
  }
  for (const sub of rawSubpackages(app)) {
    if (typeof sub.root !== 'string' || !Array.isArray(sub.pages)) continue;
    const subRoot = sub.root.replace(/\/+$/, '');
    for (const page of sub.pages) {
      if (typeof page === 'string') pages.push({ path: `${subRoot}/${page}`, packageRoot: subRoot });
    }
  }
  return pages;
}

const hasScript = (base: string): boolean => existsSync(`${base}.ts`) || existsSync(`${base}.js`);

/**
 * Resolves a `usingComponents` value declared in `fromJson` (a path relative to root) the way the runtime does:
 * `/abs` from the root, `./rel` and `../rel` from the declaring file, anything else from the nearest
 * `miniprogram_npm` (a bare package name means its `index`). Returns the component's path without extension,
 * relative to root, or null when no component is there. `plugin://` components are not resolvable offline.
 */
export function resolveComponent(root: string, fromJson: string, spec: string): string | null {
  const exists = (relative: string): boolean => {
    const base = path.join(root, relative);
    return existsSync(`${base}.json`) && existsSync(`${base}.wxml`) && hasScript(base);
  };
  const fromDir = path.posix.dirname(fromJson);
  if (spec.startsWith('/')) {
    const candidate = path.posix.normalize(spec.slice(1));
    return exists(candidate) ? candidate : null;
  }
  if (spec.startsWith('.')) {
    const candidate = path.posix.normalize(path.posix.join(fromDir, spec));
    return !candidate.startsWith('..') && exists(candidate) ? candidate : null;
  }
  for (let dir = fromDir; ; dir = path.posix.dirname(dir)) {
    const npmRoot = dir === '.' ? NPM_DIR : `${dir}/${NPM_DIR}`;
    for (const candidate of [`${npmRoot}/${spec}`, `${npmRoot}/${spec}/index`]) {
      if (exists(candidate)) return candidate;
    }
    if (dir === '.' || dir === '') return null;
  }
}

export interface ComponentGraph {
  /** Pages and components of this project (outside miniprogram_npm), without extension. */
  local: string[];
  /** Library components reached from them (inside miniprogram_npm), without extension. */
  npm: string[];
  problems: Problem[];
}

/** Walks app.json, every page and every component they use, recursively, resolving each usingComponents. */
export function collectComponents(root: string): ComponentGraph {
  const problems: Problem[] = [];
  const local = new Set<string>();
  const npm = new Set<string>();
  const queue: string[] = [];

  const visitUsing = (jsonFile: string, using: unknown): void => {
    if (using === undefined) return;
    if (typeof using !== 'object' || using === null || Array.isArray(using)) {
      problems.push({ check: 'app.json', file: jsonFile, message: 'usingComponents must be an object' });
      return;
    }
    for (const [tag, spec] of Object.entries(using as Record<string, unknown>)) {
      if (typeof spec !== 'string' || spec === '') {
        problems.push({ check: 'app.json', file: jsonFile, message: `usingComponents "${tag}" has no path` });
        continue;
      }
      if (spec.startsWith('plugin://') || spec.startsWith('plugin-private://')) continue;
      const resolved = resolveComponent(root, jsonFile, spec);
      if (!resolved) {
        problems.push({
          check: 'app.json',
          file: jsonFile,
          message: `usingComponents "${tag}": "${spec}" does not resolve to a component (.json, .wxml and .ts/.js)`,
        });
        continue;
      }
      if (resolved.startsWith(`${NPM_DIR}/`) || resolved.includes(`/${NPM_DIR}/`)) {
        if (!npm.has(resolved)) {
          npm.add(resolved);
          queue.push(resolved);
        }
      } else if (!local.has(resolved)) {
        local.add(resolved);
        queue.push(resolved);
      }
    }
  };

  const { app } = readAppJson(root);
  if (app) visitUsing('app.json', app.usingComponents);
  for (const page of listPages(root)) {
    if (existsSync(path.join(root, `${page.path}.json`)) && !local.has(page.path)) {
      local.add(page.path);
      queue.push(page.path);
    }
  }
  while (queue.length > 0) {
    const component = queue.shift() as string;
    const jsonFile = `${component}.json`;
    const { value, error } = readJsonFile<ComponentJson>(path.join(root, jsonFile));
    if (error || !value) {
      problems.push({ check: 'app.json', file: jsonFile, message: error ?? 'empty' });
      continue;
    }
    visitUsing(jsonFile, value.usingComponents);
  }
  return { local: [...local].sort(), npm: [...npm].sort(), problems };
}

/** app.json integrity: pages on disk with .ts/.wxml/.json, subpackages sane, tab bar in the main package, components resolve. */
export function checkAppJson(root: string): Problem[] {
  const { app, problems } = readAppJson(root);
  if (!app) return problems;
  const problem = (file: string, message: string): void =>
    void problems.push({ check: 'app.json', file, message });

  if (!Array.isArray(app.pages) || app.pages.length === 0)
    problem('app.json', '"pages" must list at least one page');
  const pages = listPages(root);
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.path)) problem('app.json', `page "${page.path}" is listed twice`);
    seen.add(page.path);
    const base = path.join(root, page.path);
    const missing = ['.ts', '.wxml', '.json'].filter((ext) =>
      ext === '.ts' ? !hasScript(base) : !existsSync(`${base}${ext}`),
    );
    if (missing.length === 3) problem('app.json', `page "${page.path}" is listed but not on disk`);
    else if (missing.length > 0) problem(`${page.path}`, `page is missing ${missing.join(', ')}`);
  }

  const subRoots: string[] = [];
  for (const sub of rawSubpackages(app)) {
    if (typeof sub.root !== 'string' || sub.root === '') {
      problem('app.json', 'a subpackage has no "root"');
      continue;
    }
    const subRoot = sub.root.replace(/\/+$/, '');
    subRoots.push(subRoot);
    if (!Array.isArray(sub.pages) || sub.pages.length === 0)
      problem('app.json', `subpackage "${subRoot}" lists no pages`);
    if (!existsSync(path.join(root, subRoot)))
      problem('app.json', `subpackage root "${subRoot}" is not on disk`);
  }
  for (const page of pages) {
    if (page.packageRoot === null && subRoots.some((r) => page.path.startsWith(`${r}/`))) {
      problem('app.json', `main-package page "${page.path}" lies inside a subpackage root`);
    }
  }

  const tabList = app.tabBar?.list;
  if (app.tabBar && (!Array.isArray(tabList) || tabList.length < 2 || tabList.length > 5)) {
    problem('app.json', 'tabBar.list must have 2 to 5 items');
  }
  for (const item of Array.isArray(tabList) ? tabList : []) {
    const target = pages.find((p) => p.path === item.pagePath);
    if (!target) problem('app.json', `tabBar page "${String(item.pagePath)}" is not in "pages"`);
    else if (target.packageRoot !== null)
      problem('app.json', `tabBar page "${target.path}" must be in the main package`);
    for (const icon of [item.iconPath, item.selectedIconPath]) {
      if (icon && !existsSync(path.join(root, icon)))
        problem('app.json', `tabBar icon "${icon}" is not on disk`);
    }
  }

  if (app.sitemapLocation && !existsSync(path.join(root, app.sitemapLocation))) {
    problem('app.json', `sitemapLocation "${app.sitemapLocation}" is not on disk`);
  }
  problems.push(...collectComponents(root).problems);
  return problems;
}

function listFiles(root: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === NPM_DIR || entry.name.startsWith('.')) continue;
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(ext)) out.push(relative);
    }
  };
  walk('');
  return out.sort();
}

function compilerBinary(name: 'wcc' | 'wcsc'): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `${name} from miniprogram-compiler is run here only on Linux x64 (found ${process.platform}/${process.arch})`,
    );
  }
  const binary = path.join(
    path.dirname(createRequire(__filename).resolve('miniprogram-compiler/package.json')),
    'bin',
    'linux',
    name,
  );
  if ((statSync(binary).mode & 0o111) === 0) {
    // npm may drop the mode (the postinstall script restores it); try once more before giving up.
    try {
      chmodSync(binary, 0o755);
    } catch {
      throw new Error(`${binary} is not executable: chmod +x it (npm may drop the mode)`);
    }
  }
  return binary;
}

const firstLines = (text: string): string => text.trim().split('\n').slice(0, 5).join(' | ');

/** Runs a WeChat compiler on one file of `root`: its failure as a problem of `check`, or null when it compiled. */
function compileProblem(
  root: string,
  compiler: { name: 'wcc' | 'wcsc'; binary: string },
  check: Problem['check'],
  file: string,
  args: string[],
): Problem | null {
  const result = spawnSync(compiler.binary, args, { cwd: root, maxBuffer: 100 * 1024 * KB });
  if (result.error) throw result.error;
  if (result.status === 0) return null;
  const detail = firstLines(result.stderr.toString() || result.stdout.toString()) || `exit ${result.status}`;
  return { check, file, message: `${compiler.name}: ${detail}` };
}

/**
 * Compiles every WXML outside miniprogram_npm (pages, local components, templates) with wcc, one file at a
 * time so each failure names its file. A page's custom tags are passed as wcc does in DevTools.
 */
export function checkWxml(root: string): Problem[] {
  const wcc = { name: 'wcc' as const, binary: compilerBinary('wcc') };
  const problems: Problem[] = [];
  for (const file of listFiles(root, '.wxml')) {
    const json = readJsonFile<ComponentJson>(path.join(root, file.replace(/\.wxml$/, '.json'))).value;
    const tags = Object.keys(json?.usingComponents ?? {});
    const componentArgs = tags.length > 0 ? ['1', file, String(tags.length), ...tags] : ['0'];
    const args = ['-d', '-cc', componentArgs.join(' '), file, '-gn', '$gwx'];
    const problem = compileProblem(root, wcc, 'wxml', file, args);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * The `<text>` elements whose content spans source lines: WeChat renders a `<text>`'s newlines and indentation
 * as they are (blank lines in the middle of a label), unlike a `<view>`'s. Tag-level parse: `{{ }}` may hold
 * `>`; a nested `<text>` is its own element; Prettier (whitespace-sensitive for WXML) may close a tag as
 * `</text\n>`.
 */
export function findMultilineText(wxml: string): { line: number; content: string }[] {
  const found: { line: number; content: string }[] = [];
  const openTag = /<text(?=[\s>/])(?:\{\{[\s\S]*?\}\}|[^>])*>/g;
  for (let match = openTag.exec(wxml); match; match = openTag.exec(wxml)) {
    if (match[0].endsWith('/>')) continue;
    const start = match.index + match[0].length;
    const close = /<\/text\s*>/g;
    close.lastIndex = start;
    const end = close.exec(wxml)?.index ?? -1;
    const nested = wxml.indexOf('<text', start);
    const stop = end < 0 ? wxml.length : nested >= 0 && nested < end ? nested : end;
    const content = wxml.slice(start, stop);
    if (content.includes('\n')) {
      found.push({ line: wxml.slice(0, start).split('\n').length, content: content.trim() });
    }
  }
  return found;
}

/** Every WXML outside miniprogram_npm with a `<text>` whose content spans lines. */
export function checkTextContent(root: string): Problem[] {
  return listFiles(root, '.wxml').flatMap((file) =>
    findMultilineText(readFileSync(path.join(root, file), 'utf8')).map(({ line, content }) => ({
      check: 'wxml',
      file,
      message: `line ${line}: <text> content spans lines and renders them (put "${content.slice(0, 30)}" on the tag's line)`,
    })),
  );
}

/** The WXSS files `file` imports (`@import '../lib/shop.wxss';`), however deep, relative to `root`. */
function wxssImports(root: string, file: string, seen = new Set<string>()): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  for (const match of text.matchAll(/@import\s+["']([^"']+)["']\s*;/g)) {
    const target = match[1].startsWith('/')
      ? match[1].slice(1)
      : path.posix.join(path.posix.dirname(file), match[1]);
    if (seen.has(target) || !existsSync(path.join(root, target))) continue;
    seen.add(target);
    wxssImports(root, target, seen);
  }
  return [...seen];
}

/**
 * Compiles every WXSS outside miniprogram_npm with wcsc, one file at a time (with the files it imports, which
 * wcsc must be given to resolve them; a missing one is reported by wcsc).
 */
export function checkWxss(root: string): Problem[] {
  const wcsc = { name: 'wcsc' as const, binary: compilerBinary('wcsc') };
  const problems: Problem[] = [];
  for (const file of listFiles(root, '.wxss')) {
    const isComponent = existsSync(path.join(root, file.replace(/\.wxss$/, '.json')));
    const args = ['-db', '-pc', isComponent ? '1' : '0', file, ...wxssImports(root, file)];
    const problem = compileProblem(root, wcsc, 'wxss', file, args);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Type-checks the project of `tsconfigPath` (no emit); each diagnostic names its file relative to the tsconfig. */
export function checkTypes(tsconfigPath: string): Problem[] {
  const configDir = path.dirname(path.resolve(tsconfigPath));
  const relative = (file: string): string => toPosix(path.relative(configDir, file));
  const read = ts.readConfigFile(tsconfigPath, (file) => ts.sys.readFile(file));
  if (read.error) {
    return [
      {
        check: 'types',
        file: relative(tsconfigPath),
        message: ts.flattenDiagnosticMessageText(read.error.messageText, '\n'),
      },
    ];
  }
  const parsed = ts.parseJsonConfigFileContent(
    read.config,
    ts.sys,
    configDir,
    { noEmit: true },
    tsconfigPath,
  );
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
  });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined)
      return { check: 'types', file: relative(tsconfigPath), message: `TS${d.code}: ${message}` };
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return {
      check: 'types',
      file: relative(d.file.fileName),
      message: `${line + 1}:${character + 1} TS${d.code}: ${message}`,
    };
  });
}

export interface CiResult {
  /** Every file getCompiledResult would upload, with its size in bytes (path relative to miniprogramRoot). */
  files: Record<string, number>;
  /** checkCodeQuality's findings as `name: text`, with failures marked; empty if it could not run. */
  quality: { name: string; success: boolean; text: string }[];
  problems: Problem[];
}

// Runs in a child `node` so miniprogram-ci's open watchers and logs never reach the caller (CLI or jest).
const CI_CHILD = `
const ci = require('miniprogram-ci');
const fs = require('fs');
const [projectPath, outFile] = process.argv.slice(1);
(async () => {
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline-dummy-key', ignores: ['node_modules/**/*'] });
  project.attr = async () => ci.DefaultProjectAttr;
  const compiled = await ci.getCompiledResult({ project, version: '0.0.0', setting: { useProjectConfig: true } });
  const files = {};
  for (const [name, content] of Object.entries(compiled)) files[name] = Buffer.byteLength(content);
  let quality = [];
  try {
    quality = (await ci.checkCodeQuality(project)).map((item) => ({ name: item.name, success: item.success, text: item.text }));
  } catch (error) {
    quality = [{ name: 'checkCodeQuality', success: false, text: String(error && error.message || error) }];
  }
  fs.writeFileSync(outFile, JSON.stringify({ files, quality }));
  process.exit(0);
})().catch((error) => { fs.writeFileSync(outFile, JSON.stringify({ error: String(error && error.stack || error) })); process.exit(1); });
`;

/** miniprogram-ci's errors start with `Error: file: pages/x/index.ts` and end in a stack: keep the file and the reason. */
function describeCompileError(error: string): Problem {
  const file = /file: (\S+)/.exec(error)?.[1] ?? 'project.config.json';
  const reason = error
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) && !/^Error: file: /.test(line) && line.trim() !== '')
    .slice(0, 6)
    .join('\n');
  return { check: 'compile', file, message: `miniprogram-ci: ${reason}` };
}

/** Compiles the project (folder with project.config.json) as DevTools would upload it, offline. */
export function compileWithCi(projectPath: string): CiResult {
  const outFile = path.join(
    os.tmpdir(),
    `mp-ci-${process.pid}-${crypto.randomBytes(4).toString('hex')}.json`,
  );
  const child = spawnSync(process.execPath, ['-e', CI_CHILD, path.resolve(projectPath), outFile], {
    cwd: path.resolve(projectPath),
    encoding: 'utf8',
    maxBuffer: 100 * 1024 * KB,
    timeout: 180_000,
  });
  let output: { files?: Record<string, number>; quality?: CiResult['quality']; error?: string } = {};
  try {
    output = JSON.parse(readFileSync(outFile, 'utf8')) as typeof output;
  } catch {
    output = {
      error: `miniprogram-ci produced no result (exit ${child.status}): ${firstLines(child.stderr ?? '')}`,
    };
  } finally {
    rmSync(outFile, { force: true });
  }
  if (output.error || !output.files) {
    return {
      files: {},
      quality: [],
      problems: [describeCompileError(output.error ?? 'no files')],
    };
  }
  return { files: output.files, quality: output.quality ?? [], problems: [] };
}

export interface PackageSize {
  /** `main` or the subpackage's name. */
  name: string;
  root: string | null;
  bytes: number;
}

/** Splits compiled files into the main package and each subpackage by root folder. */
export function measurePackages(
  files: Record<string, number>,
  subpackages: readonly SubpackageEntry[],
): PackageSize[] {
  const sizes: PackageSize[] = [
    { name: 'main', root: null, bytes: 0 },
    ...subpackages.map((sub) => ({ name: sub.name, root: sub.root, bytes: 0 })),
  ];
  for (const [file, bytes] of Object.entries(files)) {
    if (file === 'project.config.json' || file === 'project.private.config.json') continue;
    const target = sizes.find((s) => s.root !== null && file.startsWith(`${s.root}/`)) ?? sizes[0];
    target.bytes += bytes;
  }
  return sizes;
}

export const formatKb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

export function checkPackageSizes(sizes: readonly PackageSize[]): Problem[] {
  const problems: Problem[] = [];
  for (const size of sizes) {
    if (size.bytes > PACKAGE_LIMIT) {
      problems.push({
        check: 'size',
        file: size.root ?? 'app.json',
        message: `${size.name === 'main' ? 'main package' : `subpackage ${size.name}`} is ${formatKb(size.bytes)}, over the ${formatKb(PACKAGE_LIMIT)} limit`,
      });
    }
  }
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  if (total > TOTAL_LIMIT) {
    problems.push({
      check: 'size',
      file: 'app.json',
      message: `all packages are ${formatKb(total)}, over ${formatKb(TOTAL_LIMIT)}`,
    });
  }
  return problems;
}

export const describeProblem = (p: Problem): string => `[${p.check}] ${p.file}: ${p.message}`;
