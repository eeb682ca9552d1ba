/**
 * The render stage's additions to the page tests' setup (test/miniprogram/setup.ts runs first):
 * - rpx as WeChat computes it on a 375 px wide phone (750 rpx = the screen width), not simulate's 1 rpx = 1 px;
 * - WeChat's built-in components keep the attributes their look depends on (`<button type="primary">`,
 *   `<input placeholder>`, `<image src mode>`, `<scroll-view scroll-x>` …): simulate registers them with no
 *   properties, so those values are dropped. Here they are declared and reflected onto the element, where the
 *   base stylesheet (scripts/shots/wechat-base.css) and the serialiser read them.
 */
import jComponent from 'j-component';
import { SCREEN_WIDTH } from '../../scripts/shots/layout';

const RPX = SCREEN_WIDTH / 750;

/** `12rpx`, `0.5rpx`, `-8rpx` → px at this phone's width. */
export function rpxToPx(css: string): string {
  return css.replace(/(-?\d*\.?\d+)rpx/gi, (_all, n: string) => `${Number((Number(n) * RPX).toFixed(3))}px`);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulateUtils = require('miniprogram-simulate/src/utils') as { transformRpx: (css: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jUtils = require('j-component/src/tool/utils') as { transformRpx: (css: string) => string };
simulateUtils.transformRpx = rpxToPx;
jUtils.transformRpx = rpxToPx;

/** Flags: present (bare, true, "true") or absent. */
const FLAGS = new Set(['disabled', 'plain', 'loading', 'checked', 'password', 'scrollX', 'scrollY']);

const BUILTINS: Record<string, string[]> = {
  button: ['type', 'size', 'plain', 'disabled', 'loading'],
  input: ['value', 'placeholder', 'type', 'password', 'disabled'],
  textarea: ['value', 'placeholder', 'disabled'],
  switch: ['checked', 'disabled'],
  checkbox: ['checked', 'disabled'],
  radio: ['checked', 'disabled'],
  image: ['src', 'mode'],
  'scroll-view': ['scrollX', 'scrollY'],
  progress: ['percent'],
  slider: ['value', 'min', 'max'],
  icon: ['type', 'size'],
  picker: ['mode', 'disabled'],
  canvas: ['type'],
};

const dashed = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface Host {
  $$?: { setAttribute(n: string, v: string): void; removeAttribute(n: string): void };
  data: Record<string, unknown>;
}

function reflect(host: Host, props: string[]): void {
  const element = host.$$;
  if (!element) return;
  for (const prop of props) {
    const value = host.data[prop];
    const attribute = dashed(prop);
    if (FLAGS.has(prop)) {
      const on = value === true || value === '' || value === 'true';
      if (on) element.setAttribute(attribute, '');
      else element.removeAttribute(attribute);
    } else if (value === null || value === undefined || value === '') {
      element.removeAttribute(attribute);
    } else {
      element.setAttribute(attribute, String(value));
    }
  }
}

for (const [name, props] of Object.entries(BUILTINS)) {
  jComponent.register({
    id: name,
    tagName: `wx-${name}`,
    template: '<slot/>',
    properties: Object.fromEntries(props.map((p) => [p, { type: null, value: null }])),
    observers: {
      [props.join(', ')](this: Host) {
        reflect(this, props);
      },
    },
    lifetimes: {
      attached(this: Host) {
        reflect(this, props);
      },
    },
  } as unknown as Parameters<typeof jComponent.register>[0]);
}
