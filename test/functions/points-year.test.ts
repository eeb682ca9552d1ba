/**
 * The points year through the functions on the emulator, run by the `pointsYear` timer trigger as the clock moves
 * past its times: for each policy (reset on a date, expire after N years oldest first, keep) the notices before
 * the expiry (home page and subscription message), the `expiry` entries and stored totals, the fund's health
 * before and after, the year's archive, and that running it again changes nothing.
 */
import type { FundHealthOutput } from '../../miniprogram/contract/shop';
import type {
  HomeGetOutput,
  LedgerListOutput,
  PointsYearRunOutput,
  PointsYearSetInput,
  PointsYearStatusOutput,
} from '../../miniprogram/contract/points';
import { ADMIN, data, errorOf, startTown, type Backend } from '../support/backend';
import { assertLedgerInvariant } from '../support/invariant';
import type { BuiltVillage } from '../../scripts/setup-town';
import { rid } from '../support/town-actions';
import { story } from '../support/story';

type Town = Backend & { town: Record<string, BuiltVillage> };
/** A China-time instant. */
const china = (wall: string) => new Date(`${wall}+08:00`);

/** 傅红 records 参加一次志愿活动 (+1) for these members on `day`, 罗亚倩 approves: n × 1 分 each. */
async function award(b: Town, members: string[], day: string, times = 1): Promise<void> {
  const rules = data<{ rules: { id: string; code: string }[] }>(
    await b.call('points', 'rules.list', {}, 'o-luo'),
  ).rules;
  const ruleId = rules.find((r) => r.code === 'C01')!.id;
  const lines = members.flatMap((name) =>
    Array.from({ length: times }, () => ({
      memberId: b.town.banzhu.members[name].id,
      ruleId,
      deedDate: day,
    })),
  );
  const recorded = data<{ lines: { id: string }[] }>(
    await b.call('points', 'records.create', { requestId: rid(), villageId: 'banzhu', lines }, 'o-fu'),
  );
  data(await b.call('points', 'review.approve', { claimIds: recorded.lines.map((l) => l.id) }, 'o-luo'));
}

const home = async (b: Town, openid = 'o-he') =>
  data<HomeGetOutput>(await b.call('points', 'home.get', {}, openid));
const health = async (b: Town) =>
  data<FundHealthOutput>(await b.call('shop', 'fund.health', { villageId: 'banzhu' }, 'o-luo')).villages[0];
const expiries = async (b: Town, openid = 'o-he') =>
  data<LedgerListOutput>(await b.call('points', 'ledger.list', {}, openid)).entries.filter(
    (e) => e.kind === 'expiry',
  );
const run = async (b: Town) => data<PointsYearRunOutput>(await b.call('points', 'pointsYear.run', {}, ADMIN));
const notices = (b: Town) => b.emu.outbox().filter((m) => JSON.stringify(m).includes('tpl-points-expiring'));
/** `openid` sets 斑竹村's points year to `policy` (`points/pointsYear.set`); the envelope, unchecked. */
const setPointsYear = (b: Town, policy: PointsYearSetInput['policy'], openid: string) =>
  b.call('points', 'pointsYear.set', { villageId: 'banzhu', policy }, openid);
const startTownWithNotices = () => startTown({ env: { TPL_POINTS_EXPIRING: 'tpl-points-expiring' } });

describe('the points year: reset on a date (罗峪村: every 10 January)', () => {
  // One story: the setting, then the notice 30 days before, then the expiry on the day.
  const step = story();
  let b: Town;
  beforeAll(async () => {
    b = await startTownWithNotices();
    await award(b, ['何雄梅', '何小明'], '2026-11-20', 2); // 何雄梅家 4 分
    await award(b, ['傅红'], '2026-11-20'); // 傅红家 1 分
  });
  afterAll(() => b.stop());

  step("only the village's cadres set it; this year's date already past waits for next year", async () => {
    expect(errorOf(await setPointsYear(b, { kind: 'reset', date: '01-10' }, 'o-fu')).code).toBe('FORBIDDEN');
    expect(errorOf(await setPointsYear(b, { kind: 'reset', date: '02-30' }, 'o-luo')).code).toBe(
      'INVALID_INPUT',
    );
    const status = data<PointsYearStatusOutput>(
      await setPointsYear(b, { kind: 'reset', date: '01-10' }, 'o-luo'),
    );
    expect(status.policyText).toBe('每年1月10日清零可用积分（排名和历年积分保留）');
    expect(status.nextExpiry).toBe(china('2027-01-10T00:00:00').toISOString());
    // 2026-01-10 is before the setting: nothing expires now.
    expect(await run(b)).toMatchObject({ done: true, expired: 0, noticed: 0 });
    expect((await home(b)).available).toBe(40);
  });

  step(
    'tells each family 30 days before, on the home page and by subscription message; the fund counts it',
    async () => {
      const before = await health(b);
      expect(before).toMatchObject({ outstandingPoints: 50, expiringPoints: 0 });
      // Prepare: 11 December, within 30 days of 10 January; the timer runs as the clock passes its time.
      b.setClock(china('2026-12-11T09:00:00'));
      // Act: the next call sees what the timer did.
      const shown = await home(b);
      // Assess
      expect(shown.expiryNotice).toBe('您家有 4 分将于 1月10日 到期');
      expect((await home(b, 'o-fu')).expiryNotice).toBe('您家有 1 分将于 1月10日 到期');
      expect(notices(b).length).toBe(3); // 何雄梅, 何小明 (both linked to 何雄梅家) and 傅红
      expect(await health(b)).toMatchObject({
        outstandingPoints: 50,
        expiringPoints: 50,
        coverageAfterExpiryBp: null,
      });
      // Running it again tells nobody twice.
      await run(b);
      expect(notices(b).length).toBe(3);
    },
  );

  step(
    'on 10 January posts one expiry entry per family, keeps what they earned, and a second run changes nothing',
    async () => {
      b.setClock(china('2027-01-10T00:30:00'));
      const after = await home(b);
      expect(after.available).toBe(0);
      expect(after.expiryNotice).toBeNull();
      const lines = await expiries(b);
      expect(lines.map((e) => [e.pointsText, e.reason, e.recordedByName])).toEqual([
        ['-4', '1月10日积分清零', '积分年度（自动）'],
      ]);
      expect(await health(b)).toMatchObject({ outstandingPoints: 0, expiringPoints: 0 });
      // The ranking keeps 2026's earned points.
      const ranking = data(
        await b.call(
          'points',
          'ranking.list',
          { scope: 'village', period: '2026', villageId: 'banzhu' },
          'o-he',
        ),
      );
      expect(ranking.rows.map((r) => r.earned)).toEqual([40, 10]);

      const count = b.emu.documentCount('entries');
      expect(await run(b)).toMatchObject({ done: true, expired: 0, noticed: 0, archived: 0 });
      expect(b.emu.documentCount('entries')).toBe(count);
      await assertLedgerInvariant(b.emu);

      const status = data<PointsYearStatusOutput>(
        await b.call('points', 'pointsYear.status', { villageId: 'banzhu' }, 'o-wan'),
      );
      expect(status.runs[0]).toMatchObject({ expiredFamilies: 2, expiredPoints: 50, done: true });
      expect(status.archives[0]).toMatchObject({ year: '2026', families: 2, earned: 50 });
      expect(status.archives[0].top.map((t) => [t.rank, t.earned])).toEqual([
        [1, 40],
        [2, 10],
      ]);
    },
  );
});

describe('the points year: expire after one year, oldest first', () => {
  let b: Town;
  beforeAll(async () => {
    b = await startTownWithNotices();
    await award(b, ['何雄梅'], '2026-11-20', 3); // 2026: 何雄梅家 3 分
    data(await setPointsYear(b, { kind: 'expire', years: 1 }, 'o-hu'));
  });
  afterAll(() => b.stop());

  it("keeps 2026's points through 2027, tells the family in December 2027, and expires only the old points", async () => {
    // 1 January 2027: 2026's points are still good for a year.
    b.setClock(china('2027-01-01T08:00:00'));
    expect(await expiries(b)).toEqual([]);
    b.setClock(china('2027-03-01T10:00:00'));
    await award(b, ['何小明'], '2027-03-01'); // 2027: 1 分 more
    expect((await home(b)).available).toBe(40);

    b.setClock(china('2027-12-05T08:00:00'));
    expect((await home(b)).expiryNotice).toBe('您家有 3 分将于 1月1日 到期');
    expect(notices(b).length).toBe(2);
    expect(await health(b)).toMatchObject({ outstandingPoints: 40, expiringPoints: 30 });

    b.setClock(china('2028-01-01T00:20:00'));
    const lines = await expiries(b);
    expect(lines.map((e) => [e.pointsText, e.reason])).toEqual([['-3', '超过1年有效期的积分过期']]);
    const after = await home(b);
    expect(after.available).toBe(10);
    expect(after.expiryNotice).toBeNull();
    expect(await health(b)).toMatchObject({ outstandingPoints: 10, expiringPoints: 0 });

    const count = b.emu.documentCount('entries');
    await run(b);
    await run(b);
    expect(b.emu.documentCount('entries')).toBe(count);
    await assertLedgerInvariant(b.emu);
  });
});

describe('the points year: kept (the default)', () => {
  let b: Town;
  beforeAll(async () => {
    b = await startTownWithNotices();
    await award(b, ['何雄梅'], '2026-11-20', 2);
  });
  afterAll(() => b.stop());

  it("never tells, never expires, and leaves the fund's health as it was", async () => {
    const before = await health(b);
    for (const at of ['2026-12-20T08:00:00', '2027-01-10T08:00:00', '2028-01-02T08:00:00']) {
      b.setClock(china(at));
      expect((await home(b)).expiryNotice).toBeNull();
    }
    expect(await run(b)).toMatchObject({ done: true, expired: 0, noticed: 0, archived: 0 });
    expect(await expiries(b)).toEqual([]);
    expect(notices(b)).toEqual([]);
    expect(await health(b)).toEqual(before);
    expect((await home(b)).available).toBe(20);
  });
});
