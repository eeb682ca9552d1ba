/**
 * What every page test needs: a fake backend behind `wx.cloud.callFunction` answering per `fn/action`,
 * opening a page fresh, reading what the villager sees, and tapping. Importing it registers the per-test
 * hooks of load-page.ts and fresh-app.ts (clock at TEST_NOW, empty session cache, pages detached after each).
 */
import type { RuleView } from '../../miniprogram/contract/points';
import type { Envelope } from '../../miniprogram/core/envelope';
import { clearSession } from '../../miniprogram/services/session';
import { renderPage } from './load-page';

type Answer = Envelope<unknown> | ((input: Record<string, unknown>) => Envelope<unknown> | Promise<never>);
/** What `backend()` takes: per `fn/action`, an envelope or a function of the input. */
export type Answers = Record<string, Answer>;

export const callFunction = wx.cloud.callFunction as unknown as jest.Mock;

/** Routes `callFunction({name, data: {action, input}})` to `answers['name/action']`; unknown → INTERNAL. */
export function backend(answers: Answers): jest.Mock {
  callFunction.mockImplementation(
    async ({ name, data }: { name: string; data: { action: string; input: Record<string, unknown> } }) => {
      const answer = answers[`${name}/${data.action}`];
      if (answer === undefined) return { result: fail('INTERNAL', `未模拟 ${name}/${data.action}`) };
      const envelope = typeof answer === 'function' ? await answer(data.input ?? {}) : answer;
      return { errMsg: 'cloud.callFunction:ok', result: envelope };
    },
  );
  return callFunction;
}

export const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });
export const fail = (code: string, message: string, details?: Record<string, unknown>): Envelope<never> =>
  ({
    ok: false,
    error: { code, message, requestId: 'req-test', ...(details ? { details } : {}) },
  }) as Envelope<never>;
export const notLinked = () =>
  fail('FORBIDDEN', '请先在“家庭”页面用邀请码绑定您的家庭', { reason: 'NOT_LINKED' });

/** The calls made to `fn/action`, as their inputs. */
export function callsTo(fnAction: string): Record<string, unknown>[] {
  return callFunction.mock.calls
    .map(([options]) => options as { name: string; data: { action: string; input: Record<string, unknown> } })
    .filter((o) => `${o.name}/${o.data.action}` === fnAction)
    .map((o) => o.data.input);
}

/** Lets pending promises and simulated taps run. */
export const settle = async (rounds = 5): Promise<void> => {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Methods = Record<string, (...args: any[]) => any>;

/**
 * Opens a fresh instance of `page` (compiled on the file's first use) and returns it with helpers; call
 * lifecycle methods yourself. As after a new launch, the session is asked for again (the clock stays as set).
 */
export async function openPage<M extends Methods = Methods>(
  page: string,
  properties?: Record<string, unknown>,
) {
  clearSession();
  const rendered = renderPage(page, properties);
  const methods = rendered.instance as unknown as M;
  /** Every text node, joined by single spaces: what the villager reads, in order. */
  const text = (): string => {
    const root = rendered.dom;
    if (!root) return '';
    const parts: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (value) parts.push(value);
    }
    return parts.join(' ');
  };
  /** Taps the element with this selector (or the TDesign inner element for a `t-` host). */
  const tap = async (selector: string, inner?: string): Promise<void> => {
    const host = rendered.querySelector(selector);
    if (!host) throw new Error(`nothing matches ${selector}`);
    const target = inner ? host.querySelector(inner) : host;
    if (!target) throw new Error(`nothing matches ${selector} ${inner}`);
    target.dispatchEvent('tap');
    await settle();
  };
  /** Types into each field: `values` by selector, one input event each as typing sends; then lets the page update. */
  const enter = async (values: Record<string, string>): Promise<void> => {
    for (const [selector, value] of Object.entries(values)) {
      const field = rendered.querySelector(selector);
      if (!field) throw new Error(`nothing matches ${selector}`);
      field.dispatchEvent('input', { detail: { value } });
    }
    await settle();
  };
  /**
   * A tap on the button `submit` is refused on the phone, before the server: the page reads `says` and nothing
   * was sent to `fnAction`.
   */
  const expectRefusedBeforeCalling = async (
    submit: string,
    says: string,
    fnAction: string,
  ): Promise<void> => {
    await tap(submit, '.t-button');
    expect(text()).toContain(says);
    expect(callsTo(fnAction)).toEqual([]);
  };
  const data = () => rendered.data as Record<string, unknown>;
  return { page: rendered, methods, text, tap, enter, expectRefusedBeforeCalling, data };
}

/** The lifecycle of a page that lists in pages (the paged-list behaviour): first load, pull-down, next page. */
export interface PagedListMethods {
  onLoad(): Promise<void>;
  onPullDownRefresh(): Promise<void>;
  onReachBottom(): Promise<void>;
}

/**
 * Registers, for every test of the file: before it, every mock's calls cleared and `console.warn` muted (pages
 * log the failed calls the tests provoke); after it, the spies restored.
 */
export function quietMocksEachTest(): void {
  beforeEach(() => {
    jest.clearAllMocks();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
}

/** The backend answering `answers`, a fresh `page` opened, its `onLoad(query)` run and settled: a page as arrived at. */
export async function openLoaded<M extends Methods = Methods>(
  page: string,
  answers: Answers,
  query?: Record<string, string>,
) {
  backend(answers);
  const opened = await openPage<M>(page);
  await opened.methods.onLoad(query);
  await settle();
  return opened;
}

/**
 * A fresh `page` whose `fnAction` fails (服务繁忙) reads the error; a tap on 重试, with `fnAction` answering `then`
 * now, reads `shows`. Returns the page, still open.
 */
export async function expectErrorThenRetry<M extends Methods = Methods>(
  page: string,
  fnAction: string,
  then: Envelope<unknown>,
  shows: string,
) {
  const opened = await openLoaded<M>(page, { [fnAction]: fail('INTERNAL', '服务繁忙，请稍后再试') });
  expect(opened.text()).toContain('服务繁忙，请稍后再试');
  backend({ [fnAction]: then });
  await opened.tap('#state >>> #retry', '.t-button');
  expect(opened.text()).toContain(shows);
  return opened;
}

/** A fresh `page` whose `fnAction` answers NOT_LINKED (no family bound yet) reads the prompt to bind one. */
export async function expectBindPrompt(page: string, fnAction: string): Promise<void> {
  const { text } = await openLoaded(page, { [fnAction]: notLinked() });
  expect(text()).toContain('请先用邀请码绑定您的家庭');
}

/** A villager-claimable rule (参加一次志愿活动, 10 points, photos required, no cap), with `over` applied. */
export const rule = (over: Partial<RuleView>): RuleView => ({
  id: 'r-c01',
  code: 'C01',
  category: 'contribution',
  aspect: '公益活动',
  title: '参加一次志愿活动',
  description: '',
  points: 10,
  selfClaim: true,
  photosRequired: true,
  cap: null,
  villageId: null,
  version: 1,
  ...over,
});
