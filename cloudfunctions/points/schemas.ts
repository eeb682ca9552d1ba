/** Input schemas of the `points` function. Each must accept exactly its contract type (checked below). */
import { z } from 'zod';
import type { PointsApi } from '../../miniprogram/contract/points';
import { actionsOf } from '../common/router';
import {
  BOARD_KINDS,
  CAP_PERIODS,
  CAP_SCOPES,
  CLAIM_STATUSES,
  EXPORT_SHEETS,
  OBJECTION_OUTCOMES,
  OBJECTION_STATUSES,
  OBJECTION_TARGET_TYPES,
  RANKING_SCOPES,
  RULE_CATEGORIES,
} from '../../miniprogram/contract/points';
import { isRuleScore } from '../../miniprogram/core/points';
import {
  dayKey,
  emptyInput,
  halfPoints,
  id,
  monthKey,
  offset,
  period,
  reason,
  requestId,
} from '../common/zod';

export const rulesListInput = z
  .object({
    villageId: id.optional(),
    selfClaimOnly: z.boolean().optional(),
  })
  .strict();

export const ruleCapSchema = z
  .object({
    count: z.number().int().min(1).max(31),
    per: z.enum(CAP_PERIODS),
    scope: z.enum(CAP_SCOPES),
  })
  .strict();

export const ruleDraftInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Z0-9-]{1,15}$/, '编号须为大写字母开头的2到16位字母、数字或连字符'),
    category: z.enum(RULE_CATEGORIES),
    aspect: z.string().trim().min(1).max(20),
    title: z.string().trim().min(2).max(40),
    description: z.string().trim().max(200).default(''),
    points: z.number().refine(isRuleScore, '分值须为0.5分的整数倍，且在-100分到100分之间、不为0'),
    selfClaim: z.boolean(),
    photosRequired: z.boolean(),
    cap: ruleCapSchema.nullable(),
  })
  .strict();

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
export const claimsMineInput = z.object({ status: z.enum(CLAIM_STATUSES).optional(), offset }).strict();

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

export const homeInput = emptyInput;

export const rankingInput = z
  .object({
    scope: z.enum(RANKING_SCOPES),
    period,
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
  .object({ villageId: id.optional(), board: z.enum(BOARD_KINDS).optional(), offset })
  .strict();

export const boardConfirmInput = z.object({ boardId: id }).strict();
export const boardsPendingInput = z.object({ villageId: id }).strict();
export const boardPublishInput = z
  .object({
    requestId,
    villageId: id,
    board: z.enum(BOARD_KINDS),
    familyId: id,
    memberId: id.optional(),
    title: z.string().trim().min(2).max(40),
    description: z.string().trim().max(300).default(''),
    /** Red: optional bonus (≥ 0); black: the deduction (< 0). Tenths, half-point steps. */
    points: halfPoints,
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
    target: z.object({ type: z.enum(OBJECTION_TARGET_TYPES), id }).strict(),
    reason,
  })
  .strict();

export const objectionsListInput = z
  .object({ villageId: id, status: z.enum(OBJECTION_STATUSES).optional(), offset })
  .strict();
export const objectionsMineInput = z.object({ offset }).strict();
export const objectionGetInput = z.object({ objectionId: id }).strict();
export const objectionDecideInput = z
  .object({
    objectionId: id,
    outcome: z.enum(OBJECTION_OUTCOMES),
    reason,
    /** For an upheld objection against a month's results: corrections to write (one entry per line). */
    adjustments: z
      .array(
        z
          .object({
            familyId: id,
            points: halfPoints.refine((p) => p !== 0, '分值不能为0'),
          })
          .strict(),
      )
      .max(50)
      .default([]),
  })
  .strict();

export const pendingAdjustmentsInput = z.object({ villageId: id }).strict();

export const monthInput = z.object({ villageId: id, month: monthKey }).strict();
export const monthsListInput = z.object({ villageId: id }).strict();
export const auditListInput = z
  .object({ villageId: id, targetId: z.string().max(64).optional(), offset })
  .strict();

export const statsPointsInput = z
  .object({
    villageId: id.optional(),
    period,
  })
  .strict();

export const exportInput = z
  .object({ villageId: id, month: monthKey, sheet: z.enum(EXPORT_SHEETS) })
  .strict();

export const noticePosterInput = z
  .object({ villageId: id, period, paper: z.enum(['A4', 'A3']).optional() })
  .strict();
export const noticeExportInput = z
  .object({ villageId: id, period, format: z.enum(['csv', 'json']) })
  .strict();
export const screensCreateInput = z
  .object({ requestId, villageId: id.nullable(), label: z.string().trim().min(1).max(20) })
  .strict();
export const screensListInput = z.object({ villageId: id.nullable() }).strict();
export const screensRevokeInput = z.object({ linkId: id }).strict();

/** Declares actions of the `points` function, each checked against its entry in `PointsApi` where it is written. */
export const definePointsActions = actionsOf<PointsApi>();
