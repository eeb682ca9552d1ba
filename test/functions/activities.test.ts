/**
 * Activities with QR check-in through the functions on the emulator: the organiser's signed refreshing code,
 * the villagers' scans (refused as a duplicate, outside the window, from another village, over capacity, with a
 * stale code), adding someone on their behalf, the list submitted and confirmed by a second cadre, one entry per
 * member in the ledger under the activity's name, the rule's cap, and the year's statistics.
 */
import type {
  ActivitiesCheckInOutput,
  ActivitiesCheckOutOutput,
  ActivitiesCodeOutput,
  ActivitiesConfirmOutput,
  ActivitiesGetOutput,
  ActivitiesMembersOutput,
  ActivitiesMineOutput,
  ActivitiesStatsOutput,
  ActivityOutput,
  LedgerListOutput,
} from '../../miniprogram/contract/points';
import { data, errorOf, startTown, type Backend } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import type { BuiltVillage } from '../../scripts/setup-town';
import { story } from '../support/story';
import { rid } from '../support/town-actions';

type Town = Backend & { town: Record<string, BuiltVillage> };
const HOUR = 3_600_000;

describe('activities with QR check-in', () => {
  // One story: each test needs the steps before it (the activity, its check-ins, the confirmed list).
  const step = story();
  let b: Town;
  let ruleId: string;
  let activityId: string;
  const code = async (openid = 'o-fu') =>
    data<ActivitiesCodeOutput>(await b.call('points', 'activities.code', { activityId }, openid)).code;
  const checkIn = async (openid: string, scanned: string, memberIds?: string[]) =>
    b.call(
      'points',
      'activities.checkIn',
      { code: scanned, requestId: rid(), ...(memberIds ? { memberIds } : {}) },
      openid,
    );

  beforeAll(async () => {
    b = await startTown();
    const rules = data<{ rules: { id: string; code: string }[] }>(
      await b.call('points', 'rules.list', {}, 'o-he'),
    ).rules;
    ruleId = rules.find((r) => r.code === 'C01')!.id;
  });
  afterAll(() => b.stop());

  step(
    'a group leader creates an activity; a retry with the same request id is the same activity',
    async () => {
      // Prepare: 11:00–13:00 China time on the test day (10:00 now), three places.
      const input = {
        requestId: rid(),
        villageId: 'banzhu',
        title: '河道清理志愿服务',
        ruleId,
        place: '斑竹村村委会',
        startAt: new Date(TEST_NOW.getTime() + HOUR).toISOString(),
        endAt: new Date(TEST_NOW.getTime() + 3 * HOUR).toISOString(),
        capacity: 3,
        allowFamily: true,
      };
      // Act
      const first = data<ActivityOutput>(await b.call('points', 'activities.create', input, 'o-fu'));
      const again = data<ActivityOutput>(await b.call('points', 'activities.create', input, 'o-fu'));
      // Assess
      activityId = first.activity.id;
      expect(again.activity.id).toBe(activityId);
      expect(first.activity).toMatchObject({
        status: 'open',
        timeText: '11月20日 11:00–13:00',
        ruleTitle: '参加一次志愿活动',
      });
      expect(
        errorOf(await b.call('points', 'activities.create', { ...input, requestId: rid() }, 'o-he')).code,
      ).toBe('FORBIDDEN');
    },
  );

  step(
    'refuses check-ins outside the window, from another village, with a stale or forged code',
    async () => {
      const early = await code();
      expect(errorOf(await checkIn('o-he', early))).toMatchObject({
        code: 'REFUSED',
        details: { reason: 'OUTSIDE_WINDOW' },
        message: '现在不在签到时间内（11月20日 10:30起至11月20日 13:00）',
      });
      b.setClock(new Date(TEST_NOW.getTime() + HOUR + 60_000));
      // The code photographed an hour ago no longer works.
      expect(errorOf(await checkIn('o-he', early)).details).toMatchObject({ reason: 'CODE_EXPIRED' });
      const forged = (await code()).replace(/:[a-f0-9]+$/, ':0123456789abcdef01234567');
      expect(errorOf(await checkIn('o-he', forged)).details).toMatchObject({ reason: 'BAD_CODE' });
      expect(errorOf(await checkIn('o-he', 'ZJF-QR:whatever')).details).toMatchObject({
        reason: 'NOT_CHECK_IN_CODE',
      });
      const other = errorOf(await checkIn('o-li', await code()));
      expect(other.details).toMatchObject({ reason: 'OTHER_VILLAGE' });
      expect(other.message).toBe('这是斑竹村的活动，只有斑竹村的村民可以签到');
    },
  );

  step('checks a villager in once, adds a member on their behalf, and stops at capacity', async () => {
    const now = await code();
    const first = data<ActivitiesCheckInOutput>(await checkIn('o-he', now));
    expect(first.members.map((m) => m.memberName)).toEqual(['何雄梅']);
    const duplicate = errorOf(await checkIn('o-he', now));
    expect(duplicate).toMatchObject({ code: 'REFUSED', message: '何雄梅已经签到过了，不能重复签到' });

    const added = await b.call(
      'points',
      'activities.addOnBehalf',
      { activityId, requestId: rid(), memberId: b.town.banzhu.members['傅大爷'].id },
      'o-fu',
    );
    expect(data<{ memberName: string }>(added).memberName).toBe('傅大爷');
    data(await checkIn('o-he-son', now));
    expect(errorOf(await checkIn('o-wan', now))).toMatchObject({
      details: { reason: 'FULL' },
      message: '活动人数已满（3人），不能再签到',
    });

    // 何雄梅 leaves early and scans the code again to check out; once only, and only after checking in.
    const out = data<ActivitiesCheckOutOutput>(
      await b.call('points', 'activities.checkOut', { code: now }, 'o-he'),
    );
    expect(Math.abs(Date.parse(out.checkedOutAt) - b.now().getTime())).toBeLessThan(60_000);
    expect(errorOf(await b.call('points', 'activities.checkOut', { code: now }, 'o-he'))).toMatchObject({
      details: { reason: 'DUPLICATE' },
      message: '您已经签退过了',
    });
    expect(errorOf(await b.call('points', 'activities.checkOut', { code: now }, 'o-wan'))).toMatchObject({
      details: { reason: 'NOT_CHECKED_IN' },
      message: '您还没有签到，请先扫码签到',
    });

    const detail = data<ActivitiesGetOutput>(
      await b.call('points', 'activities.get', { activityId }, 'o-fu'),
    );
    expect(detail.activity.checkedIn).toBe(3);
    expect(detail.attendance.map((a) => [a.memberName, a.checkedOutAt])).toEqual([
      ['何雄梅', out.checkedOutAt],
      ['傅大爷', null],
      ['何小明', null],
    ]);
    const mine = data<ActivitiesMineOutput>(await b.call('points', 'activities.mine', {}, 'o-he'));
    expect(mine.attended.find((a) => a.memberName === '何雄梅')?.checkedOutAt).toBe(out.checkedOutAt);
    expect(detail.attendance.map((a) => [a.memberName, a.via, a.onBehalf, a.byName])).toEqual([
      ['何雄梅', 'scan', false, '何雄梅'],
      ['傅大爷', 'member', true, '傅红'],
      ['何小明', 'scan', false, '何小明'],
    ]);
  });

  step(
    'lists the village’s members for the organiser’s picker: by name, by household number, a page at a time',
    async () => {
      const members = async (input: Record<string, unknown>, openid = 'o-fu') =>
        b.measure('points', 'activities.members', { activityId, ...input }, openid);
      // Prepare: 傅大爷 and 何雄梅 are checked in (the test before).
      // Act: a name, part of a name, a household number, and the whole village in pages of 3.
      const byName = await members({ query: '傅' });
      const household = data<ActivitiesMembersOutput>((await members({ query: '1' })).res);
      const first = data<ActivitiesMembersOutput>((await members({ limit: 3 })).res);
      const rest = data<ActivitiesMembersOutput>((await members({ limit: 3, offset: first.nextOffset })).res);
      const last = data<ActivitiesMembersOutput>((await members({ limit: 3, offset: rest.nextOffset })).res);
      // Assess
      // In each household by name (code point order).
      expect(data<ActivitiesMembersOutput>(byName.res).members).toEqual([
        expect.objectContaining({ name: '傅大爷', relation: '父母', householdNumber: '2', checkedIn: true }),
        {
          memberId: b.town.banzhu.members['傅红'].id,
          name: '傅红',
          relation: '户主',
          householdNumber: '2',
          headName: '傅红',
          checkedIn: false,
        },
      ]);
      expect(byName.dbRequests).toBeLessThanOrEqual(5);
      expect(household.members.map((m) => [m.name, m.householdNumber, m.checkedIn])).toEqual([
        ['何小明', '1', true],
        ['何雄梅', '1', true],
      ]);
      expect([first.nextOffset, rest.nextOffset, last.nextOffset]).toEqual([3, 6, null]);
      const all = [...first.members, ...rest.members, ...last.members].map((m) => m.name);
      expect(all.sort()).toEqual(['万有志', '何小明', '何雄梅', '傅大爷', '傅红', '罗亚倩', '胡焱'].sort());
      // Characters of a regular expression are matched as they are, and nothing else of the village leaks.
      expect(data<ActivitiesMembersOutput>((await members({ query: '.*' })).res).members).toEqual([]);
      expect(data<ActivitiesMembersOutput>((await members({ query: '张' })).res).members).toEqual([]);
      // Only the organiser and the village's cadres pick members; bad input changes nothing.
      expect(errorOf((await members({}, 'o-he')).res).code).toBe('FORBIDDEN');
      expect(errorOf((await members({ limit: 500 })).res).code).toBe('INVALID_INPUT');
    },
  );

  step(
    'the organiser submits; only a second cadre confirms, and each member gets one entry under the activity',
    async () => {
      data(await b.call('points', 'activities.submit', { activityId }, 'o-fu'));
      // The list is closed: no more check-ins.
      expect(
        errorOf(await b.call('points', 'activities.code', { activityId }, 'o-fu')).details,
      ).toMatchObject({
        reason: 'CLOSED',
      });
      // The organiser may not confirm their own list (nor may a group leader at all).
      expect(errorOf(await b.call('points', 'activities.confirm', { activityId }, 'o-fu')).code).toBe(
        'REFUSED',
      );

      const confirmed = data<ActivitiesConfirmOutput>(
        await b.call('points', 'activities.confirm', { activityId }, 'o-luo'),
      );
      expect(confirmed).toMatchObject({ posted: 3, skipped: 0, remaining: 0 });
      expect(confirmed.activity).toMatchObject({ status: 'confirmed', confirmedByName: '罗亚倩', posted: 3 });
      // Confirming again changes nothing.
      const again = data<ActivitiesConfirmOutput>(
        await b.call('points', 'activities.confirm', { activityId }, 'o-hu'),
      );
      expect(again).toMatchObject({ posted: 0, skipped: 0, remaining: 0 });

      const ledger = data<LedgerListOutput>(await b.call('points', 'ledger.list', {}, 'o-he'));
      const lines = ledger.entries.filter((e) => e.reason === '参加活动：河道清理志愿服务');
      expect(
        lines.map((e) => [e.memberName, e.pointsText, e.recordedByName, e.approvedByName]).sort(),
      ).toEqual([
        ['何小明', '+1', '傅红', '罗亚倩'],
        ['何雄梅', '+1', '傅红', '罗亚倩'],
      ]);
      const mine = data<ActivitiesMineOutput>(await b.call('points', 'activities.mine', {}, 'o-he'));
      expect(mine.attended.map((a) => [a.activityTitle, a.memberName, a.status])).toContainEqual([
        '河道清理志愿服务',
        '何雄梅',
        'posted',
      ]);
      await assertLedgerInvariant(b.emu);
    },
  );

  step(
    'a cadre may not confirm a list that gives points to their own family; the rule cap holds',
    async () => {
      // 罗亚倩 attends an activity 胡焱 organises: 罗亚倩 may not confirm it, 胡焱 (the organiser) neither.
      const start = b.now().getTime();
      const created = data<ActivityOutput>(
        await b.call(
          'points',
          'activities.create',
          {
            requestId: rid(),
            villageId: 'banzhu',
            title: '院坝会',
            ruleId,
            place: '二组院坝',
            startAt: new Date(start - 10 * 60_000).toISOString(),
            endAt: new Date(start + HOUR).toISOString(),
            capacity: 0,
            allowFamily: false,
          },
          'o-hu',
        ),
      );
      const id = created.activity.id;
      const scan = data<ActivitiesCodeOutput>(
        await b.call('points', 'activities.code', { activityId: id }, 'o-hu'),
      ).code;
      data(await checkIn('o-luo', scan));
      data(await checkIn('o-he', scan));
      // Without allowFamily a villager checks in only themselves.
      expect(
        errorOf(await checkIn('o-fu', scan, [b.town.banzhu.members['傅大爷'].id])).details,
      ).toMatchObject({
        reason: 'NO_FAMILY',
      });
      data(await b.call('points', 'activities.submit', { activityId: id }, 'o-hu'));
      expect(errorOf(await b.call('points', 'activities.confirm', { activityId: id }, 'o-hu')).message).toBe(
        '不能确认自己组织或提交的签到名单，需由其他干部或镇管理员确认',
      );
      const byLuo = data<ActivitiesConfirmOutput>(
        await b.call('points', 'activities.confirm', { activityId: id }, 'o-luo'),
      );
      // 何雄梅 posted; 罗亚倩's own line waits for someone else.
      expect(byLuo).toMatchObject({ posted: 1, remaining: 0 });
      const detail = data<ActivitiesGetOutput>(
        await b.call('points', 'activities.get', { activityId: id }, 'o-hu'),
      );
      expect(detail.attendance.map((a) => [a.memberName, a.status])).toEqual([
        ['罗亚倩', 'present'],
        ['何雄梅', 'posted'],
      ]);
      const byAdmin = data<ActivitiesConfirmOutput>(
        await b.call('points', 'activities.confirm', { activityId: id }, 'o-town-admin'),
      );
      expect(byAdmin.posted).toBe(1);
      await assertLedgerInvariant(b.emu);
    },
  );

  step('counts the year per activity and per rule: attendance, points and households', async () => {
    const stats = data<ActivitiesStatsOutput>(
      await b.call('points', 'activities.stats', { villageId: 'banzhu', year: '2026' }, 'o-wan'),
    );
    expect(stats.activities.map((a) => [a.title, a.attendance, a.points, a.households])).toEqual([
      // In the order they started: the 院坝会 at 10:51, the river clean-up at 11:00.
      ['院坝会', 2, 20, 2],
      ['河道清理志愿服务', 3, 30, 2],
    ]);
    expect(stats.rules.find((r) => r.code === 'C01')).toMatchObject({
      attendance: 5,
      points: 50,
      households: 3,
    });
    expect(
      errorOf(await b.call('points', 'activities.stats', { villageId: 'banzhu', year: '2026' }, 'o-he')).code,
    ).toBe('FORBIDDEN');
  });
});
