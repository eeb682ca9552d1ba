/**
 * 户籍与角色 as a village cadre: the families and their members, importing a register that has row errors
 * (chosen from a chat, uploaded under imports/<openid>/, every problem listed), then a good one; an invite code
 * shown big with its expiry; appointing and removing a group leader, and a refusal shown; 绑定积分卡 for 刘奶奶
 * (no phone) against a fake NFC adapter: bound and token written, an already-bound card refused, NFC off and
 * iPhone guidance; 挂失 of a member's card.
 */
import type { CardView } from '../../../miniprogram/contract/shop';
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
import { fakeNfc as fakeNfcAdapter, type Callbacks } from '../fake-nfc';
import { cardView } from '../views';
import { CADRE, SUPERVISOR, grant, session, villagesList, type Answers } from './fixtures';

const uploadFile = wx.cloud.uploadFile as unknown as jest.Mock;
const chooseMessageFile = jest.fn();

const families = [
  { id: 'f1', householdNumber: '001', headName: '王建国', groupId: 'g1', available: 0, suspendedUntil: null },
  { id: 'f2', householdNumber: '002', headName: '何雄梅', groupId: 'g2', available: 0, suspendedUntil: null },
];

const familyF1 = ok({
  family: { ...families[0], address: '', villageId: 'v1' },
  members: [
    {
      id: 'm1',
      name: '王建国',
      relation: '户主',
      partyMember: true,
      linked: true,
      isMe: false,
      openid: 'o-wang',
    },
    {
      id: 'm2',
      name: '王大爷',
      relation: '父亲',
      partyMember: false,
      linked: false,
      isMe: false,
      openid: null,
    },
  ],
});

function answers(over: Answers = {}) {
  return {
    'accounts/session.me': session([CADRE]),
    'accounts/villages.list': villagesList,
    'accounts/families.list': ok({ families }),
    'accounts/families.get': familyF1,
    'accounts/roles.list': ok({
      people: [
        {
          name: '王建国',
          memberId: 'm1',
          roles: [grant('supervisor', { kind: 'village', id: 'v1' }, '积分监督员')],
        },
      ],
    }),
    'accounts/families.import': () =>
      (imports += 1) === 1
        ? fail('INVALID_INPUT', '表格有2处问题，未导入任何数据，请修改后重新导入', {
            issues: [
              { path: '第3行', message: '户号不能为空' },
              { path: '第5行', message: '村民小组“五组”不存在' },
            ],
          })
        : ok(importProgress(200, false, 200, 600, [])),
    'accounts/families.importNext': () => {
      nextCalls += 1;
      progressSeen.push(shownText());
      // The first try of the second chunk is lost (a timeout): the page asks again.
      return nextCalls === 1
        ? fail('INTERNAL', '服务暂时不可用，请稍后重试')
        : ok(
            importProgress(400, true, 399, 1197, [
              { key: '205', label: '张三家', ok: false, message: '户号205已存在，未重复导入' },
            ]),
          );
    },
    'accounts/invites.create': ok({
      code: 'K7QM2XPA',
      memberName: '王大爷',
      expiresAt: '2026-11-29T04:00:00.000Z',
    }),
    'accounts/roles.grant': ok({
      memberId: 'm1',
      roles: [
        grant('supervisor', { kind: 'village', id: 'v1' }, '积分监督员'),
        grant('groupLeader', { kind: 'group', id: 'g1', villageId: 'v1' }, '村民小组长'),
      ],
      by: '李书记',
    }),
    'accounts/roles.revoke': fail('FORBIDDEN', '您不是本村（社区）的干部，不能执行此操作'),
    'shop/cards.list': ok({ cards: [] }),
    ...over,
  };
}

async function openHouseholds(over: Answers = {}) {
  backend(answers(over));
  const opened = await openPage('packageCadre/households/index');
  await opened.methods.onLoad();
  return opened;
}

let nextFile = 'bad';
let imports = 0;
let nextCalls = 0;
let progressSeen: string[] = [];
let shownText: () => string = () => '';

/** An import job's progress as families.import / families.importNext answer it (a register of 400 households). */
function importProgress(
  done: number,
  finished: boolean,
  imported: number,
  members: number,
  failures: { key: string; label: string; ok: false; message: string }[],
) {
  return {
    jobId: 'j1',
    total: 400,
    done,
    finished,
    succeeded: imported,
    failed: failures.length,
    outcomes: failures,
    families: imported,
    members,
  };
}

beforeEach(() => {
  jest.clearAllMocks();
  imports = 0;
  nextCalls = 0;
  progressSeen = [];
  Object.assign(wx, { chooseMessageFile });
  chooseMessageFile.mockImplementation((options: { success: (res: object) => void }) =>
    options.success({
      tempFiles: [
        { path: `wxfile://tmp/${nextFile}.xlsx`, name: '斑竹村户籍.xlsx', size: 2048, type: 'file', time: 0 },
      ],
    }),
  );
  uploadFile.mockImplementation((options: { cloudPath: string; success: (res: object) => void }) => {
    options.success({ fileID: `cloud://env.bucket/${options.cloudPath}`, statusCode: 200 });
    return { onProgressUpdate: jest.fn() };
  });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

it("lists the village's families, and a family's members with link state and roles", async () => {
  // Prepare
  const { tap, text } = await openHouseholds();
  expect(text()).toContain('王建国户 户号 001 一组');
  expect(text()).toContain('何雄梅户 户号 002 二组');

  // Act
  await tap('#family-f1 .family__head');

  // Assess
  expect(callsTo('accounts/families.get')).toEqual([{ familyId: 'f1' }]);
  const shown = text();
  expect(shown).toRead([
    '王建国 户主 已绑定微信 积分监督员',
    '王大爷 父亲 未绑定 生成邀请码',
    '撤销监督员',
    '设为组长',
  ]);
});

it('lists the first 50 households an import skipped and says how many more', async () => {
  // Prepare: a register whose 53 households were taken by another import between chunks
  const skipped = Array.from({ length: 53 }, (_, i) => ({
    key: String(301 + i),
    label: `户主${301 + i}家`,
    ok: false as const,
    message: `户号${301 + i}已存在，未重复导入`,
  }));
  const { tap, text } = await openHouseholds({
    'accounts/families.import': () => ok(importProgress(400, true, 347, 1041, skipped)),
  });
  nextFile = 'good';

  // Act
  await tap('#import', '.t-button');
  await settle();

  // Assess
  expect(text()).toRead([
    '已导入347户、1041名成员，53户未导入（原因见下）',
    '户号301（户主301家）：已存在，未重复导入',
    '户号350（户主350家）：已存在，未重复导入',
    '另有3户未导入，未逐一列出',
  ]);
  expect(text()).not.toContain('户号351（');
});

it('imports a register: row errors listed and nothing imported, then a good file in chunks with progress', async () => {
  // Prepare
  const { tap, text } = await openHouseholds();
  shownText = text;
  nextFile = 'bad';

  // Act
  await tap('#import', '.t-button');
  await settle();

  // Assess
  expect(chooseMessageFile).toHaveBeenCalledWith(
    expect.objectContaining({ count: 1, type: 'file', extension: ['xlsx', 'csv'] }),
  );
  const cloudPath = (uploadFile.mock.calls[0][0] as { cloudPath: string }).cloudPath;
  expect(cloudPath).toMatch(/^imports\/o-li\/[0-9a-f]{16}\.xlsx$/);
  expect(callsTo('accounts/families.import')).toEqual([
    { villageId: 'v1', fileId: `cloud://env.bucket/${cloudPath}`, requestId: expect.any(String) },
  ]);
  const shown = text();
  expect(shown).toRead([
    '表格有2处问题，未导入任何数据，请修改后重新导入',
    '第3行：户号不能为空',
    '第5行：村民小组“五组”不存在',
  ]);

  // Act: a corrected file
  nextFile = 'good';
  await tap('#import', '.t-button');
  await settle();

  // Assess: the progress after the first chunk, the second chunk asked for again after a failure, the outcome
  expect(progressSeen[0]).toContain('已导入 200/400 户');
  expect(callsTo('accounts/families.importNext')).toEqual([{ jobId: 'j1' }, { jobId: 'j1' }]);
  expect(text()).toContain('已导入399户、1197名成员，1户未导入（原因见下）');
  expect(text()).toContain('户号205（张三家）：已存在，未重复导入');
  expect(text()).not.toContain('第3行');
  expect(callsTo('accounts/families.list')).toHaveLength(2);
});

it('issues an invite code for a member without WeChat, shown big with its expiry', async () => {
  // Prepare
  const { tap, text, page } = await openHouseholds();
  await tap('#family-f1 .family__head');

  // Act
  await tap('#invite-m2', '.t-button');

  // Assess
  expect(callsTo('accounts/invites.create')).toEqual([{ memberId: 'm2' }]);
  expect(page.querySelector('#invite-code')?.dom?.textContent?.trim()).toBe('K7QM2XPA');
  expect(text()).toContain('王大爷的绑定邀请码');
  expect(text()).toContain('有效期至 2026-11-29 12:00，只能使用一次');

  await tap('#close-invite', '.t-button');
  expect(page.querySelector('#invite')).toBeFalsy();
});

it("appoints a group leader, and shows the server's refusal to remove a supervisor", async () => {
  // Prepare
  const { tap, text } = await openHouseholds();
  await tap('#family-f1 .family__head');

  // Act
  await tap('#leader-m1', '.t-button');

  // Assess
  expect(callsTo('accounts/roles.grant')).toEqual([{ memberId: 'm1', role: 'groupLeader' }]);
  expect(text()).toContain('已任命王建国为村民小组长');
  expect(text()).toContain('撤销组长');

  // Act
  await tap('#supervisor-m1', '.t-button');

  // Assess
  expect(callsTo('accounts/roles.revoke')).toEqual([{ memberId: 'm1', role: 'supervisor' }]);
  expect(text()).toContain('您不是本村（社区）的干部，不能执行此操作');
});

it('keeps supervisors out and shows errors', async () => {
  const supervisor = await openHouseholds({ 'accounts/session.me': session([SUPERVISOR]) });
  expect(supervisor.text()).toContain('只有村干部和镇管理员可以管理户籍与角色');
  const broken = await openHouseholds({ 'accounts/families.list': fail('INTERNAL', '服务繁忙，请稍后再试') });
  expect(broken.text()).toContain('服务繁忙，请稍后再试');
});

// ---- 绑定积分卡 for a member without a phone ----

const familyF2 = ok({
  family: { ...families[1], address: '', villageId: 'v1' },
  members: [
    { id: 'm3', name: '何雄梅', relation: '户主', partyMember: false, linked: true, isMe: false },
    { id: 'm4', name: '刘奶奶', relation: '母亲', partyMember: false, linked: false, isMe: false },
  ],
});

/** 刘奶奶's card, bound on 2026-11-26, with `over`. */
const liuCard = (over: Partial<CardView> = {}): CardView =>
  cardView({ boundAt: '2026-11-26T02:00:00.000Z', ...over });

/** The shared fake NFC adapter, on an Android phone. */
function fakeNfc(startFailure?: { errCode: number; errMsg: string }) {
  Object.assign(wx, { getDeviceInfo: () => ({ platform: 'android' }) });
  return fakeNfcAdapter(startFailure ? { startFailure } : {});
}

async function openLiuFamily(over: Answers = {}) {
  const opened = await openHouseholds({
    'accounts/families.get': (input) => (input.familyId === 'f2' ? familyF2 : familyF1),
    'shop/cards.list': ok({ cards: [] }),
    ...over,
  });
  await opened.tap('#family-f2 .family__head');
  return opened;
}

it('binds a card for 刘奶奶 by a tap: bound on her behalf, token written, her card listed', async () => {
  // Prepare
  let cards: CardView[] = [];
  const nfc = fakeNfc();
  const { tap, text } = await openLiuFamily({
    'shop/cards.list': () => ok({ cards }),
    'shop/cards.bind': (input) => {
      cards = [liuCard({ uid: String(input.uid) })];
      return ok({ card: cards[0], token: 'tok.liu' });
    },
  });
  expect(callsTo('shop/cards.list')).toEqual([{ familyId: 'f2' }]);

  // Act
  await tap('#bind-card-m4', '.t-button');
  expect(text()).toContain('为刘奶奶绑定积分卡');
  expect(text()).toContain('请让刘奶奶把积分卡贴在手机背面');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  // Assess
  expect(callsTo('shop/cards.bind')).toEqual([{ uid: '04A2B3C4', memberId: 'm4', writesToken: true }]);
  expect(nfc.ndef.writeNdefMessage).toHaveBeenCalledWith(expect.objectContaining({ texts: ['tok.liu'] }));
  expect(text()).toContain('已为刘奶奶绑定积分卡（04 A2 B3 C4），并写入防伪令牌');
  expect(nfc.listening()).toBe(false);
  expect(nfc.adapter.stopDiscovery).toHaveBeenCalled();

  // Her card on her row, with 挂失
  await tap('#bind-close', '.t-button');
  expect(text()).toContain('刘奶奶 母亲 未绑定');
  expect(text()).toContain('积分卡 04 A2 B3 C4 正常 挂失');
});

it("refuses a card that is already bound with the server's message, and keeps reading", async () => {
  const nfc = fakeNfc();
  const { tap, text } = await openLiuFamily({
    'shop/cards.bind': fail('CONFLICT', '该卡已绑定，请先解绑后再绑定', { reason: 'CARD_BOUND' }),
  });

  await tap('#bind-card-m4', '.t-button');
  await nfc.tap([0x04, 0xa2, 0xb3, 0xc4]);

  expect(text()).toContain('该卡已绑定，请先解绑后再绑定');
  expect(text()).toContain('请让刘奶奶把积分卡贴在手机背面');
  expect(nfc.listening()).toBe(true);
  expect(nfc.ndef.writeNdefMessage).not.toHaveBeenCalled();
});

it('tells the cadre to switch NFC on (13001), and reads after 重新读卡', async () => {
  const nfc = fakeNfc({ errCode: 13001, errMsg: 'startDiscovery:fail NFC switch has not been turned on' });
  const { tap, text } = await openLiuFamily();

  await tap('#bind-card-m4', '.t-button');

  expect(text()).toContain('手机的NFC没有打开');
  expect(callsTo('shop/cards.bind')).toHaveLength(0);

  nfc.adapter.startDiscovery.mockImplementation((o: Callbacks) => o.success?.());
  await tap('#card-bind >>> #start', '.t-button');
  expect(text()).not.toContain('手机的NFC没有打开');
  expect(text()).toContain('请让刘奶奶把积分卡贴在手机背面');
});

it('tells an iPhone to bind with an Android phone', async () => {
  fakeNfc();
  Object.assign(wx, { getDeviceInfo: () => ({ platform: 'ios' }) });
  const { tap, text, page } = await openLiuFamily();

  await tap('#bind-card-m4', '.t-button');

  expect(text()).toContain('苹果手机的微信不能读取积分卡');
  expect(page.querySelector('#card-bind >>> #start')).toBeFalsy();
});

it("blocks (挂失) a member's card after a confirm", async () => {
  const showModal = jest.fn((o: { success: (res: { confirm: boolean }) => void }) =>
    o.success({ confirm: true }),
  );
  Object.assign(wx, { showModal });
  const { tap, text } = await openLiuFamily({
    'shop/cards.list': ok({ cards: [liuCard()] }),
    'shop/cards.block': ok({ card: liuCard({ status: 'blocked', blockedAt: '2026-11-26T03:00:00.000Z' }) }),
  });

  await tap('#block-04A2B3C4');
  await settle();

  expect(callsTo('shop/cards.block')).toEqual([{ uid: '04A2B3C4', reason: '村干部代为挂失' }]);
  expect(text()).toContain('积分卡 04 A2 B3 C4 已挂失');
});

it('sorts a village of hundreds by 户号 as numbers, a page of 30 at a time, with search and groups in order', async () => {
  // Prepare: 65 families numbered 1…65 in the register's text order, groups listed 三组, 一组, 二组
  const many = Array.from({ length: 65 }, (_, i) => String(i + 1))
    .sort()
    .map((n) => ({
      id: `f${n}`,
      householdNumber: n,
      headName: `户主${n}`,
      groupId: ['g1', 'g2', 'g3'][Number(n) % 3] as string,
      available: 0,
      suspendedUntil: null,
    }));
  const village = {
    id: 'v1',
    name: '斑竹村',
    settings: { nameDisplay: 'full' as const, noticeDays: 7 },
    groups: [
      { id: 'g3', name: '三组' },
      { id: 'g1', name: '一组' },
      { id: 'g2', name: '二组' },
    ],
  };
  const { text, data, tap, page } = await openHouseholds({
    // Pages of 50, as the function answers
    'accounts/families.list': (input) => {
      const offset = Number(input.offset ?? 0);
      return ok({ families: many.slice(offset, offset + 50) });
    },
    'accounts/villages.list': ok({ villages: [village] }),
  });
  const shownNumbers = () => (data().families as { householdNumber: string }[]).map((f) => f.householdNumber);

  // Assess: 1, 2, 3 … (not 1, 10, 11 …), the first 30, and the groups in their number's order
  expect(shownNumbers().slice(0, 4)).toEqual(['1', '2', '3', '4']);
  expect(shownNumbers()).toHaveLength(30);
  expect(text()).toContain('共65户，显示前30户');
  expect(data().groupNames).toEqual(['全部小组', '一组', '二组', '三组']);

  // Act: the next page
  await tap('#more-families', '.t-button');

  // Assess
  expect(shownNumbers()).toHaveLength(60);
  expect(text()).toContain('显示更多（还有5户）');

  // Act: one group (二组, g2: numbers with remainder 1), then a search within it
  page.querySelector('#group-picker')?.dispatchEvent('change', { detail: { value: '2' } });
  await settle();
  expect(shownNumbers().slice(0, 3)).toEqual(['1', '4', '7']);
  expect(text()).toContain('共22户');
  page.querySelector('#family-search')?.dispatchEvent('input', { detail: { value: '2' } });
  await settle();

  // Assess: 户号 containing 2, in 二组
  expect(shownNumbers()).toEqual(['22', '25', '28', '52']);
  page.querySelector('#family-search')?.dispatchEvent('input', { detail: { value: '没有这户' } });
  await settle();
  expect(text()).toContain('没有符合条件的家庭');
});
