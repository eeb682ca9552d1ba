import * as month from '../../miniprogram/core/month';
import { familyDisplayName, maskName } from '../../miniprogram/core/names';
import { capKey, capRefusal, reviewConflict, withinCap } from '../../miniprogram/core/review';
import { extendSuspension, isSuspended, suspensionAfterWithdrawal } from '../../miniprogram/core/suspension';

describe('review conflicts and caps', () => {
  it('refuses the maker as checker and the beneficiary’s own family', () => {
    const subject = { submittedBy: 'o-leader', familyId: 'f1' };
    expect(reviewConflict(subject, { openid: 'o-leader', familyId: null })).toBe('OWN_SUBMISSION');
    expect(reviewConflict(subject, { openid: 'o-cadre', familyId: 'f1' })).toBe('OWN_FAMILY');
    expect(reviewConflict(subject, { openid: 'o-cadre', familyId: 'f2' })).toBeNull();
  });

  it('keys caps per member or family and per month or year', () => {
    const who = { memberId: 'm1', familyId: 'f1' };
    expect(capKey('C01', { count: 4, per: 'month', scope: 'member' }, who, '2026-11')).toBe(
      'C01_m-m1_2026-11',
    );
    expect(capKey('C09', { count: 1, per: 'year', scope: 'family' }, who, '2026-11')).toBe('C09_f-f1_2026');
    expect(withinCap({ count: 1, per: 'month', scope: 'member' }, 0)).toBe(true);
    expect(withinCap({ count: 1, per: 'month', scope: 'member' }, 1)).toBe(false);
    expect(withinCap(null, 99)).toBe(true);
  });

  it('refuses an award over its cap with the rule and the count, and lets one under it through', () => {
    const cap = { count: 2, per: 'month' as const, scope: 'member' as const };
    expect(capRefusal('志愿服务', cap, 1)).toBeNull();
    expect(capRefusal('志愿服务', cap, 2)).toEqual({
      code: 'CAP_REACHED',
      message: '“志愿服务”已达上限（2次），不能再加分',
      note: '“志愿服务”已达上限（2次）',
    });
    expect(capRefusal('志愿服务', cap, 3)?.code).toBe('CAP_REACHED');
    expect(capRefusal('志愿服务', null, 99)).toBeNull();
  });
});

describe('the monthly close', () => {
  const now = new Date('2026-12-03T00:00:00Z');
  const notice = { state: 'notice' as const, noticeEndsAt: new Date('2026-12-08T00:00:00Z') };

  it('starts a notice only for a finished, open month', () => {
    expect(month.canStartNotice('2026-11', month.OPEN_MONTH, '2026-12')).toBeNull();
    expect(month.canStartNotice('2026-12', month.OPEN_MONTH, '2026-12')).toBe('MONTH_NOT_OVER');
    expect(month.canStartNotice('2026-11', notice, '2026-12')).toBe('NOT_OPEN');
  });

  it('locks only after the notice window', () => {
    expect(month.canLock(notice, now)).toBe('NOTICE_NOT_OVER');
    expect(month.canLock(notice, new Date('2026-12-08T00:00:00Z'))).toBeNull();
    expect(month.canLock(month.OPEN_MONTH, now)).toBe('NOT_IN_NOTICE');
    expect(month.noticeDaysLeft(notice, now)).toBe(5);
  });

  it('takes objections while open or in notice, never once locked', () => {
    expect(month.objectionsOpen(month.OPEN_MONTH, now)).toBe(true);
    expect(month.objectionsOpen(notice, now)).toBe(true);
    expect(month.objectionsOpen(notice, new Date('2026-12-09T00:00:00Z'))).toBe(false);
    expect(month.objectionsOpen({ state: 'locked', noticeEndsAt: null }, now)).toBe(false);
  });

  it('gives supervisors 7 days to decide an objection, overdue only while it is still open', () => {
    const raised = new Date('2026-11-20T02:00:00.000Z');
    const deadline = month.objectionDeadline(raised);
    expect(deadline.toISOString()).toBe('2026-11-27T02:00:00.000Z');
    const open = { status: 'open' as const, deadline };
    expect(month.objectionOverdue(open, deadline)).toBe(false);
    expect(month.objectionOverdue(open, new Date(deadline.getTime() + 1))).toBe(true);
    expect(
      month.objectionOverdue({ ...open, deadline: deadline.toISOString() }, new Date(deadline.getTime() + 1)),
    ).toBe(true);
    expect(month.objectionOverdue({ ...open, status: 'upheld' }, new Date(deadline.getTime() + 1))).toBe(
      false,
    );
    expect(month.objectionOverdue({ ...open, status: 'dismissed' }, new Date(deadline.getTime() + 1))).toBe(
      false,
    );
  });

  it('counts a deed in a month under notice or locked for the current month', () => {
    expect(month.entryMonth('2026-11', month.OPEN_MONTH, '2026-12')).toBe('2026-11');
    expect(month.entryMonth('2026-11', notice, '2026-12')).toBe('2026-12');
    expect(month.entryMonth('2026-11', { state: 'locked', noticeEndsAt: null }, '2026-12')).toBe('2026-12');
  });
});

describe('names and suspension', () => {
  it('masks all but the first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李');
    expect(familyDisplayName('何雄梅', 'masked')).toBe('何**家');
    expect(familyDisplayName('何雄梅', 'full')).toBe('何雄梅家');
  });

  it('suspends for three months and extends but never shortens', () => {
    const first = extendSuspension(null, new Date('2026-11-10T02:00:00Z'));
    expect(first.toISOString()).toBe('2027-02-09T16:00:00.000Z');
    expect(isSuspended(first, new Date('2027-02-09T15:59:59Z'))).toBe(true);
    expect(isSuspended(first, first)).toBe(false);
    const earlier = extendSuspension(first, new Date('2026-10-01T02:00:00Z'));
    expect(earlier).toBe(first);
    expect(isSuspended(null, first)).toBe(false);
  });

  it('keeps, after one black entry is withdrawn, the latest other suspension still ahead, or none', () => {
    const now = new Date('2026-11-20T02:00:00Z');
    const later = '2027-02-09T16:00:00.000Z';
    expect(suspensionAfterWithdrawal(['2027-01-01T16:00:00.000Z', later, null], now)?.toISOString()).toBe(
      later,
    );
    expect(suspensionAfterWithdrawal(['2026-11-01T16:00:00.000Z'], now)).toBeNull();
    expect(suspensionAfterWithdrawal([], now)).toBeNull();
  });
});
