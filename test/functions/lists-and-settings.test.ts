/**
 * The remaining read and settings actions, each through the functions on the emulator: who may call them, bad
 * input that changes nothing, and a retried request that applies once.
 */
import { dayOf } from '../../miniprogram/core/time';
import { ADMIN, data, errorOf, townForDescribe } from '../support/backend';
import { TEST_NOW } from '../support/clock';
import {
  PLAIN_CENTRAL_SHOP,
  publishBoard,
  raiseObjection,
  rid,
  setUpShops,
  SHOP_SECRETS,
  updateVillageSettings,
} from '../support/town-actions';

describe('lists and settings', () => {
  const b = townForDescribe({
    env: SHOP_SECRETS,
    prepare: (town) =>
      setUpShops(town, [{ ...PLAIN_CENTRAL_SHOP, seedGoods: true }], [{ name: '胡焱', shopId: 'central' }]),
  });
  const member = (name: string) => b.town.banzhu.members[name];
  /** 罗亚倩, a cadre of 斑竹村, puts 傅红's family on the red board for `title`: 10 分. */
  const fuRedBoard = async (title: string) =>
    data(
      await publishBoard(
        b,
        { board: 'red', familyId: member('傅红').familyId, title, points: 100, date: dayOf(TEST_NOW) },
        'o-luo',
      ),
    );

  it('villages.updateSettings: a cadre changes their village; others are refused; bad values change nothing', async () => {
    const settings = async () =>
      data(await b.call('accounts', 'villages.list', {}, 'o-he')).villages.find((v) => v.id === 'banzhu')
        ?.settings;
    const before = await settings();
    expect(errorOf(await updateVillageSettings(b, { noticeDays: 5 }, 'o-he')).code).toBe('FORBIDDEN');
    expect(errorOf(await updateVillageSettings(b, { noticeDays: 5 }, 'o-zhang')).code).toBe('FORBIDDEN');
    expect(errorOf(await updateVillageSettings(b, { noticeDays: 0 }, 'o-luo')).code).toBe('INVALID_INPUT');
    expect(await settings()).toEqual(before);
    data(await updateVillageSettings(b, { noticeDays: 5, nameDisplay: 'full' }, 'o-luo'));
    expect(await settings()).toEqual({ ...before, noticeDays: 5, nameDisplay: 'full' });
  });

  it('roles.revoke: only who may grant may revoke, and the person loses the role', async () => {
    const wan = member('万有志').id;
    expect(
      errorOf(await b.call('accounts', 'roles.revoke', { memberId: wan, role: 'supervisor' }, 'o-he')).code,
    ).toBe('FORBIDDEN');
    expect(
      errorOf(await b.call('accounts', 'roles.revoke', { memberId: wan, role: 'supervisor' }, 'o-zhang'))
        .code,
    ).toBe('FORBIDDEN');
    data(await b.call('accounts', 'roles.revoke', { memberId: wan, role: 'supervisor' }, 'o-luo'));
    const me = data(await b.call('accounts', 'session.me', {}, 'o-wan'));
    expect(me.roles.map((r) => r.role)).toEqual(['villager']);
    // Without the role he can no longer read the village's objections.
    expect(errorOf(await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-wan')).code).toBe(
      'FORBIDDEN',
    );
    data(await b.call('accounts', 'roles.grant', { memberId: wan, role: 'supervisor' }, 'o-luo'));
  });

  it('objections.list: the village’s supervisors and cadres see objections; villagers and other villages do not', async () => {
    const board = await fuRedBoard('好人好事');
    data(
      await raiseObjection(
        b,
        { target: { type: 'board', id: board.board.id }, reason: '事情不属实' },
        'o-he',
      ),
    );
    const seen = data(
      await b.call('points', 'objections.list', { villageId: 'banzhu', status: 'open' }, 'o-wan'),
    );
    expect(seen.objections.map((o) => o.reason)).toEqual(['事情不属实']);
    expect(
      data(await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-luo')).objections,
    ).toHaveLength(1);
    expect(errorOf(await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-he')).code).toBe(
      'FORBIDDEN',
    );
    expect(errorOf(await b.call('points', 'objections.list', { villageId: 'banzhu' }, 'o-zhang')).code).toBe(
      'FORBIDDEN',
    );
  });

  it('shops.list and orders.list: shops for anyone; orders for the family, its overseers and the shop’s clerks', async () => {
    const shops = data(await b.call('shop', 'shops.list', {}, 'o-li'));
    expect(shops.shops.map((s) => s.id)).toEqual(['central']);
    // 傅红's family earns the 10 分 it spends: a red board entry of its own.
    await fuRedBoard('帮助邻居抢收稻谷');
    const qr = data(await b.call('shop', 'qr.issue', {}, 'o-fu'));
    const who = data(await b.call('shop', 'counter.identify', { shopId: 'central', qr: qr.token }, 'o-hu'));
    data(
      await b.call(
        'shop',
        'counter.redeem',
        {
          requestId: rid(),
          shopId: 'central',
          familyId: who.familyId,
          qr: qr.token,
          items: [{ goodsId: 'central-G001', quantity: 2 }],
        },
        'o-hu',
      ),
    );
    const own = data(await b.call('shop', 'orders.list', {}, 'o-fu'));
    expect(own.orders.map((o) => o.totalPoints)).toEqual([70]);
    expect(data(await b.call('shop', 'orders.list', { shopId: 'central' }, 'o-hu')).orders).toHaveLength(1);
    expect(
      data(await b.call('shop', 'orders.list', { familyId: who.familyId }, 'o-luo')).orders,
    ).toHaveLength(1);
    expect(errorOf(await b.call('shop', 'orders.list', { familyId: who.familyId }, 'o-he')).code).toBe(
      'FORBIDDEN',
    );
    expect(errorOf(await b.call('shop', 'orders.list', { shopId: 'central' }, 'o-he')).code).toBe(
      'FORBIDDEN',
    );
  });

  it('fund.expense: a cadre records it once per request id; villagers are refused; bad amounts change nothing', async () => {
    const balance = async () =>
      data(await b.call('shop', 'fund.ledger', { villageId: 'banzhu' }, ADMIN)).balanceFen;
    // Money never goes below zero: with the fund short, the expense is refused and nothing is written.
    const short = await balance();
    const tooMuch = {
      requestId: rid(),
      villageId: 'banzhu',
      amountFen: Math.max(short, 0) + 100,
      note: '超出余额的支出',
    };
    expect(errorOf(await b.call('shop', 'fund.expense', tooMuch, 'o-luo')).details).toMatchObject({
      reason: 'FUND_INSUFFICIENT',
    });
    expect(await balance()).toBe(short);
    data(await b.call('shop', 'fund.allocate', { year: dayOf(TEST_NOW).slice(0, 4) }, ADMIN));
    const before = await balance();
    const input = { requestId: rid(), villageId: 'banzhu', amountFen: 1500, note: '购买公示栏板材' };
    expect(errorOf(await b.call('shop', 'fund.expense', input, 'o-he')).code).toBe('FORBIDDEN');
    expect(errorOf(await b.call('shop', 'fund.expense', { ...input, amountFen: 0 }, 'o-luo')).code).toBe(
      'INVALID_INPUT',
    );
    expect(await balance()).toBe(before);
    data(await b.call('shop', 'fund.expense', input, 'o-luo'));
    data(await b.call('shop', 'fund.expense', input, 'o-luo'));
    expect(await balance()).toBe(before - 1500);
  });
});
