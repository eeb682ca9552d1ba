/**
 * Red and black boards, objections and the monthly close, through the functions on the emulator. The month's
 * notice window ends by restarting the emulator on the same data (its clock saved there) and moving the clock on.
 */
import { addMonths, dayOf, monthOf } from '../../miniprogram/core/time';
import type { BuiltVillage } from '../../scripts/setup-town';
import { buildTown } from '../../scripts/setup-town';
import { ADMIN, data, errorOf, startBackend, TEST_TOWN, townCopies, type Backend } from '../support/backend';
import { addDays, TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import { decideObjection, publishBoard, raiseObjection, rid, submitClaim } from '../support/town-actions';

const today = () => dayOf(TEST_NOW);

describe('boards, objections and the monthly close', () => {
  // Each test on its own copy of the freshly built town: what it reads is what it did.
  const towns = townCopies();
  let b: Backend;
  let town: Record<string, BuiltVillage>;
  const member = (name: string) => town.banzhu.members[name];

  beforeEach(async () => {
    const started = await towns.start();
    b = started;
    town = started.town;
  });
  afterEach(() => b.stop());
  afterAll(() => towns.dispose());

  /** 罗亚倩 puts 万有志's family (no points yet) on the black board for burning straw: −2 分. */
  const publishBlack = async () =>
    data(
      await publishBoard(
        b,
        {
          board: 'black',
          familyId: member('万有志').familyId,
          title: '焚烧秸秆',
          points: -20,
          date: today(),
        },
        'o-luo',
      ),
    );

  it('publishes a black entry: deducts at most the balance, suspends for 3 months, notifies the head', async () => {
    const published = await publishBlack();
    expect(published.board.name).toBe('万**家');
    expect(published.board.pointsText).toBe('-2');
    const home = data(await b.call('points', 'home.get', {}, 'o-wan'));
    expect(home.available).toBe(0);
    expect(home.suspended).toBe(true);
    expect(home.villageRank).toBeNull();
    expect(dayOf(new Date(home.suspendedUntil as string))).toBe(
      dayOf(new Date(published.board.suspensionEndsAt as string)),
    );
    expect(JSON.stringify(b.emu.outbox())).toContain('tpl-black-board');
    // A villager cannot publish; a cadre of another village cannot either.
    const input = {
      requestId: rid(),
      villageId: 'banzhu',
      board: 'red' as const,
      familyId: member('傅红').familyId,
      title: '好人好事',
      points: 10,
      date: today(),
    };
    expect(errorOf(await b.call('points', 'boards.publish', input, 'o-he')).code).toBe('FORBIDDEN');
    expect(errorOf(await b.call('points', 'boards.publish', input, 'o-zhang')).code).toBe('FORBIDDEN');
    // A black entry must deduct; a red one must not.
    expect(
      errorOf(await b.call('points', 'boards.publish', { ...input, board: 'black' }, 'o-luo')).code,
    ).toBe('INVALID_INPUT');
  });

  it('shows the boards to the village with names per the village setting, and ranks the suspended family unranked', async () => {
    await publishBlack();
    const red = {
      requestId: rid(),
      villageId: 'banzhu',
      board: 'red' as const,
      familyId: member('傅红').familyId,
      memberId: member('傅红').id,
      title: '照顾生病的婆婆',
      points: 10,
      date: today(),
    };
    data(await b.call('points', 'boards.publish', red, 'o-luo'));
    data(await b.call('points', 'boards.publish', red, 'o-luo')); // retried: published once
    const boards = data(await b.call('points', 'boards.list', {}, 'o-he'));
    expect(boards.boards.map((x) => [x.board, x.name, x.title])).toEqual([
      ['red', '傅*', '照顾生病的婆婆'],
      ['black', '万**家', '焚烧秸秆'],
    ]);
    const ranking = data(
      await b.call('points', 'ranking.list', { scope: 'village', period: monthOf(TEST_NOW) }, 'o-he'),
    );
    expect(ranking.rows.find((r) => r.name === '万**家')).toMatchObject({ rank: null, suspended: true });
    expect(ranking.rows.find((r) => r.name === '傅*家')?.rank).toBe(1);
  });

  it('upholds an objection to a black entry: withdrawn, deduction reversed, suspension lifted', async () => {
    const blackId = (await publishBlack()).board.id;
    const raised = data(
      await raiseObjection(
        b,
        { target: { type: 'board', id: blackId }, reason: '秸秆是邻居家烧的，不是我家' },
        'o-wan',
      ),
    );
    expect(raised.objection.status).toBe('open');
    // 万有志 is a supervisor, but not for his own family's objection; a villager cannot decide at all.
    const decide = {
      objectionId: raised.objection.id,
      outcome: 'upheld' as const,
      reason: '经走访核实，确系邻居所为',
    };
    expect(errorOf(await decideObjection(b, decide, 'o-wan')).details).toMatchObject({
      reason: 'OWN_FAMILY',
    });
    expect(errorOf(await decideObjection(b, decide, 'o-he')).code).toBe('FORBIDDEN');
    const detail = data(
      await b.call('points', 'objections.get', { objectionId: raised.objection.id }, 'o-luo'),
    );
    expect(detail.record?.type).toBe('board');
    expect(detail.trail.map((t) => t.action)).toContain('boards.publish');

    const decided = data(await decideObjection(b, decide, ADMIN));
    expect(decided.corrections).toHaveLength(1);
    expect(errorOf(await decideObjection(b, decide, ADMIN)).code).toBe('CONFLICT');
    const home = data(await b.call('points', 'home.get', {}, 'o-wan'));
    expect(home.suspended).toBe(false);
    const boards = data(await b.call('points', 'boards.list', { board: 'black' }, 'o-he'));
    expect(boards.boards).toEqual([]);
    const mine = data(await b.call('points', 'objections.mine', {}, 'o-wan'));
    expect(mine.objections[0].statusLabel).toBe('异议成立');
    expect(JSON.stringify(b.emu.outbox())).toContain('tpl-objection-decided');
    await assertLedgerInvariant(b.emu);
  });

  const previous = addMonths(monthOf(TEST_NOW), -1);
  const lastDay = dayOf(new Date(new Date(`${monthOf(TEST_NOW)}-01T00:00:00+08:00`).getTime() - 1));

  /** 何雄梅's suggestion (C03) on the last day of the previous month, approved by 罗亚倩. */
  const approvedSuggestionLastMonth = async () => {
    const rules = data(await b.call('points', 'rules.list', {}, 'o-he')).rules;
    const c03 = rules.find((r) => r.code === 'C03')?.id as string;
    const { claim } = data(
      await submitClaim(
        b,
        { memberId: member('何雄梅').id, ruleId: c03, deedDate: lastDay, text: '建议村里修缮蓄水池' },
        'o-he',
      ),
    );
    data(await b.call('points', 'review.approve', { claimIds: [claim.id] }, 'o-luo'));
  };

  it('closes a month: notice, objections, lock; later corrections land in the current month', async () => {
    expect(lastDay.slice(0, 7)).toBe(previous);
    await approvedSuggestionLastMonth();
    const ledger = data(await b.call('points', 'ledger.list', { month: previous }, 'o-he'));
    expect(ledger.entries).toHaveLength(1);
    const entryId = ledger.entries[0].id;

    expect(
      errorOf(
        await b.call(
          'points',
          'months.startNotice',
          { villageId: 'banzhu', month: monthOf(TEST_NOW) },
          'o-luo',
        ),
      ).details,
    ).toMatchObject({
      reason: 'MONTH_NOT_OVER',
    });
    expect(
      errorOf(await b.call('points', 'months.startNotice', { villageId: 'banzhu', month: previous }, 'o-he'))
        .code,
    ).toBe('FORBIDDEN');
    data(await b.call('points', 'months.startNotice', { villageId: 'banzhu', month: previous }, 'o-luo'));
    expect(
      errorOf(await b.call('points', 'months.lock', { villageId: 'banzhu', month: previous }, 'o-luo'))
        .details,
    ).toMatchObject({
      reason: 'NOTICE_NOT_OVER',
    });
    // During the notice, 傅红 objects to 何雄梅's entry.
    const objection = data(
      await raiseObjection(b, { target: { type: 'entry', id: entryId }, reason: '该建议并未被采纳' }, 'o-fu'),
    );
    // The objection says which record it is about: the entry's rule, points, member and day (issue 14).
    expect(objection.objection.targetTitle).toMatch(/^.+ [+-]\d+(\.\d)?分 · .+ · \d{1,2}月\d{1,2}日$/);

    // Eight days later the notice is over.
    await b.stop(true);
    b = await startBackend({ dataDir: b.dataDir });
    b.advanceDays(8);
    const later = addDays(TEST_NOW, 8);
    data(await b.call('points', 'months.lock', { villageId: 'banzhu', month: previous }, 'o-luo'));
    const months = data(await b.call('points', 'months.list', { villageId: 'banzhu' }, 'o-he'));
    expect(months.months.find((m) => m.month === previous)).toMatchObject({
      state: 'locked',
      objectionsOpen: false,
    });
    expect(
      errorOf(
        await raiseObjection(
          b,
          { target: { type: 'month', id: previous }, reason: '对上月结果有异议' },
          'o-he',
        ),
      ).details,
    ).toMatchObject({ reason: 'MONTH_CLOSED' });

    // The objection raised in time is upheld after the lock: the reversal counts for the current month.
    data(
      await decideObjection(
        b,
        { objectionId: objection.objection.id, outcome: 'upheld', reason: '村两委会议记录中无此建议' },
        'o-wan',
      ),
    );
    const current = data(await b.call('points', 'ledger.list', { month: monthOf(later) }, 'o-he'));
    expect(current.entries.find((e) => e.kind === 'reversal')).toMatchObject({
      month: monthOf(later),
      reversesId: entryId,
    });
    const old = data(await b.call('points', 'ledger.list', { month: previous }, 'o-he'));
    expect(old.entries).toHaveLength(1);
    await assertLedgerInvariant(b.emu);
  });

  it('lists a month objection’s adjustments for a second cadre, with why one may not confirm them', async () => {
    // Prepare: last month in its notice, an objection to its results upheld with two families' adjustments.
    await approvedSuggestionLastMonth();
    data(await b.call('points', 'months.startNotice', { villageId: 'banzhu', month: previous }, 'o-luo'));
    const { objection } = data(
      await raiseObjection(
        b,
        { target: { type: 'month', id: previous }, reason: '漏记了两户的志愿服务' },
        'o-fu',
      ),
    );
    const he = member('何雄梅').familyId;
    const luo = member('罗亚倩').familyId;
    data(
      await decideObjection(
        b,
        {
          objectionId: objection.id,
          outcome: 'upheld',
          reason: '核实属实，补记',
          adjustments: [
            { familyId: he, points: 10 },
            { familyId: luo, points: 5 },
          ],
        },
        'o-wan',
      ),
    );
    const pending = (openid: string, input: Record<string, unknown> = { villageId: 'banzhu' }) =>
      b.send('points', 'objections.pendingAdjustments', input, openid);

    // Act / Assess: 罗亚倩 sees them but may not confirm (her family is adjusted); the server agrees.
    const forLuo = data(
      await b.call('points', 'objections.pendingAdjustments', { villageId: 'banzhu' }, 'o-luo'),
    );
    expect(forLuo.objections).toHaveLength(1);
    expect(forLuo.objections[0]).toMatchObject({
      decidedByName: '万有志',
      adjustments: [
        {
          familyId: he,
          familyName: expect.stringMatching(/^何雄梅家（户号 .+）$/),
          points: 10,
          pointsText: '+1',
        },
        { familyId: luo, points: 5, pointsText: '+0.5' },
      ],
      conflict: expect.stringContaining('本家庭'),
    });
    const refusal = errorOf(
      await b.call('points', 'objections.confirmAdjustments', { objectionId: objection.id }, 'o-luo'),
    );
    expect(refusal.message).toBe(forLuo.objections[0].conflict);

    // 胡焱 may, and does: nothing waits afterwards.
    const forHu = data(
      await b.call('points', 'objections.pendingAdjustments', { villageId: 'banzhu' }, 'o-hu'),
    );
    expect(forHu.objections[0].conflict).toBeNull();
    data(await b.call('points', 'objections.confirmAdjustments', { objectionId: objection.id }, 'o-hu'));
    expect(
      data(await b.call('points', 'objections.pendingAdjustments', { villageId: 'banzhu' }, 'o-hu'))
        .objections,
    ).toEqual([]);

    // Refused roles (a villager, the supervisor, another village's cadre) and bad input.
    for (const openid of ['o-he', 'o-wan', 'o-zhang'])
      expect(errorOf(await pending(openid)).code).toBe('FORBIDDEN');
    expect(errorOf(await pending('o-luo', {})).code).toBe('INVALID_INPUT');
    expect(errorOf(await pending('o-luo', { villageId: 'banzhu', status: 'upheld' })).code).toBe(
      'INVALID_INPUT',
    );
    await assertLedgerInvariant(b.emu);
  });

  it('keeps an audit trail for supervisors, not for villagers', async () => {
    // A month of village work: an approved claim, a black entry, the notice, an objection decided, the lock.
    await approvedSuggestionLastMonth();
    await publishBlack();
    data(await b.call('points', 'months.startNotice', { villageId: 'banzhu', month: previous }, 'o-luo'));
    const entryId = data(await b.call('points', 'ledger.list', { month: previous }, 'o-he')).entries[0].id;
    const objection = data(
      await raiseObjection(b, { target: { type: 'entry', id: entryId }, reason: '该建议并未被采纳' }, 'o-fu'),
    );
    data(
      await decideObjection(
        b,
        { objectionId: objection.objection.id, outcome: 'upheld', reason: '村两委会议记录中无此建议' },
        'o-wan',
      ),
    );
    b.advanceDays(8);
    data(await b.call('points', 'months.lock', { villageId: 'banzhu', month: previous }, 'o-luo'));

    const trail = data(await b.call('points', 'audit.list', { villageId: 'banzhu' }, 'o-wan'));
    expect(trail.trail.map((t) => t.action)).toEqual(
      expect.arrayContaining(['months.lock', 'objections.decide', 'boards.publish', 'review.approve']),
    );
    expect(errorOf(await b.call('points', 'audit.list', { villageId: 'banzhu' }, 'o-he')).code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('a black entry confirmed by a second cadre', () => {
  let b: Backend;
  let town: Record<string, BuiltVillage>;
  beforeAll(async () => {
    b = await startBackend();
    town = await buildTown(b.call, TEST_TOWN);
  });
  afterAll(() => b.stop());

  const blackNotices = () =>
    b.emu.outbox().filter((n) => JSON.stringify(n).includes('tpl-black-board')).length;

  it('tells the family when the deduction moves, not when it is proposed, and once', async () => {
    const proposed = data<{ board: { id: string; status: string } }>(
      await publishBoard(
        b,
        {
          board: 'black',
          familyId: town.banzhu.members['胡焱'].familyId,
          title: '违规占用耕地',
          points: -300,
          date: today(),
        },
        'o-luo',
      ),
    ).board;
    expect(proposed.status).toBe('pending');
    expect(blackNotices()).toBe(0);
    data(await b.call('points', 'boards.confirm', { boardId: proposed.id }, ADMIN));
    expect(blackNotices()).toBe(1);
    expect(errorOf(await b.call('points', 'boards.confirm', { boardId: proposed.id }, ADMIN)).code).toBe(
      'CONFLICT',
    );
    expect(blackNotices()).toBe(1);
  });
});
