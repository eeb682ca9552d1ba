/**
 * Seeds the demo town into an empty emulator store (called by `npm start`): the town through the same actions
 * a town's IT person and cadres use, then a little history so every page has something to show, and two
 * activities to come in 斑竹村 (one whose check-in is open now, one in three days that 何雄梅 signed up for).
 */
import type { Emulator } from '../emulator';
import type { Envelope } from '../miniprogram/core/envelope';
import { dayOf, startOfDay, yearOf } from '../miniprogram/core/time';
import { setupDemoShops } from './demo-shops';
import { DEMO_FUNCTION_ENV, DEMO_IDENTITIES, demoTown } from './demo-town';
import { must, typedCall, type Call } from './lib/call';
import { buildTown } from './setup-town';

export { DEMO_FUNCTION_ENV, DEMO_IDENTITIES };

export function emulatorCall(emu: Pick<Emulator, 'invoke'>): Call {
  return typedCall(
    async (fn, action, input, openid) =>
      (await emu.invoke(fn, { action, input }, { openid })).result as Envelope<unknown>,
  );
}

export async function seedDemo(emu: Pick<Emulator, 'invoke' | 'clock'>): Promise<void> {
  const call = emulatorCall(emu);
  // The seed's dates are the emulator's (what its functions see), not this machine's.
  const now = emu.clock.now();
  const town = await buildTown(call, demoTown());
  await setupDemoShops(call, town, yearOf(now));
  const banzhu = town.banzhu;
  const { rules } = await must(call, 'points', 'rules.list', {}, 'o-he');
  const rule = (code: string) => rules.find((r) => r.code === code)?.id as string;
  const today = dayOf(now);
  // 傅红 records the month's basics for 一组; 罗亚倩 approves them.
  const lines = ['何雄梅', '何小军', '傅红', '刘国庆'].map((name) => ({
    memberId: banzhu.members[name]?.id,
    ruleId: rule('C04'),
    deedDate: today,
  }));
  const recorded = await must(
    call,
    'points',
    'records.create',
    { requestId: 'seed-monthly-pass-1', villageId: 'banzhu', lines: lines.filter((l) => l.memberId) },
    'o-fu',
  );
  await must(call, 'points', 'review.approve', { claimIds: recorded.lines.map((l) => l.id) }, 'o-luo');
  await must(
    call,
    'points',
    'boards.publish',
    {
      requestId: 'seed-red-board-1',
      villageId: 'banzhu',
      board: 'red',
      familyId: banzhu.members['傅红'].familyId,
      memberId: banzhu.members['傅红'].id,
      title: '长期照顾生病的婆婆',
      points: 20,
      date: today,
    },
    'o-luo',
  );
  await seedActivities(call, now, rule);
}

const MINUTE = 60_000;

/**
 * 傅红's river clean-up starting on the next half hour or so (its check-in already open: the organiser's phone
 * shows the code), and 罗亚倩's 院坝会 three days on at 19:00, which 何雄梅 signed up for.
 */
async function seedActivities(call: Call, now: Date, rule: (code: string) => string): Promise<void> {
  const soon = Math.floor(now.getTime() / (10 * MINUTE)) * 10 * MINUTE + 30 * MINUTE;
  const evening = startOfDay(dayOf(now.getTime() + 3 * 86_400_000)).getTime() + 19 * 60 * MINUTE;
  const plans = [
    {
      key: 'river',
      by: 'o-fu',
      title: '人居环境整治：清理河道垃圾',
      rule: 'C01',
      place: '斑竹村一组河堤',
      at: soon,
      capacity: 0,
      allowFamily: true,
    },
    {
      key: 'meeting',
      by: 'o-luo',
      title: '院坝会：商量村道硬化方案',
      rule: 'C04',
      place: '斑竹村二组院坝',
      at: evening,
      capacity: 60,
      allowFamily: false,
    },
  ];
  const created: string[] = [];
  for (const plan of plans) {
    const { activity } = await must(
      call,
      'points',
      'activities.create',
      {
        requestId: `seed-activity-${plan.key}`,
        villageId: 'banzhu',
        title: plan.title,
        ruleId: rule(plan.rule),
        place: plan.place,
        startAt: new Date(plan.at).toISOString(),
        endAt: new Date(plan.at + 120 * MINUTE).toISOString(),
        capacity: plan.capacity,
        allowFamily: plan.allowFamily,
      },
      plan.by,
    );
    created.push(activity.id);
  }
  await must(call, 'points', 'activities.signUp', { activityId: created[1] }, 'o-he');
}
