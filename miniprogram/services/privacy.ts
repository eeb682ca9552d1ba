/**
 * The privacy authorisation (隐私保护指引): WeChat calls `onNeedPrivacyAuthorization` before a protected API
 * (choosing photos) when the user has not agreed yet. The app registers once; the page on screen shows the
 * prompt (components/privacy-prompt) and answers agree or disagree.
 */
type Resolve = (result: { event: 'agree' | 'disagree'; buttonId?: string }) => void;
type Show = () => void;

let pending: Resolve | null = null;
let prompt: Show | null = null;

export function registerPrivacyHandler(): void {
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return;
  wx.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve as unknown as Resolve;
    if (prompt) prompt();
    else answerPrivacy(false);
  });
}

/** The prompt on screen registers itself while attached (null to leave). */
export function setPrivacyPrompt(show: Show | null): void {
  prompt = show;
}

export function answerPrivacy(agree: boolean, buttonId?: string): void {
  const resolve = pending;
  pending = null;
  if (!resolve) return;
  resolve(agree ? { event: 'agree', buttonId } : { event: 'disagree' });
}

/** Resolves true once the user has agreed (at once if no agreement is needed). */
export function requirePrivacy(): Promise<boolean> {
  return new Promise((resolve) => {
    if (typeof wx.requirePrivacyAuthorize !== 'function') {
      resolve(true);
      return;
    }
    wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
  });
}
