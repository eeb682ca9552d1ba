/**
 * The Chromium stage of `npm run shots`: each rendered page's HTML opened at 375 × 812 CSS px, device scale 2,
 * in Debian's chromium through puppeteer-core; the layout checks (layout.ts) run in it, and its first screen is
 * saved as a PNG unless only the report is wanted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import puppeteer from 'puppeteer-core';
import {
  MIN_CARE_FONT_PX,
  MIN_FONT_PX,
  SCREEN_HEIGHT,
  SCREEN_WIDTH,
  TAB_BAR_HEIGHT,
  type LayoutFindings,
  type LayoutOptions,
} from './layout';
import type { RenderedShot } from './plan';

export const INSTALL_HINT = 'apt-get install -y chromium';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The browser to drive: CHROMIUM_PATH, else Debian's chromium; a clear error naming the install otherwise. */
export function findChromium(): string {
  const wanted = process.env.CHROMIUM_PATH;
  const found = wanted
    ? [wanted].filter((p) => fs.existsSync(p))
    : CANDIDATES.filter((p) => fs.existsSync(p));
  if (found.length === 0) {
    throw new Error(
      `Chromium is not installed${wanted ? ` at CHROMIUM_PATH=${wanted}` : ''}: the screenshots and the layout ` +
        `report need Debian's chromium package. Install it with: ${INSTALL_HINT} (as root, after apt-get update).`,
    );
  }
  return found[0];
}

export interface ReportEntry extends LayoutFindings {
  name: string;
  page: string;
  state: string;
  caption: string;
  careMode: boolean;
  minFontPx: number;
  png?: string;
}

export interface CaptureOptions {
  outDir: string;
  png: boolean;
  /** The whole page's height instead of the first screen. */
  fullPage?: boolean;
}

/** The in-page checks (in-page/check-layout.ts) as a script that defines `shotsCheckLayout` in the page. */
export function checksScript(): string {
  const source = fs.readFileSync(path.join(__dirname, 'in-page', 'check-layout.ts'), 'utf8');
  return transformSync(source, { loader: 'ts', format: 'iife', target: 'es2020' }).code;
}

export async function capture(shots: RenderedShot[], options: CaptureOptions): Promise<ReportEntry[]> {
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--font-render-hinting=none',
      '--hide-scrollbars',
    ],
  });
  const report: ReportEntry[] = [];
  const checks = checksScript();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: SCREEN_WIDTH, height: SCREEN_HEIGHT, deviceScaleFactor: 2 });
    for (const shot of shots) {
      if (!shot.html) continue;
      await page.goto(pathToFileURL(shot.html).href, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready.then(() => true)');
      const minFontPx = shot.careMode ? MIN_CARE_FONT_PX : MIN_FONT_PX;
      await page.addScriptTag({ content: checks });
      const layout: LayoutOptions = {
        width: SCREEN_WIDTH,
        fold: SCREEN_HEIGHT - (shot.tabPage ? TAB_BAR_HEIGHT : 0),
        minFontPx,
        ...(shot.primary ? { primary: shot.primary } : {}),
      };
      const findings = (await page.evaluate(`shotsCheckLayout(${JSON.stringify(layout)})`)) as LayoutFindings;
      const entry: ReportEntry = {
        name: shot.name,
        page: shot.page,
        state: shot.state,
        caption: shot.caption,
        careMode: shot.careMode,
        minFontPx,
        ...findings,
      };
      if (options.png) {
        const file = path.join(options.outDir, `${shot.name}.png`);
        await page.screenshot({ path: file as `${string}.png`, fullPage: options.fullPage === true });
        entry.png = file;
      }
      report.push(entry);
    }
  } finally {
    await browser.close();
  }
  return report;
}
