/**
 * 活动签到 as an organiser and as the second cadre: the year's activities with their figures, an activity's
 * refreshing check-in code and attendance list (scanned, added on behalf and by whom), 提交名单, and 确认计分
 * called until nothing remains; the organiser is told why they may not confirm their own list.
 */
import type { ActivitiesGetOutput, ActivityView, AttendanceView } from '../../../miniprogram/contract/points';
import { backend, callsTo, ok, openPage } from '../harness';
import { CADRE, GROUP_LEADER, session, villagesList, type Answers } from './fixtures';

const activity = (over: Partial<ActivityView> = {}): ActivityView => ({
  id: 'a1',
  villageId: 'v1',
  villageName: '斑竹村',
  title: '河道清理志愿服务',
  ruleTitle: '参加一次志愿活动',
  points: 10,
  place: '斑竹村村委会',
  startAt: '2026-11-20T03:00:00.000Z',
  endAt: '2026-11-20T05:00:00.000Z',
  timeText: '11月20日 11:00–13:00',
  capacity: 0,
  allowFamily: false,
  status: 'open',
  statusLabel: '报名签到中',
  checkedIn: 2,
  signedUp: 0,
  createdByName: '傅红',
  submittedByName: null,
  confirmedByName: null,
  posted: 0,
  skipped: 0,
  ...over,
});

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
  expect(shown).toContain('请村民用“村里活动”里的扫码签到扫描此码（每30秒更新）');
  expect(shown).toContain('签到名单 何雄梅 扫码 已签到 傅大爷 刷卡代签（傅红） 已签到');
  expect(shown).toContain('刷卡代签');

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
  expect(text()).toContain('何雄梅 扫码 已计分');
  expect(text()).not.toContain('确认计分');
  methods.onUnload();
});
