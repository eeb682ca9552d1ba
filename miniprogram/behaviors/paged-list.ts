/**
 * A paged list a page shows under `lines`: the first page (loading / empty / not linked / error), pull-down
 * refresh that keeps what is shown and only toasts a failure, and the next page at the bottom, appended line
 * by line. The page gives the fetch for an offset and the row mapper; it calls `loadFirst()` from `onLoad` and
 * again when its filters change.
 */
import type { Envelope } from '../core/envelope';
import { isNotLinked } from '../services/errors';

export type ListStatus = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error';

export interface PagedListSpec<Output, Row, Host> {
  /** A full page holds this many; fewer means there is no more. */
  pageSize: number;
  /** Fetches the page starting at `offset`; `host` is the page (for its filters). */
  fetch: (host: Host, offset: number) => Promise<Envelope<Output>>;
  /** The output's rows, as lines. */
  toLines: (output: Output) => Row[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pagedList<Output, Row, Host = any>(spec: PagedListSpec<Output, Row, Host>) {
  return Behavior({
    data: {
      status: 'loading' as ListStatus,
      errorMessage: '',
      lines: [] as Row[],
      hasMore: false,
      loadingMore: false,
    },

    methods: {
      async onPullDownRefresh() {
        await this.loadFirst(true);
        wx.stopPullDownRefresh();
      },

      onReachBottom() {
        return this.loadMore();
      },

      onRetry() {
        return this.loadFirst();
      },

      async loadFirst(refreshing = false) {
        const keepShown = refreshing && this.data.status === 'ready';
        if (!keepShown) this.setData({ status: 'loading', errorMessage: '' });
        const envelope = await spec.fetch(this as unknown as Host, 0);
        if (!envelope.ok) {
          if (isNotLinked(envelope.error)) this.setData({ status: 'unlinked', lines: [] });
          else if (keepShown) wx.showToast({ title: envelope.error.message, icon: 'none' });
          else this.setData({ status: 'error', errorMessage: envelope.error.message, lines: [] });
          return;
        }
        const lines = spec.toLines(envelope.data);
        this.setData({
          status: lines.length > 0 ? 'ready' : 'empty',
          lines,
          hasMore: lines.length === spec.pageSize,
        });
      },

      async loadMore() {
        if (!this.data.hasMore || this.data.loadingMore || this.data.status !== 'ready') return;
        this.setData({ loadingMore: true });
        const offset = this.data.lines.length;
        const envelope = await spec.fetch(this as unknown as Host, offset);
        if (!envelope.ok) {
          this.setData({ loadingMore: false });
          wx.showToast({ title: envelope.error.message, icon: 'none' });
          return;
        }
        const more = spec.toLines(envelope.data);
        const patch: Record<string, unknown> = { loadingMore: false, hasMore: more.length === spec.pageSize };
        more.forEach((line, i) => (patch[`lines[${offset + i}]`] = line));
        this.setData(patch);
      },
    },
  });
}

/** A list inside a page that pages on its own (a section under a picker): the rows under `key`. */
export interface MoreRows<Output, Row> {
  /** The data key of the rows shown, and of its `…HasMore` / `…LoadingMore` flags. */
  key: string;
  pageSize: number;
  /** The page at `offset` (the number of rows shown). */
  fetch: (offset: number) => Promise<Envelope<Output>>;
  toRows: (output: Output) => Row[];
}

interface DataPage {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
}

/** The flags to set with a first page of `rows`: whether a full page promises more. */
export function firstPageFlags(
  key: string,
  rows: readonly unknown[],
  pageSize: number,
): Record<string, unknown> {
  return { [`${key}HasMore`]: rows.length === pageSize, [`${key}LoadingMore`]: false };
}

/** A section with its own state: its rows and flags as in `MoreRows`, and the keys of its status and message. */
export interface Section<Output, Row> extends MoreRows<Output, Row> {
  /** The data key of the section's 'loading' | 'ready' | 'empty' | 'error'. */
  status: string;
  /** The data key of the message shown with 'error' (none when the section says only that it failed). */
  message?: string;
  /** The page's keys reset with 'loading' and with 'error'. */
  reset?: Record<string, unknown>;
}

/**
 * Loads the first page of a section: 'loading', then 'error' (with the message, no rows and nothing more), or
 * the rows with 'ready' / 'empty' and whether a full page promises more; `also` adds the page's keys that come
 * with the same answer. Returns the answer's data, or null when it failed (already shown).
 */
export async function loadFirstPage<Output, Row>(
  page: DataPage,
  section: Section<Output, Row>,
  also?: (output: Output, rows: Row[]) => Record<string, unknown>,
): Promise<Output | null> {
  const message = section.message ? { [section.message]: '' } : {};
  page.setData({ [section.status]: 'loading', ...message, ...section.reset });
  const envelope = await section.fetch(0);
  if (!envelope.ok) {
    page.setData({
      [section.status]: 'error',
      ...(section.message ? { [section.message]: envelope.error.message } : {}),
      [section.key]: [],
      ...firstPageFlags(section.key, [], section.pageSize),
      ...section.reset,
    });
    return null;
  }
  const rows = section.toRows(envelope.data);
  page.setData({
    [section.status]: rows.length > 0 ? 'ready' : 'empty',
    [section.key]: rows,
    ...firstPageFlags(section.key, rows, section.pageSize),
    ...also?.(envelope.data, rows),
  });
  return envelope.data;
}

/**
 * Appends the next page of a section's rows (the page's 加载更多 button or the bottom of the page), line by
 * line; a failure keeps what is shown and says why in a toast.
 */
export async function appendNextPage<Output, Row>(
  page: DataPage,
  spec: MoreRows<Output, Row>,
): Promise<void> {
  const shown = (page.data[spec.key] as Row[] | undefined) ?? [];
  if (!page.data[`${spec.key}HasMore`] || page.data[`${spec.key}LoadingMore`]) return;
  page.setData({ [`${spec.key}LoadingMore`]: true });
  const envelope = await spec.fetch(shown.length);
  if (!envelope.ok) {
    page.setData({ [`${spec.key}LoadingMore`]: false });
    wx.showToast({ title: envelope.error.message, icon: 'none' });
    return;
  }
  const more = spec.toRows(envelope.data);
  const patch: Record<string, unknown> = firstPageFlags(spec.key, more, spec.pageSize);
  more.forEach((row, i) => (patch[`${spec.key}[${shown.length + i}]`] = row));
  page.setData(patch);
}
