/**
 * A paged list a page shows under `lines`: the first page (loading / empty / not linked / error), pull-down
 * refresh that keeps what is shown and only toasts a failure, and the next page at the bottom, appended line
 * by line. The page gives the fetch for an offset and the row mapper; it calls `loadFirst()` from `onLoad` and
 * again when its filters change.
 */
import type { Envelope } from '../core/envelope';
import { isNotLinked } from '../services/errors';

export type ListStatus = 'loading' | 'ready' | 'empty' | 'unlinked' | 'error';

/** A list section's state (its `…Status`): the first page loading, shown, nothing to list, or failed. */
export type SectionStatus = 'loading' | 'ready' | 'empty' | 'error';

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

/** A list inside a page that pages on its own (a section under a picker, or the page's one list). */
export interface SectionSpec<Output, Row, Scope> {
  /**
   * The data key of the rows shown; the section's 'loading' | 'ready' | 'empty' | 'error' is under `…Status`,
   * its error's message under `…Message`, whether there is more under `…HasMore` / `…LoadingMore`.
   */
  key: string;
  /** The list is the page's content: its state is the page's `status` / `errorMessage` (components/page-state). */
  main?: boolean;
  /** The page's keys reset with 'loading' and with 'error'. */
  reset?: Record<string, unknown>;
  /** A full page holds this many; fewer means there is no more. */
  pageSize: number;
  /** The page at `offset` (the number of rows shown) of what `scope` picks: the shop, the village …. */
  fetch: (scope: Scope, offset: number) => Promise<Envelope<Output>>;
  toRows: (output: Output) => Row[];
}

interface DataPage {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
}

/** Whether a full page of `rows` promises more, under the section's flags. */
function pageFlags(key: string, rows: readonly unknown[], pageSize: number): Record<string, unknown> {
  return { [`${key}HasMore`]: rows.length === pageSize, [`${key}LoadingMore`]: false };
}

/**
 * A section's loads, for the page to call with its scope (nothing happens without one: no village chosen).
 * `loadFirst`: 'loading', then 'error' (with the message, no rows and nothing more), or the first page with
 * 'ready' / 'empty'; `also` adds the page's keys that come with the same answer; it returns the answer's data,
 * or null when it failed (already shown). `loadMore`: the next page appended line by line (the page's 加载更多
 * button or its bottom); a failure keeps what is shown and says why in a toast.
 */
export function pagedSection<Output, Row, Scope = string>(spec: SectionSpec<Output, Row, Scope>) {
  const { key, pageSize } = spec;
  const status = spec.main ? 'status' : `${key}Status`;
  const message = spec.main ? 'errorMessage' : `${key}Message`;
  return {
    async loadFirst(
      page: DataPage,
      scope: Scope | undefined,
      also?: (output: Output, rows: Row[]) => Record<string, unknown>,
    ): Promise<Output | null> {
      if (scope === undefined) return null;
      page.setData({ [status]: 'loading', [message]: '', ...spec.reset });
      const envelope = await spec.fetch(scope, 0);
      if (!envelope.ok) {
        const failed = { [status]: 'error', [message]: envelope.error.message, [key]: [] };
        page.setData({ ...failed, ...pageFlags(key, [], pageSize), ...spec.reset });
        return null;
      }
      const rows = spec.toRows(envelope.data);
      page.setData({
        [status]: rows.length > 0 ? 'ready' : 'empty',
        [key]: rows,
        ...pageFlags(key, rows, pageSize),
        ...also?.(envelope.data, rows),
      });
      return envelope.data;
    },

    async loadMore(page: DataPage, scope: Scope | undefined): Promise<void> {
      const shown = (page.data[key] as Row[] | undefined) ?? [];
      if (scope === undefined || !page.data[`${key}HasMore`] || page.data[`${key}LoadingMore`]) return;
      page.setData({ [`${key}LoadingMore`]: true });
      const envelope = await spec.fetch(scope, shown.length);
      if (!envelope.ok) {
        page.setData({ [`${key}LoadingMore`]: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const more = spec.toRows(envelope.data);
      const patch: Record<string, unknown> = pageFlags(key, more, pageSize);
      more.forEach((row, i) => (patch[`${key}[${shown.length + i}]`] = row));
      page.setData(patch);
    },
  };
}
