/**
 * What the backend tests' people do again and again in the test town (test/support/backend.ts), each written
 * once and done through the real action as a user would: a fresh request id, a board entry published, the
 * shops set up with their clerks appointed.
 */
import { randomUUID } from 'node:crypto';
import type { ShopSetupSpec } from '../../miniprogram/contract/shop';
import type { BoardsPublishInput } from '../../miniprogram/contract/points';
import type { Call } from '../../scripts/lib/call';
import { ADMIN, data, type Town } from './backend';

/** A request id as the phone makes one per form: a retry with the same id applies once. */
export const rid = (): string => randomUUID().replace(/-/g, '');

/** A board entry to publish: in 斑竹村 and with a fresh request id unless it says otherwise. */
export type BoardEntry = Omit<BoardsPublishInput, 'requestId' | 'villageId'> &
  Partial<Pick<BoardsPublishInput, 'requestId' | 'villageId'>>;

/** `openid` publishes `entry` on the red or black board (`points/boards.publish`); the envelope, unchecked. */
export const publishBoard = (b: { call: Call }, entry: BoardEntry, openid: string) =>
  b.call('points', 'boards.publish', { requestId: rid(), villageId: 'banzhu', ...entry }, openid);

/** 福禄中心积分超市: in 斑竹村, serving both villages, owned 70/30 by 斑竹村 and 来凤村, its goods seeded. */
export const CENTRAL_SHOP: ShopSetupSpec = {
  id: 'central',
  name: '福禄中心积分超市',
  kind: 'central',
  villageId: 'banzhu',
  servedVillageIds: ['banzhu', 'laifeng'],
  sellsToPublic: true,
  owners: [
    { villageId: 'banzhu', shareBp: 7000 },
    { villageId: 'laifeng', shareBp: 3000 },
  ],
  seedGoods: true,
};

/** The village shops of the test town: 斑竹村积分超市 and 来凤村积分超市. */
export const BANZHU_SHOP: ShopSetupSpec = {
  id: 'banzhu-shop',
  name: '斑竹村积分超市',
  kind: 'village',
  villageId: 'banzhu',
};
export const LAIFENG_SHOP: ShopSetupSpec = {
  id: 'laifeng-shop',
  name: '来凤村积分超市',
  kind: 'village',
  villageId: 'laifeng',
};

/** A clerk to appoint: the member `name` of `village` (斑竹村 by default) at `shopId`, appointed by `by`. */
export interface Clerk {
  name: string;
  shopId: string;
  village?: string;
  /** Who appoints (the town admin by default: a central shop's clerks are the town's to appoint). */
  by?: string;
}

/** `openid` makes `name` of `village` a shop clerk at `shopId` (`accounts/roles.grant`); the envelope, unchecked. */
export const appointClerk = (b: Town, { name, shopId, village = 'banzhu', by = ADMIN }: Clerk) =>
  b.call(
    'accounts',
    'roles.grant',
    { memberId: b.town[village].members[name].id, role: 'shopClerk', scopeId: shopId },
    by,
  );

/** The town admin sets up `shops` (`shop/shops.setup`) and the clerks are appointed, each call checked. */
export async function setUpShops(b: Town, shops: ShopSetupSpec[], clerks: Clerk[]): Promise<void> {
  data(await b.call('shop', 'shops.setup', { shops }, ADMIN));
  for (const clerk of clerks) data(await appointClerk(b, clerk));
}
