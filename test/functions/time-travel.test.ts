/**
 * The month, the notice window, a black board's three months, the rankings and the champions' year, through the
 * functions on the emulator, with the clock set at instants where date code usually breaks: the last half hour
 * of a China month, New Year 00:10 China time (UTC still on 31 December), a leap day, and a date years ahead.
 */
import { addMonths, dayOf, monthOf, suspensionEnd, yearOf } from '../../miniprogram/core/time';
import { data, errorOf, townCopies, ADMIN, type Town } from '../support/backend';
import { HOSTILE_INSTANTS } from '../support/clock';
import { publishBoard, raiseObjection, rid, submitClaim } from '../support/town-actions';

const HOUR = 3_600_000;

describe.each(HOSTILE_INSTANTS)('at $name', (instant) => {
  const at = new Date(instant.at);
  const month = monthOf(at);
  const year = yearOf(at);
  // Each test on its own copy of the town built at this instant: the clock it moves and the points it counts
  // are its own.
  const towns = townCopies({ now: at });
  let b: Town;
  const member = (name: string) => b.town.banzhu.members[name];
  beforeEach(async () => {
    b = await towns.start();
  });
  afterEach(() => b.stop());
  afterAll(() => towns.dispose());

  /** `name` suggests (建言献策, C03: no photos, no cap) a deed of today; 罗亚倩 approves it. Returns its points. */
  const approvedSuggestion = async (name: string, openid: string): Promise<number> => {
    const rules = data(await b.call('points', 'rules.list', {}, openid)).rules;
    const rule = rules.find((r) => r.code === 'C03') as { id: string; points: number };
    const { claim } = data(
      await submitClaim(
        b,
        { memberId: member(name).id, ruleId: rule.id, deedDate: dayOf(at), text: '建议修缮蓄水池' },
        openid,
      ),
    );
    data(await b.call('points', 'review.approve', { claimIds: [claim.id] }, 'o-luo'));
    return rule.points;
  };

  it('counts a deed of today for this China month and year, on the home page and in the rankings', async () => {
    const earned = await approvedSuggestion('何雄梅', 'o-he');

    const ledger = data(await b.call('points', 'ledger.list', { month }, 'o-he'));
    expect(ledger.entries.map((e) => e.month)).toEqual([month]);
    const home = data(await b.call('points', 'home.get', {}, 'o-he'));
    expect(home.chart[11]).toEqual({ month, earned });
    expect(home.chart[10].month).toBe(addMonths(month, -1));
    expect(home.villageRank).toBe(1);
    for (const [scope, period] of [
      ['village', month],
      ['town', year],
    ] as const) {
      const ranking = data(await b.call('points', 'ranking.list', { scope, period }, 'o-he'));
      expect(ranking.rows[0]).toMatchObject({ rank: 1, name: '何**家' });
    }
  });

  it('suspends a black-boarded family until the same China day three months on, then lifts it', async () => {
    const published = data(
      await publishBoard(
        b,
        { board: 'black', familyId: member('胡焱').familyId, title: '焚烧秸秆', points: -5, date: dayOf(at) },
        'o-luo',
      ),
    );
    const ends = new Date(published.board.suspensionEndsAt as string);
    expect(ends.toISOString()).toBe(suspensionEnd(at).toISOString());
    expect(dayOf(ends)).toBe(instant.lifted);

    b.setClock(new Date(ends.getTime() - HOUR));
    expect(data(await b.call('points', 'home.get', {}, 'o-hu')).suspended).toBe(true);
    b.setClock(new Date(ends.getTime() + HOUR));
    expect(data(await b.call('points', 'home.get', {}, 'o-hu')).suspended).toBe(false);
    b.setClock(at);
  });

  it('opens a finished month to objections during its notice window, and locks it when the window is over', async () => {
    // Next month: this month is over and goes on notice.
    const next = new Date(`${addMonths(month, 1)}-02T10:00:00+08:00`);
    b.setClock(next);
    expect(
      errorOf(
        await b.call(
          'points',
          'months.startNotice',
          { villageId: 'banzhu', month: addMonths(month, 1) },
          'o-luo',
        ),
      ).details,
    ).toMatchObject({ reason: 'MONTH_NOT_OVER' });
    const notice = data(
      await b.call('points', 'months.startNotice', { villageId: 'banzhu', month }, 'o-luo'),
    );
    data(
      await raiseObjection(
        b,
        { target: { type: 'month', id: month }, reason: '我家的志愿活动没有记上' },
        'o-fu',
      ),
    );
    expect(
      errorOf(await b.call('points', 'months.lock', { villageId: 'banzhu', month }, 'o-luo')).details,
    ).toMatchObject({ reason: 'NOTICE_NOT_OVER' });
    b.setClock(new Date(new Date(notice.noticeEndsAt).getTime() + HOUR));
    data(await b.call('points', 'months.lock', { villageId: 'banzhu', month }, 'o-luo'));
    const months = data(await b.call('points', 'months.list', { villageId: 'banzhu' }, 'o-he'));
    expect(months.months.find((m) => m.month === month)).toMatchObject({
      state: 'locked',
      objectionsOpen: false,
    });
  });

  it('awards the champions of the China year that has just ended, at 00:10 on 1 January', async () => {
    const earned = await approvedSuggestion('何雄梅', 'o-he');
    b.setClock(new Date(`${Number(year) + 1}-01-01T00:10:00+08:00`));
    data(await b.call('shop', 'fund.allocate', { year }, ADMIN));
    const award = data(
      await b.call(
        'shop',
        'champions.award',
        { requestId: rid(), villageId: 'banzhu', year, topN: 1, rewardFen: 10000 },
        ADMIN,
      ),
    );
    expect(award.year).toBe(year);
    expect(award.families.map((f) => f.earned)).toEqual([earned]);
  });
});
