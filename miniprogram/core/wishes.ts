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

/**
 * Why a family may not accept a quote now: suspended (a black entry), the quote changed since the family saw it
 * (`QUOTE_CHANGED`, a conflict for the functions: the page shows the new quote), or more than it can spend.
 */
export function acceptRefusal(input: {
  suspended: boolean;
  /** The quote as it stands. */
  quote: Tenths;
  /** The quote the family saw and accepted. */
  accepted: Tenths;
  available: Tenths;
  reserved: Tenths;
}):
  | { code: 'SUSPENDED'; message: string }
  | { code: 'QUOTE_CHANGED'; message: string; quotePoints: Tenths }
  | { code: 'INSUFFICIENT_POINTS'; message: string }
  | null {
  const { quote } = input;
  if (input.suspended) return { code: 'SUSPENDED', message: '暂停评比期间不能兑换心愿服务' };
  if (quote !== input.accepted)
    return {
      code: 'QUOTE_CHANGED',
      message: `报价已改为${formatPoints(quote)}分，请刷新后重新确认`,
      quotePoints: quote,
    };
  const short = spendRefusal(quote, input.available, input.reserved);
  return short && { code: short.code, message: short.message };
}
