/**
 * Fairness rules for review (against 人情分): maker ≠ checker, and nobody approves points for their own family.
 * Caps ("once per member per month") are enforced at approval from a counter keyed here.
 */
import type { RuleCap } from './catalogue';
import type { MonthKey } from './time';

export interface ReviewSubject {
  /** Who submitted (a claim) or recorded (a bulk line): openid. */
  submittedBy: string;
  /** The family the points go to. */
  familyId: string;
}

export interface Reviewer {
  openid: string;
  /** The reviewer's own family, if they are a registered member. */
  familyId: string | null;
}

export type ReviewConflict = 'OWN_SUBMISSION' | 'OWN_FAMILY';

export const REVIEW_CONFLICT_MESSAGES: Record<ReviewConflict, string> = {
  OWN_SUBMISSION: '不能审核自己提交或录入的记录，需由其他干部或镇管理员审核',
  OWN_FAMILY: '不能审核本家庭成员的积分，需由其他干部或镇管理员审核',
};

export function reviewConflict(subject: ReviewSubject, reviewer: Reviewer): ReviewConflict | null {
  if (subject.submittedBy === reviewer.openid) return 'OWN_SUBMISSION';
  if (reviewer.familyId !== null && reviewer.familyId === subject.familyId) return 'OWN_FAMILY';
  return null;
}

/** The counter a cap is kept in: one per rule, member (or family) and month (or year). */
export function capKey(
  ruleCode: string,
  cap: RuleCap,
  who: { memberId: string; familyId: string },
  month: MonthKey,
): string {
  const subject = cap.scope === 'member' ? `m-${who.memberId}` : `f-${who.familyId}`;
  const period = cap.per === 'month' ? month : month.slice(0, 4);
  return `${ruleCode}_${subject}_${period}`;
}

/** Whether one more award fits under the cap, given how many were already approved in the cap's period. */
export function withinCap(cap: RuleCap | null, alreadyApproved: number): boolean {
  return cap === null || alreadyApproved < cap.count;
}

/**
 * Why one more award under a rule is refused by its cap, given how many were already approved in the cap's
 * period; null when it fits. `note` is the short form kept on a member left out of an activity's points.
 */
export function capRefusal(
  ruleTitle: string,
  cap: RuleCap | null,
  alreadyApproved: number,
): { code: 'CAP_REACHED'; message: string; note: string } | null {
  if (cap === null || withinCap(cap, alreadyApproved)) return null;
  const note = `“${ruleTitle}”已达上限（${cap.count}次）`;
  return { code: 'CAP_REACHED', message: `${note}，不能再加分`, note };
}
