/**
 * Loads a page or component of miniprogram/ through miniprogram-simulate with WeChat's own WXML compiler,
 * mapping its npm-style `usingComponents` (`tdesign-miniprogram/…`) to the built miniprogram_npm.
 *
 * Compiled once per test file: the first `renderPage(page)` loads the page (wcc compiles the WXML, the page's
 * module runs and calls `Component`); later calls only render a fresh instance of the same definition. Pages
 * rendered during a test are detached after it. Importing this module registers that hook and fresh-app.ts's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import './fresh-app';

export const miniprogramRoot = path.resolve(__dirname, '../../miniprogram');

type Definition = Record<string, unknown> & { relations?: Record<string, Record<string, unknown>> };

/**
 * simulate registers each component by running its module, which calls `Component(options)`. Jest runs a
 * module once per test file, so a component already run for one page (a TDesign button) would stay
 * unregistered under the new id another page's load gives it. Its options are kept from that first run and
 * passed to `Component` again instead. `relations` are copied: simulate rewrites their keys in place.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulateUtils = require('miniprogram-simulate/src/utils') as { runJs: (file: string) => void };
const runModule = simulateUtils.runJs;
const globals = globalThis as unknown as { Component: (options: Definition) => unknown };
const definitions = new Map<string, Definition>();

const copyDefinition = (options: Definition): Definition => ({
  ...options,
  ...(options.relations
    ? {
        relations: Object.fromEntries(
          Object.entries(options.relations).map(([key, value]) => [key, { ...value }]),
        ),
      }
    : {}),
});

simulateUtils.runJs = (file: string) => {
  const known = definitions.get(file);
  if (known) {
    globals.Component(copyDefinition(known));
    return;
  }
  const register = globals.Component;
  globals.Component = (options: Definition) => {
    definitions.set(file, copyDefinition(options));
    return register(options);
  };
  try {
    runModule(file);
  } finally {
    globals.Component = register;
  }
};

/**
 * The npm-style components of a page and of the local components it uses, however deep: simulate applies one
 * mapping to every component it registers for the page, so a component's own TDesign tags must be in it too.
 */
function npmComponents(jsonFile: string, seen = new Set<string>()): Record<string, string> {
  if (seen.has(jsonFile)) return {};
  seen.add(jsonFile);
  const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> };
  const mapping: Record<string, string> = {};
  for (const [tag, spec] of Object.entries(json.usingComponents ?? {})) {
    if (!spec.startsWith('.') && !spec.startsWith('/')) {
      mapping[tag] = `/miniprogram_npm/${spec}`;
      continue;
    }
    const local = spec.startsWith('/')
      ? path.join(miniprogramRoot, spec)
      : path.join(path.dirname(jsonFile), spec);
    Object.assign(mapping, npmComponents(`${local}.json`, seen));
  }
  return mapping;
}

/** The component id of each page loaded in this test file. */
const loaded = new Map<string, string>();
/** Pages rendered since the last `closePages`. */
const open: { detach(): void }[] = [];

function componentId(page: string): string {
  const cached = loaded.get(page);
  if (cached) return cached;
  const componentPath = path.join(miniprogramRoot, page);
  const id = simulate.load(componentPath, {
    rootPath: miniprogramRoot,
    usingComponents: npmComponents(`${componentPath}.json`),
    compilerOptions: { maxBuffer: 100 * 1024 * 1024 },
  });
  if (!id) throw new Error(`miniprogram-simulate could not load ${page}`);
  loaded.set(page, id);
  return id;
}

/**
 * Renders and attaches a fresh instance of `page` (e.g. `pages/rules/index`), loading it on first use; a
 * component may be given its properties (set before it is attached, as a page's template would).
 */
export function renderPage(page: string, properties?: Record<string, unknown>) {
  const rendered = simulate.render(componentId(page), properties);
  rendered.attach(document.createElement('parent-wrapper'));
  open.push(rendered);
  return rendered;
}

/** Detaches every page rendered since the last call (as leaving them would: their components' `detached`). */
export function closePages(): void {
  for (const rendered of open.splice(0)) rendered.detach();
}

afterEach(closePages);
