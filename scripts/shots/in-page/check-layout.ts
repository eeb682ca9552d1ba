/**
 * The layout checks, run inside the rendered page by Chromium (capture.ts bundles this file into a script with
 * esbuild and adds it to the page): plain DOM, typed by its own tsconfig (the Node scripts have no DOM types).
 */
import type {
  LayoutFindings,
  LayoutOptions,
  Overflow,
  PrimaryButton,
  SmallText,
  SqueezedText,
} from '../layout';

function checkLayout(options: LayoutOptions): LayoutFindings {
  const content = document.querySelector('.shots-content') ?? document.body;
  const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const describe = (element: Element) => {
    const classes = Array.from(element.classList)
      .slice(0, 3)
      .map((c) => `.${c}`)
      .join('');
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes}`;
  };
  const visible = (element: Element) => {
    if (element.getClientRects().length === 0) return false;
    const style = getComputedStyle(element);
    return style.visibility !== 'hidden' && style.opacity !== '0';
  };

  const smallText: SmallText[] = [];
  const squeezed: SqueezedText[] = [];
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = squash(node.textContent);
    const parent = node.parentElement;
    if (!text || !parent || seen.has(parent) || !visible(parent)) continue;
    seen.add(parent);
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const fontSize = parseFloat(getComputedStyle(parent).fontSize);
    if (fontSize < options.minFontPx) {
      smallText.push({ element: describe(parent), text: text.slice(0, 40), fontSize });
    }
    // Three lines or more of at most two characters each: a label its neighbours leave no room.
    const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
    if (lines >= 3 && Array.from(text.replace(/\s/g, '')).length <= lines * 2) {
      squeezed.push({ element: describe(parent), text: text.slice(0, 40), lines });
    }
  }

  const outside = (rect: DOMRect) => rect.right > options.width + 0.5 || rect.left < -0.5;
  const clipped = (element: Element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflowX = getComputedStyle(up).overflowX;
      if (overflowX !== 'visible' && !outside(up.getBoundingClientRect())) return true;
    }
    return false;
  };
  const overflow: Overflow[] = [];
  for (const element of Array.from(content.querySelectorAll('*'))) {
    const rect = element.getBoundingClientRect();
    if ((rect.width === 0 && rect.height === 0) || !outside(rect) || !visible(element)) continue;
    if (clipped(element)) continue;
    // Report where the overflow starts, not every descendant carried along with it.
    const parent = element.parentElement;
    if (parent && parent !== content && outside(parent.getBoundingClientRect()) && !clipped(parent)) continue;
    overflow.push({
      element: describe(element),
      text: squash(element.textContent).slice(0, 40),
      left: Math.round(rect.left),
      right: Math.round(rect.right),
    });
  }

  let primary: PrimaryButton | undefined;
  if (options.primary) {
    const wanted = options.primary;
    const matches = Array.from(content.querySelectorAll('*')).filter(
      (e) => squash(e.textContent) === wanted && visible(e),
    );
    // The button around the words (TDesign's t-button renders a wx-button with the label inside).
    const button = matches.map((e) => e.closest('wx-button') ?? e)[0];
    if (button) {
      const rect = button.getBoundingClientRect();
      const top = rect.top + window.scrollY;
      const bottom = rect.bottom + window.scrollY;
      primary = {
        text: wanted,
        found: true,
        top: Math.round(top),
        bottom: Math.round(bottom),
        disabled: button.hasAttribute('disabled') || /--disabled\b/.test(button.className),
        onFirstScreen: top >= 0 && bottom <= options.fold,
      };
    } else {
      primary = { text: wanted, found: false, onFirstScreen: false };
    }
  }

  return {
    pageWidth: document.documentElement.scrollWidth,
    pageHeight: document.documentElement.scrollHeight,
    smallText,
    overflow,
    squeezed,
    ...(primary ? { primary } : {}),
  };
}

(globalThis as unknown as { shotsCheckLayout: typeof checkLayout }).shotsCheckLayout = checkLayout;
