/**
 * The points backend through the functions on the emulator: claims, the monthly pass, review, the ledger,
 * rankings and the home view, with budgets from the emulator's request counts and the ledger invariant.
 */
import ExcelJS from 'exceljs';
import { compareGroupNames } from '../../miniprogram/core/order';
import { monthOf, dayOf } from '../../miniprogram/core/time';
import { ADMIN, data, errorOf, townCopies, type Town } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import type { RulesSaveInput } from '../../miniprogram/contract/points';
import { rid, submitClaim, uploadFile } from '../support/town-actions';

interface Rule {
  id: string;
  code: string;
  points: number;
  title: string;
}

const today = () => dayOf(TEST_NOW);
describe('claims, review and the ledger', () => {
  // Each test on its own copy of the town (with 何雄梅's photo uploaded): what it reads is what it did.
  let rules: Rule[] = [];
  const towns = townCopies({
    prepare: async (t) => {
      rules = data(await t.call('points', 'rules.list', {}, 'o-he')).rules;
      await uploadFile(t, 'o-he', 'claims/o-he/p1.jpg');
    },
  });
  let b: Town;
  const rule = (code: string) => rules.find((r) => r.code === code) as Rule;
  const member = (name: string) => b.town.banzhu.members[name];
  // A claim's photos must exist in storage (issue 12): the file of this environment's id, uploaded once.
  const photo = (openid: string, name = 'p1.jpg') =>
    `cloud://${b.emu.envId}.${b.emu.envId}-emulator/claims/${openid}/${name}`;

  beforeEach(async () => {
    b = await towns.start();
  });
  afterEach(() => b.stop());
  afterAll(() => towns.dispose());

  /** 何雄梅 claims 何小明's volunteering (C01, +1 分, with a photo); 罗亚倩 approves it. */
  const approvedVolunteering = async () => {
    const input = {
      requestId: rid(),
      memberId: member('何小明').id,
      ruleId: rule('C01').id,
      deedDate: today(),
      text: '参加村里组织的河道清理志愿活动',
      photos: [photo('o-he')],
    };
    const { claim } = data(await b.call('points', 'claims.submit', input, 'o-he'));
    data(await b.call('points', 'review.approve', { claimIds: [claim.id] }, 'o-luo'));
  };

  /** 傅红's monthly pass for 一组 (何雄梅 and 傅红 B07, 傅大爷 C04), approved by 罗亚倩. */
  const approvedMonthlyPass = async () => {
    const lines = [
      { memberId: member('何雄梅').id, ruleId: rule('B07').id, deedDate: today() },
      { memberId: member('傅红').id, ruleId: rule('B07').id, deedDate: today() },
      { memberId: member('傅大爷').id, ruleId: rule('C04').id, deedDate: today() },
    ];
    const recorded = data(
      await b.call(
        'points',
        'records.create',
        { requestId: rid(), villageId: 'banzhu', onBehalf: true, lines },
        'o-fu',
      ),
    );
    const ids = recorded.lines.map((l) => l.id);
    expect(data(await b.call('points', 'review.approve', { claimIds: ids }, 'o-luo')).decided).toBe(3);
  };

  /** 罗亚倩 records `name`'s 院坝会 (C04) of this month; returns the pending line's id. */
  const meetingRecordedByLuo = async (name: string) =>
    data(
      await b.call(
        'points',
        'records.create',
        {
          requestId: rid(),
          villageId: 'banzhu',
          lines: [{ memberId: member(name).id, ruleId: rule('C04').id, deedDate: today() }],
        },
        'o-luo',
      ),
    ).lines[0].id;

  /** 罗亚倩 records her own 院坝会 (C04) of this month; 胡焱 approves it. */
  const approvedMeetingOfLuo = async () => {
    const id = await meetingRecordedByLuo('罗亚倩');
    expect(data(await b.call('points', 'review.approve', { claimIds: [id] }, 'o-hu')).decided).toBe(1);
  };

  it('takes a claim with photos, approves it in one transaction, and shows it on the home view within budget', async () => {
    const requestId = rid();
    const input = {
      requestId,
      memberId: member('何小明').id,
      ruleId: rule('C01').id,
      deedDate: today(),
      text: '参加村里组织的河道清理志愿活动',
      photos: [photo('o-he')],
    };
    const first = data(await b.call('points', 'claims.submit', input, 'o-he'));
    expect(first.claim.status).toBe('pending');
    // A retry with the same request id is the same claim, not a second one.
    const retry = data(await b.call('points', 'claims.submit', input, 'o-he'));
    expect(retry.claim.id).toBe(first.claim.id);

    const queue = data(await b.call('points', 'review.queue', { villageId: 'banzhu' }, 'o-luo'));
    expect(queue.items.filter((i) => i.id === first.claim.id)).toHaveLength(1);

    const approve = await b.measure('points', 'review.approve', { claimIds: [first.claim.id] }, 'o-luo');
    expect(data(approve.res).decided).toBe(1);
    // Budget: one claim in one transaction of at most 10 database requests (one aggregation reads what it decides from).
    expect(approve.dbRequests).toBeLessThanOrEqual(10);

    const home = await b.measure('points', 'home.get', {}, 'o-he');
    const view = data(home.res);
    expect(view.available).toBe(10);
    expect(view.earnedThisMonth).toBe(10);
    expect(view.villageRank).toBe(1);
    // "第1名 / 共N户": every family of the village, and more in the town.
    expect(view.villageRanked).toBe(5);
    expect(view.townRanked).toBe(7);
    expect(view.latest[0]).toMatchObject({
      ruleTitle: '参加一次志愿活动',
      approvedByName: '罗亚倩',
      recordedByName: '何雄梅',
    });
    expect(view.chart).toHaveLength(12);
    expect(view.chart[11]).toEqual({ month: monthOf(TEST_NOW), earned: 10 });
    // Budget: the home view is one call and one database request (an aggregation from the caller's users document).
    expect(home.dbRequests).toBeLessThanOrEqual(1);

    // The claimant was notified by subscription message.
    expect(JSON.stringify(b.emu.outbox())).toContain('tpl-claim-decided');
  });

  it('refuses bad claims with a typed error and changes nothing', async () => {
    const base = {
      memberId: member('何小明').id,
      ruleId: rule('C01').id,
      deedDate: today(),
      text: '',
      photos: [photo('o-he')],
    };
    const cases: [string, object, string, string?][] = [
      ['invalid payload', { ...base, requestId: rid(), deedDate: '2026-02-30' }, 'INVALID_INPUT'],
      ['future date', { ...base, requestId: rid(), deedDate: '2999-01-01' }, 'INVALID_INPUT'],
      ['unknown rule', { ...base, requestId: rid(), ruleId: 'nope' }, 'NOT_FOUND'],
      [
        'not self-claimable',
        { ...base, requestId: rid(), ruleId: rule('B01').id },
        'REFUSED',
        'NOT_SELF_CLAIM',
      ],
      ['member of another family', { ...base, requestId: rid(), memberId: member('万有志').id }, 'FORBIDDEN'],
      ['photos of another user', { ...base, requestId: rid(), photos: [photo('o-fu')] }, 'FORBIDDEN'],
      ['photos required', { ...base, requestId: rid(), photos: [] }, 'INVALID_INPUT'],
      ['risky text', { ...base, requestId: rid(), text: '帮人代开发票' }, 'REFUSED', 'RISKY_CONTENT'],
      [
        'too many photos',
        {
          ...base,
          requestId: rid(),
          photos: Array.from({ length: 10 }, (_, i) => photo('o-he', `${i}.jpg`)),
        },
        'INVALID_INPUT',
      ],
    ];
    const before = b.emu.documentCount('claims');
    for (const [label, input, code, reason] of cases) {
      const error = errorOf(await b.send('points', 'claims.submit', input, 'o-he'));
      expect([label, error.code]).toEqual([label, code]);
      if (reason) expect(error.details).toMatchObject({ reason });
      expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(
      errorOf(await b.call('points', 'claims.submit', { ...base, requestId: rid() }, 'o-stranger')).details,
    ).toMatchObject({
      reason: 'NOT_LINKED',
    });
    expect(b.emu.documentCount('claims')).toBe(before);
  });

  it('records a monthly pass in bulk, and keeps maker and checker apart', async () => {
    const lines = [
      { memberId: member('何雄梅').id, ruleId: rule('B07').id, deedDate: today() },
      { memberId: member('傅红').id, ruleId: rule('B07').id, deedDate: today() },
      { memberId: member('傅大爷').id, ruleId: rule('C04').id, deedDate: today() },
    ];
    // 傅红 leads 一组: she records for her group, on behalf of older villagers.
    const requestId = rid();
    const recorded = data(
      await b.call(
        'points',
        'records.create',
        { requestId, villageId: 'banzhu', onBehalf: true, lines },
        'o-fu',
      ),
    );
    expect(recorded.recorded).toBe(3);
    // The retried request records nothing new.
    expect(
      data(
        await b.call(
          'points',
          'records.create',
          { requestId, villageId: 'banzhu', onBehalf: true, lines },
          'o-fu',
        ),
      ).recorded,
    ).toBe(0);
    // A group leader of 一组 cannot record for 二组.
    const other = { memberId: member('万有志').id, ruleId: rule('B07').id, deedDate: today() };
    expect(
      errorOf(
        await b.call(
          'points',
          'records.create',
          { requestId: rid(), villageId: 'banzhu', lines: [other] },
          'o-fu',
        ),
      ).code,
    ).toBe('FORBIDDEN');

    // The group leader follows her group's pending lines, but not the whole village's queue.
    const groupId = b.town.banzhu.groups.find((g) => g.name === '一组')?.id as string;
    const followed = data(await b.call('points', 'review.queue', { villageId: 'banzhu', groupId }, 'o-fu'));
    expect(followed.items.map((i) => i.id)).toEqual(expect.arrayContaining(recorded.lines.map((l) => l.id)));
    expect(followed.items.every((i) => i.groupId === groupId)).toBe(true);
    expect(errorOf(await b.call('points', 'review.queue', { villageId: 'banzhu' }, 'o-fu')).code).toBe(
      'FORBIDDEN',
    );

    // A group leader cannot approve; a supervisor cannot award points.
    const ids = recorded.lines.map((l) => l.id);
    expect(errorOf(await b.call('points', 'review.approve', { claimIds: ids }, 'o-fu')).code).toBe(
      'FORBIDDEN',
    );
    expect(errorOf(await b.call('points', 'review.approve', { claimIds: ids }, 'o-wan')).code).toBe(
      'FORBIDDEN',
    );
    // A cadre of another village is nobody here.
    const foreign = await b.call('points', 'review.approve', { claimIds: [ids[0]] }, 'o-zhang');
    expect(errorOf(foreign).code).toBe('FORBIDDEN');

    // Bulk approval: each line decided on its own; 何雄梅's line is refused for 何's own family when she... is not a cadre,
    // so 罗亚倩 approves all three.
    const result = data(await b.call('points', 'review.approve', { claimIds: ids }, 'o-luo'));
    expect(result.decided).toBe(3);
    // Approving again changes nothing: already decided.
    expect(errorOf(await b.call('points', 'review.approve', { claimIds: [ids[0]] }, 'o-luo')).code).toBe(
      'CONFLICT',
    );
    const ledger = data(await b.call('points', 'ledger.list', { familyId: member('傅红').familyId }, 'o-fu'));
    expect(ledger.entries).toHaveLength(2);
    expect(ledger.entries.every((e) => e.onBehalf && e.recordedByName === '傅红')).toBe(true);
  });

  it('refuses a reviewer who recorded the line or belongs to the family, with the reason', async () => {
    const own = await meetingRecordedByLuo('罗亚倩');
    const refused = errorOf(await b.call('points', 'review.approve', { claimIds: [own] }, 'o-luo'));
    expect(refused.details).toMatchObject({ reason: 'OWN_SUBMISSION' });
    // 胡焱 recorded nothing but 罗亚倩 is not his family: he may approve. For 胡焱's own family, he may not.
    const hu = await meetingRecordedByLuo('胡焱');
    expect(
      errorOf(await b.call('points', 'review.approve', { claimIds: [hu] }, 'o-hu')).details,
    ).toMatchObject({
      reason: 'OWN_FAMILY',
    });
    expect(data(await b.call('points', 'review.approve', { claimIds: [own] }, 'o-hu')).decided).toBe(1);
  });

  it('enforces caps at approval', async () => {
    // C04 (院坝会) is once per member per month, and 罗亚倩 already has this month's.
    await approvedMeetingOfLuo();
    const again = data(
      await b.call(
        'points',
        'records.create',
        {
          requestId: rid(),
          villageId: 'banzhu',
          lines: [{ memberId: member('罗亚倩').id, ruleId: rule('C04').id, deedDate: today() }],
        },
        'o-hu',
      ),
    );
    const before = b.emu.documentCount('entries');
    const capped = errorOf(
      await b.call('points', 'review.approve', { claimIds: [again.lines[0].id] }, ADMIN),
    );
    expect(capped.details).toMatchObject({ reason: 'CAP_REACHED' });
    expect(b.emu.documentCount('entries')).toBe(before);
  });

  it('approves the same claim twice in parallel into exactly one ledger entry', async () => {
    const { claim } = data(
      await submitClaim(
        b,
        {
          memberId: member('何雄梅').id,
          ruleId: rule('C03').id,
          deedDate: today(),
          text: '建议在村口增设路灯',
        },
        'o-he',
      ),
    );
    const before = b.emu.documentCount('entries');
    const results = await Promise.all([
      b.call('points', 'review.approve', { claimIds: [claim.id] }, 'o-luo'),
      b.call('points', 'review.approve', { claimIds: [claim.id] }, 'o-hu'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // The loser is told the claim was already decided, not that something broke.
    expect(results.filter((r) => !r.ok).map((r) => errorOf(r).code)).toEqual(['CONFLICT']);
    expect(b.emu.documentCount('entries')).toBe(before + 1);
  });

  it('lets the claimant withdraw while pending, then not again', async () => {
    const { claim } = data(
      await submitClaim(
        b,
        { memberId: member('何雄梅').id, ruleId: rule('C03').id, deedDate: today(), text: '建议修缮文化墙' },
        'o-he',
      ),
    );
    expect(errorOf(await b.call('points', 'claims.withdraw', { claimId: claim.id }, 'o-he-son')).code).toBe(
      'NOT_FOUND',
    );
    expect(data(await b.call('points', 'claims.withdraw', { claimId: claim.id }, 'o-he')).claim.status).toBe(
      'withdrawn',
    );
    expect(errorOf(await b.call('points', 'claims.withdraw', { claimId: claim.id }, 'o-he')).code).toBe(
      'CONFLICT',
    );
    const rejected = errorOf(
      await b.call('points', 'review.reject', { claimIds: [claim.id], reason: '已撤回' }, 'o-luo'),
    );
    expect(rejected.code).toBe('CONFLICT');
    const mine = data(await b.call('points', 'claims.mine', {}, 'o-he'));
    expect(mine.claims.find((c) => c.id === claim.id)?.status).toBe('withdrawn');
  });

  it('ranks families in the village with shared ranks, a page of 20 in at most 2 database requests', async () => {
    await approvedVolunteering();
    await approvedMonthlyPass();
    const page = await b.measure(
      'points',
      'ranking.list',
      { scope: 'village', period: monthOf(TEST_NOW) },
      'o-he',
    );
    const ranking = data(page.res);
    expect(ranking.rows.length).toBeGreaterThan(1);
    for (let i = 1; i < ranking.rows.length; i += 1)
      expect(ranking.rows[i - 1].earned).toBeGreaterThanOrEqual(ranking.rows[i].earned);
    expect(ranking.rows.find((r) => r.mine)?.name).toBe('何**家');
    expect(ranking.me?.rank).toBe(ranking.rows.find((r) => r.mine)?.rank);
    // Budget: one database request (profile, own score, the range count above it and the page in one aggregation).
    expect(page.dbRequests).toBeLessThanOrEqual(1);
    const town = data(
      await b.call(
        'points',
        'ranking.list',
        { scope: 'town', period: monthOf(TEST_NOW).slice(0, 4) },
        'o-li',
      ),
    );
    expect(town.rows.some((r) => r.villageName === '斑竹村')).toBe(true);
  });

  it('refuses a ranking outside what the caller may see: another village, an unknown one, none linked', async () => {
    const month = monthOf(TEST_NOW);
    const ranking = (input: { villageId?: string }, openid: string) =>
      b.call('points', 'ranking.list', { scope: 'village', period: month, ...input }, openid);
    // A villager sees their own village's ranking only.
    expect(errorOf(await ranking({ villageId: 'laifeng' }, 'o-he'))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'OTHER_VILLAGE' },
      message: '只能查看本村（社区）的排名',
    });
    // The town admin sees any village of the town, and is told when there is no such village.
    expect(data(await ranking({ villageId: 'laifeng' }, ADMIN)).scope).toBe('village');
    expect(errorOf(await ranking({ villageId: 'nowhere' }, ADMIN))).toMatchObject({
      code: 'NOT_FOUND',
      message: '找不到该村（社区）',
    });
    // Someone not linked to a family has no village to rank.
    expect(errorOf(await ranking({}, 'o-stranger')).details).toMatchObject({ reason: 'NOT_LINKED' });
  });

  it('versions a rule on edit; entries keep the title and score they were made under', async () => {
    await approvedVolunteering();
    const before = rule('C01');
    const draft: RulesSaveInput = {
      code: 'C01',
      category: 'contribution',
      aspect: '公益活动',
      title: '参加一次志愿服务',
      description: '参加志愿服务，每次记分',
      points: 15,
      selfClaim: true,
      photosRequired: true,
      cap: { count: 4, per: 'month', scope: 'member' },
    };
    expect(errorOf(await b.call('points', 'rules.save', draft, 'o-luo')).code).toBe('FORBIDDEN');
    expect(errorOf(await b.call('points', 'rules.save', { ...draft, points: 3 }, ADMIN)).code).toBe(
      'INVALID_INPUT',
    );
    const saved = data(await b.call('points', 'rules.save', draft, ADMIN));
    expect(saved.rule).toMatchObject({ id: before.id, version: 2, points: 15 });
    const ledger = data(await b.call('points', 'ledger.list', {}, 'o-he'));
    expect(ledger.entries.find((e) => e.ruleTitle === '参加一次志愿活动')?.points).toBe(10);
    const current = data(await b.call('points', 'rules.list', {}, 'o-he')).rules;
    expect(current.filter((r) => r.code === 'C01').map((r) => r.title)).toEqual(['参加一次志愿服务']);
    // A village adds its own rule; other villages don't see it.
    const own = { ...draft, code: 'BZ01', title: '参与竹林防火巡查', points: 10, villageId: 'banzhu' };
    data(await b.call('points', 'rules.save', own, 'o-luo'));
    const banzhu = data(await b.call('points', 'rules.list', {}, 'o-he')).rules;
    const laifeng = data(await b.call('points', 'rules.list', {}, 'o-li')).rules;
    expect(banzhu.some((r) => r.code === 'BZ01')).toBe(true);
    expect(laifeng.some((r) => r.code === 'BZ01')).toBe(false);
  });

  it('reports participation and points by rule, and exports the month as Excel for overseers only', async () => {
    // This month: 一组's pass (何, 傅 and 傅大爷's 院坝会) and 罗亚倩's 院坝会.
    await approvedMonthlyPass();
    await approvedMeetingOfLuo();
    const month = monthOf(TEST_NOW);
    const stats = data(
      await b.call('points', 'stats.points', { villageId: 'banzhu', period: month }, 'o-luo'),
    );
    expect(stats.families).toBe(5);
    expect(stats.participatingFamilies).toBeGreaterThanOrEqual(3);
    expect(stats.byRule.find((r) => r.code === 'C04')?.count).toBe(2);
    const lastYear = data(
      await b.call('points', 'stats.points', { villageId: 'banzhu', period: '2000' }, 'o-luo'),
    );
    expect(lastYear).toMatchObject({ claims: { approved: 0 }, boards: { red: 0 } });
    expect(errorOf(await b.call('points', 'stats.points', { period: month }, 'o-luo')).code).toBe(
      'FORBIDDEN',
    );
    expect(
      errorOf(
        await b.call('points', 'reports.export', { villageId: 'banzhu', month, sheet: 'notice' }, 'o-he'),
      ).code,
    ).toBe('FORBIDDEN');

    for (const sheet of ['ledger', 'ranking', 'notice'] as const) {
      const file = data(
        await b.call('points', 'reports.export', { villageId: 'banzhu', month, sheet }, 'o-wan'),
      );
      expect(file.fileName).toMatch(/^斑竹村.*\.xlsx$/);
      const bytes = Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const rows: string[] = [];
      workbook.worksheets[0].eachRow((row) => rows.push(JSON.stringify(row.values)));
      const text = rows.join('\n');
      if (sheet === 'ledger') expect(text).toContain('参加院坝会、村民代表大会');
      if (sheet === 'ranking') expect(text).toContain('何雄梅家');
      // The notice sheet is posted in the village: names follow the village's masking.
      if (sheet === 'notice') {
        expect(text).toContain('何**家');
        expect(text).not.toContain('何雄梅');
        // Groups in their number's order (一组, 二组, 三组), points as numbers Excel can sum.
        const lines: unknown[][] = [];
        workbook.worksheets[0].eachRow((row, n) => {
          if (n > 2 && Array.isArray(row.values) && /家$/.test(String(row.values[3]))) lines.push(row.values);
        });
        const groups = lines.map((l) => String(l[1]));
        expect(groups.length).toBeGreaterThan(1);
        expect(groups).toEqual([...groups].sort(compareGroupNames));
        expect(lines.every((l) => typeof l[4] === 'number')).toBe(true);
      }
    }
  });

  it('keeps every family’s stored totals equal to the sum of its entries', async () => {
    await approvedVolunteering();
    await approvedMonthlyPass();
    await approvedMeetingOfLuo();
    await assertLedgerInvariant(b.emu);
  });

  it('shows a villager only their own ledger', async () => {
    await approvedMonthlyPass();
    expect(
      errorOf(await b.call('points', 'ledger.list', { familyId: member('傅红').familyId }, 'o-he')).code,
    ).toBe('FORBIDDEN');
    expect(
      data(await b.call('points', 'ledger.list', { familyId: member('傅红').familyId }, 'o-wan')).entries
        .length,
    ).toBeGreaterThan(0);
  });
});
