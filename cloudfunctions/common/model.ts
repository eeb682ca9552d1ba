/**
 * The stored documents, one interface per collection, and the collection names. Every collection named here
 * is declared in `cloudfunctions/schema.json` (a test checks it), and code reaches collections only through
 * `COLLECTIONS`, so that check covers everything the functions use.
 */
import type { RuleDefinition } from '../../miniprogram/core/catalogue';
import type { Household } from '../../miniprogram/core/households';
import type { EntryKind } from '../../miniprogram/core/ledger';
import type { FundMovementKind } from '../../miniprogram/core/fund';
import type { WishKind, WishStatus } from '../../miniprogram/core/wishes';
import type { MonthState } from '../../miniprogram/core/month';
import type { NameDisplay } from '../../miniprogram/core/names';
import type { Tenths } from '../../miniprogram/core/points';
import type { GoodsTerms } from '../../miniprogram/core/shop';
import type { IntegritySettings } from '../../miniprogram/core/policy';
import type { ActivityStatus } from '../../miniprogram/core/activities';
import type { PointsYearPolicy } from '../../miniprogram/core/points-year';
import type { RoleGrant } from './caller';

export const COLLECTIONS = {
  towns: 'towns',
  villages: 'villages',
  groups: 'groups',
  families: 'families',
  members: 'members',
  users: 'users',
  invites: 'invites',
  rules: 'rules',
  claims: 'claims',
  entries: 'entries',
  scores: 'scores',
  caps: 'caps',
  boards: 'boards',
  objections: 'objections',
  months: 'months',
  audit: 'audit',
  requests: 'requests',
  shops: 'shops',
  goods: 'goods',
  stockMovements: 'stockMovements',
  cards: 'cards',
  cardEvents: 'cardEvents',
  orders: 'orders',
  sales: 'sales',
  funds: 'funds',
  fundMovements: 'fundMovements',
  holds: 'holds',
  marks: 'marks',
  pins: 'pins',
  wishes: 'wishes',
  champions: 'champions',
  qrCodes: 'qrCodes',
  displayLinks: 'displayLinks',
  activities: 'activities',
  attendances: 'attendances',
  signups: 'signups',
  expiryRuns: 'expiryRuns',
  yearArchives: 'yearArchives',
  jobs: 'jobs',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export interface TownDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

export interface VillageSettings extends Partial<IntegritySettings> {
  /** How names appear on boards, rankings and at the counter. */
  nameDisplay: NameDisplay;
  /** Days a month's results stay in 公示. */
  noticeDays: number;
  /** The points year: kept (absent), expired after N years, or reset on a date (points/points-year.ts). */
  pointsYear?: PointsYearPolicy;
  /** When it was chosen: expiries before that never apply. */
  pointsYearSince?: Date;
}

export interface VillageDoc {
  _id: string;
  townId: string;
  name: string;
  settings: VillageSettings;
  createdAt: Date;
}

export interface GroupDoc {
  _id: string;
  townId: string;
  villageId: string;
  name: string;
}

export interface FamilyDoc {
  _id: string;
  townId: string;
  villageId: string;
  groupId: string;
  /** The household number (户号) from the village's register; unique within the village. */
  householdNumber: string;
  /** The head of the household's name; the family is shown as `<head>家`. */
  headName: string;
  address: string;
  /** Points the family can spend (tenths). Earned points per period live in `scores`. */
  available: Tenths;
  suspendedUntil: Date | null;
  createdAt: Date;
  /** When a wish reservation last changed (written with it, so a redemption at the same moment conflicts). */
  holdChangedAt?: Date;
  /** When one of its cards was blocked or unbound (written with it, so a redemption at that moment conflicts). */
  cardChangedAt?: Date;
  /**
   * Rule caps counted for this family and its members (`core/review` capKey → approved awards), written with the
   * family by postEntry, so the cap is checked and counted where the points move.
   */
  caps?: Record<string, number>;
  /** Points the points year will take, as told to the family (home page, subscription message); cleared when posted. */
  expiryNotice?: { points: Tenths; at: Date } | null;
  /**
   * The family's consent to its full name on the red board (个人信息保护法 art. 25: separate consent), given and
   * withdrawn in 我的家庭 by a linked member; null or absent: none. Each change is also in the audit.
   */
  redBoardConsent?: { at: Date; by: string; byName: string } | null;
}

/**
 * A display link for the big screen in a village office or the town hall: read-only, revocable. The token in
 * the link is `<_id>.<signature>` (HMAC with `SCREEN_SECRET`); the screen shows nothing once `revokedAt` is set.
 */
export interface DisplayLinkDoc {
  _id: string;
  townId: string;
  /** null: the town's screen (all villages). */
  villageId: string | null;
  /** What the cadre called it: `村委会大厅`. */
  label: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  requestHash?: string;
}

/** A member's latest QR code, by member id: its 码号 (the token's last six characters, upper case) and token. */
export interface QrCodeDoc {
  _id: string;
  code: string;
  familyId: string;
  token: string;
  expiresAt: Date;
}

export interface MemberDoc {
  _id: string;
  townId: string;
  villageId: string;
  groupId: string;
  familyId: string;
  name: string;
  /** Relation to the head: 户主, 配偶, 子女, 父母 … */
  relation: string;
  partyMember: boolean;
  /** The WeChat user linked to this member, if any. */
  openid: string | null;
}

/** One per WeChat user who has linked to a member or holds a role. `_id` is the openid. */
export interface UserDoc {
  _id: string;
  townId: string;
  name: string;
  memberId: string | null;
  familyId: string | null;
  villageId: string | null;
  roles: RoleGrant[];
  updatedAt: Date;
}

export interface InviteDoc {
  /** The code itself. */
  _id: string;
  memberId: string;
  familyId: string;
  villageId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
}

/** A version of a rule: its definition (core/catalogue.ts) as the catalogue stores it. */
export interface RuleDoc extends RuleDefinition {
  _id: string;
  townId: string;
  /** null: the town's catalogue; otherwise a village's own addition. */
  villageId: string | null;
  version: number;
  /** Only the latest version of a rule is current; older versions stay for the entries that cite them. */
  current: boolean;
  /** Catalogue order. */
  order: number;
  createdBy: string;
  createdAt: Date;
}

/** The rule as it was when an entry was made: title and score never change afterwards (stored as the contract shows it). */
export type RuleSnapshot = RuleSnapshotView;

export type ClaimStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A resident's claim (`kind: claim`) or a line recorded in the monthly pass (`kind: record`). */
export interface ClaimDoc {
  _id: string;
  kind: 'claim' | 'record';
  townId: string;
  villageId: string;
  groupId: string;
  familyId: string;
  memberId: string;
  memberName: string;
  rule: RuleSnapshot;
  /** The day of the deed, China time `YYYY-MM-DD`. */
  deedDate: string;
  text: string;
  photos: string[];
  status: ClaimStatus;
  /** openid of the claimant or recorder. */
  submittedBy: string;
  submittedByName: string;
  /** Recorded by a cadre for a member without a smartphone. */
  onBehalf: boolean;
  createdAt: Date;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  entryId: string | null;
  /** The creating request's input hash (a reused request id with another input is refused). */
  requestHash?: string;
  /** The bulk approval (jobs) that approved it, if any: a retried chunk recognises its own approvals. */
  jobId?: string;
}

export type EntrySourceType =
  'claim' | 'record' | 'board' | 'objection' | 'redemption' | 'adjustment' | 'activity' | 'expiry';

export interface EntryDoc {
  _id: string;
  townId: string;
  villageId: string;
  groupId: string;
  familyId: string;
  memberId: string | null;
  memberName: string | null;
  rule: RuleSnapshot | null;
  /** The entry's score (what the rule or board says). */
  points: Tenths;
  /** What it actually changed in points available (a deduction takes at most the balance). */
  availableChange: Tenths;
  kind: EntryKind;
  /** The month it counts for (China time) and its year. */
  month: string;
  year: string;
  source: { type: EntrySourceType; id: string };
  /** For a reversal: the entry it reverses, as it was applied. */
  reverses: { id: string; kind: EntryKind; availableChange: Tenths } | null;
  reason: string;
  recordedBy: string;
  recordedByName: string;
  approvedBy: string | null;
  approvedByName: string | null;
  onBehalf: boolean;
  createdAt: Date;
}

/** A family's earned points in one period (`YYYY-MM` or `YYYY`): what rankings read. `_id` = `<family>_<period>`. */
export interface ScoreDoc {
  _id: string;
  townId: string;
  villageId: string;
  familyId: string;
  period: string;
  /** `<head>`: the family's head, for ranking rows (display policy applied when shown). */
  familyName: string;
  /** The family's 户号, for villages that show households by number only (absent on documents from before). */
  householdNumber?: string;
  earned: Tenths;
  /** Copied from the family when it changes, so rankings can tell suspended families without a join. */
  suspendedUntil: Date | null;
}

/** How many times a capped rule was approved for a member or family in a period. `_id` from core `capKey`. */
export interface CapDoc {
  _id: string;
  count: number;
}

export interface BoardDoc {
  _id: string;
  townId: string;
  villageId: string;
  board: 'red' | 'black';
  familyId: string;
  memberId: string | null;
  /** Stored in full; shown per the village's name setting. */
  personName: string;
  title: string;
  description: string;
  points: Tenths;
  /** China-time day of the deed or violation. */
  date: string;
  entryId: string | null;
  /** `pending`: a bonus waiting for a second cadre's confirmation (no points moved yet). */
  status: 'pending' | 'published' | 'withdrawn';
  publishedBy: string;
  publishedByName?: string;
  confirmedBy?: string | null;
  publishedAt: Date;
  /** For a black entry: when the family's suspension from this entry ends. */
  suspensionEndsAt: Date | null;
  /** The creating request's input hash (a reused request id with another input is refused). */
  requestHash?: string;
}

export type ObjectionTarget = 'entry' | 'claim' | 'board' | 'month';
export type ObjectionStatus = 'open' | 'upheld' | 'dismissed';

export interface ObjectionDoc {
  _id: string;
  townId: string;
  villageId: string;
  target: { type: ObjectionTarget; id: string };
  /** Which record, in words (`参加院坝会 +0.5分 · 何小军 · 11月20日`); absent on objections raised before it was kept. */
  targetTitle?: string;
  /** The month the objection concerns (for a month objection, that month). */
  month: string;
  reason: string;
  raisedBy: string;
  raisedByName: string;
  raisedByFamilyId: string | null;
  createdAt: Date;
  deadline: Date;
  status: ObjectionStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  /** Entries the system wrote when upholding. */
  correctionEntryIds: string[];
  /** The deciding supervisor's family (the maker of a month objection's adjustments). */
  decidedByFamilyId?: string | null;
  decidedByName?: string;
  /** A month objection's adjustments, proposed by the supervisor, written once a second cadre confirms. */
  adjustments?: { familyId: string; points: Tenths }[];
  adjustmentsConfirmedBy?: string | null;
  /** The creating request's input hash (a reused request id with another input is refused). */
  requestHash?: string;
}

export interface MonthDoc {
  /** `<village>_<YYYY-MM>` */
  _id: string;
  villageId: string;
  month: string;
  state: MonthState;
  noticeStartedAt: Date | null;
  noticeEndsAt: Date | null;
  lockedAt: Date | null;
  /** Written by every transaction that decides from the month's state (see points/claims txMonthStatus). */
  guard?: number;
}

export interface AuditDoc {
  _id?: string;
  townId: string;
  villageId: string | null;
  actor: string;
  actorName: string;
  /** The member a cadre acted for, when acting on someone's behalf. */
  onBehalfOf: string | null;
  action: string;
  target: { collection: CollectionName; id: string };
  summary: string;
  at: Date;
}

/** A processed request id: retries get the first result back. `_id` = `<openid>_<action>_<requestId>`. */
export interface RequestDoc {
  _id: string;
  action: string;
  result: unknown;
  /** A hash of the request's input: the same id with another input is refused. */
  inputHash?: string;
  at: Date;
}

export const DEFAULT_VILLAGE_SETTINGS: VillageSettings = { nameDisplay: 'masked', noticeDays: 7 };

// ---- Shops, cards, redemption, the fund pool, wishes and champions (the `shop` function) ----

/** A village shop, or a central shop run by one village for several (and the public). */
export interface ShopDoc {
  _id: string;
  townId: string;
  name: string;
  kind: 'village' | 'central';
  /** The village that runs it. */
  villageId: string;
  /** Villages whose families may redeem here. */
  servedVillageIds: string[];
  sellsToPublic: boolean;
  /** The collectives that own it and share its profit (basis points adding up to 10000). */
  owners: { villageId: string; shareBp: number }[];
  createdAt: Date;
}

export interface GoodsDoc extends GoodsTerms {
  _id: string;
  townId: string;
  shopId: string;
  code: string;
  /** Changed only with a stock movement in the same transaction. */
  stock: number;
  picture: string;
  onShelf: boolean;
  updatedAt: Date;
}

export type StockMovementKindDoc = 'restock' | 'loss' | 'correction' | 'redemption' | 'sale' | 'cancellation';

export interface StockMovementDoc {
  _id: string;
  townId: string;
  shopId: string;
  goodsId: string;
  goodsName: string;
  kind: StockMovementKindDoc;
  /** Signed change to the stock. */
  change: number;
  stockAfter: number;
  reason: string;
  ref: { type: 'order' | 'sale' | 'manual'; id: string };
  by: string;
  byName: string;
  month: string;
  at: Date;
}

/** `_id` is the normalised UID. A card stays one document through bindings; `serial` counts them. */
export interface CardDoc {
  _id: string;
  townId: string;
  villageId: string;
  familyId: string;
  memberId: string;
  memberName: string;
  status: 'bound' | 'blocked' | 'unbound';
  serial: number;
  /** The tag carries a server-signed token: the counter refuses the card without a valid one. */
  tokenRequired: boolean;
  boundBy: string;
  boundAt: Date;
  blockedBy: string | null;
  blockedAt: Date | null;
}

export interface CardEventDoc {
  _id?: string;
  townId: string;
  villageId: string;
  cardUid: string;
  familyId: string;
  memberId: string;
  kind: 'bound' | 'blocked' | 'unbound' | 'used' | 'refused';
  detail: string;
  by: string;
  byName: string;
  at: Date;
}

export type { OrderLine };

/** A redemption at a counter. Never deleted: a cancellation is new entries, movements and fund lines. */
export interface OrderDoc {
  _id: string;
  townId: string;
  shopId: string;
  shopName: string;
  /** The family's village: its fund is charged, wherever the shop is. */
  villageId: string;
  familyId: string;
  memberId: string | null;
  via: 'card' | 'qr';
  cardUid: string | null;
  lines: OrderLine[];
  totalPoints: Tenths;
  totalCostFen: number;
  entryId: string;
  clerk: string;
  clerkName: string;
  status: 'done' | 'cancelled';
  day: string;
  month: string;
  year: string;
  createdAt: Date;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  cancelEntryId: string | null;
  /** The request's input hash and its answer: the order is the request's record (a retry gets the answer). */
  requestHash?: string;
  result?: unknown;
}

/** A public cash sale at a shop that sells to the public. */
export interface SaleDoc {
  _id: string;
  townId: string;
  shopId: string;
  lines: (Omit<OrderLine, 'pricePoints'> & { cashPriceFen: number })[];
  totalFen: number;
  totalCostFen: number;
  clerk: string;
  clerkName: string;
  month: string;
  createdAt: Date;
}

/** A village's fund pool: `_id` = village id. The balance is the sum of its fund movements. */
export interface FundDoc {
  _id: string;
  townId: string;
  villageId: string;
  balanceFen: number;
  /** What one point is worth (fen). */
  fenPerPoint: number;
  /** Above this many points (tenths) a redemption needs the family's PIN, if the family set one; null: never. */
  pinAbovePoints: Tenths | null;
  updatedAt: Date;
}

export interface FundMovementDoc {
  _id: string;
  townId: string;
  villageId: string;
  kind: FundMovementKind;
  /** Signed: money in is positive. */
  amountFen: number;
  /** For an income line: the collective's net income the share was taken from. */
  netIncomeFen: number | null;
  donor: string | null;
  note: string;
  ref: { type: 'order' | 'wish' | 'champions' | 'manual'; id: string } | null;
  by: string;
  byName: string;
  month: string;
  year: string;
  at: Date;
}

/** Points a family's accepted wishes hold (`_id` = family id): spendable = available − reserved. */
export interface HoldDoc {
  _id: string;
  reserved: Tenths;
  updatedAt: Date;
}

/**
 * A number kept under a derived key, read and written inside the transactions that need it (the integrity
 * policy's memory): `corr_<entry|claim id>` = 1 once a source was corrected, `manual_<family>_<month>` = the
 * manual points a family got that month, `day_<family>_<day>` = the points it redeemed that day.
 */
export interface MarkDoc {
  _id: string;
  value: number;
  updatedAt: Date;
}

/** A family's counter PIN (`_id` = family id), salted hash only. */
export interface PinDoc {
  _id: string;
  salt: string;
  hash: string;
  setBy: string;
  updatedAt: Date;
  /** Wrong PINs in a row at the counter; five lock the PIN for a while (a 4-digit PIN must not be guessable). */
  failures?: number;
  lockedUntil?: Date | null;
}

export interface WishDoc {
  _id: string;
  townId: string;
  villageId: string;
  familyId: string;
  familyName: string;
  memberId: string | null;
  kind: WishKind;
  description: string;
  status: WishStatus;
  requestedBy: string;
  requestedByName: string;
  quotePoints: Tenths | null;
  quoteNote: string;
  coordinator: string | null;
  coordinatorName: string | null;
  deliveredQuantity: number | null;
  deliveredUnit: string | null;
  /** China-time month and year it was done (statistics). */
  doneMonth: string | null;
  doneYear: string | null;
  costFen: number;
  entryId: string | null;
  cancelReason: string | null;
  history: { step: string; by: string; byName: string; at: Date }[];
  createdAt: Date;
  updatedAt: Date;
  /** The creating request's input hash (a reused request id with another input is refused). */
  requestHash?: string;
}

/** A village's champions of a year (`_id` = `<village>_<year>`), paid from its fund. */
export interface ChampionsDoc extends ChampionsTerms {
  _id: string;
  townId: string;
  /** `householdNumber` for names shown by household number (absent on champions awarded before it was kept). */
  families: {
    familyId: string;
    familyName: string;
    householdNumber?: string;
    earned: Tenths;
    rank: number;
    amountFen: number;
  }[];
  by: string;
  at: Date;
}

// ---- Activities and the points year (the `points` function: activities.ts, points-year.ts) ----

/** An organised activity with QR check-in; its attendance becomes entries once a second cadre confirms the list. */
export interface ActivityDoc {
  _id: string;
  townId: string;
  villageId: string;
  villageName: string;
  title: string;
  rule: RuleSnapshot;
  place: string;
  startAt: Date;
  endAt: Date;
  /** At most this many members check in; 0: no limit. */
  capacity: number;
  /** A villager checking in may check in members of their own family who came along. */
  allowFamily: boolean;
  status: ActivityStatus;
  checkedIn: number;
  signedUp: number;
  /** Signs the check-in codes (HMAC); never leaves the function. */
  secret: string;
  year: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedAt: Date | null;
  /** Entries posted and members left out (cap reached) so far. */
  posted: number;
  skipped: number;
  pointsAwarded: Tenths;
  requestHash?: string;
}

/** One member at one activity: `_id` = `<activity>_<member>`, so a second check-in finds the first. */
export interface AttendanceDoc {
  _id: string;
  activityId: string;
  activityTitle: string;
  townId: string;
  villageId: string;
  familyId: string;
  memberId: string;
  memberName: string;
  year: string;
  checkedInAt: Date;
  checkedOutAt: Date | null;
  /** `scan`: the member scanned the code; `member`/`card`: the organiser added them on their behalf. */
  via: 'scan' | 'member' | 'card';
  by: string;
  byName: string;
  onBehalf: boolean;
  status: 'present' | 'posted' | 'skipped';
  entryId: string | null;
  points: Tenths;
  skipReason: string | null;
}

/** A member signed up for an activity: `_id` = `<activity>_<member>`. */
export interface SignupDoc {
  _id: string;
  activityId: string;
  villageId: string;
  familyId: string;
  memberId: string;
  memberName: string;
  at: Date;
}

/**
 * One expiry of a village's points year (`_id` = `<village>_<YYYY-MM-DD>`): the notices and then the expiry, run
 * over the village's families in chunks by the timer, each chunk resuming after the last family done.
 */
export interface ExpiryRunDoc {
  _id: string;
  townId: string;
  villageId: string;
  expiresAt: Date;
  policy: PointsYearPolicy;
  noticeCursor: string | null;
  noticeDone: boolean;
  noticedFamilies: number;
  noticedPoints: Tenths;
  expiryCursor: string | null;
  expiryDone: boolean;
  expiredFamilies: number;
  expiredPoints: Tenths;
  updatedAt: Date;
}

/** A village's year, archived once it is over (`_id` = `<village>_<YYYY>`): earned points for history and champions. */
export interface YearArchiveDoc {
  _id: string;
  townId: string;
  villageId: string;
  year: string;
  families: number;
  earned: Tenths;
  top: { familyId: string; familyName: string; earned: Tenths; rank: number }[];
  at: Date;
}
// ---- Bulk work in chunks (common/jobs.ts) ----

/** What happened to one item of a bulk job: the contract's type, stored as the page reads it. */
export type { JobOutcome } from '../../miniprogram/contract/jobs';
import type { JobOutcome } from '../../miniprogram/contract/jobs';
import type { RuleSnapshotView } from '../../miniprogram/contract/points';
import type { ChampionsTerms, OrderLine } from '../../miniprogram/contract/shop';

/**
 * A bulk job done in chunks, each call of `<action>.next` doing the next one (well inside the function timeout),
 * so that a village of any size goes through. `_id` derives from the caller and the request. `done` items are
 * processed; `chunks[<first index>]` holds the outcomes of the chunk that started there (set, never pushed, so a
 * retried chunk writes the same thing again).
 */
export interface JobDoc {
  _id: string;
  kind: 'familiesImport' | 'reviewApprove';
  townId: string;
  villageId: string;
  createdBy: string;
  createdAt: Date;
  total: number;
  done: number;
  finished: boolean;
  chunks: Record<string, JobOutcome[]>;
  /** familiesImport: the households read from the sheet, in order. */
  households?: Household[];
  /** reviewApprove: the claims to approve, in order. */
  claimIds?: string[];
  updatedAt: Date;
}
