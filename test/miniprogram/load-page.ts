/**
 * Loads a page or component of miniprogram/ through miniprogram-simulate with WeChat's own WXML compiler,
 * mapping its npm-style `usingComponents` (`tdesign-miniprogram/…`) to the built miniprogram_npm.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

export const miniprogramRoot = path.resolve(__dirname, '../../miniprogram');

function npmComponents(jsonFile: string): Record<string, string> {
  const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> };
  const mapping: Record<string, string> = {};
  for (const [tag, spec] of Object.entries(json.usingComponents ?? {})) {
    if (!spec.startsWith('.') && !spec.startsWith('/')) mapping[tag] = `/miniprogram_npm/${spec}`;
  }
  return mapping;
}

/** Loads, renders and attaches `page` (e.g. `pages/rules/index`); call `jest.resetModules()` before a reload. */
export function renderPage(page: string) {
  const componentPath = path.join(miniprogramRoot, page);
  const id = simulate.load(componentPath, {
    rootPath: miniprogramRoot,
    usingComponents: npmComponents(`${componentPath}.json`),
    compilerOptions: { maxBuffer: 100 * 1024 * 1024 },
  });
  const rendered = simulate.render(id);
  rendered.attach(document.createElement('parent-wrapper'));
  return rendered;
}
