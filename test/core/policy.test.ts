import {
  boardEntryRefusal,
  boardNeedsSecondCheck,
  boardPublication,
  decideFund,
  decideGoodsCost,
  decidePoints,
  decideStock,
  deedDateRefusal,
  DEFAULT_INTEGRITY,
  maxGoodsCostFen,
  objectionTargetRefusal,
  pointsBoundsRefusal,
  type Actor,
  type PointsWrite,
} from '../../miniprogram/core/policy';
import { fundHealth } from '../../miniprogram/core/fund';
import { OPEN_MONTH } from '../../miniprogram/core/month';

const luo: Actor = { openid: 'o-luo', familyId: 'f-luo', townAdmin: false };
const hu: Actor = { openid: 'o-hu', familyId: 'f-hu', townAdmin: false };
const wan: Actor = { openid: 'o-wan', familyId: 'f-wan', townAdmin: false };
const admin: Actor = { openid: 'o-admin', familyId: null, townAdmin: true };

const write = (over: Partial<PointsWrite>): PointsWrite => ({
  purpose: 'review',
  maker: luo,
  checker: hu,
  familyId: 'f-he',
  points: 10,
  ...over,
});

const code = (d: { ok: boolean; code?: string }) => (d.ok ? 'OK' : d.code);

describe('points: who makes, who checks, whose family', () => {
  it('approves a claim checked by someone else outside the family, with a token for exactly those points', () => {
    const d = decidePoints(write({}));
    expect(d.ok).toBe(true);
    if (d.ok)
      expect(d.approved).toMatchObject({ kind: 'points', maker: 'o-luo', checker: 'o-hu', amount: 10 });
  });

  it('refuses the maker as checker and a checker of the beneficiary family, naming the second pair of eyes', () => {
    const own = decidePoints(write({ checker: luo }));
    expect(own).toMatchObject({ ok: false, code: 'OWN_SUBMISSION' });
    const family = decidePoints(write({ familyId: 'f-hu' }));
    expect(family).toMatchObject({ ok: false, code: 'OWN_FAMILY' });
    if (!family.ok) expect(family.message).toContain('需由其他干部或镇管理员审核');
    expect(code(decidePoints(write({ checker: null })))).toBe('NEEDS_SECOND_CHECK');
  });

  it('lets the town admin be the second pair of eyes', () => {
    expect(code(decidePoints(write({ checker: admin })))).toBe('OK');
  });

  it('refuses an objection decided by the beneficiary family and adjustments for the maker’s own family', () => {
    expect(code(decidePoints(write({ purpose: 'objectionReverse', checker: wan, familyId: 'f-wan' })))).toBe(
      'OWN_FAMILY',
    );
    expect(
      code(decidePoints(write({ purpose: 'adjustment', maker: wan, checker: luo, familyId: 'f-wan' }))),
    ).toBe('OWN_FAMILY');
    expect(code(decidePoints(write({ purpose: 'adjustment', maker: wan, checker: wan })))).toBe(
      'SAME_PERSON',
    );
  });

  it('lets a publisher check a board entry only within the second-check threshold', () => {
    const settings = { ...DEFAULT_INTEGRITY, secondCheckAbovePoints: 100 };
    const small = write({ purpose: 'board', maker: luo, checker: luo, points: 100, settings });
    expect(code(decidePoints(small))).toBe('OK');
    expect(code(decidePoints({ ...small, points: 150 }))).toBe('SAME_PERSON');
    expect(code(decidePoints({ ...small, points: -50 }))).toBe('OK');
    expect(code(decidePoints({ ...small, familyId: 'f-luo', checker: hu }))).toBe('OWN_FAMILY');
  });

  it('bounds manual amounts per entry and per family per month by the village settings', () => {
    const settings = { ...DEFAULT_INTEGRITY, maxEntryPoints: 100, maxFamilyMonthPoints: 150 };
    const adj = write({ purpose: 'adjustment', maker: wan, checker: luo, settings });
    expect(code(decidePoints({ ...adj, points: 101 }))).toBe('AMOUNT_TOO_LARGE');
    expect(code(decidePoints({ ...adj, points: 100, familyMonthManual: 100 }))).toBe('MONTH_LIMIT');
    expect(code(decidePoints({ ...adj, points: 50, familyMonthManual: 100 }))).toBe('OK');
    expect(code(decidePoints({ ...adj, points: 0 }))).toBe('BAD_AMOUNT');
    // The bounds hold for a proposal that waits for its check, too.
    expect(pointsBoundsRefusal({ ...adj, checker: null, points: 101 })?.code).toBe('AMOUNT_TOO_LARGE');
    expect(pointsBoundsRefusal({ ...adj, checker: null, points: 100 })).toBeNull();
  });

  it('corrects each source once, never a correction, and a redemption only at the counter', () => {
    const reverse = write({ purpose: 'objectionReverse', maker: { ...luo, openid: 'o-he' }, checker: wan });
    const entry = { kind: 'deduction', sourceType: 'board', alreadyCorrected: false };
    expect(code(decidePoints({ ...reverse, corrects: entry }))).toBe('OK');
    expect(code(decidePoints({ ...reverse, corrects: { ...entry, alreadyCorrected: true } }))).toBe(
      'ALREADY_CORRECTED',
    );
    expect(code(decidePoints({ ...reverse, corrects: { ...entry, kind: 'reversal' } }))).toBe(
      'CORRECTION_OF_CORRECTION',
    );
    expect(code(decidePoints({ ...reverse, corrects: { ...entry, sourceType: 'objection' } }))).toBe(
      'CORRECTION_OF_CORRECTION',
    );
    const redemption = { kind: 'redemption', sourceType: 'redemption', alreadyCorrected: false };
    expect(code(decidePoints({ ...reverse, corrects: redemption }))).toBe('REDEMPTION_VIA_COUNTER');
    expect(
      code(
        decidePoints({
          purpose: 'redemptionCancel',
          maker: hu,
          checker: null,
          familyId: 'f-he',
          points: 10,
          corrects: redemption,
        }),
      ),
    ).toBe('OK');
  });

  it('takes no objection to a redemption or to a correction', () => {
    expect(objectionTargetRefusal({ kind: 'award', sourceType: 'claim' })).toBeNull();
    expect(objectionTargetRefusal({ kind: 'board', sourceType: 'board' })).toBeNull();
    expect(objectionTargetRefusal({ kind: 'redemption', sourceType: 'redemption' })).toEqual({
      ok: false,
      code: 'REDEMPTION_VIA_COUNTER',
      message: '兑换记录只能由超市收银员在收银台撤销，请联系超市',
    });
    expect(objectionTargetRefusal({ kind: 'reversal', sourceType: 'redemption' })).toEqual({
      ok: false,
      code: 'CORRECTION_OF_CORRECTION',
      message: '这条记录本身就是更正，不能再提出异议',
    });
    expect(objectionTargetRefusal({ kind: 'adjustment', sourceType: 'objection' })?.code).toBe(
      'CORRECTION_OF_CORRECTION',
    );
  });

  it('only spends at the counter and for wishes', () => {
    const counter = { maker: hu, checker: null, familyId: 'f-he' };
    expect(code(decidePoints({ ...counter, purpose: 'redemption', points: -30 }))).toBe('OK');
    expect(code(decidePoints({ ...counter, purpose: 'redemption', points: 30 }))).toBe('BAD_AMOUNT');
    expect(code(decidePoints({ ...counter, purpose: 'wishCharge', points: 30 }))).toBe('BAD_AMOUNT');
    expect(code(decidePoints({ ...counter, purpose: 'review', points: 1.5 }))).toBe('NEEDS_SECOND_CHECK');
    expect(code(decidePoints({ ...counter, purpose: 'redemption', points: -1.5 }))).toBe('BAD_AMOUNT');
  });
});

describe('board entries', () => {
  it('refuses an entry dated after today, and points against the board’s sign', () => {
    const red = { board: 'red' as const, points: 50, date: '2026-11-20' };
    expect(boardEntryRefusal(red, '2026-11-20')).toBeNull();
    expect(boardEntryRefusal({ ...red, board: 'black', points: -50 }, '2026-11-20')).toBeNull();
    expect(boardEntryRefusal({ ...red, points: 0 }, '2026-11-20')).toBeNull();
    expect(boardEntryRefusal({ ...red, board: 'black', points: 0 }, '2026-11-20')).toBeNull();
    expect(boardEntryRefusal({ ...red, date: '2026-11-21', points: -5 }, '2026-11-20')).toEqual({
      field: 'date',
      message: '日期不能晚于今天',
    });
    expect(boardEntryRefusal({ ...red, points: -5 }, '2026-11-20')).toEqual({
      field: 'points',
      message: '红榜只能加分，黑榜只能扣分',
    });
    expect(boardEntryRefusal({ ...red, board: 'black' }, '2026-11-20')?.field).toBe('points');
  });

  it('holds an entry above the village’s threshold, either way, for a second cadre', () => {
    const settings = { ...DEFAULT_INTEGRITY, secondCheckAbovePoints: 100 };
    expect(boardNeedsSecondCheck(100, settings)).toBe(false);
    expect(boardNeedsSecondCheck(-100, settings)).toBe(false);
    expect(boardNeedsSecondCheck(105, settings)).toBe(true);
    expect(boardNeedsSecondCheck(-105, settings)).toBe(true);
    const publish = { maker: luo, familyId: 'f-he', points: 150, settings };
    expect(boardPublication(publish)).toEqual({ ok: true, needsSecondCheck: true });
    expect(boardPublication({ ...publish, points: -20 })).toEqual({ ok: true, needsSecondCheck: false });
  });

  it('never publishes for the publisher’s own family', () => {
    const settings = DEFAULT_INTEGRITY;
    expect(boardPublication({ maker: luo, familyId: 'f-luo', points: 10, settings })).toEqual({
      ok: false,
      code: 'OWN_FAMILY',
      message: '不能为本家庭发布红黑榜，需由其他干部或镇管理员审核',
    });
    expect(boardPublication({ maker: admin, familyId: 'f-luo', points: 10, settings }).ok).toBe(true);
  });
});

describe('stock and fund', () => {
  it('keeps the sign of restocks and losses and never goes below zero', () => {
    const base = { maker: hu, stockBefore: 3 };
    expect(code(decideStock({ ...base, purpose: 'restock', change: -5 }))).toBe('BAD_AMOUNT');
    expect(code(decideStock({ ...base, purpose: 'loss', change: 5 }))).toBe('BAD_AMOUNT');
    expect(code(decideStock({ ...base, purpose: 'loss', change: -4 }))).toBe('OUT_OF_STOCK');
    expect(code(decideStock({ ...base, purpose: 'correction', change: -3 }))).toBe('OK');
    expect(code(decideStock({ ...base, purpose: 'restock', change: 0 }))).toBe('BAD_AMOUNT');
  });

  it('pays cash out only up to the balance; a redemption charge may run into debt', () => {
    const base = { maker: admin, balanceFen: 1000 };
    expect(code(decideFund({ ...base, purpose: 'expense', amountFen: -1001 }))).toBe('FUND_INSUFFICIENT');
    expect(code(decideFund({ ...base, purpose: 'champion', amountFen: -1000 }))).toBe('OK');
    expect(code(decideFund({ ...base, purpose: 'redemption', amountFen: -5000 }))).toBe('OK');
    expect(code(decideFund({ ...base, purpose: 'expense', amountFen: 10 }))).toBe('BAD_AMOUNT');
  });

  it('bounds a manager’s goods cost by the points price × the fund’s value per point; the town admin is free', () => {
    expect(maxGoodsCostFen(50, 100)).toBe(750);
    expect(decideGoodsCost({ maker: luo, pricePoints: 50, costFen: 750, fenPerPoint: 100 })).toBeNull();
    expect(
      decideGoodsCost({ maker: luo, pricePoints: 50, costFen: 50_000_000, fenPerPoint: 100 })?.code,
    ).toBe('COST_TOO_HIGH');
    expect(
      decideGoodsCost({ maker: admin, pricePoints: 50, costFen: 50_000_000, fenPerPoint: 100 }),
    ).toBeNull();
  });
});

describe('deed dates', () => {
  const notice = { state: 'notice' as const, noticeEndsAt: new Date('2026-12-08T00:00:00Z') };
  it('takes the current month, and the previous one while it is open', () => {
    expect(deedDateRefusal('2026-11-20', '2026-11-20', OPEN_MONTH)).toBeNull();
    expect(deedDateRefusal('2026-10-31', '2026-11-20', OPEN_MONTH)).toBeNull();
    expect(deedDateRefusal('2026-10-31', '2026-11-20', notice)?.code).toBe('MONTH_CLOSED');
    expect(deedDateRefusal('1990-01-15', '2026-11-20', OPEN_MONTH)?.code).toBe('MONTH_CLOSED');
    expect(deedDateRefusal('2026-11-21', '2026-11-20', OPEN_MONTH)?.code).toBe('BAD_AMOUNT');
    expect(deedDateRefusal('2025-12-31', '2026-01-05', OPEN_MONTH)).toBeNull();
  });
  it('at approval, still takes a pending claim of the previous month after its notice began', () => {
    expect(deedDateRefusal('2026-10-31', '2026-11-20', notice, true)).toBeNull();
    expect(deedDateRefusal('2026-09-30', '2026-11-20', OPEN_MONTH, true)?.code).toBe('MONTH_CLOSED');
  });
});

describe('fund in debt', () => {
  it('warns when redemptions took the fund below zero', () => {
    expect(fundHealth(-49_940_000, 0, 100).debtWarning).toBe(
      '基金池已透支499400.00元：超出余额的兑换按成本记为本村欠超市的款项，请尽快补充资金',
    );
    expect(fundHealth(0, 0, 100).debtWarning).toBeNull();
  });
});
