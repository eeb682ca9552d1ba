/**
 * 积分明细: lines with rule, who recorded and approved; filters by member and month; 提出异议 opens the objection
 * page with the entry preselected; pull-to-refresh; load more; empty, not linked and error states.
 */
import type { EntryView } from '../../../miniprogram/contract/points';
import { backend, callsTo, fail, notLinked, ok, openPage, type PagedListMethods } from '../harness';
import { entryView, familyView } from '../views';

const entry = (n: number, over: Partial<EntryView> = {}): EntryView =>
  entryView({ id: `e${n}`, reason: `河道清理第${n}次`, createdAt: '2026-11-10T02:00:00.000Z', ...over });

const family = ok(
  familyView({ address: '斑竹村1组', available: 100 }, [
    { id: 'm1', name: '何雄梅', relation: '户主', partyMember: false, linked: true, isMe: true },
    { id: 'm2', name: '王强', relation: '配偶', partyMember: true, linked: false, isMe: false },
  ]),
);

const openLedger = () => openPage<PagedListMethods & Record<string, never>>('pages/ledger/index');

beforeEach(() => {
  jest.clearAllMocks();
});

it('shows each line with rule, member, reason, who recorded and who approved', async () => {
  backend({
    'points/ledger.list': ok({
      entries: [
        entry(1),
        entry(2, {
          kind: 'deduction',
          kindLabel: '扣分',
          ruleTitle: '乱扔垃圾',
          points: -20,
          pointsText: '-2',
          approvedByName: null,
          onBehalf: true,
        }),
      ],
    }),
    'accounts/families.get': family,
  });
  const { methods, text } = await openLedger();

  await methods.onLoad();

  const shown = text();
  expect(shown).toRead([
    '参加一次志愿活动 +1 分 加分 何雄梅 · 2026-11-10 河道清理第1次',
    '记录人：傅红 · 审核人：罗亚倩',
    '乱扔垃圾 -2 分',
    '记录人：傅红（代录） · 无需审核',
    '提出异议',
    '没有更多了',
  ]);
});

it('filters by member and by month', async () => {
  backend({ 'points/ledger.list': ok({ entries: [entry(1)] }), 'accounts/families.get': family });
  const { page, methods } = await openLedger();
  await methods.onLoad();

  page.querySelector('#member-filter')?.dispatchEvent('change', { detail: { value: '2' } });
  await new Promise((r) => setTimeout(r, 0));
  page.querySelector('#month-filter')?.dispatchEvent('change', { detail: { value: '2026-10' } });
  await new Promise((r) => setTimeout(r, 0));

  const calls = callsTo('points/ledger.list');
  expect(calls[0]).toEqual({ offset: 0 });
  expect(calls[1]).toEqual({ memberId: 'm2', offset: 0 });
  expect(calls[2]).toEqual({ memberId: 'm2', month: '2026-10', offset: 0 });
  expect((page.data as { monthText: string }).monthText).toBe('2026年10月');
});

it('opens the objection page with the entry preselected', async () => {
  backend({ 'points/ledger.list': ok({ entries: [entry(1)] }), 'accounts/families.get': family });
  const { methods, tap } = await openLedger();
  await methods.onLoad();

  await tap('#object-e1');

  const url = (wx.navigateTo as jest.Mock).mock.calls[0][0].url as string;
  expect(url).toMatch(/^\/pages\/objections\/index\?type=entry&id=e1&label=/);
  expect(decodeURIComponent(url.split('label=')[1])).toBe('2026-11-10 参加一次志愿活动 +1 分');
});

it('loads more at the bottom, continuing from the lines shown', async () => {
  backend({
    'points/ledger.list': (input) =>
      ok({
        entries:
          input.offset === 0
            ? Array.from({ length: 20 }, (_, i) => entry(i + 1))
            : [entry(21, { reason: '最后一条' })],
      }),
    'accounts/families.get': family,
  });
  const { methods, text } = await openLedger();
  await methods.onLoad();
  expect(text()).toContain('加载更多');

  await methods.onReachBottom();

  expect(callsTo('points/ledger.list')[1]).toEqual({ offset: 20 });
  expect(text()).toContain('最后一条');
  expect(text()).toContain('没有更多了');
});

it('refreshes on pull-down', async () => {
  let calls = 0;
  backend({
    'points/ledger.list': () => {
      calls += 1;
      return ok({ entries: [entry(calls, { reason: calls === 1 ? '旧记录' : '新记录' })] });
    },
    'accounts/families.get': family,
  });
  const { methods, text } = await openLedger();
  await methods.onLoad();

  await methods.onPullDownRefresh();

  expect(text()).toContain('新记录');
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});

it('says when nothing matches, asks to bind when not linked, and shows errors with 重试', async () => {
  backend({ 'points/ledger.list': ok({ entries: [] }), 'accounts/families.get': family });
  let opened = await openLedger();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('没有符合条件的积分记录');

  backend({ 'points/ledger.list': notLinked(), 'accounts/families.get': notLinked() });
  opened = await openLedger();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('绑定家庭后才能查看积分明细');

  backend({
    'points/ledger.list': fail('NETWORK', '网络连接失败，请检查网络后重试'),
    'accounts/families.get': family,
  });
  opened = await openLedger();
  await opened.methods.onLoad();
  expect(opened.text()).toContain('网络连接失败，请检查网络后重试');
  backend({ 'points/ledger.list': ok({ entries: [entry(1)] }), 'accounts/families.get': family });
  await opened.tap('#state >>> #retry', '.t-button');
  expect(opened.text()).toContain('河道清理第1次');
});
