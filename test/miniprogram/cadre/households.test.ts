/**
 * 户籍与角色 as a village cadre: the families and their members, importing a register that has row errors
 * (chosen from a chat, uploaded under imports/<openid>/, every problem listed), then a good one; an invite code
 * shown big with its expiry; appointing and removing a group leader, and a refusal shown.
 */
import { backend, callsTo, fail, ok, openPage, settle } from '../harness';
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
        : ok({ families: 12, members: 37 }),
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

beforeEach(() => {
  jest.clearAllMocks();
  imports = 0;
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
  expect(shown).toContain('王建国 户主 已绑定微信 积分监督员');
  expect(shown).toContain('王大爷 父亲 未绑定 生成邀请码');
  expect(shown).toContain('撤销监督员');
  expect(shown).toContain('设为组长');
});

it('imports a register: row errors listed and nothing imported, then a good file', async () => {
  // Prepare
  const { tap, text } = await openHouseholds();
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
    { villageId: 'v1', fileId: `cloud://env.bucket/${cloudPath}` },
  ]);
  const shown = text();
  expect(shown).toContain('表格有2处问题，未导入任何数据，请修改后重新导入');
  expect(shown).toContain('第3行：户号不能为空');
  expect(shown).toContain('第5行：村民小组“五组”不存在');

  // Act: a corrected file
  nextFile = 'good';
  await tap('#import', '.t-button');
  await settle();

  // Assess
  expect(text()).toContain('已导入12户、37名成员');
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
