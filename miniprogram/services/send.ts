/**
 * A page's write (a form sent, a stock movement, a redemption …), one at a time: while it is on its way the page's
 * hidden `sending` flag is up (its other taps check it and do nothing) and `busy` is shown; a refusal shows the
 * server's words, and busy is cleared either way.
 */
import type { Envelope, ErrorBody } from '../core/envelope';
import { errorText } from './errors';

interface DataPage {
  setData(data: Record<string, unknown>): void;
}

/** The page's in-flight flag, kept out of `data` (services/page-state.ts). */
export interface Sending {
  sending: boolean;
}

export interface SendShown {
  /** The data key shown true while the write is on its way (`submitting`, `moving`). */
  busy: string;
  /** The form's error line: cleared when sent, the refusal's words after; without it a refusal is a toast. */
  error?: string;
  /** More keys shown with a refusal (the PIN field opened …). */
  refused?: (error: ErrorBody) => Record<string, unknown>;
}

/** Sends the write unless one is on its way; its data, or null when it was not sent or was refused (shown). */
export async function sendOnce<T>(
  page: DataPage,
  flag: Sending,
  shown: SendShown,
  send: () => Promise<Envelope<T>>,
): Promise<T | null> {
  if (flag.sending) return null;
  const { busy, error } = shown;
  flag.sending = true;
  page.setData({ [busy]: true, ...(error ? { [error]: '' } : {}) });
  const envelope = await send();
  flag.sending = false;
  if (envelope.ok) {
    page.setData({ [busy]: false });
    return envelope.data;
  }
  if (!error) wx.showToast({ title: envelope.error.message, icon: 'none' });
  page.setData({
    [busy]: false,
    ...(error ? { [error]: errorText(envelope.error) } : {}),
    ...shown.refused?.(envelope.error),
  });
  return null;
}

/** The usual form: `submitting` while it is sent, a refusal under `formError`. */
export const FORM_SUBMIT: SendShown = { busy: 'submitting', error: 'formError' };
