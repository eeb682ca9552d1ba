/**
 * 积分规则 as a villager sees it: loading, the catalogue grouped by category and aspect, empty, and an error
 * with 重试. The backend is `wx.cloud.callFunction` (mocked in setup.ts) answering with envelopes.
 */
import type { RuleView } from '../../../miniprogram/contract/points';
import { DEFAULT_CATALOGUE } from '../../../miniprogram/core/catalogue';
import type { Envelope } from '../../../miniprogram/core/envelope';
import { renderPage } from '../load-page';

const callFunction = wx.cloud.callFunction as unknown as jest.Mock;

const catalogue: RuleView[] = DEFAULT_CATALOGUE.map((rule) => ({
  ...rule,
  id: `rule-${rule.code}`,
  villageId: null,
  version: 1,
}));

const answer = (envelope: Envelope<{ rules: RuleView[] }>) => ({
  errMsg: 'cloud.callFunction:ok',
  result: envelope,
});
const rulesEnvelope = (rules: RuleView[]) => answer({ ok: true, data: { rules } });

/** Lets pending promises and simulated taps run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

interface RulesPageMethods {
  onLoad(): Promise<void>;
  onPullDownRefresh(): Promise<void>;
}

async function openRulesPage() {
  const page = renderPage('pages/rules/index');
  const methods = page.instance as unknown as RulesPageMethods;
  const text = (): string => (page.dom?.textContent ?? '').replace(/\s+/g, ' ');
  return { page, methods, text };
}

beforeEach(() => {
  jest.clearAllMocks();
  wx.clearStorageSync();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

it('shows a loading indicator until the rules arrive', async () => {
  // Prepare
  let respond: (value: unknown) => void = () => undefined;
  callFunction.mockReturnValueOnce(new Promise((resolve) => (respond = resolve)));
  const { methods, text } = await openRulesPage();

  // Act
  const loading = methods.onLoad();

  // Assess
  expect(text()).toContain('正在加载积分规则');
  expect(text()).not.toContain('基础类积分');
  respond(rulesEnvelope(catalogue));
  await loading;
  expect(text()).not.toContain('正在加载积分规则');
});

it('lists the catalogue by category and aspect with scores, caps and claim tags', async () => {
  // Prepare
  callFunction.mockResolvedValueOnce(rulesEnvelope(catalogue));
  const { page, methods, text } = await openRulesPage();

  // Act
  await methods.onLoad();

  // Assess
  expect(callFunction).toHaveBeenCalledWith({ name: 'points', data: { action: 'rules.list', input: {} } });
  const shown = text();
  expect(shown).toContain('基础类积分');
  expect(shown).toContain('贡献类积分');
  expect(shown.indexOf('基础类积分')).toBeLessThan(shown.indexOf('贡献类积分'));
  expect(shown).toRead([
    '爱国爱党',
    '党员每月按时参加组织生活',
    '+0.5 分',
    '+1 分',
    '-2 分',
    '每人每月限1次',
    '不限次数',
    '可自主申报',
    '需上传照片',
  ]);
  // Only display rows reach the view: no codes, versions or village ids.
  const firstRow = (page.data as { sections: { aspects: { rules: object[] }[] }[] }).sections[0].aspects[0]
    .rules[0];
  expect(Object.keys(firstRow).sort()).toEqual(
    ['cap', 'deduction', 'description', 'id', 'photosRequired', 'score', 'selfClaim', 'title'].sort(),
  );
});

it('says there are no rules yet when the catalogue is empty', async () => {
  // Prepare
  callFunction.mockResolvedValueOnce(rulesEnvelope([]));
  const { methods, text } = await openRulesPage();

  // Act
  await methods.onLoad();

  // Assess
  expect(text()).toContain('暂无积分规则');
  expect(text()).not.toContain('重试');
});

it('shows the error message, and 重试 fetches again and shows the rules', async () => {
  // Prepare
  callFunction
    .mockResolvedValueOnce(
      answer({ ok: false, error: { code: 'INTERNAL', message: '服务繁忙，请稍后再试', requestId: 'req-1' } }),
    )
    .mockResolvedValueOnce(rulesEnvelope(catalogue));
  const { page, methods, text } = await openRulesPage();
  await methods.onLoad();
  expect(text()).toContain('服务繁忙，请稍后再试');
  expect(text()).not.toContain('基础类积分');

  // Act
  page.querySelector('#state >>> #retry')?.querySelector('.t-button')?.dispatchEvent('tap');
  await settle();

  // Assess
  expect(callFunction).toHaveBeenCalledTimes(2);
  expect(text()).not.toContain('服务繁忙');
  expect(text()).toContain('参加一次志愿活动');
});

it('shows the network message when the cloud cannot be reached', async () => {
  // Prepare
  callFunction.mockRejectedValueOnce(new Error('cloud.callFunction:fail network'));
  const { methods, text } = await openRulesPage();

  // Act
  await methods.onLoad();

  // Assess
  expect(text()).toContain('网络连接失败，请检查网络后重试');
  expect(text()).toContain('重试');
});

it('keeps the rules on screen when a pull-down refresh fails, and says why', async () => {
  // Prepare
  callFunction
    .mockResolvedValueOnce(rulesEnvelope(catalogue))
    .mockRejectedValueOnce(new Error('cloud.callFunction:fail timeout'));
  const { methods, text } = await openRulesPage();
  await methods.onLoad();

  // Act
  await methods.onPullDownRefresh();

  // Assess
  expect(text()).toContain('党员每月按时参加组织生活');
  expect(wx.showToast).toHaveBeenCalledWith({ title: '网络连接失败，请检查网络后重试', icon: 'none' });
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
});
