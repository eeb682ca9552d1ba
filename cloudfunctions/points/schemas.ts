/** Input schemas of the `points` function. Each must accept exactly its contract type (checked below). */
import { z } from 'zod';
import { isRuleScore } from '../../miniprogram/core/points';
import { isDayKey, isMonthKey } from '../../miniprogram/core/time';
import type { RulesListInput } from '../../miniprogram/contract/points';

const id = z.string().trim().min(1).max(64);

export const rulesListInput = z
  .object({
    villageId: id.optional(),
    selfClaimOnly: z.boolean().optional(),
  })
  .strict();

export const ruleCapSchema = z
  .object({
    count: z.number().int().min(1).max(31),
    per: z.enum(['month', 'year']),
    scope: z.enum(['member', 'family']),
  })
  .strict();

export const ruleDraftInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Z0-9-]{1,15}$/, '编号须为大写字母开头的2到16位字母、数字或连字符'),
    category: z.enum(['basic', 'contribution']),
    aspect: z.string().trim().min(1).max(20),
    title: z.string().trim().min(2).max(40),
    description: z.string().trim().max(200).default(''),
    points: z.number().refine(isRuleScore, '分值须为0.5分的整数倍，且在-100分到100分之间、不为0'),
    selfClaim: z.boolean(),
    photosRequired: z.boolean(),
    cap: ruleCapSchema.nullable(),
  })
  .strict();

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time guard: the schema and the contract the mini-program sees describe the same input.
const rulesListMatchesContract: Exactly<z.input<typeof rulesListInput>, RulesListInput> = true;
void rulesListMatchesContract;

export { id };
const requestId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确');
const dayKey = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD')
  .refine(isDayKey, '日期不存在');
const monthKey = z.string().refine(isMonthKey, '月份格式应为YYYY-MM');
const reason = z.string().trim().min(2, '请填写理由（至少2个字）').max(200);
const offset = z.number().int().min(0).max(100_000).default(0);

export const ruleSaveInput = ruleDraftInput.extend({ villageId: id.nullable().default(null) }).strict();

export const claimSubmitInput = z
  .object({
    requestId,
    memberId: id,
    ruleId: id,
    deedDate: dayKey,
    text: z.string().trim().max(500).default(''),
    photos: z.array(z.string().startsWith('cloud://').max(300)).max(9, '最多上传9张照片').default([]),
  })
  .strict();

export const claimIdInput = z.object({ claimId: id }).strict();
export const claimsMineInput = z
  .object({ status: z.enum(['pending', 'approved', 'rejected', 'withdrawn']).optional(), offset })
  .strict();

export const recordsCreateInput = z
  .object({
    requestId,
    villageId: id,
    /** Recorded for members who have no smartphone (logged as acting on their behalf). */
    onBehalf: z.boolean().default(false),
    lines: z
      .array(
        z
          .object({
            memberId: id,
            ruleId: id,
            deedDate: dayKey,
            note: z.string().trim().max(100).default(''),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict();

export const reviewTownQueueInput = z.object({ offset }).strict();
export const reviewQueueInput = z
  .object({
    villageId: id,
    /** A group's pending lines only: what its group leader may follow after a monthly pass. */
    groupId: id.optional(),
    offset,
  })
  .strict();
export const reviewApproveInput = z.object({ claimIds: z.array(id).min(1).max(50) }).strict();
export const reviewBulkStartInput = z
  .object({
    requestId: z.string().min(8).max(64),
    villageId: id,
    claimIds: z.array(id).min(1).max(1000).optional(),
  })
  .strict();
export const jobNextInput = z.object({ jobId: id }).strict();
export const reviewRejectInput = z.object({ claimIds: z.array(id).min(1).max(50), reason }).strict();

export const ledgerListInput = z
  .object({ familyId: id.optional(), memberId: id.optional(), month: monthKey.optional(), offset })
  .strict();

export const homeInput = z.object({}).strict();

export const rankingInput = z
  .object({
    scope: z.enum(['village', 'town']),
    /** `YYYY` for the year, `YYYY-MM` for a month. */
    period: z.string().refine((p) => /^\d{4}$/.test(p) || isMonthKey(p), '期间应为YYYY或YYYY-MM'),
    villageId: id.optional(),
    offset,
    /** Where the previous page ended, to continue ranks across pages. */
    after: z
      .object({ ranked: z.number().int().min(0), rank: z.number().int().min(1), earned: z.number().int() })
      .strict()
      .optional(),
  })
  .strict();

export const boardsListInput = z
  .object({ villageId: id.optional(), board: z.enum(['red', 'black']).optional(), offset })
  .strict();

export const boardConfirmInput = z.object({ boardId: id }).strict();
export const boardsPendingInput = z.object({ villageId: id }).strict();
export const boardPublishInput = z
  .object({
    requestId,
    villageId: id,
    board: z.enum(['red', 'black']),
    familyId: id,
    memberId: id.optional(),
    title: z.string().trim().min(2).max(40),
    description: z.string().trim().max(300).default(''),
    /** Red: optional bonus (≥ 0); black: the deduction (< 0). Tenths, half-point steps. */
    points: z
      .number()
      .int()
      .refine((p) => p % 5 === 0 && Math.abs(p) <= 1000, '分值须为0.5分的整数倍'),
    date: dayKey,
  })
  .strict()
  .refine((v) => (v.board === 'black' ? v.points < 0 : v.points >= 0), {
    message: '黑榜须填写扣分（负数），红榜加分不能为负',
    path: ['points'],
  });

export const objectionRaiseInput = z
  .object({
    requestId,
    target: z
      .object({ type: z.enum(['entry', 'claim', 'board', 'month']), id: z.string().trim().min(1).max(64) })
      .strict(),
    reason,
  })
  .strict();

export const objectionsListInput = z
  .object({ villageId: id, status: z.enum(['open', 'upheld', 'dismissed']).optional(), offset })
  .strict();
export const objectionsMineInput = z.object({ offset }).strict();
export const objectionGetInput = z.object({ objectionId: id }).strict();
export const objectionDecideInput = z
  .object({
    objectionId: id,
    outcome: z.enum(['upheld', 'dismissed']),
    reason,
    /** For an upheld objection against a month's results: corrections to write (one entry per line). */
    adjustments: z
      .array(
        z
          .object({
            familyId: id,
            points: z
              .number()
              .int()
              .refine((p) => p !== 0 && p % 5 === 0 && Math.abs(p) <= 1000, '分值须为0.5分的整数倍'),
          })
          .strict(),
      )
      .max(50)
      .default([]),
  })
  .strict();

export const monthInput = z.object({ villageId: id, month: monthKey }).strict();
export const monthsListInput = z.object({ villageId: id }).strict();
export const auditListInput = z
  .object({ villageId: id, targetId: z.string().max(64).optional(), offset })
  .strict();

export const statsPointsInput = z
  .object({
    villageId: id.optional(),
    period: z.string().refine((p) => /^\d{4}$/.test(p) || isMonthKey(p), '期间应为YYYY或YYYY-MM'),
  })
  .strict();

export const exportInput = z
  .object({ villageId: id, month: monthKey, sheet: z.enum(['ledger', 'ranking', 'notice']) })
  .strict();
