/**
 * The organiser's create form, checked as the functions will check it: China-time day and times into instants,
 * and the message for the first field that is wrong.
 */
import {
  activityTimesRefusal,
  checkActivityDraft,
  checkInRefusal,
  confirmRefusal,
  signUpRefusal,
  submitRefusal,
  type ActivityDraft,
} from '../../miniprogram/core/activities';
import { TEST_NOW } from '../support/clock';

const draft = (over: Partial<ActivityDraft> = {}): ActivityDraft => ({
  title: ' 河道清理志愿服务 ',
  ruleId: 'rule-c01',
  place: '斑竹村村委会',
  day: '2026-11-20',
  startTime: '14:00',
  endTime: '16:30',
  capacity: '',
  ...over,
});
const now = TEST_NOW.getTime(); // 2026-11-20 10:00 China time

it('turns the China-time day and times into instants and an empty capacity into no limit', () => {
  expect(checkActivityDraft(draft(), now)).toEqual({
    ok: true,
    value: {
      title: '河道清理志愿服务',
      ruleId: 'rule-c01',
      place: '斑竹村村委会',
      startAt: new Date('2026-11-20T06:00:00.000Z'),
      endAt: new Date('2026-11-20T08:30:00.000Z'),
      capacity: 0,
    },
  });
  expect(checkActivityDraft(draft({ capacity: '30' }), now)).toMatchObject({ value: { capacity: 30 } });
});

it.each([
  [{ title: '清' }, 'title', '请填写活动名称（至少2个字）'],
  [{ title: '清'.repeat(41) }, 'title', '活动名称最多40个字'],
  [{ ruleId: '' }, 'ruleId', '请选择积分细则'],
  [{ place: '  ' }, 'place', '请填写活动地点'],
  [{ day: '2026-02-30' }, 'day', '请选择活动日期'],
  [{ startTime: '' }, 'startTime', '请选择开始时间'],
  [{ endTime: '14:00' }, 'endTime', '结束时间要晚于开始时间'],
  [{ startTime: '08:00', endTime: '09:30' }, 'endTime', '活动已经结束，不能再发起签到'],
  [{ capacity: '-3' }, 'capacity', '人数上限请填0到1000的整数（不填或0为不限）'],
  [{ capacity: '2.5' }, 'capacity', '人数上限请填0到1000的整数（不填或0为不限）'],
  [{ capacity: '5000' }, 'capacity', '人数上限请填0到1000的整数（不填或0为不限）'],
] as [Partial<ActivityDraft>, keyof ActivityDraft, string][])(
  'refuses %j with the field and its message',
  (over, field, message) => {
    expect(checkActivityDraft(draft(over), now)).toEqual({ ok: false, field, message });
  },
);

it('accepts an activity under way (it ends later today)', () => {
  expect(checkActivityDraft(draft({ startTime: '09:00', endTime: '11:00' }), now).ok).toBe(true);
});

describe('activityTimesRefusal', () => {
  const at = (iso: string) => new Date(iso);
  const start = at('2026-11-20T06:00:00.000Z');

  it('accepts an activity that ends after now and lasts at most 24 hours', () => {
    expect(activityTimesRefusal(start, at('2026-11-20T08:30:00.000Z'), now)).toBeNull();
    expect(activityTimesRefusal(start, at('2026-11-21T06:00:00.000Z'), now)).toBeNull();
  });

  it('refuses an end at or before the start, over 24 hours, or already past, on endAt', () => {
    expect(activityTimesRefusal(start, start, now)).toEqual({
      field: 'endAt',
      message: '结束时间要晚于开始时间',
    });
    expect(activityTimesRefusal(start, at('2026-11-21T06:00:00.001Z'), now)).toEqual({
      field: 'endAt',
      message: '一次活动最长24小时',
    });
    expect(activityTimesRefusal(at('2026-11-20T00:00:00.000Z'), TEST_NOW, now)).toEqual({
      field: 'endAt',
      message: '活动已经结束，不能再发起签到',
    });
    expect(
      activityTimesRefusal(at('2026-11-20T00:00:00.000Z'), at('2026-11-20T02:00:00.001Z'), now),
    ).toBeNull();
  });
});

describe('signUpRefusal', () => {
  const activity = {
    villageId: 'v-banzhu',
    villageName: '斑竹村',
    status: 'open' as const,
    endAt: new Date('2026-11-20T08:30:00.000Z'),
    capacity: 2,
    signedUp: 1,
  };
  const subject = { activity, villageId: 'v-banzhu', already: false, at: TEST_NOW };

  it('lets a villager of the village sign up while there is room', () => {
    expect(signUpRefusal(subject)).toBeNull();
    expect(signUpRefusal({ ...subject, activity: { ...activity, capacity: 0, signedUp: 50 } })).toBeNull();
  });

  it('refuses another village, a list handed in or an activity over, and a full one', () => {
    expect(signUpRefusal({ ...subject, villageId: 'v-luoyu' })).toEqual({
      code: 'OTHER_VILLAGE',
      message: '这是斑竹村的活动，只有本村村民可以报名',
    });
    expect(signUpRefusal({ ...subject, activity: { ...activity, status: 'submitted' } })).toEqual({
      code: 'CLOSED',
      message: '活动已经结束，不能再报名',
    });
    expect(signUpRefusal({ ...subject, at: activity.endAt })?.code).toBe('CLOSED');
    expect(signUpRefusal({ ...subject, activity: { ...activity, signedUp: 2 } })).toEqual({
      code: 'FULL',
      message: '报名人数已满（2人）',
    });
  });

  it('lets a member already signed up through even when the list is full, but not once it is closed', () => {
    const full = { ...subject, already: true, activity: { ...activity, signedUp: 2 } };
    expect(signUpRefusal(full)).toBeNull();
    expect(signUpRefusal({ ...full, at: activity.endAt })?.code).toBe('CLOSED');
  });
});

describe('submitRefusal', () => {
  const activity = { status: 'open' as const, startAt: new Date('2026-11-20T01:30:00.000Z'), checkedIn: 3 };

  it('hands in an open list once the activity has started and someone checked in', () => {
    expect(submitRefusal(activity, TEST_NOW)).toBeNull();
    expect(submitRefusal({ ...activity, startAt: TEST_NOW }, TEST_NOW)).toBeNull();
  });

  it('refuses a list handed in before, an activity not started yet, and an empty list', () => {
    expect(submitRefusal({ ...activity, status: 'submitted' }, TEST_NOW)).toEqual({
      code: 'ALREADY_SUBMITTED',
      message: '签到名单已经提交过了',
    });
    expect(submitRefusal({ ...activity, status: 'cancelled' }, TEST_NOW)?.code).toBe('ALREADY_SUBMITTED');
    expect(submitRefusal({ ...activity, startAt: new Date(TEST_NOW.getTime() + 1) }, TEST_NOW)).toEqual({
      code: 'NOT_STARTED',
      message: '活动还没有开始，不能提交签到名单',
    });
    expect(submitRefusal({ ...activity, checkedIn: 0 }, TEST_NOW)).toEqual({
      code: 'EMPTY',
      message: '还没有人签到，不能提交签到名单',
    });
  });
});

describe('confirmRefusal', () => {
  it('confirms a list handed in (again, for the next chunk, once confirmed), never an open or cancelled one', () => {
    expect(confirmRefusal('submitted')).toBeNull();
    expect(confirmRefusal('confirmed')).toBeNull();
    expect(confirmRefusal('open')).toEqual({ code: 'NOT_SUBMITTED', message: '组织者还没有提交签到名单' });
    expect(confirmRefusal('cancelled')).toEqual({ code: 'CLOSED', message: '活动已取消' });
  });
});

describe('checkInRefusal', () => {
  // The river clean-up: 10:00–12:00 China time on 2026-11-20 in 斑竹村, check-in opening 30 minutes before.
  const subject = (
    over: {
      at?: number;
      already?: boolean;
      villageId?: string;
      status?: 'open' | 'submitted';
      capacity?: number;
      checkedIn?: number;
    } = {},
  ) => ({
    activity: {
      startAt: new Date('2026-11-20T02:00:00.000Z'),
      endAt: new Date('2026-11-20T04:00:00.000Z'),
      villageId: 'banzhu',
      villageName: '斑竹村',
      status: over.status ?? 'open',
      capacity: over.capacity ?? 0,
      checkedIn: over.checkedIn ?? 0,
    },
    member: { villageId: over.villageId ?? 'banzhu', name: '何雄梅' },
    already: over.already ?? false,
    at: new Date(over.at ?? Date.parse('2026-11-20T02:00:00.000Z')),
  });
  const opens = Date.parse('2026-11-20T01:30:00.000Z');
  const ends = Date.parse('2026-11-20T04:00:00.000Z');

  it('lets a member of the village check in from 30 minutes before the start to the end', () => {
    expect(checkInRefusal(subject({ at: opens }))).toBeNull();
    expect(checkInRefusal(subject({ at: ends }))).toBeNull();
    expect(checkInRefusal(subject({ capacity: 20, checkedIn: 19 }))).toBeNull();
  });

  it('refuses outside the window, naming it in China time', () => {
    for (const at of [opens - 1, ends + 1])
      expect(checkInRefusal(subject({ at }))).toEqual({
        code: 'OUTSIDE_WINDOW',
        message: '现在不在签到时间内（11月20日 09:30起至11月20日 12:00）',
      });
  });

  it('refuses another village, a closed list, a second check-in and a full activity, in that order', () => {
    expect(checkInRefusal(subject({ villageId: 'other', status: 'submitted' }))?.code).toBe('OTHER_VILLAGE');
    expect(checkInRefusal(subject({ villageId: 'other' }))?.message).toBe(
      '这是斑竹村的活动，只有斑竹村的村民可以签到',
    );
    expect(checkInRefusal(subject({ status: 'submitted', already: true }))?.code).toBe('CLOSED');
    expect(checkInRefusal(subject({ already: true, at: opens - 1 }))).toEqual({
      code: 'DUPLICATE',
      message: '何雄梅已经签到过了，不能重复签到',
    });
    expect(checkInRefusal(subject({ capacity: 20, checkedIn: 20 }))).toEqual({
      code: 'FULL',
      message: '活动人数已满（20人），不能再签到',
    });
  });
});
