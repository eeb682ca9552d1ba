/** Input schemas of the `points` function. Each must accept exactly its contract type (checked below). */
import { z } from 'zod';
import { isRuleScore } from '../../miniprogram/core/points';
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
