import * as shop from '../../miniprogram/core/shop';
import * as fund from '../../miniprogram/core/fund';
import { acceptRefusal, canStep, spendable, spendRefusal } from '../../miniprogram/core/wishes';

describe('shop core', () => {
  it('seeds 60+ distinct everyday goods with integer prices', () => {
    const goods = shop.seedGoods();
    expect(goods.length).toBeGreaterThanOrEqual(60);
    expect(new Set(goods.map((g) => g.name)).size).toBe(goods.length);
    expect(goods.map((g) => g.name)).toEqual(
      expect.arrayContaining(['肥皂', '洗衣粉', '蚊香', '牙膏', '大米', '菜籽油']),
    );
    for (const g of goods) {
      expect(Number.isInteger(g.pricePoints) && g.pricePoints % 5 === 0 && g.pricePoints > 0).toBe(true);
      expect(Number.isInteger(g.costFen) && Number.isInteger(g.cashPriceFen)).toBe(true);
      expect(g.cashPriceFen).toBeGreaterThanOrEqual(g.costFen);
    }
    expect(goods.find((g) => g.name === '肥皂')).toMatchObject({ costFen: 350, pricePoints: 35 });
  });

  it('merges repeated cart lines and totals points, cost and cash exactly', () => {
    expect(
      shop.mergeCart([
        { goodsId: 'a', quantity: 1 },
        { goodsId: 'b', quantity: 2 },
        { goodsId: 'a', quantity: 3 },
      ]),
    ).toEqual([
      { goodsId: 'a', quantity: 4 },
      { goodsId: 'b', quantity: 2 },
    ]);
    expect(
      shop.cartTotals([
        { quantity: 2, pricePoints: 35, costFen: 350, cashPriceFen: 400 },
        { quantity: 1, pricePoints: 5, costFen: 45, cashPriceFen: 50 },
      ]),
    ).toEqual({ points: 75, costFen: 745, cashFen: 850, quantity: 3 });
    expect(shop.manualStockChange('loss', 3)).toBe(-3);
    expect(shop.manualStockChange('restock', 3)).toBe(3);
    expect(shop.manualStockChange('correction', -2)).toBe(-2);
  });

  it('normalises card UIDs and lays out the signed strings', () => {
    expect(shop.normalizeCardUid('04:a2:3b:4c')).toBe('04A23B4C');
    expect(shop.normalizeCardUid('04 A2 3B 4C 5D 6E 7F')).toBe('04A23B4C5D6E7F');
    expect(shop.normalizeCardUid('04A2')).toBeNull();
    expect(shop.normalizeCardUid('04A23B4G')).toBeNull();
    expect(shop.cardTokenPayload('04A23B4C', 'm1', 2)).toBe('card1\n04A23B4C\nm1\n2');
    const payload = shop.qrPayload('f1', 'm1', 1_700_000_000_000);
    expect(shop.parseQrToken(`${payload}.MAC`)).toEqual({
      payload,
      familyId: 'f1',
      memberId: 'm1',
      issuedAt: 1_700_000_000_000,
      mac: 'MAC',
    });
    expect(shop.parseQrToken('qr1.f1.m1.zz')).toBeNull();
    expect(shop.parseQrToken('xx.f1.m1.1.MAC')).toBeNull();
    expect(shop.qrProblem(1000, 1000 + 120_000, 120)).toBeNull();
    expect(shop.qrProblem(1000, 1001 + 120_000, 120)).toBe('expired');
    expect(shop.qrProblem(100_000, 0, 120)).toBe('future');
  });

  it('splits a profit or a loss by shares to the fen', () => {
    const owners = [
      { villageId: 'a', shareBp: 3334 },
      { villageId: 'b', shareBp: 3333 },
      { villageId: 'c', shareBp: 3333 },
    ];
    const parts = shop.splitByShares(100, owners);
    expect(parts.reduce((s, p) => s + p.fen, 0)).toBe(100);
    expect(parts).toEqual([
      { villageId: 'a', fen: 34 },
      { villageId: 'b', fen: 33 },
      { villageId: 'c', fen: 33 },
    ]);
    const loss = shop.splitByShares(-101, owners);
    expect(loss.reduce((s, p) => s + p.fen, 0)).toBe(-101);
    expect(shop.splitByShares(0, owners).every((p) => p.fen === 0)).toBe(true);
  });
});

describe('fund core', () => {
  it('computes allocations, the collective share and point values in whole fen', () => {
    expect(fund.allocationFen(7)).toBe(35000);
    expect(fund.collectiveShareFen(1_000_001)).toBe(300_000);
    expect(fund.collectiveShareFen(-5)).toBe(0);
    expect(fund.pointsValueFen(15, 100)).toBe(150);
    expect(fund.pointsValueFen(5, 1)).toBe(1);
    expect(fund.formatYuan(123456)).toBe('1234.56元');
    expect(fund.formatYuan(-5)).toBe('-0.05元');
  });

  it('rates fund health by the balance over the points outstanding', () => {
    expect(fund.fundHealth(10000, 1000, 100)).toMatchObject({
      outstandingValueFen: 10000,
      coverageBp: 10000,
      status: 'healthy',
    });
    expect(fund.fundHealth(6000, 1000, 100)).toMatchObject({ coverageBp: 6000, status: 'watch' });
    expect(fund.fundHealth(-100, 1000, 100)).toMatchObject({ coverageBp: 0, status: 'short' });
    expect(fund.fundHealth(0, 0, 100)).toMatchObject({ coverageBp: null, status: 'healthy' });
  });

  it('sums the town’s pool over its villages, a village in debt counting as nothing towards coverage', () => {
    const village = (villageId: string, balanceFen: number, points: number) => ({
      villageId,
      ...fund.fundHealth(balanceFen, points, 100),
    });
    expect(
      fund.townFundHealth([village('v1', 10000, 1000), village('v2', 6000, 1000), village('v3', -500, 500)]),
    ).toEqual({
      balanceFen: 15500,
      outstandingPoints: 2500,
      outstandingValueFen: 25000,
      coverageBp: 6200,
      shortVillages: ['v2', 'v3'],
      debtVillages: ['v3'],
    });
    expect(fund.townFundHealth([village('v1', -100, 1000)]).coverageBp).toBe(0);
    expect(fund.townFundHealth([village('v1', 500, 0)])).toMatchObject({
      coverageBp: null,
      shortVillages: [],
      debtVillages: [],
    });
    expect(fund.townFundHealth([])).toEqual({
      balanceFen: 0,
      outstandingPoints: 0,
      outstandingValueFen: 0,
      coverageBp: null,
      shortVillages: [],
      debtVillages: [],
    });
  });

  it('splits a reward equally and keeps the remainder', () => {
    expect(fund.splitEqually(500000, 3)).toEqual({ eachFen: 166666, paidFen: 499998, remainderFen: 2 });
    expect(fund.splitEqually(100, 0)).toEqual({ eachFen: 0, paidFen: 0, remainderFen: 100 });
  });

  it('picks champions: top N, suspended and zero excluded, ties at the cut all in', () => {
    const c = (familyId: string, earned: number, suspended = false) => ({
      familyId,
      familyName: familyId,
      earned,
      suspended,
    });
    const picked = fund.selectChampions(
      [c('a', 50), c('b', 90, true), c('c', 70), c('d', 50), c('e', 0), c('f', 30)],
      2,
    );
    expect(picked.map((p) => [p.familyId, p.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['d', 2],
    ]);
    expect(fund.selectChampions([c('a', 0)], 3)).toEqual([]);
  });

  it('chooses a year’s champions only once the year is over, and only if a family earned points', () => {
    const input = { villageName: '斑竹村', year: '2025', currentYear: '2026', champions: 3 };
    expect(fund.championsRefusal(input)).toBeNull();
    expect(fund.championsRefusal({ ...input, year: '2026', champions: 0 })).toEqual({
      code: 'YEAR_NOT_OVER',
      message: '2026年还没有结束，年终积分冠军要到次年才能评选',
    });
    expect(fund.championsRefusal({ ...input, year: '2027' })?.code).toBe('YEAR_NOT_OVER');
    expect(fund.championsRefusal({ ...input, champions: 0 })).toEqual({
      code: 'NO_POINTS',
      message: '斑竹村2025年没有家庭获得积分，不能评选积分冠军',
    });
  });
});

describe('wish core', () => {
  it('allows only the next steps and spends what is not reserved', () => {
    expect(canStep('requested', 'quote')).toBe(true);
    expect(canStep('requested', 'accept')).toBe(false);
    expect(canStep('accepted', 'done')).toBe(true);
    expect(canStep('done', 'cancel')).toBe(false);
    expect(spendable(100, 30)).toBe(70);
    expect(spendable(10, 30)).toBe(0);
  });

  it('spends up to what is not reserved, and says how much is needed and spendable beyond it', () => {
    expect(spendRefusal(70, 100, 30)).toBeNull();
    expect(spendRefusal(0, 0, 0)).toBeNull();
    expect(spendRefusal(75, 100, 30)).toEqual({
      code: 'INSUFFICIENT_POINTS',
      message: '积分不足：需要7.5分，可用7分',
      needed: 75,
      spendable: 70,
    });
    expect(spendRefusal(5, 10, 30)).toMatchObject({ message: '积分不足：需要0.5分，可用0分', spendable: 0 });
  });

  it('accepts the quote the family saw when it can spend it, else says why (suspended first)', () => {
    const base = { suspended: false, quote: 200, accepted: 200, available: 300, reserved: 100 };
    expect(acceptRefusal(base)).toBeNull();
    expect(acceptRefusal({ ...base, suspended: true, accepted: 150, available: 0 })).toEqual({
      code: 'SUSPENDED',
      message: '暂停评比期间不能兑换心愿服务',
    });
    expect(acceptRefusal({ ...base, accepted: 150, available: 0 })).toEqual({
      code: 'QUOTE_CHANGED',
      message: '报价已改为20分，请刷新后重新确认',
      quotePoints: 200,
    });
    expect(acceptRefusal({ ...base, reserved: 105 })).toEqual({
      code: 'INSUFFICIENT_POINTS',
      message: '积分不足：需要20分，可用19.5分',
    });
  });
});

describe('pinRequirement', () => {
  const base = { hasPin: true, pinGiven: false, pinAbovePoints: 50, redeemedToday: 0, cartPoints: 60 };

  it('asks for the PIN when the day’s total goes over the threshold, saying why', () => {
    expect(shop.pinRequirement(base)).toEqual({
      required: true,
      message: '本次兑换积分较多，请输入家庭兑换密码',
    });
    expect(shop.pinRequirement({ ...base, redeemedToday: 35, cartPoints: 35 })).toEqual({
      required: true,
      message: '该家庭今天已兑换3.5分，再兑换需输入家庭兑换密码',
    });
  });

  it('does not ask at or under the threshold, without a threshold, without a PIN, or when it is given', () => {
    expect(shop.pinRequirement({ ...base, cartPoints: 50 }).required).toBe(false);
    expect(shop.pinRequirement({ ...base, pinAbovePoints: null }).required).toBe(false);
    expect(shop.pinRequirement({ ...base, hasPin: false }).required).toBe(false);
    expect(shop.pinRequirement({ ...base, pinGiven: true }).required).toBe(false);
  });
});

describe('cardRefusal', () => {
  const bound = { status: 'bound' as const, tokenRequired: false };
  const valid = () => true;
  const base = { card: bound, hasToken: true, allowTokenless: false, tokenValid: valid };

  it('takes a bound card with a valid token, and one without where the village allows it', () => {
    expect(shop.cardRefusal(base)).toBeNull();
    expect(shop.cardRefusal({ ...base, hasToken: false, allowTokenless: true })).toBeNull();
  });

  it('refuses an unknown, unbound or blocked card before looking at its token', () => {
    const never = () => {
      throw new Error('the token is not checked');
    };
    for (const card of [null, undefined, { ...bound, status: 'unbound' as const }])
      expect(shop.cardRefusal({ ...base, card, tokenValid: never })).toEqual({
        code: 'CARD_UNKNOWN',
        message: '这张卡还没有绑定',
      });
    expect(shop.cardRefusal({ ...base, card: { ...bound, status: 'blocked' }, tokenValid: never })).toEqual({
      code: 'CARD_BLOCKED',
      message: '这张卡已挂失，不能使用',
    });
  });

  it('refuses a card read without its token: bound with one, or where the village takes none', () => {
    expect(
      shop.cardRefusal({
        ...base,
        card: { ...bound, tokenRequired: true },
        hasToken: false,
        allowTokenless: true,
      }),
    ).toEqual({ code: 'TOKEN_REQUIRED', message: '这张卡需要校验卡内令牌，请重新刷卡' });
    expect(shop.cardRefusal({ ...base, hasToken: false })).toEqual({
      code: 'TOKEN_REQUIRED',
      message: '这张卡没有防复制令牌，本村（社区）不接受无令牌的卡，请让村民出示二维码或重新绑卡',
    });
  });

  it('refuses a token whose signature is wrong', () => {
    expect(shop.cardRefusal({ ...base, tokenValid: () => false })).toEqual({
      code: 'TOKEN_INVALID',
      message: '卡内令牌校验失败，这张卡可能被复制',
    });
    expect(shop.cardRefusal({ ...base, allowTokenless: true, tokenValid: () => false })?.code).toBe(
      'TOKEN_INVALID',
    );
  });
});

describe('cancelRefusal', () => {
  it('cancels a redemption on its own China-time day only, and only once', () => {
    expect(shop.cancelRefusal({ status: 'done', day: '2026-11-20' }, '2026-11-20')).toBeNull();
    expect(shop.cancelRefusal({ status: 'done', day: '2026-11-19' }, '2026-11-20')).toEqual({
      code: 'NOT_SAME_DAY',
      message: '只能撤销当天的兑换',
    });
    expect(shop.cancelRefusal({ status: 'cancelled', day: '2026-11-19' }, '2026-11-20')).toEqual({
      code: 'ALREADY_CANCELLED',
      message: '该兑换单已撤销',
    });
  });
});

describe('the family PIN’s tries', () => {
  const at = new Date('2026-11-20T02:00:00.000Z');

  it('is locked until its lock ends', () => {
    expect(shop.pinLocked({ lockedUntil: null }, at)).toBe(false);
    expect(shop.pinLocked({}, at)).toBe(false);
    expect(shop.pinLocked({ lockedUntil: new Date(at.getTime() + 1) }, at)).toBe(true);
    expect(shop.pinLocked({ lockedUntil: at.toISOString() }, at)).toBe(false);
  });

  it('counts each try and tells the tries left if it is wrong', () => {
    expect(shop.pinTry(undefined, at)).toEqual({
      store: { failures: 1 },
      ifWrong: { code: 'PIN_WRONG', message: '兑换密码不正确，还可以再试4次', attemptsLeft: 4 },
    });
    expect(shop.pinTry(3, at)).toEqual({
      store: { failures: 4 },
      ifWrong: { code: 'PIN_WRONG', message: '兑换密码不正确，还可以再试1次', attemptsLeft: 1 },
    });
  });

  it('locks on the fifth try in a row for 15 minutes and starts the count again', () => {
    expect(shop.pinTry(4, at)).toEqual({
      store: { failures: 0, lockedUntil: new Date('2026-11-20T02:15:00.000Z') },
      ifWrong: { code: 'PIN_LOCKED', message: '兑换密码连续输错5次，请15分钟后再试' },
    });
  });
});
