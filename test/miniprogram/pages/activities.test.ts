/**
 * 村里活动 as a villager: the village's upcoming activities and the family's attendance with each activity's
 * name; 扫码签到 reads the organiser's code with wx.scanCode, sends it, and confirms who checked in; a refusal
 * (duplicate, outside the window …) is shown in the server's words.
 */
import type { ActivitiesMineOutput, MyActivityView } from '../../../miniprogram/contract/points';
import { activityView } from '../activity-view';
import { backend, callsTo, fail, ok, openPage } from '../harness';

const activity = (over: Partial<MyActivityView> = {}): MyActivityView => ({
  ...activityView({ capacity: 30, allowFamily: true, checkedIn: 12, signedUp: 20 }),
  signedUpByMe: false,
  checkedInByMe: false,
  ...over,
});

const mine = (over: Partial<ActivitiesMineOutput> = {}): ActivitiesMineOutput => ({
  villageName: '斑竹村',
  upcoming: [activity()],
  attended: [
    {
      activityId: 'a0',
      activityTitle: '院坝会',
      memberName: '何雄梅',
      checkedInAt: '2026-11-12T02:00:00.000Z',
      checkedOutAt: '2026-11-12T03:30:00.000Z',
      status: 'posted',
      points: 10,
    },
  ],
  ...over,
});

const scanCode = jest.fn();
const showModal = jest.fn();
interface Methods {
  onLoad(): Promise<void>;
}
const openActivities = () => openPage<Methods & Record<string, never>>('pages/activities/index');

beforeAll(() => Object.assign(wx, { scanCode, showModal }));
beforeEach(() => {
  jest.clearAllMocks();
  scanCode.mockImplementation(({ success }: { success: (r: { result: string }) => void }) =>
    success({ result: 'ZJF-CI:a1:59000000:0123456789abcdef01234567' }),
  );
});

it('lists the village’s upcoming activities and the family’s attendance with the activity’s name', async () => {
  backend({ 'points/activities.mine': ok(mine()) });
  const { methods, text } = await openActivities();

  await methods.onLoad();

  const shown = text();
  expect(shown).toContain('斑竹村近期活动');
  expect(shown).toContain(
    '河道清理志愿服务 11月20日 11:00–13:00 · 斑竹村村委会 参加一次志愿活动 +1分 · 已签到 12 / 30 人 报名',
  );
  expect(shown).toContain('我家参加的活动 院坝会 何雄梅 · 11月12日 10:00签到 · 11:30签退 · 已计分 +1分');
});

it('signs up for an activity', async () => {
  let signedUp = false;
  backend({
    'points/activities.mine': () => ok(mine({ upcoming: [activity({ signedUpByMe: signedUp })] })),
    'points/activities.signUp': () => {
      signedUp = true;
      return ok({ activity: activity() });
    },
  });
  const { methods, tap, text } = await openActivities();
  await methods.onLoad();

  await tap('#sign-up-a1', '.t-button');

  expect(callsTo('points/activities.signUp')).toEqual([{ activityId: 'a1' }]);
  expect(text()).toContain('已报名');
});

it('scans the organiser’s code and confirms who checked in', async () => {
  backend({
    'points/activities.mine': ok(mine()),
    'points/activities.checkIn': ok({
      activity: activity({ checkedIn: 13 }),
      members: [{ memberId: 'm1', memberName: '何雄梅' }],
      checkedInAt: '2026-11-20T03:01:00.000Z',
    }),
  });
  const { methods, tap, text } = await openActivities();
  await methods.onLoad();

  await tap('#scan-in', '.t-button');

  expect(scanCode).toHaveBeenCalledWith(
    expect.objectContaining({ onlyFromCamera: true, scanType: ['qrCode'] }),
  );
  const sent = callsTo('points/activities.checkIn');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ code: 'ZJF-CI:a1:59000000:0123456789abcdef01234567' });
  expect(text()).toContain('签到成功 何雄梅 · 河道清理志愿服务 活动结束后由干部确认名单，积分自动记入家庭');
});

it('shows a refused check-in in the server’s words and nothing when the scan is cancelled', async () => {
  backend({
    'points/activities.mine': ok(mine()),
    'points/activities.checkIn': fail('REFUSED', '何雄梅已经签到过了，不能重复签到', { reason: 'DUPLICATE' }),
  });
  const { methods, tap, text } = await openActivities();
  await methods.onLoad();

  await tap('#scan-in', '.t-button');
  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: '签到未成功', content: '何雄梅已经签到过了，不能重复签到' }),
  );
  expect(text()).not.toContain('签到成功');

  scanCode.mockImplementation(({ fail: cancelled }: { fail: () => void }) => cancelled());
  await tap('#scan-in', '.t-button');
  expect(callsTo('points/activities.checkIn')).toHaveLength(1);
});

it('scans the code again to check out, and shows the time in the family’s attendance', async () => {
  let out = false;
  const today = {
    activityId: 'a1',
    activityTitle: '河道清理志愿服务',
    memberName: '何雄梅',
    checkedInAt: '2026-11-20T03:01:00.000Z',
    status: 'present' as const,
    points: 0,
  };
  backend({
    'points/activities.mine': () =>
      ok(mine({ attended: [{ ...today, checkedOutAt: out ? '2026-11-20T04:40:00.000Z' : null }] })),
    'points/activities.checkOut': () => {
      out = true;
      return ok({ activity: activity(), checkedOutAt: '2026-11-20T04:40:00.000Z' });
    },
  });
  const { methods, tap, text } = await openActivities();
  await methods.onLoad();
  expect(text()).toContain('河道清理志愿服务 何雄梅 · 11月20日 11:01签到 · 已签到，待确认');

  await tap('#scan-out', '.t-button');

  expect(callsTo('points/activities.checkOut')).toEqual([
    { code: 'ZJF-CI:a1:59000000:0123456789abcdef01234567' },
  ]);
  expect(text()).toContain('河道清理志愿服务 何雄梅 · 11月20日 11:01签到 · 12:40签退 · 已签到，待确认');
});
