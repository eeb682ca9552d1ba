/**
 * What the backend tests' people do again and again in the test town (test/support/backend.ts), each written
 * once and done through the real action as a user would: a fresh request id, a claim submitted, an objection
 * raised and decided, a village's settings changed, a screen link made, a file uploaded, a board entry
 * published, the shops set up with their clerks appointed.
 */
import { randomUUID } from 'node:crypto';
import type { ShopSetupSpec } from '../../miniprogram/contract/shop';
import type { VillagesUpdateSettingsInput } from '../../miniprogram/contract/accounts';
import type {
  BoardsPublishInput,
  ClaimsSubmitInput,
  ObjectionsDecideInput,
  ObjectionsRaiseInput,
} from '../../miniprogram/contract/points';
import type { ActionInput } from '../../miniprogram/contract/index';
import type { Call } from '../../scripts/lib/call';
import { ADMIN, data, type Town } from './backend';

/** A request id as the phone makes one per form: a retry with the same id applies once. */
export const rid = (): string => randomUUID().replace(/-/g, '');

/** The secrets the shop function signs card tokens and QR codes with, for tests that start it. */
export const SHOP_SECRETS = {
  CARD_TOKEN_SECRET: 'test-card-token-secret-0123456789',
  QR_SECRET: 'test-qr-secret-0123456789abcdef',
};

/** `openid` submits `claim` (`points/claims.submit`) with a fresh request id; the envelope, unchecked. */
export const submitClaim = (b: { call: Call }, claim: Omit<ClaimsSubmitInput, 'requestId'>, openid: string) =>
  b.call('points', 'claims.submit', { requestId: rid(), ...claim }, openid);

/**
 * `openid` submits `count` claims of 建言献策 (rule C03: no photos, no monthly cap) for `memberId` on `deedDate`,
 * the i-th (from 0) with `text(i)`, each checked; their ids, in order.
 */
export async function submitSuggestions(
  b: { call: Call },
  {
    memberId,
    deedDate,
    count,
    text,
  }: { memberId: string; deedDate: string; count: number; text: (i: number) => string },
  openid: string,
): Promise<string[]> {
  const { rules } = data(await b.call('points', 'rules.list', {}, openid));
  const ruleId = rules.find((r) => r.code === 'C03')?.id as string;
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1)
    ids.push(data(await submitClaim(b, { memberId, ruleId, deedDate, text: text(i) }, openid)).claim.id);
  return ids;
}

/** `openid` raises `objection` (`points/objections.raise`) with a fresh request id; the envelope, unchecked. */
export const raiseObjection = (
  b: { call: Call },
  objection: Omit<ObjectionsRaiseInput, 'requestId'>,
  openid: string,
) => b.call('points', 'objections.raise', { requestId: rid(), ...objection }, openid);

/** `openid` decides an objection (`points/objections.decide`); the envelope, unchecked. */
export const decideObjection = (b: { call: Call }, decision: ObjectionsDecideInput, openid: string) =>
  b.call('points', 'objections.decide', decision, openid);

/** `openid` changes `settings` of 斑竹村 (or `villageId`) (`accounts/villages.updateSettings`); the envelope, unchecked. */
export const updateVillageSettings = (
  b: { call: Call },
  settings: VillagesUpdateSettingsInput['settings'],
  openid: string,
  villageId = 'banzhu',
) => b.call('accounts', 'villages.updateSettings', { villageId, settings }, openid);

/** `openid` makes a display link for 斑竹村's big screen labelled `label` (`points/screens.create`); the envelope. */
export const createScreen = (b: { call: Call }, label: string, openid: string) =>
  b.call('points', 'screens.create', { requestId: rid(), villageId: 'banzhu', label }, openid);

/**
 * `openid` uploads `bytes` to `cloudPath` as `wx.cloud.uploadFile` would (the emulator's gateway `/upload`);
 * the file's cloud:// id.
 */
export async function uploadFile(
  b: { emu: { url: string } },
  openid: string,
  cloudPath: string,
  bytes: BlobPart = 'photo',
): Promise<string> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([bytes]), cloudPath.split('/').pop());
  const res = await fetch(`${b.emu.url}/upload`, {
    method: 'POST',
    headers: { 'X-WX-OPENID': openid },
    body: form,
  });
  return ((await res.json()) as { fileID: string }).fileID;
}

/** `openid`'s family asks for a service (`shop/wishes.request`) with a fresh request id; the envelope, unchecked. */
export const requestWish = (
  b: { call: Call },
  wish: Omit<ActionInput<'shop', 'wishes.request'>, 'requestId'>,
  openid: string,
) => b.call('shop', 'wishes.request', { requestId: rid(), ...wish }, openid);

/** The town admin sets up 福禄镇 with only `villages` (`accounts/town.setup`), checked: a town with no one in it yet. */
export async function setUpEmptyTown(
  b: { call: Call },
  villages: ActionInput<'accounts', 'town.setup'>['villages'],
): Promise<void> {
  data(await b.call('accounts', 'town.setup', { name: '福禄镇', villages }, ADMIN));
}

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

/** 中心超市: a central shop in 斑竹村 that also serves 来凤村, with no owners' shares and no goods yet. */
export const PLAIN_CENTRAL_SHOP: ShopSetupSpec = {
  id: 'central',
  name: '中心超市',
  kind: 'central',
  villageId: 'banzhu',
  servedVillageIds: ['laifeng'],
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
