/**
 * What the CLI hands the render stage (a JSON file named by SHOTS_PLAN) and what the render stage writes back
 * (`<outDir>/html/manifest.json`), then Chromium reads.
 */
import type { Shot } from './scenarios';

/** A page outside the app (the layout checks' own fixtures): a component folder rendered with no backend. */
export interface FixtureShot {
  name: string;
  /** The folder that plays the mini-program root. */
  root: string;
  /** The component's path under `root`, without extension. */
  page: string;
  caption: string;
  careMode?: boolean;
  primary?: string;
}

export interface RenderPlan {
  outDir: string;
  /** The local emulator's gateway, serving the demo town. */
  baseUrl: string;
  shots: Shot[];
  fixtures: FixtureShot[];
}

export interface RenderedShot {
  name: string;
  page: string;
  state: string;
  caption: string;
  /** The HTML document written for Chromium (absent when rendering failed). */
  html?: string;
  careMode: boolean;
  primary?: string;
  /** Tab pages have WeChat's tab bar over the bottom of the screen. */
  tabPage: boolean;
  /** What went wrong rendering it (a rendering error: `npm run shots` fails). */
  error?: string;
}

export const MANIFEST = 'manifest.json';
