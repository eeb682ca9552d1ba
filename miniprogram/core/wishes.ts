/**
 * 心愿定制: a family asks for a service, a coordinator quotes points, the family accepts (the points are
 * reserved: still available in the ledger, but not spendable), the coordinator marks it done (the reserved
 * points are spent by a redemption entry) or it is cancelled (the reservation is released).
 */
import { formatPoints, type Tenths } from './points';

export const WISH_KINDS = ['machinery', 'labour', 'repair', 'other'] as const;
export type WishKind = (typeof WISH_KINDS)[number];
export const WISH_STATUSES = ['requested', 'quoted', 'accepted', 'done', 'cancelled'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export type WishStep = 'quote' | 'accept' | 'done' | 'cancel';

export const WISH_KIND_LABELS: Record<WishKind, string> = {
  machinery: '农机租用',
  labour: '农活代工',
  repair: '房屋整治',
  other: '其他服务',
};

export const WISH_STATUS_LABELS: Record<WishStatus, string> = {
  requested: '待报价',
  quoted: '待确认',
  accepted: '已确认，待服务',
  done: '已完成',
  cancelled: '已取消',
};

const ALLOWED: Record<WishStep, readonly WishStatus[]> = {
  quote: ['requested', 'quoted'],
  accept: ['quoted'],
  done: ['accepted'],
  cancel: ['requested', 'quoted', 'accepted'],
};

export function canStep(status: WishStatus, step: WishStep): boolean {
  return ALLOWED[step].includes(status);
}

/** Points a family can spend now: available less what accepted wishes hold. */
export function spendable(available: Tenths, reserved: Tenths): Tenths {
  return Math.max(available - reserved, 0);
}

/**
 * Why `needed` points can't be spent now: more than the family can spend (available less what accepted wishes
 * hold); null when they can. The refusal carries both figures for the page.
 */
export function spendRefusal(
  needed: Tenths,
  available: Tenths,
  reserved: Tenths,
): { code: 'INSUFFICIENT_POINTS'; message: string; needed: Tenths; spendable: Tenths } | null {
  const canSpend = spendable(available, reserved);
  if (needed <= canSpend) return null;
  return {
    code: 'INSUFFICIENT_POINTS',
    message: `积分不足：需要${formatPoints(needed)}分，可用${formatPoints(canSpend)}分`,
    needed,
    spendable: canSpend,
  };
}
