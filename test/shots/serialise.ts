/**
 * A rendered page as one self-contained HTML document for Chromium: the WeChat base stylesheet, app.wxss, the
 * page's WXSS as miniprogram-simulate compiled and injected it (its components' and TDesign's included), and
 * the page's DOM inside a phone's status, navigation and tab bars.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rpxToPx } from './setup';

const REPO = path.resolve(__dirname, '..', '..');
const css = (name: string) => fs.readFileSync(path.join(REPO, 'scripts', 'shots', name), 'utf8');
export const BASE_CSS = css('wechat-base.css');
const ICONS_CSS = css('tdesign-icons.css');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wxss = require('miniprogram-simulate/src/wxss') as {
  compile: (source: string, options: { prefix: string }) => string;
};

/** WXSS's `page` selector (the page's root) as the document's body class. */
export function pageSelector(css: string): string {
  return css.replace(/(^|[{},])(\s*)page(?=[\s{,.:[>+~])/g, '$1$2.shots-page');
}

/** app.wxss, compiled the way simulate compiles a page's own WXSS (classes prefixed with the page's tag). */
export function appCss(miniprogramRoot: string): string {
  const file = path.join(miniprogramRoot, 'app.wxss');
  if (!fs.existsSync(file)) return '';
  return pageSelector(rpxToPx(wxss.compile(fs.readFileSync(file, 'utf8'), { prefix: 'main' })));
}

/** The <style> simulate injected last: the page just rendered, with every component it uses. */
export function lastInjectedCss(): string {
  const styles = document.head.querySelectorAll('style');
  return pageSelector(styles.length > 0 ? (styles[styles.length - 1].textContent ?? '') : '');
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What the browser needs that the bare custom elements do not carry: input text, image sources. */
function prepare(root: Element, miniprogramRoot: string): void {
  for (const input of Array.from(root.querySelectorAll('wx-input, wx-textarea'))) {
    const value = input.getAttribute('value') ?? '';
    const shown = input.getAttribute('password') !== null ? value.replace(/./g, '•') : value;
    input.setAttribute('data-shown', shown || (input.getAttribute('placeholder') ?? ''));
    if (!value) input.setAttribute('data-placeholder', '');
  }
  const sizes: Record<string, string> = {
    aspectFit: 'contain',
    aspectFill: 'cover',
    widthFix: '100% auto',
    heightFix: 'auto 100%',
    scaleToFill: '100% 100%',
  };
  for (const image of Array.from(root.querySelectorAll('wx-image'))) {
    const src = image.getAttribute('src') ?? '';
    let url = '';
    if (/^(https?:|data:)/.test(src)) url = src;
    else if (src.startsWith('/') && fs.existsSync(path.join(miniprogramRoot, src)))
      url = pathToFileURL(path.join(miniprogramRoot, src)).href;
    const style = (image as HTMLElement).style;
    if (url) style.backgroundImage = `url("${url}")`;
    style.backgroundSize = sizes[image.getAttribute('mode') ?? 'scaleToFill'] ?? '100% 100%';
  }
}

export interface DocumentOptions {
  root: Element;
  pageCss: string;
  appCss: string;
  title: string;
  /** The tab bar's items and which one is this page, for tab pages. */
  tabBar?: { items: string[]; selected: number };
  miniprogramRoot: string;
}

export function pageDocument(options: DocumentOptions): string {
  const root = options.root.cloneNode(true) as Element;
  prepare(root, options.miniprogramRoot);
  const tabBar = options.tabBar
    ? `<div class="shots-chrome shots-tabbar">${options.tabBar.items
        .map(
          (item, i) =>
            `<div class="shots-tab${i === options.tabBar?.selected ? ' shots-tab--on' : ''}">${escapeHtml(item)}</div>`,
        )
        .join('')}</div>`
    : '';
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=375, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style id="shots-base">${BASE_CSS}</style>`,
    `<style id="shots-app">${options.appCss}</style>`,
    `<style id="shots-page-css">${options.pageCss}</style>`,
    `<style id="shots-icons">${ICONS_CSS}</style>`,
    `</head><body class="shots-page${options.tabBar ? ' shots-with-tabbar' : ''}">`,
    '<div class="shots-chrome shots-navbar"><div class="shots-statusbar">10:00</div>',
    `<div class="shots-title">${escapeHtml(options.title)}</div></div>`,
    `<div class="shots-content">${root.outerHTML}</div>`,
    tabBar,
    '</body></html>',
  ].join('\n');
}
