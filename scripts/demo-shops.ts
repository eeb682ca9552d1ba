/**
 * The demo town's shops and fund: the central shop 斑竹村 runs for all seven villages (60+ goods, also sells to
 * the public, co-owned by the seven collectives), a village shop at 石院村, 胡焱 as the central shop's clerk,
 * and this year's town allocation into every village's fund pool. Through the shop function's own actions.
 */
import type { Call } from './lib/call';
import type { BuiltVillage } from './setup-town';
import { must } from './lib/call';
import { DEMO_TOWN_ADMIN } from './demo-town';

export const CENTRAL_SHOP = 'central';

export async function setupDemoShops(
  call: Call,
  town: Record<string, BuiltVillage>,
  year: string,
): Promise<void> {
  const villageIds = Object.keys(town);
  // Shares in basis points, equal but for the rounding, which 斑竹村 (the operator) takes.
  const share = Math.floor(10000 / villageIds.length);
  const owners = villageIds.map((villageId, i) => ({
    villageId,
    shareBp: i === 0 ? 10000 - share * (villageIds.length - 1) : share,
  }));
  await must(
    call,
    'shop',
    'shops.setup',
    {
      shops: [
        {
          id: CENTRAL_SHOP,
          name: '福禄镇积分兑换中心超市',
          kind: 'central',
          villageId: 'banzhu',
          servedVillageIds: villageIds,
          sellsToPublic: true,
          owners,
          seedGoods: true,
        },
        {
          id: 'shiyuan-shop',
          name: '石院村积分小超市',
          kind: 'village',
          villageId: 'shiyuan',
          seedGoods: true,
        },
      ],
    },
    DEMO_TOWN_ADMIN,
  );
  const hu = town.banzhu.members['胡焱'];
  if (hu)
    await must(
      call,
      'accounts',
      'roles.grant',
      { memberId: hu.id, role: 'shopClerk', scopeId: CENTRAL_SHOP },
      DEMO_TOWN_ADMIN,
    );
  await must(call, 'shop', 'fund.allocate', { year }, DEMO_TOWN_ADMIN);
}
