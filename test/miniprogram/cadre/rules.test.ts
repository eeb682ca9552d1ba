/**
 * 积分细则管理: a town admin edits a town rule — a 0.3 score refused here, 1.5 previewed with `rules.check`
 * (第1版 → 第2版) and published, the list showing 第2版; a village cadre adds a village rule with a cap
 * (no town preview call; villageId = their village) and cannot edit the town's; the server's refusal shown.
 */
import type { RuleView } from '../../../miniprogram/contract/points';
import { callsTo, fail, ok, openLoaded, quietMocksEachTest, settle } from '../harness';
import { CADRE, TOWN_ADMIN, VILLAGER, session, villagesList, type Answers } from './fixtures';

const rule = (over: Partial<RuleView>): RuleView => ({
  id: 'fulu_C01',
  code: 'C01',
  category: 'contribution',
  aspect: '公益活动',
  title: '参加一次志愿活动',
  description: '参加村组织的志愿服务',
  points: 10,
  selfClaim: true,
  photosRequired: true,
  cap: { count: 4, per: 'month', scope: 'member' },
  villageId: null,
  version: 1,
  ...over,
});

let catalogue: RuleView[] = [];

function answers(over: Answers = {}): Answers {
  return {
    'accounts/session.me': session([TOWN_ADMIN]),
    'accounts/villages.list': villagesList,
    'points/rules.list': () => ok({ rules: [...catalogue] }),
    'points/rules.check': (input) =>
      ok({ rule: input, replaces: catalogue.find((r) => r.code === input.code) ?? null }),
    'points/rules.save': (input) => {
      const villageId = (input.villageId as string | null) ?? null;
      const current = catalogue.find((r) => r.code === input.code && r.villageId === villageId);
      const saved = rule({
        ...(input as Partial<RuleView>),
        id: `${villageId ?? 'fulu'}_${String(input.code)}`,
        villageId,
        version: (current?.version ?? 0) + 1,
      });
      catalogue = [...catalogue.filter((r) => r !== current), saved];
      return ok({ rule: saved });
    },
    ...over,
  };
}

const openRules = (over: Answers = {}) => openLoaded('packageCadre/rules/index', answers(over));

quietMocksEachTest();

beforeEach(() => {
  catalogue = [
    rule({
      id: 'fulu_B01',
      code: 'B01',
      category: 'basic',
      aspect: '爱国爱党',
      title: '党员每月按时参加组织生活',
      points: 5,
      selfClaim: false,
      photosRequired: false,
      cap: { count: 1, per: 'month', scope: 'member' },
    }),
    rule({}),
    rule({
      id: 'v1_BZ01',
      code: 'BZ01',
      aspect: '人居环境',
      title: '庭院整洁评为示范户',
      points: 20,
      cap: null,
      villageId: 'v1',
    }),
  ];
});

it("shows the catalogue with each rule's version and scope", async () => {
  const { text } = await openRules();
  expect(callsTo('points/rules.list')).toEqual([{ villageId: 'v1' }]);
  const shown = text();
  expect(shown).toContain('C01 参加一次志愿活动 +1 分 全镇 贡献类积分 · 公益活动 第1版 编辑');
  expect(shown).toContain('BZ01 庭院整洁评为示范户 +2 分 本村');
});

it('refuses a 0.3 score here, then previews and publishes 1.5 as the next version', async () => {
  // Prepare
  const { tap, text, enter, expectRefusedBeforeCalling } = await openRules();
  await tap('#edit-C01');
  await enter({ '#points': '0.3' });

  // Act, Assess
  await expectRefusedBeforeCalling(
    '#preview-button',
    '分值须为0.5分的整数倍，且在-100分到100分之间、不为0',
    'points/rules.check',
  );

  // Act: a valid score
  await enter({ '#points': '1.5' });
  await tap('#preview-button', '.t-button');

  // Assess: the preview
  const draft = {
    code: 'C01',
    category: 'contribution',
    aspect: '公益活动',
    title: '参加一次志愿活动',
    description: '参加村组织的志愿服务',
    points: 15,
    selfClaim: true,
    photosRequired: true,
    cap: { count: 4, per: 'month', scope: 'member' },
  };
  expect(callsTo('points/rules.check')).toEqual([draft]);
  expect(text()).toRead([
    '修改细则，由第1版变为第2版 C01 参加一次志愿活动',
    '分值 +1.5 分，每人每月限4次',
    '原：参加一次志愿活动，+1 分，每人每月限4次',
  ]);

  // Act: publish
  await tap('#save', '.t-button');
  await settle();

  // Assess
  expect(callsTo('points/rules.save')).toEqual([{ ...draft, villageId: null }]);
  expect(text()).toContain('已发布 C01 参加一次志愿活动（第2版）');
  expect(text()).toContain('C01 参加一次志愿活动 +1.5 分 全镇 贡献类积分 · 公益活动 第2版');
});

it("lets a village cadre add a village rule with a cap, but not edit the town's", async () => {
  // Prepare
  const { page, tap, text } = await openRules({ 'accounts/session.me': session([CADRE]) });
  expect(page.querySelector('#edit-C01')).toBeFalsy();
  expect(page.querySelector('#edit-BZ01')).toBeTruthy();
  expect(page.querySelector('#add-town')).toBeFalsy();
  await tap('#add-village', '.t-button');
  const type = (id: string, value: string) =>
    page.querySelector(id)?.dispatchEvent('input', { detail: { value } });
  type('#code', 'bz02');
  type('#aspect', '人居环境');
  type('#title', '垃圾分类做得好');
  type('#points', '0.5');
  await settle();
  await tap('#photos-required', '.t-switch');
  await tap('#cap-on', '.t-switch');
  page.querySelector('#cap-scope-picker')?.dispatchEvent('change', { detail: { value: '1' } });
  type('#cap-count', '2');
  await settle();

  // Act
  await tap('#preview-button', '.t-button');
  await tap('#save', '.t-button');
  await settle();

  // Assess
  expect(callsTo('points/rules.check')).toEqual([]);
  expect(callsTo('points/rules.save')).toEqual([
    {
      code: 'BZ02',
      category: 'contribution',
      aspect: '人居环境',
      title: '垃圾分类做得好',
      description: '',
      points: 5,
      selfClaim: true,
      photosRequired: true,
      cap: { count: 2, per: 'month', scope: 'family' },
      villageId: 'v1',
    },
  ]);
  expect(text()).toContain('已发布 BZ02 垃圾分类做得好（第1版）');
});

it("shows the server's refusal", async () => {
  const { page, tap, text } = await openRules({
    'accounts/session.me': session([CADRE]),
    'points/rules.save': fail('FORBIDDEN', '只有本村干部可以修改本村积分细则'),
  });
  await tap('#edit-BZ01');
  page.querySelector('#title')?.dispatchEvent('input', { detail: { value: '庭院整洁示范户' } });
  await settle();
  await tap('#preview-button', '.t-button');
  expect(text()).toContain('修改细则，由第1版变为第2版');
  await tap('#save', '.t-button');
  expect(text()).toContain('只有本村干部可以修改本村积分细则');
  expect(text()).not.toContain('已发布');
});

it('turns a villager away', async () => {
  const { text } = await openRules({ 'accounts/session.me': session([VILLAGER]) });
  expect(text()).toContain('只有镇管理员和村干部可以管理积分细则');
});
