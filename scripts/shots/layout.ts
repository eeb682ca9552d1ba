/**
 * The layout report's checks, computed by Chromium on a rendered page at phone size: text smaller than the
 * minimum (12 px; 18 px in care mode), elements reaching past the screen's left or right edge (not counting
 * content clipped by a scrolling or clipping container that itself fits), text squeezed to one or two characters
 * a line (a label beside buttons that leave it no room), and whether the page's primary button lies on the first
 * screen. The checks themselves run inside the page: in-page/check-layout.ts.
 */

/** The phone the shots are taken on, in CSS px. */
export const SCREEN_WIDTH = 375;
export const SCREEN_HEIGHT = 812;
/** WeChat's tab bar with the home indicator below it covers this much of a tab page's first screen. */
export const TAB_BAR_HEIGHT = 84;
export const MIN_FONT_PX = 12;
export const MIN_CARE_FONT_PX = 18;

export interface LayoutOptions {
  width: number;
  /** How far down the first screen reaches (the screen, less the tab bar on tab pages). */
  fold: number;
  minFontPx: number;
  primary?: string;
}

export interface SmallText {
  element: string;
  text: string;
  fontSize: number;
}

export interface Overflow {
  element: string;
  text: string;
  left: number;
  right: number;
}

export interface SqueezedText {
  element: string;
  text: string;
  /** The lines it wraps to. */
  lines: number;
}

export interface PrimaryButton {
  text: string;
  found: boolean;
  top?: number;
  bottom?: number;
  disabled?: boolean;
  onFirstScreen: boolean;
}

export interface LayoutFindings {
  /** The document's scroll width: more than the screen means the page scrolls sideways. */
  pageWidth: number;
  pageHeight: number;
  smallText: SmallText[];
  overflow: Overflow[];
  squeezed: SqueezedText[];
  primary?: PrimaryButton;
}
