/**
 * The big screen's static page: `index.html`, `screen.css`, `screen.js` (bundled from screen.ts) and `config.js`
 * (where the `screen` function answers). The deploy uploads the folder to CloudBase static hosting; the local
 * emulator serves the same files at `/screen/`.
 */
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = __dirname;

/** The page's files by name, with `config.js` pointing at `apiUrl`. */
export function screenPageFiles(apiUrl: string): Record<string, string> {
  const bundle = buildSync({
    entryPoints: [path.join(SOURCE, 'screen.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2019',
    minify: true,
    logLevel: 'warning',
  });
  return {
    'index.html': fs.readFileSync(path.join(SOURCE, 'index.html'), 'utf8'),
    'screen.css': fs.readFileSync(path.join(SOURCE, 'screen.css'), 'utf8'),
    'screen.js': bundle.outputFiles[0].text,
    'config.js': `window.ZJF_SCREEN_API = ${JSON.stringify(apiUrl)};\n`,
  };
}

export function writeScreenPage(outDir: string, apiUrl: string): string[] {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const files = screenPageFiles(apiUrl);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text);
  return Object.keys(files).map((name) => path.join(outDir, name));
}
