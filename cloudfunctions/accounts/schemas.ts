/** Input schemas of the `accounts` function. */
import { z } from 'zod';
import { GRANTABLE_ROLES, NAME_DISPLAYS } from '../../miniprogram/contract/accounts';
import { id, offset } from '../common/zod';
import type { AccountsApi } from '../../miniprogram/contract/accounts';
import { actionsOf } from '../common/router';

const name = z.string().trim().min(1).max(20);

export const villageSettingsInput = z
  .object({
    nameDisplay: z.enum(NAME_DISPLAYS).optional(),
    noticeDays: z.number().int().min(1).max(30).optional(),
    /** The integrity policy's bounds (core/policy), tenths of a point. */
    maxEntryPoints: z.number().int().min(5).max(1000).optional(),
    maxFamilyMonthPoints: z.number().int().min(5).max(10_000).optional(),
    secondCheckAbovePoints: z.number().int().min(0).max(1000).optional(),
    allowTokenlessCards: z.boolean().optional(),
  })
  .strict();

export const townSetupInput = z
  .object({
    name: z.string().trim().min(2).max(30),
    villages: z
      .array(
        z
          .object({
            id: z
              .string()
              .regex(/^[a-z][a-z0-9-]{1,31}$/, '村（社区）编号须为小写字母开头的字母、数字或连字符')
              .optional(),
            name: z.string().trim().min(2).max(20),
            groups: z.array(name).min(1).max(50),
            settings: villageSettingsInput.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

export const familiesImportInput = z
  .object({
    villageId: id,
    /** The sheet as rows of cells, header first (the page or script reads xlsx/CSV into rows). */
    rows: z
      .array(z.array(z.string().max(100)).max(20))
      .min(1)
      .max(3001)
      .optional(),
    /** Or CSV text. */
    csv: z.string().max(500_000).optional(),
    /** Or an .xlsx/.csv file the caller uploaded under `imports/<openid>/`. */
    fileId: z.string().startsWith('cloud://').max(300).optional(),
    /** The page's id for this import: a retried call returns the same job. */
    requestId: z.string().min(8).max(64).optional(),
  })
  .strict()
  .refine(
    (v) => (v.rows ? 1 : 0) + (v.csv !== undefined ? 1 : 0) + (v.fileId ? 1 : 0) === 1,
    '请提供表格文件、表格行或CSV内容（三选一）',
  );

export const familiesListInput = z.object({ villageId: id, groupId: id.optional(), offset }).strict();

export const familyGetInput = z.object({ familyId: id.optional() }).strict();
export const redBoardConsentInput = z.object({ consent: z.boolean() }).strict();

export const inviteCreateInput = z.object({ memberId: id }).strict();
export const inviteRedeemInput = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8}$/, '邀请码为8位字母或数字'),
  })
  .strict();

export const roleName = z.enum(GRANTABLE_ROLES);

export const roleChangeInput = z
  .object({
    memberId: id,
    role: roleName,
    /** The group, village or shop the role covers (ignored for townAdmin). */
    scopeId: id.optional(),
  })
  .strict();

export const rolesListInput = z.object({ villageId: id }).strict();
export const villageSettingsUpdateInput = z
  .object({ villageId: id, settings: villageSettingsInput })
  .strict();

/** Declares actions of the `accounts` function, each checked against its entry in `AccountsApi` where it is written. */
export const defineAccountsActions = actionsOf<AccountsApi>();
export const familiesImportNextInput = z.object({ jobId: z.string().min(1).max(64) }).strict();
