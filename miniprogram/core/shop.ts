/**
 * Shops, carts, cards and QR codes: the pure rules of redemption at the counter. No crypto here (the functions
 * sign and verify with HMAC); core only lays out the strings that are signed, so the layout is tested once.
 *
 * Money is integer fen (分), points integer tenths. A good has a price in points (what the family pays), a cost
 * in fen (what the family's village fund is charged) and a cash price in fen (public sales at the central shop).
 */
import { formatPoints, type Tenths } from './points';
import type { DayKey } from './time';

/** What a shop sells a good as: the fields its clerk sets (prices in points and fen, the low-stock mark). */
export interface GoodsTerms {
  name: string;
  category: string;
  unit: string;
  pricePoints: Tenths;
  /** What the redeeming family's village fund is charged per unit (fen). */
  costFen: number;
  /** Price per unit for public cash sales (fen). */
  cashPriceFen: number;
  lowStockThreshold: number;
}

export interface SeedGoods extends GoodsTerms {
  code: string;
  initialStock: number;
}

/** [name, category, unit, cost in fen] of the everyday goods a central shop starts with. */
const SEED_TABLE: readonly (readonly [string, string, string, number])[] = [
  ['肥皂', '日化', '块', 350],
  ['香皂', '日化', '块', 450],
  ['洗衣粉', '日化', '袋', 1200],
  ['洗衣液', '日化', '瓶', 2200],
  ['洗洁精', '日化', '瓶', 1400],
  ['牙膏', '日化', '支', 900],
  ['牙刷', '日化', '支', 350],
  ['洗发水', '日化', '瓶', 2500],
  ['沐浴露', '日化', '瓶', 2300],
  ['毛巾', '日化', '条', 1000],
  ['卫生纸', '日化', '提', 2000],
  ['抽纸', '日化', '包', 600],
  ['蚊香', '日化', '盒', 800],
  ['花露水', '日化', '瓶', 1200],
  ['杀虫剂', '日化', '瓶', 1600],
  ['消毒液', '日化', '瓶', 1300],
  ['垃圾袋', '日化', '卷', 500],
  ['大米', '粮油', '袋(5斤)', 2000],
  ['面粉', '粮油', '袋(5斤)', 1600],
  ['挂面', '粮油', '把', 500],
  ['菜籽油', '粮油', '桶(5升)', 8500],
  ['花生油', '粮油', '瓶(1.8升)', 4500],
  ['食盐', '调味', '袋', 250],
  ['白糖', '调味', '袋', 600],
  ['酱油', '调味', '瓶', 800],
  ['醋', '调味', '瓶', 600],
  ['味精', '调味', '袋', 500],
  ['鸡精', '调味', '袋', 800],
  ['花椒', '调味', '袋', 1000],
  ['干辣椒', '调味', '袋', 900],
  ['豆瓣酱', '调味', '瓶', 1000],
  ['火锅底料', '调味', '袋', 1200],
  ['鸡蛋', '副食', '盒(10个)', 1500],
  ['方便面', '副食', '袋', 350],
  ['饼干', '副食', '袋', 800],
  ['红糖', '副食', '袋', 700],
  ['茶叶', '副食', '袋', 2000],
  ['奶粉', '副食', '袋', 4000],
  ['牛奶', '副食', '箱', 4500],
  ['矿泉水', '副食', '箱', 2400],
  ['电池', '五金', '板', 600],
  ['灯泡', '五金', '个', 800],
  ['插线板', '五金', '个', 2500],
  ['手电筒', '五金', '个', 1500],
  ['打火机', '五金', '个', 150],
  ['火柴', '五金', '盒', 100],
  ['针线包', '五金', '包', 500],
  ['衣架', '家居', '把(10个)', 1000],
  ['脸盆', '家居', '个', 1200],
  ['水桶', '家居', '个', 1800],
  ['拖把', '家居', '把', 2000],
  ['扫帚', '家居', '把', 1500],
  ['保温壶', '家居', '个', 3500],
  ['碗', '家居', '个', 400],
  ['筷子', '家居', '把(10双)', 600],
  ['雨伞', '家居', '把', 2500],
  ['雨靴', '农资', '双', 3000],
  ['手套', '农资', '双', 300],
  ['草帽', '农资', '顶', 800],
  ['锄头', '农资', '把', 3500],
  ['镰刀', '农资', '把', 1800],
  ['化肥', '农资', '袋(10斤)', 4000],
  ['菜种', '农资', '包', 300],
  ['作业本', '文具', '本', 200],
  ['铅笔', '文具', '盒', 600],
];

/** Points at one point per yuan of cost, rounded up to a half point; cash at cost plus 15 %, to the jiao. */
export function seedGoods(): SeedGoods[] {
  return SEED_TABLE.map(([name, category, unit, costFen], index) => ({
    code: `G${String(index + 1).padStart(3, '0')}`,
    name,
    category,
    unit,
    pricePoints: Math.ceil(costFen / 50) * 5,
    costFen,
    cashPriceFen: Math.round((costFen * 115) / 1000) * 10,
    lowStockThreshold: 5,
    initialStock: 20,
  }));
}

export interface CartItem {
  goodsId: string;
  quantity: number;
}

/** The cart with each good once (quantities of repeated lines added), in first-seen order. */
export function mergeCart(items: readonly CartItem[]): CartItem[] {
  const out: CartItem[] = [];
  for (const item of items) {
    const line = out.find((l) => l.goodsId === item.goodsId);
    if (line) line.quantity += item.quantity;
    else out.push({ goodsId: item.goodsId, quantity: item.quantity });
  }
  return out;
}

export interface PricedLine {
  quantity: number;
  pricePoints: Tenths;
  costFen: number;
  cashPriceFen: number;
}

export interface CartTotals {
  points: Tenths;
  costFen: number;
  cashFen: number;
  quantity: number;
}

export function cartTotals(lines: readonly PricedLine[]): CartTotals {
  const totals: CartTotals = { points: 0, costFen: 0, cashFen: 0, quantity: 0 };
  for (const l of lines) {
    totals.points += l.pricePoints * l.quantity;
    totals.costFen += l.costFen * l.quantity;
    totals.cashFen += l.cashPriceFen * l.quantity;
    totals.quantity += l.quantity;
  }
  return totals;
}

export const STOCK_MOVEMENT_KINDS = [
  'restock',
  'loss',
  'correction',
  'redemption',
  'sale',
  'cancellation',
] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];
/** The movements a clerk records by hand (the others come from sales, redemptions and their cancellation). */
export const MANUAL_STOCK_KINDS = ['restock', 'loss', 'correction'] as const;
export type ManualStockKind = (typeof MANUAL_STOCK_KINDS)[number];

export const STOCK_MOVEMENT_LABELS: Record<StockMovementKind, string> = {
  restock: '进货',
  loss: '损耗',
  correction: '盘点更正',
  redemption: '积分兑换',
  sale: '现金销售',
  cancellation: '兑换撤销',
};

/** The signed stock change of a manual movement: restock adds, loss takes, a correction is signed as given. */
export function manualStockChange(kind: 'restock' | 'loss' | 'correction', quantity: number): number {
  // The sign is kept: a restock or loss of a negative quantity is refused by the policy, never flipped.
  return kind === 'loss' ? -quantity : quantity;
}

export function isLowStock(goods: { stock: number; lowStockThreshold: number }): boolean {
  return goods.stock <= goods.lowStockThreshold;
}

/** A card's UID as read by NFC (`04:A2:…`, `04a2…`) in one form: upper-case hex, 4 to 16 bytes; else null. */
export function normalizeCardUid(raw: string): string | null {
  const uid = raw.replace(/[\s:-]/g, '').toUpperCase();
  return /^([0-9A-F]{2}){4,16}$/.test(uid) ? uid : null;
}

/** The string a card's NDEF token signs: the card, the member it is bound to, and the binding's serial. */
export function cardTokenPayload(uid: string, memberId: string, serial: number): string {
  return `card1\n${uid}\n${memberId}\n${serial}`;
}

/** A family's QR code: `qr1.<family>.<member>.<issued ms base36>.<mac>`; the part before the mac is signed. */
export function qrPayload(familyId: string, memberId: string, issuedAt: number): string {
  return `qr1.${familyId}.${memberId}.${issuedAt.toString(36)}`;
}

/** The 码号 under a QR code: the signature's last six characters, upper case (typed at the counter). */
export const qrShortCode = (token: string): string => token.slice(-6).toUpperCase();

export interface ParsedQr {
  payload: string;
  familyId: string;
  memberId: string;
  issuedAt: number;
  mac: string;
}

export function parseQrToken(token: string): ParsedQr | null {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== 'qr1') return null;
  const [, familyId, memberId, issued, mac] = parts as [string, string, string, string, string];
  const issuedAt = parseInt(issued, 36);
  if (!familyId || !memberId || !mac || !/^[0-9a-z]+$/.test(issued) || !Number.isSafeInteger(issuedAt))
    return null;
  return { payload: parts.slice(0, 4).join('.'), familyId, memberId, issuedAt, mac };
}

/** Why a QR code issued at `issuedAt` can't be used at `now`: expired after `ttlSeconds`, or issued in the future. */
export function qrProblem(
  issuedAt: number,
  now: number,
  ttlSeconds: number,
  skewSeconds = 30,
): 'expired' | 'future' | null {
  if (issuedAt - now > skewSeconds * 1000) return 'future';
  if (now - issuedAt > ttlSeconds * 1000) return 'expired';
  return null;
}

/**
 * Why a redemption can't be cancelled today (`today`, a China-time day): already cancelled (`ALREADY_CANCELLED`, a
 * conflict for the functions), or made on another day.
 */
export function cancelRefusal(
  order: { status: 'done' | 'cancelled'; day: DayKey },
  today: DayKey,
): { code: 'ALREADY_CANCELLED' | 'NOT_SAME_DAY'; message: string } | null {
  if (order.status !== 'done') return { code: 'ALREADY_CANCELLED', message: '该兑换单已撤销' };
  if (order.day !== today) return { code: 'NOT_SAME_DAY', message: '只能撤销当天的兑换' };
  return null;
}

export interface Share {
  villageId: string;
  /** Basis points (1/10000); a shop's owners' shares add up to 10000. */
  shareBp: number;
}

export const FULL_SHARE_BP = 10000;

export function sharesAreComplete(shares: readonly Share[]): boolean {
  return shares.length > 0 && shares.reduce((s, x) => s + x.shareBp, 0) === FULL_SHARE_BP;
}

/**
 * Splits an amount of fen (a profit or a loss) by shares: each gets the floor of its share, the leftover fen go
 * one each to the largest remainders (ties to the earlier owner), so the parts add up exactly to the amount.
 */
export function splitByShares(
  amountFen: number,
  shares: readonly Share[],
): { villageId: string; fen: number }[] {
  const sign = amountFen < 0 ? -1 : 1;
  const total = Math.abs(amountFen);
  const parts = shares.map((s, index) => {
    const exact = total * s.shareBp;
    return {
      villageId: s.villageId,
      fen: Math.floor(exact / FULL_SHARE_BP),
      rest: exact % FULL_SHARE_BP,
      index,
    };
  });
  let left = total - parts.reduce((s, p) => s + p.fen, 0);
  const byRest = [...parts].sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const p of byRest) {
    if (left <= 0) break;
    p.fen += 1;
    left -= 1;
  }
  return parts.map((p) => ({ villageId: p.villageId, fen: sign * p.fen || 0 }));
}

/**
 * Whether a cart needs the family's PIN: when the family has one, the fund sets a threshold, and what it redeemed
 * today plus this cart goes over it (the day's total, so splitting a cart does not avoid it). The message says why.
 */
export function pinRequirement(input: {
  hasPin: boolean;
  pinGiven: boolean;
  pinAbovePoints: number | null | undefined;
  redeemedToday: number;
  cartPoints: number;
}): { required: false } | { required: true; message: string } {
  const { hasPin, pinGiven, pinAbovePoints, redeemedToday, cartPoints } = input;
  if (!hasPin || pinGiven || pinAbovePoints == null || redeemedToday + cartPoints <= pinAbovePoints)
    return { required: false };
  return {
    required: true,
    message:
      redeemedToday > 0
        ? `该家庭今天已兑换${formatPoints(redeemedToday)}分，再兑换需输入家庭兑换密码`
        : '本次兑换积分较多，请输入家庭兑换密码',
  };
}

export type CardRefusalCode = 'CARD_UNKNOWN' | 'CARD_BLOCKED' | 'TOKEN_REQUIRED' | 'TOKEN_INVALID';

/**
 * Why a card presented at the counter is refused, given its stored binding: not bound, blocked, bound with a token
 * but read without it, read without a token where the village accepts none (a UID alone identifies, it does not
 * prove), or a token whose signature is wrong. `tokenValid` (the functions check the signature) is asked only when
 * a token was read and every other check passed. Null when the card may be used.
 */
export function cardRefusal(input: {
  card: { status: 'bound' | 'blocked' | 'unbound'; tokenRequired: boolean } | null | undefined;
  hasToken: boolean;
  allowTokenless: boolean;
  tokenValid: () => boolean;
}): { code: CardRefusalCode; message: string } | null {
  const { card, hasToken } = input;
  if (!card || card.status === 'unbound') return { code: 'CARD_UNKNOWN', message: '这张卡还没有绑定' };
  if (card.status === 'blocked') return { code: 'CARD_BLOCKED', message: '这张卡已挂失，不能使用' };
  if (card.tokenRequired && !hasToken)
    return { code: 'TOKEN_REQUIRED', message: '这张卡需要校验卡内令牌，请重新刷卡' };
  if (!hasToken && !input.allowTokenless)
    return {
      code: 'TOKEN_REQUIRED',
      message: '这张卡没有防复制令牌，本村（社区）不接受无令牌的卡，请让村民出示二维码或重新绑卡',
    };
  if (hasToken && !input.tokenValid())
    return { code: 'TOKEN_INVALID', message: '卡内令牌校验失败，这张卡可能被复制' };
  return null;
}

/** Wrong PINs in a row that lock a family's PIN (a 4-digit PIN must not be guessable), and for how long. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 15;
export const PIN_LOCKED_MESSAGE = `兑换密码连续输错${PIN_MAX_FAILURES}次，请${PIN_LOCK_MINUTES}分钟后再试`;

export function pinLocked(pin: { lockedUntil?: Date | string | null }, at: Date): boolean {
  return !!pin.lockedUntil && new Date(pin.lockedUntil).getTime() > at.getTime();
}

/**
 * One try of a PIN that is not locked, counted before the PIN is compared: what the PIN's record stores now (the
 * fifth try in a row locks it for PIN_LOCK_MINUTES and starts the count again; a right PIN's caller clears the
 * count with its own write), and the refusal if the PIN turns out wrong: the tries left, or locked.
 */
export function pinTry(
  failuresBefore: number | undefined,
  at: Date,
): {
  store: { failures: number } | { failures: 0; lockedUntil: Date };
  ifWrong:
    { code: 'PIN_WRONG'; message: string; attemptsLeft: number } | { code: 'PIN_LOCKED'; message: string };
} {
  const failures = (failuresBefore ?? 0) + 1;
  const left = PIN_MAX_FAILURES - failures;
  if (failures >= PIN_MAX_FAILURES)
    return {
      store: { failures: 0, lockedUntil: new Date(at.getTime() + PIN_LOCK_MINUTES * 60_000) },
      ifWrong: { code: 'PIN_LOCKED', message: PIN_LOCKED_MESSAGE },
    };
  return {
    store: { failures },
    ifWrong: { code: 'PIN_WRONG', message: `兑换密码不正确，还可以再试${left}次`, attemptsLeft: left },
  };
}
