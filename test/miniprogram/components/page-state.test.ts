/**
 * The page-state component on its own: which state it shows for a status and the texts it is given, and the
 * events it raises for the page (retry, bind, emptyaction).
 */
import { openPage } from '../harness';

async function mount(props: Record<string, unknown>) {
  const opened = await openPage('components/page-state/index');
  const events: string[] = [];
  const instance = opened.page.instance as unknown as { triggerEvent(name: string): void };
  const trigger = instance.triggerEvent.bind(instance);
  instance.triggerEvent = (name: string) => {
    events.push(name);
    trigger(name);
  };
  opened.page.setData(props);
  return { ...opened, events };
}

it('shows loading with the page’s words, and an error with 重试 that raises retry', async () => {
  // Prepare / Act
  const loading = await mount({ status: 'loading', loadingText: '正在加载家庭积分…' });
  // Assess
  expect(loading.text()).toBe('正在加载家庭积分…');

  const failed = await mount({ status: 'error', errorMessage: '服务繁忙，请稍后再试' });
  expect(failed.text()).toBe('服务繁忙，请稍后再试 重试');
  await failed.tap('#retry', '.t-button');
  expect(failed.events).toEqual(['retry']);
});

it('raises bind from the not-linked state and emptyaction from the empty state', async () => {
  const unlinked = await mount({ status: 'unlinked', unlinkedText: '请先用邀请码绑定您的家庭' });
  expect(unlinked.text()).toBe('请先用邀请码绑定您的家庭 去绑定家庭');
  await unlinked.tap('#bind', '.t-button');

  const empty = await mount({ status: 'empty', emptyText: '还没有申报记录', emptyAction: '去申报' });
  expect(empty.text()).toBe('还没有申报记录 去申报');
  await empty.tap('#empty-action', '.t-button');

  expect([unlinked.events, empty.events]).toEqual([['bind'], ['emptyaction']]);
});

it('shows nothing when the page shows its own content: ready, or a state whose text the page left out', async () => {
  for (const status of ['ready', 'forbidden', 'unlinked', 'empty']) {
    const { text } = await mount({ status });
    expect(text()).toBe('');
  }
  const forbidden = await mount({ status: 'forbidden', forbiddenText: '只有村干部可以审核' });
  expect(forbidden.text()).toBe('只有村干部可以审核');
});
