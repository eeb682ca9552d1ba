/**
 * The load that fills a page's main content under `status` / `errorMessage` (rendered by components/page-state):
 * 'loading' unless the page keeps what it shows meanwhile, then the call; a failed one leaves the page 'unlinked'
 * (for pages of a family), 'error' with the message, or, for a refresh of what is shown, what is shown with a
 * toast. The page sets 'ready' / 'empty' from the data itself.
 */
import type { Envelope } from '../core/envelope';
import { isNotLinked } from './errors';

interface DataPage {
  setData(data: Record<string, unknown>): void;
}

/** A cadre's or clerk's page: loading, its content, a load error, or not the person's to use. */
export type WorkPageStatus = 'loading' | 'ready' | 'error' | 'forbidden';

/** A villager's page of their family: loading, its content, not linked to a family yet, or a load error. */
export type FamilyPageStatus = 'loading' | 'ready' | 'unlinked' | 'error';

/** A tab or filter tapped: shows `value` under `key`; false when it was shown already (nothing to load). */
export function chooseTab(
  page: DataPage & { data: Record<string, unknown> },
  key: string,
  value: unknown,
): boolean {
  if (value === page.data[key]) return false;
  page.setData({ [key]: value });
  return true;
}

export interface MainLoad {
  /** No 'loading' while the call runs: the page keeps what it shows. */
  quiet?: boolean;
  /** A failure keeps what is shown and says why in a toast (a pull-down refresh of a page that shows it). */
  toastFailure?: boolean;
  /** The page's keys cleared with 'unlinked'; without them, a caller not linked to a family sees the error. */
  unlinked?: Record<string, unknown>;
  /** The page's keys cleared with 'error'. */
  failed?: Record<string, unknown>;
  /** False when a newer load took over while this one ran: this answer is dropped. */
  current?: () => boolean;
}

/** Runs the page's main call; its data, or null when it failed (already shown) or was overtaken. */
export async function loadMain<T>(
  page: DataPage,
  fetch: () => Promise<Envelope<T>>,
  how: MainLoad = {},
): Promise<T | null> {
  if (!how.quiet) page.setData({ status: 'loading', errorMessage: '' });
  const envelope = await fetch();
  if (how.current && !how.current()) return null;
  if (envelope.ok) return envelope.data;
  if (how.unlinked && isNotLinked(envelope.error)) page.setData({ status: 'unlinked', ...how.unlinked });
  else if (how.toastFailure) wx.showToast({ title: envelope.error.message, icon: 'none' });
  else page.setData({ status: 'error', errorMessage: envelope.error.message, ...how.failed });
  return null;
}

/**
 * How a page that refreshes on pull-down loads: 'loading' unless a refresh of what it shows, whose failure only
 * toasts.
 */
export function whenRefreshing(page: { data: { status: string } }, refresh: boolean): MainLoad {
  const keepShown = refresh && page.data.status === 'ready';
  return { quiet: keepShown, toastFailure: keepShown };
}

type DataOf<T> = T extends { ok: true; data: infer D } ? D : never;

/** The data of answers that came together, in order, or the first failure among them. */
export function allOk<T extends readonly Envelope<unknown>[]>(
  envelopes: readonly [...T],
): Envelope<{ [K in keyof T]: DataOf<T[K]> }> {
  const failed = envelopes.find((e) => !e.ok);
  if (failed && !failed.ok) return failed;
  const data = envelopes.map((e) => (e.ok ? e.data : undefined));
  return { ok: true, data: data as { [K in keyof T]: DataOf<T[K]> } };
}
