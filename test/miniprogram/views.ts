/**
 * The server's views as page tests receive them, each one builder with its fields written once: a family
 * (`accounts/families.get`), a claim, a ledger entry, an objection, a wish, a card. Every builder starts from
 * 何雄梅's family f1 of 斑竹村 (the card: her mother 刘奶奶's) and takes what a test needs different as `over`.
 */
import type {
  FamiliesGetOutput,
  FamilyMemberView,
  SessionMeOutput,
} from '../../miniprogram/contract/accounts';
import type { ClaimView, EntryView, ObjectionView } from '../../miniprogram/contract/points';
import type { CardView, WishView } from '../../miniprogram/contract/shop';

/** `accounts/families.get`'s answer for family f1 (户号 001, 何雄梅, group g1, no points), with `over` applied. */
export const familyView = (
  over: Partial<FamiliesGetOutput['family']>,
  members: FamilyMemberView[],
): FamiliesGetOutput => ({
  family: {
    id: 'f1',
    householdNumber: '001',
    headName: '何雄梅',
    address: '',
    villageId: 'v1',
    groupId: 'g1',
    available: 0,
    suspendedUntil: null,
    ...over,
  },
  members,
});

/** 何雄梅's claim c1 for 参加一次志愿活动 (+1), pending, submitted by herself on 2026-11-20, with `over` applied. */
export const claimView = (over: Partial<ClaimView> = {}): ClaimView => ({
  id: 'c1',
  kind: 'claim',
  memberId: 'm1',
  memberName: '何雄梅',
  familyId: 'f1',
  groupId: 'g1',
  rule: {
    id: 'r-c01',
    code: 'C01',
    version: 1,
    category: 'contribution',
    aspect: '公益活动',
    title: '参加一次志愿活动',
    points: 10,
  },
  pointsText: '+1',
  deedDate: '2026-11-20',
  text: '参加河道清理',
  photos: [],
  status: 'pending',
  submittedByName: '何雄梅',
  onBehalf: false,
  createdAt: '2026-11-20T02:00:00.000Z',
  decidedByName: null,
  decidedAt: null,
  rejectReason: null,
  ...over,
});

/** Entry e1: 何雄梅's 参加一次志愿活动 (+1) of 2026-11, recorded by 傅红 and approved by 罗亚倩, with `over`. */
export const entryView = (over: Partial<EntryView> = {}): EntryView => ({
  id: 'e1',
  kind: 'award',
  kindLabel: '加分',
  memberName: '何雄梅',
  ruleTitle: '参加一次志愿活动',
  points: 10,
  pointsText: '+1',
  month: '2026-11',
  reason: '参加河道清理',
  recordedByName: '傅红',
  approvedByName: '罗亚倩',
  onBehalf: false,
  reversesId: null,
  createdAt: '2026-11-20T02:00:00.000Z',
  ...over,
});

/** An open objection o1 by 何雄梅 against entry e1, raised 2026-11-20 and due in 7 days, with `over` applied. */
export const objectionView = (over: Partial<ObjectionView> = {}): ObjectionView => ({
  id: 'o1',
  villageId: 'v1',
  target: { type: 'entry', id: 'e1' },
  targetLabel: '积分记录',
  targetTitle: '',
  month: '2026-11',
  reason: '那天我家不在村里',
  raisedByName: '何雄梅',
  createdAt: '2026-11-20T02:00:00.000Z',
  deadline: '2026-11-27T02:00:00.000Z',
  overdue: false,
  status: 'open',
  statusLabel: '调查中',
  decisionReason: null,
  decidedAt: null,
  ...over,
});

/** `accounts/session.me` for 何雄梅 (o-he, member m2 of family f1), a villager with no role, with `over`. */
export const villagerSessionView = (over: Partial<SessionMeOutput> = {}): SessionMeOutput => ({
  openid: 'o-he',
  name: '何雄梅',
  memberId: 'm2',
  familyId: 'f1',
  villageId: 'v1',
  roles: [],
  ...over,
});

/** Wish w1 of 何雄梅家: 农活代工, 帮忙收割两亩稻谷, asked for by 何雄梅 on 2026-11-20 and waiting for a quote, with `over`. */
export const wishView = (over: Partial<WishView> = {}): WishView => ({
  id: 'w1',
  familyId: 'f1',
  familyName: '何雄梅家',
  kind: 'labour',
  kindLabel: '农活代工',
  description: '帮忙收割两亩稻谷',
  status: 'requested',
  statusLabel: '待报价',
  quotePoints: null,
  quoteNote: '',
  coordinatorName: null,
  deliveredQuantity: null,
  deliveredUnit: null,
  requestedByName: '何雄梅',
  cancelReason: null,
  createdAt: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  ...over,
});

/** Card 04A2B3C4 of 刘奶奶 (member m4), bound on 2026-11-20 with a token to write, not blocked, with `over`. */
export const cardView = (over: Partial<CardView> = {}): CardView => ({
  uid: '04A2B3C4',
  memberId: 'm4',
  memberName: '刘奶奶',
  status: 'bound',
  tokenRequired: true,
  boundAt: '2026-11-20T02:00:00.000Z',
  blockedAt: null,
  ...over,
});
