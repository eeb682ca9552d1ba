/**
 * 活动签到 as an organiser and as the second cadre: the year's activities with their figures, an activity's
 * refreshing check-in code and attendance list (scanned, added on behalf and by whom), 提交名单, and 确认计分
 * called until nothing remains; the organiser is told why they may not confirm their own list.
 */
import type {
  ActivitiesGetOutput,
  ActivityMemberView,
  AttendanceView,
} from '../../../miniprogram/contract/points';
import { activityView } from '../activity-view';
import { backend, callsTo, fail, ok, openPage, rule, settle } from '../harness';
import { CADRE, GROUP_LEADER, session, villagesList, type Answers } from './fixtures';

const activity = activityView;

const person = (over: Partial<AttendanceView>): AttendanceView => ({
  memberId: 'm1',
  memberName: '何雄梅',
  familyId: 'f1',
  checkedInAt: '2026-11-20T03:01:00.000Z',
  checkedOutAt: null,
  via: 'scan',
  onBehalf: false,
  byName: '何雄梅',
  status: 'present',
  skipReason: null,
  ...over,
});

const attendance = [
  person({}),
  person({ memberId: 'm2', memberName: '傅大爷', via: 'card', onBehalf: true, byName: '傅红' }),
];

const detail = (over: Partial<ActivitiesGetOutput> = {}): ActivitiesGetOutput => ({
  activity: activity(),
  attendance,
  canOrganise: true,
  confirmConflict: '不能确认自己组织或提交的签到名单，需由其他干部或镇管理员确认',
  ...over,
});

interface Methods {
  onLoad(query?: { id?: string }): Promise<void>;
  onUnload(): void;
}

async function openActivities(roles = [GROUP_LEADER], over: Answers = {}, query: { id?: string } = {}) {
  backend({
    'accounts/session.me': session(roles),
    'accounts/villages.list': villagesList,
    'points/activities.list': ok({ activities: [activity()] }),
    'points/activities.stats': ok({
      villageName: '斑竹村',
      year: '2026',
      activities: [
        {
          activityId: 'a1',
          title: '河道清理志愿服务',
          timeText: '',
          attendance: 0,
          points: 0,
          households: 0,
        },
      ],
      rules: [{ code: 'C01', title: '参加一次志愿活动', attendance: 14, points: 140, households: 9 }],
    }),
    'points/activities.get': ok(detail()),
    'points/activities.code': ok({
      code: 'ZJF-CI:a1:59000000:0123456789abcdef01234567',
      refreshInSeconds: 20,
    }),
    ...over,
  });
  const opened = await openPage<Methods & Record<string, never>>('packageCadre/activities/index');
  await opened.methods.onLoad(query);
  return opened;
}

afterEach(() => jest.useRealTimers());

it('lists the year’s activities with their figures and the per-rule statistics', async () => {
  const { text, methods } = await openActivities();
  const shown = text();
  expect(shown).toContain(
    '斑竹村 · 2026年的活动 河道清理志愿服务 报名签到中 11月20日 11:00–13:00 · 斑竹村村委会 签到 2 人',
  );
  expect(shown).toContain('2026年按细则统计 参加一次志愿活动：14 次 · +14分 · 9 户');
  methods.onUnload();
});

it('shows the organiser the check-in code and the attendance list, and submits it', async () => {
  let submitted = false;
  const { text, tap, data, methods } = await openActivities([GROUP_LEADER], {
    'points/activities.get': () =>
      ok(detail(submitted ? { activity: activity({ status: 'submitted', statusLabel: '待确认' }) } : {})),
    'points/activities.submit': () => {
      submitted = true;
      return ok({ activity: activity({ status: 'submitted' }) });
    },
  });
  await tap('#activity-a1');

  expect((data().qr as boolean[][]).length).toBeGreaterThan(20);
  const shown = text();
  expect(shown).toRead([
    '请村民用“村里活动”里的扫码签到扫描此码（每30秒更新）',
    '签到名单 何雄梅 扫码 11:01签到 已签到 傅大爷 刷卡代签（傅红） 11:01签到 已签到',
    '刷卡代签',
  ]);

  await tap('#submit', '.t-button');
  expect(callsTo('points/activities.submit')).toEqual([{ activityId: 'a1' }]);
  expect(text()).toContain('待确认');
  expect(text()).toContain('不能确认自己组织或提交的签到名单');
  expect(text()).not.toContain('确认计分');
  methods.onUnload();
});

it('lets a second cadre confirm, calling again until every member is posted', async () => {
  let calls = 0;
  const submitted = activity({ status: 'submitted', statusLabel: '待确认' });
  const { tap, text, methods } = await openActivities(
    [CADRE],
    {
      'points/activities.get': () =>
        ok(
          detail({
            activity: calls >= 2 ? activity({ status: 'confirmed', statusLabel: '已计分' }) : submitted,
            attendance:
              calls >= 2 ? attendance.map((p) => ({ ...p, status: 'posted' as const })) : attendance,
            canOrganise: false,
            confirmConflict: null,
          }),
        ),
      'points/activities.confirm': () => {
        calls += 1;
        return ok({ activity: submitted, posted: 1, skipped: 0, remaining: calls === 1 ? 1 : 0 });
      },
    },
    { id: 'a1' },
  );

  await tap('#confirm', '.t-button');

  expect(callsTo('points/activities.confirm')).toHaveLength(2);
  expect(text()).toContain('何雄梅 扫码 11:01签到 已计分');
  expect(text()).not.toContain('确认计分');
  methods.onUnload();
});

it('shows who checked out, and when, in the attendance list', async () => {
  const { text, tap, methods } = await openActivities([GROUP_LEADER], {
    'points/activities.get': ok(
      detail({ attendance: [person({ checkedOutAt: '2026-11-20T04:40:00.000Z' }), attendance[1]] }),
    ),
  });
  await tap('#activity-a1');
  expect(text()).toContain('已签到 2 人 · 已签退 1 人');
  expect(text()).toContain('何雄梅 扫码 11:01签到 · 12:40签退 已签到');
  methods.onUnload();
});

describe('发起活动', () => {
  const rules = ok({
    rules: [
      rule({ id: 'r-c04', code: 'C04', title: '参加院坝会、村民代表大会', points: 5 }),
      rule({ id: 'r-b09', code: 'B09', title: '违反村规民约', points: -10 }),
      rule({ id: 'r-c01' }),
    ],
  });

  it('checks the form in Chinese, field by field, and changes nothing until it is right', async () => {
    const { page, tap, text, methods } = await openActivities([GROUP_LEADER], { 'points/rules.list': rules });
    await tap('#create', '.t-button');
    const shown = () => text();

    await tap('#create-submit', '.t-button');
    expect(shown()).toContain('请填写活动名称（至少2个字）');
    page.querySelector('#form-title')?.dispatchEvent('input', { detail: { value: '河道清理志愿服务' } });
    await settle();
    expect(shown()).not.toContain('请填写活动名称');
    await tap('#create-submit', '.t-button');
    expect(shown()).toContain('请选择积分细则');
    page.querySelector('#form-rule')?.dispatchEvent('change', { detail: { value: '1' } });
    await tap('#create-submit', '.t-button');
    expect(shown()).toContain('请填写活动地点');
    page.querySelector('#form-place')?.dispatchEvent('input', { detail: { value: '斑竹村村委会' } });
    page.querySelector('#form-start')?.dispatchEvent('change', { detail: { value: '15:00' } });
    page.querySelector('#form-end')?.dispatchEvent('change', { detail: { value: '14:30' } });
    await tap('#create-submit', '.t-button');
    expect(shown()).toContain('结束时间要晚于开始时间');
    page.querySelector('#form-end')?.dispatchEvent('change', { detail: { value: '17:00' } });
    page.querySelector('#form-capacity')?.dispatchEvent('input', { detail: { value: '2.5' } });
    await tap('#create-submit', '.t-button');
    expect(shown()).toContain('人数上限请填0到1000的整数（不填或0为不限）');

    expect(callsTo('points/activities.create')).toEqual([]);
    // Only rules that award points are offered: the second is 参加一次志愿活动, not the deduction.
    expect(text()).toContain('积分细则 参加一次志愿活动（+1分）');
    methods.onUnload();
  });

  it('creates the activity and opens it with its check-in code', async () => {
    const { page, tap, text, methods } = await openActivities([GROUP_LEADER], {
      'points/rules.list': rules,
      'points/activities.create': (input) =>
        ok({ activity: activity({ title: String(input.title), capacity: Number(input.capacity) }) }),
      'points/activities.get': ok(detail({ attendance: [] })),
    });
    await tap('#create', '.t-button');
    // The times suggested: the next full hour for two hours (it is 10:00 on 20 November).
    expect(text()).toContain('日期 2026-11-20 开始时间 11:00 结束时间 13:00');

    page.querySelector('#form-title')?.dispatchEvent('input', { detail: { value: ' 河道清理志愿服务 ' } });
    page.querySelector('#form-rule')?.dispatchEvent('change', { detail: { value: '0' } });
    page.querySelector('#form-place')?.dispatchEvent('input', { detail: { value: '斑竹村村委会' } });
    page.querySelector('#form-capacity')?.dispatchEvent('input', { detail: { value: '30' } });
    page.querySelector('#form-family')?.dispatchEvent('change', { detail: { value: true } });
    await tap('#create-submit', '.t-button');

    const [sent] = callsTo('points/activities.create');
    expect(sent).toMatchObject({
      villageId: 'v1',
      title: '河道清理志愿服务',
      ruleId: 'r-c04',
      place: '斑竹村村委会',
      startAt: '2026-11-20T03:00:00.000Z',
      endAt: '2026-11-20T05:00:00.000Z',
      capacity: 30,
      allowFamily: true,
    });
    expect(String(sent.requestId)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(text()).toContain('请村民用“村里活动”里的扫码签到扫描此码（每30秒更新）');
    expect(text()).toContain('还没有人签到');
    methods.onUnload();
  });

  it('shows the server’s refusal under the form', async () => {
    const { page, tap, text, methods } = await openActivities([GROUP_LEADER], {
      'points/rules.list': rules,
      'points/activities.create': fail('FORBIDDEN', '只有本村（社区）的干部和组长可以发起活动'),
    });
    await tap('#create', '.t-button');
    page.querySelector('#form-title')?.dispatchEvent('input', { detail: { value: '院坝会' } });
    page.querySelector('#form-rule')?.dispatchEvent('change', { detail: { value: '0' } });
    page.querySelector('#form-place')?.dispatchEvent('input', { detail: { value: '二组院坝' } });
    await tap('#create-submit', '.t-button');
    expect(text()).toContain('只有本村（社区）的干部和组长可以发起活动');
    methods.onUnload();
  });
});

describe('选人代签', () => {
  const member = (over: Partial<ActivityMemberView>): ActivityMemberView => ({
    memberId: 'm3',
    name: '刘奶奶',
    relation: '父母',
    householdNumber: '2',
    headName: '傅红',
    checkedIn: false,
    ...over,
  });

  it('searches the register by name or 户号, a page at a time, and checks a member in on their behalf', async () => {
    const added: string[] = [];
    const { page, tap, text, methods } = await openActivities([GROUP_LEADER], {
      'points/activities.members': (input) => {
        if (input.query === '刘')
          return ok({ members: [member({ checkedIn: added.includes('m3') })], nextOffset: null });
        if (input.query === '9') return ok({ members: [], nextOffset: null });
        return input.offset === 20
          ? ok({
              members: [
                member({
                  memberId: 'm9',
                  name: '万有志',
                  householdNumber: '3',
                  headName: '万有志',
                  relation: '户主',
                }),
              ],
              nextOffset: null,
            })
          : ok({
              members: [
                member({
                  memberId: 'm1',
                  name: '何雄梅',
                  relation: '户主',
                  householdNumber: '1',
                  headName: '何雄梅',
                  checkedIn: true,
                }),
              ],
              nextOffset: 20,
            });
      },
      'points/activities.addOnBehalf': (input) => {
        added.push(String(input.memberId));
        return ok({ activity: activity({ checkedIn: 3 }), memberName: '刘奶奶' });
      },
    });
    await tap('#activity-a1');

    await tap('#pick-open', '.t-button');
    expect(text()).toContain('何雄梅 1号户 · 何雄梅家 · 户主 已签到');
    await tap('#pick-more', '.t-button');
    expect(callsTo('points/activities.members')[1]).toEqual({ activityId: 'a1', offset: 20 });
    expect(text()).toContain('万有志 3号户 · 万有志家 · 户主 代签');
    expect(page.querySelector('#pick-more')).toBeFalsy();

    page.querySelector('#pick-query')?.dispatchEvent('input', { detail: { value: '9' } });
    await tap('#pick-search', '.t-button');
    expect(text()).toContain('没有找到“9”，可输入姓名或户号');
    page.querySelector('#pick-query')?.dispatchEvent('input', { detail: { value: ' 刘 ' } });
    await tap('#pick-search', '.t-button');
    expect(callsTo('points/activities.members').at(-1)).toEqual({ activityId: 'a1', query: '刘' });
    expect(text()).toContain('刘奶奶 2号户 · 傅红家 · 父母 代签');

    await tap('#pick-m3', '.t-button');
    expect(callsTo('points/activities.addOnBehalf')).toEqual([
      { activityId: 'a1', requestId: expect.any(String), memberId: 'm3' },
    ]);
    expect(text()).toContain('刘奶奶 2号户 · 傅红家 · 父母 已签到');
    methods.onUnload();
  });

  it('says why a member could not be added', async () => {
    const showModal = jest.spyOn(wx, 'showModal').mockImplementation(() => undefined as never);
    const { tap, methods } = await openActivities([GROUP_LEADER], {
      'points/activities.members': ok({ members: [member({})], nextOffset: null }),
      'points/activities.addOnBehalf': fail('REFUSED', '活动人数已满（3人），不能再签到', { reason: 'FULL' }),
    });
    await tap('#activity-a1');
    await tap('#pick-open', '.t-button');
    await tap('#pick-m3', '.t-button');
    expect(showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '代签未成功', content: '活动人数已满（3人），不能再签到' }),
    );
    showModal.mockRestore();
    methods.onUnload();
  });
});

it('offers 重试 when the list cannot be loaded, and loads it on a tap', async () => {
  let down = true;
  const { tap, text, methods } = await openActivities([GROUP_LEADER], {
    'points/activities.list': () =>
      down ? fail('NETWORK', '网络连接失败，请检查网络后重试') : ok({ activities: [activity()] }),
  });
  expect(text()).toContain('网络连接失败，请检查网络后重试 重试');
  down = false;
  await tap('#state >>> #retry', '.t-button');
  expect(text()).toContain('河道清理志愿服务 报名签到中');
  methods.onUnload();
});
