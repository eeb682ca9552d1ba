/**
 * The zod pieces every function's input schemas share: ids, request ids, reasons, pages, China-time keys.
 * One definition each, so a rule ("a reason has 2 to 200 characters") and its Chinese message are the same
 * in every action. Enums are built from the contract's `as const` lists (`z.enum(CLAIM_STATUSES)`).
 */
import { z } from 'zod';
import { isDayKey, isMonthKey } from '../../miniprogram/core/time';

/** A document id. */
export const id = z.string().trim().min(1).max(64);
/** Generated on the phone when a form opens: a retry carries the same one and applies once. */
export const requestId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确');
/** Why a cadre rejects, cancels or corrects something. */
export const reason = z.string().trim().min(2, '请填写理由（至少2个字）').max(200);
/** Where a page of a list starts. */
export const offset = z.number().int().min(0).max(100_000).default(0);
/** `YYYY-MM-DD`, a real day. */
export const dayKey = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD')
  .refine(isDayKey, '日期不存在');
/** `YYYY-MM`. */
export const monthKey = z.string().refine(isMonthKey, '月份格式应为YYYY-MM');
/** `YYYY`. */
export const yearKey = z.string().regex(/^\d{4}$/, '年份格式应为YYYY');
/** `YYYY` for a year, `YYYY-MM` for a month. */
export const period = z.string().refine((p) => /^\d{4}$/.test(p) || isMonthKey(p), '期间应为YYYY或YYYY-MM');
/** An amount of points in tenths in half-point steps, within ±100 分. */
export const halfPoints = z
  .number()
  .int()
  .refine((p) => p % 5 === 0 && Math.abs(p) <= 1000, '分值须为0.5分的整数倍');
/** Actions that take nothing. */
export const emptyInput = z.object({}).strict();
