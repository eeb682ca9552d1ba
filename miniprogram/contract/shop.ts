/**
 * Contract of the `shop` cloud function (shops and goods, cards and QR codes, the counter, the fund pool,
 * wishes, champions and reports): action inputs and outputs. Types only; dates cross JSON as strings. Money is
 * integer fen, points integer tenths. Pure TypeScript, read by the mini-program and checked against the
 * handlers where they are written (see miniprogram/contract/points.ts); `ShopApi` at the end lists every action.
 */
import type { FundMovementKind, FundStatus } from '../core/fund';
import type { Tenths } from '../core/points';
import type { GoodsTerms, ManualStockKind, StockMovementKind } from '../core/shop';
import type { WishKind, WishStatus } from '../core/wishes';
import type { BoardKind } from './points';

export { FUND_MOVEMENT_KINDS } from '../core/fund';
export { MANUAL_STOCK_KINDS, STOCK_MOVEMENT_KINDS } from '../core/shop';
export { WISH_KINDS, WISH_STATUSES } from '../core/wishes';
export const SHOP_KINDS = ['village', 'central'] as const;
export type ShopKind = (typeof SHOP_KINDS)[number];

export interface GoodsView extends GoodsTerms {
  id: string;
  shopId: string;
  code: string;
  stock: number;
  picture: string;
  onShelf: boolean;
  lowStock: boolean;
}

export interface ShopView {
  id: string;
  name: string;
  kind: ShopKind;
  villageId: string;
  servedVillageIds: string[];
  sellsToPublic: boolean;
  owners: { villageId: string; shareBp: number }[];
}

export interface CartLineInput {
  goodsId: string;
  /** Whole units, at least 1. */
  quantity: number;
}

/** What the NFC reader gives: the UID (any of `04:A2:…`, `04a2…`) and the NDEF token if the tag carries one. */
export interface PresentedCard {
  uid: string;
  token?: string;
}

export interface CounterIdentifyInput {
  shopId: string;
  /** Exactly one of card, qr and code (the 码号 under the QR code). */
  card?: PresentedCard;
  qr?: string;
  code?: string;
}

export interface CounterIdentifyOutput {
  familyId: string;
  /** The real name (the clerk must know who is at the counter): `何雄梅家`. */
  familyName: string;
  villageName: string;
  /** 户号 and the members on the register, for the clerk to check who is at the counter. */
  householdNumber: string;
  members: { name: string; relation: string }[];
  memberName: string | null;
  via: 'card' | 'qr' | 'code';
  /** Identified by 码号: the token it stands for, to send with the redeem as `qr`. */
  qrToken?: string;
  shopName: string;
  available: Tenths;
  /** Held by accepted wishes. */
  reserved: Tenths;
  spendable: Tenths;
  suspended: boolean;
  suspendedUntil: string | null;
  /** The family set a PIN: it is needed above this many points (tenths); null: not needed. */
  pinRequiredAbove: Tenths | null;
  /** Set when the card carries no anti-copy token (accepted only where the village allows it). */
  warning?: string | null;
}

export interface CounterRedeemInput {
  /** The client's id for this confirmation: a retry returns the first result and applies once. */
  requestId: string;
  shopId: string;
  familyId: string;
  card?: PresentedCard;
  qr?: string;
  items: CartLineInput[];
  pin?: string;
}

/** One kind of goods in an order, at the price and cost it was redeemed at. */
export interface OrderLine {
  goodsId: string;
  name: string;
  unit: string;
  quantity: number;
  pricePoints: Tenths;
  costFen: number;
}

export interface OrderView {
  id: string;
  shopId: string;
  shopName: string;
  familyId: string;
  via: 'card' | 'qr';
  lines: OrderLine[];
  totalPoints: Tenths;
  totalPointsText: string;
  totalCostFen: number;
  clerkName: string;
  status: 'done' | 'cancelled';
  day: string;
  createdAt: string;
  cancelReason: string | null;
}

export interface CounterRedeemOutput {
  order: OrderView;
  available: Tenths;
  spendable: Tenths;
}

export interface CounterCancelInput {
  orderId: string;
  reason: string;
}

export interface CardView {
  uid: string;
  memberId: string;
  memberName: string;
  status: 'bound' | 'blocked' | 'unbound';
  tokenRequired: boolean;
  boundAt: string;
  blockedAt: string | null;
}

export interface CardsBindInput {
  uid: string;
  memberId: string;
  /** The phone will write the returned token to the tag (NDEF). */
  writesToken?: boolean;
}

export interface CardsBindOutput {
  card: CardView;
  token: string | null;
}

export interface QrIssueOutput {
  token: string;
  issuedAt: string;
  expiresAt: string;
  ttlSeconds: number;
}

export interface StockMoveInput {
  requestId: string;
  shopId: string;
  goodsId: string;
  kind: ManualStockKind;
  /** Restock and loss: how many; correction: the signed change. */
  quantity: number;
  reason: string;
}

export interface WishView {
  id: string;
  familyId: string;
  familyName: string;
  kind: WishKind;
  kindLabel: string;
  description: string;
  status: WishStatus;
  statusLabel: string;
  quotePoints: Tenths | null;
  quoteNote: string;
  coordinatorName: string | null;
  deliveredQuantity: number | null;
  deliveredUnit: string | null;
  requestedByName: string;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FundHealthView {
  villageId: string;
  villageName: string;
  fenPerPoint: number;
  balanceFen: number;
  outstandingPoints: Tenths;
  outstandingValueFen: number;
  coverageBp: number | null;
  status: FundStatus;
  /** Set when the fund is below zero (the village's debt to the shop). */
  debtWarning?: string | null;
  /** Points families were told will expire (the points year), and the coverage once they have. */
  expiringPoints?: Tenths;
  coverageAfterExpiryBp?: number | null;
}

export interface FundHealthOutput {
  villages: FundHealthView[];
  town: {
    balanceFen: number;
    outstandingPoints: Tenths;
    outstandingValueFen: number;
    coverageBp: number | null;
    shortVillages: string[];
    /** Villages whose fund is below zero. */
    debtVillages?: string[];
  } | null;
}

export interface GoodsSaveInput extends Omit<GoodsTerms, 'lowStockThreshold'> {
  shopId: string;
  /** Absent: a new good. */
  goodsId?: string;
  picture?: string;
  onShelf?: boolean;
  lowStockThreshold?: number;
}

export interface StockMovementView {
  id: string;
  goodsId: string;
  goodsName: string;
  kind: StockMovementKind;
  kindLabel: string;
  /** Signed change of the stock. */
  change: number;
  stockAfter: number;
  reason: string;
  byName: string;
  at: string;
}

export interface OrdersListInput {
  shopId?: string;
  familyId?: string;
  /** `YYYY-MM-DD` (China); the shop's orders default to today. */
  day?: string;
  offset?: number;
}

export interface WishQuoteInput {
  wishId: string;
  points: Tenths;
  note?: string;
}

export interface WishDoneInput {
  wishId: string;
  deliveredQuantity: number;
  deliveredUnit: string;
  costFen?: number;
}

export interface FundMovementView {
  id: string;
  kind: FundMovementKind;
  kindLabel: string;
  /** Signed: money in is positive. */
  amountFen: number;
  netIncomeFen: number | null;
  donor: string | null;
  note: string;
  byName: string;
  at: string;
}

export interface FundLedgerOutput {
  balanceFen: number;
  fenPerPoint: number | null;
  movements: FundMovementView[];
}

export interface FundIncomeInput {
  requestId: string;
  villageId: string;
  year: string;
  netIncomeFen: number;
  note?: string;
}

export interface FundDonateInput {
  requestId: string;
  villageId: string;
  amountFen: number;
  donor: string;
  note?: string;
}

export interface FundConfigureInput {
  villageId: string;
  /** What one point is worth, in fen. */
  fenPerPoint: number;
  /** A redemption above this many tenths asks for the family's PIN; null: never. */
  pinAbovePoints: Tenths | null;
}

export interface FundConfigureOutput {
  fenPerPoint: number;
  pinAbovePoints: Tenths | null;
}

export interface FundAllocateInput {
  /** `YYYY`. */
  year: string;
  /** Every village of the town when absent. */
  villageIds?: string[];
}

export interface FundAllocateOutput {
  year: string;
  /** `already`: the village had this year's allocation (nothing moved). */
  allocated: { villageId: string; households: number; amountFen: number; already: boolean }[];
}

export interface FundExpenseInput {
  requestId: string;
  villageId: string;
  amountFen: number;
  /** What it was spent on (2 to 200 characters). */
  note: string;
}

export interface ShopSetupSpec {
  /** Lowercase letters, digits or hyphens. */
  id: string;
  name: string;
  kind: ShopKind;
  villageId: string;
  servedVillageIds?: string[];
  sellsToPublic?: boolean;
  /** The owning villages' shares in basis points (100 % = 10000); the shop's village alone when absent. */
  owners?: { villageId: string; shareBp: number }[];
  /** Stock the everyday goods (a new shop only). */
  seedGoods?: boolean;
}

export interface ShopsSetupInput {
  shops: ShopSetupSpec[];
}

export interface ShopsSetupOutput {
  /** Shops new this time. */
  created: string[];
  shops: string[];
}

export interface SalesRecordInput {
  requestId: string;
  shopId: string;
  items: { goodsId: string; quantity: number }[];
}

export interface SalesRecordOutput {
  saleId: string;
  totalFen: number;
  totalCostFen: number;
}

export interface FundRecordOutput {
  movementId: string;
  amountFen: number;
}

export interface ChampionFamilyView {
  familyId: string;
  /**
   * In `champions.list`, as the village shows names (`何**家` when masked); in the town admin's own
   * `champions.award` answer, the full name (the admin is paying them).
   */
  familyName: string;
  earned: Tenths;
  /** Families tied on points share a rank. */
  rank: number;
  amountFen: number;
}

/** The terms of a village's champions of a year, as the award stored them and as its view shows them. */
export interface ChampionsTerms {
  villageId: string;
  year: string;
  topN: number;
  rewardFen: number;
  eachFen: number;
  /** What an equal split left over; stays in the fund. */
  remainderFen: number;
}

export interface ChampionsView extends ChampionsTerms {
  families: ChampionFamilyView[];
  at: string;
}

export interface ChampionsAwardInput {
  requestId: string;
  villageId: string;
  /** `YYYY`. */
  year: string;
  topN: number;
  rewardFen: number;
}

export interface SettlementVillageView {
  villageId: string;
  orders: number;
  points: Tenths;
  /** What the village's fund owes the shop, at cost. */
  owesFen: number;
}

export interface SettlementOutput {
  shopId: string;
  shopName: string;
  month: string;
  villages: SettlementVillageView[];
  totalFen: number;
}

export interface IncomeStatementOutput {
  shopId: string;
  month: string;
  sales: number;
  revenueFen: number;
  costFen: number;
  profitFen: number;
  /** The profit split among the owning villages by their shares (basis points). */
  shares: { villageId: string; fen: number; shareBp: number }[];
}

/* ---------- shop: statistics and the family report (cloudfunctions/shop/stats.ts, report.ts) ---------- */

export interface ShopStatsInput {
  /** The town when absent (town admins only). */
  villageId?: string;
  /** `YYYY` or `YYYY-MM`. */
  period: string;
}

export interface ShopStatsOutput {
  period: string;
  villageId: string | null;
  orders: number;
  familiesRedeemed: number;
  villagersRedeemed: number;
  pointsRedeemed: Tenths;
  /** Goods at cost, in fen. */
  goodsValueFen: number;
  /** 心愿 services fulfilled. */
  servicesDone: number;
  servicePoints: Tenths;
}

export interface FamilyReportInput {
  /** The caller's own family when absent. */
  familyId?: string;
}

export interface FamilyReportOutput {
  familyId: string;
  /** `王建国家`. */
  familyName: string;
  available: Tenths;
  years: { year: string; earned: Tenths; months: { month: string; earned: Tenths }[] }[];
  boards: { board: BoardKind; title: string; date: string; points: Tenths }[];
  championTitles: { year: string; rank: number; amountFen: number }[];
}

export interface ShopApi {
  'shops.list': { input: { villageId?: string }; output: { shops: ShopView[] } };
  'goods.list': {
    input: { shopId: string; includeOffShelf?: boolean; category?: string };
    output: { goods: GoodsView[] };
  };
  'goods.stock': { input: StockMoveInput; output: { goods: GoodsView; movementId: string } };
  'cards.bind': { input: CardsBindInput; output: CardsBindOutput };
  'cards.block': { input: { uid: string; reason?: string }; output: { card: CardView } };
  'cards.unbind': { input: { uid: string; reason?: string }; output: { card: CardView } };
  'cards.list': { input: { familyId?: string }; output: { cards: CardView[] } };
  'qr.issue': { input: { memberId?: string }; output: QrIssueOutput };
  'pins.set': { input: { pin: string; oldPin?: string }; output: { set: true } };
  'counter.identify': { input: CounterIdentifyInput; output: CounterIdentifyOutput };
  'counter.redeem': { input: CounterRedeemInput; output: CounterRedeemOutput };
  'counter.cancel': { input: CounterCancelInput; output: { order: OrderView; available: Tenths } };
  'wishes.request': {
    input: { requestId: string; kind: WishKind; description: string; memberId?: string };
    output: { wish: WishView };
  };
  'wishes.accept': { input: { wishId: string; quotePoints: number }; output: { wish: WishView } };
  'wishes.cancel': { input: { wishId: string; reason: string }; output: { wish: WishView } };
  'fund.health': { input: { villageId?: string }; output: FundHealthOutput };
  'goods.save': { input: GoodsSaveInput; output: { goods: GoodsView } };
  'goods.lowStock': { input: { shopId: string }; output: { goods: GoodsView[] } };
  'goods.movements': {
    input: { shopId: string; goodsId?: string; offset?: number };
    output: { movements: StockMovementView[] };
  };
  'orders.list': { input: OrdersListInput; output: { orders: OrderView[] } };
  'wishes.list': {
    input: { villageId?: string; status?: WishStatus; offset?: number };
    output: { wishes: WishView[] };
  };
  'wishes.quote': { input: WishQuoteInput; output: { wish: WishView } };
  'wishes.done': { input: WishDoneInput; output: { wish: WishView } };
  'fund.ledger': { input: { villageId: string; offset?: number }; output: FundLedgerOutput };
  'shops.setup': { input: ShopsSetupInput; output: ShopsSetupOutput };
  'sales.record': { input: SalesRecordInput; output: SalesRecordOutput };
  'fund.configure': { input: FundConfigureInput; output: FundConfigureOutput };
  'fund.allocate': { input: FundAllocateInput; output: FundAllocateOutput };
  'fund.expense': { input: FundExpenseInput; output: FundRecordOutput };
  'fund.income': { input: FundIncomeInput; output: FundRecordOutput };
  'fund.donate': { input: FundDonateInput; output: FundRecordOutput };
  'champions.award': { input: ChampionsAwardInput; output: ChampionsView };
  'champions.list': {
    input: { villageId: string; year: string };
    output: { champions: ChampionsView | null };
  };
  'fund.settlement': { input: { shopId: string; month: string }; output: SettlementOutput };
  'shops.incomeStatement': { input: { shopId: string; month: string }; output: IncomeStatementOutput };
  'stats.get': { input: ShopStatsInput; output: ShopStatsOutput };
  'report.family': { input: FamilyReportInput; output: FamilyReportOutput };
}
