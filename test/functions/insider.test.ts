/**
 * Issue 12's findings, tried as an insider would, through the real functions on the emulator: each is refused
 * with a Chinese message and a stable code, and the store is left exactly as it was (compared collection by
 * collection before and after). The town: 斑竹村 (cadres 罗亚倩 o-luo and 胡焱 o-hu, supervisor 万有志 o-wan)
 * and 来凤村 (its only cadre 张三 o-zhang), at the fixed test clock (2026-11-20, China time).
 */
import type { Envelope } from '../../miniprogram/core/envelope';
import { dayOf } from '../../miniprogram/core/time';
import type { BuiltVillage } from '../../scripts/setup-town';
import { ADMIN, data, errorOf, startTown, type Backend } from '../support/backend';
import { addDays, TEST_NOW } from '../support/clock';
import { assertLedgerInvariant } from '../support/invariant';
import { expectUnchanged, snapshot } from '../support/snapshot';
import type { ActionInput, ActionName } from '../../miniprogram/contract/index';
import type { GrantableRole } from '../../miniprogram/contract/accounts';
import {
  BANZHU_SHOP,
  CENTRAL_SHOP,
  decideObjection,
  LAIFENG_SHOP,
  publishBoard,
  raiseObjection,
  requestWish,
  rid,
  setUpShops,
  SHOP_SECRETS,
  submitClaim,
  uploadFile,
} from '../support/town-actions';

type Town = Backend & { town: Record<string, BuiltVillage> };

const today = dayOf(TEST_NOW);
const SOAP = 'central-G001'; // 3.5 分
const CLERK = 'o-fu'; // 傅红, clerk of the central shop (appointed by the town admin)
const STOCK = ['goods', 'stockMovements', 'orders', 'entries', 'families', 'funds', 'fundMovements'];

/** `REFUSED:<reason>` or the code, with the message, for one failed envelope. */
function refusal(res: Envelope<unknown>): { code: string; message: string } {
  const e = errorOf(res);
  return {
    code: e.code === 'REFUSED' ? `REFUSED:${String(e.details?.reason)}` : e.code,
    message: e.message,
  };
}

/** A refusal in plain Chinese (at least one CJK character). */
const CHINESE = /[\u4e00-\u9fff]/;

describe('insider: nobody moves points, goods or money for their own benefit', () => {
  let b: Town;
  const member = (village: string, name: string) => b.town[village].members[name];
  const points = <A extends ActionName<'points'>>(
    action: A,
    input: ActionInput<'points', A>,
    openid: string,
  ) => b.call('points', action, input, openid);
  const shop = <A extends ActionName<'shop'>>(action: A, input: ActionInput<'shop', A>, openid: string) =>
    b.call('shop', action, input, openid);
  const accounts = <A extends ActionName<'accounts'>>(
    action: A,
    input: ActionInput<'accounts', A>,
    openid: string,
  ) => b.call('accounts', action, input, openid);
  const available = async (openid: string) => data(await points('home.get', {}, openid)).available;
  /** Refused with `code`, a Chinese message, and nothing changed in `collections`. */
  const refused = async (
    call: () => Promise<Envelope<unknown>>,
    code: string,
    collections?: string[],
  ): Promise<string> => {
    const res = await expectUnchanged(b.emu, call, collections);
    const r = refusal(res);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(CHINESE);
    return r.message;
  };
  const adminRed = async (village: string, name: string, amount: number) =>
    data(
      await publishBoard(
        b,
        {
          villageId: village,
          board: 'red',
          familyId: member(village, name).familyId,
          title: '好人好事',
          points: amount,
          date: today,
        },
        ADMIN,
      ),
    );
  /** 罗亚倩, a cadre of 斑竹村, puts the family of `name` (of 斑竹村) on the black board for `title`: 0.5 分 off. */
  const cadreBlack = async (name: string, title: string) =>
    data(
      await publishBoard(
        b,
        { board: 'black', familyId: member('banzhu', name).familyId, title, points: -5, date: today },
        'o-luo',
      ),
    );
  let rules: { id: string; code: string; points: number; selfClaim: boolean }[];
  const selfRule = () => rules.find((r) => r.code === 'C01') as { id: string };

  const upload = (openid: string, cloudPath: string) => uploadFile(b, openid, cloudPath);

  beforeAll(async () => {
    b = await startTown({ env: SHOP_SECRETS });
    rules = data(await points('rules.list', {}, 'o-he')).rules;
    await setUpShops(b, [CENTRAL_SHOP, BANZHU_SHOP, LAIFENG_SHOP], [{ name: '傅红', shopId: 'central' }]);
    // Points to spend: the town admin's small red-board bonuses (no second check needed up to 20 分).
    await adminRed('banzhu', '何雄梅', 200);
    await adminRed('banzhu', '何雄梅', 200);
    await adminRed('banzhu', '胡焱', 100);
    data(
      await shop(
        'fund.donate',
        { requestId: rid(), villageId: 'banzhu', amountFen: 100_000, donor: '爱心企业', note: '' },
        ADMIN,
      ),
    );
  });
  afterAll(() => b.stop());

  describe('1. month objection adjustments', () => {
    it('refuses an objection to a month that does not exist or has no results', async () => {
      for (const month of ['2099-12', '2026-06']) {
        await refused(
          () => raiseObjection(b, { target: { type: 'month', id: month }, reason: '结果不公平' }, 'o-he'),
          'REFUSED:MONTH_NOT_FOUND',
        );
      }
    });

    it('refuses the supervisor adjusting his own family, unbounded amounts and duplicates; a second cadre confirms', async () => {
      const objection = data(
        await raiseObjection(b, { target: { type: 'month', id: '2026-11' }, reason: '本月结果有误' }, 'o-he'),
      ).objection;
      const decide = (adjustments: { familyId: string; points: number }[]) => () =>
        decideObjection(
          b,
          { objectionId: objection.id, outcome: 'upheld', reason: '核实有误', adjustments },
          'o-wan',
        );
      const wanFamily = member('banzhu', '万有志').familyId;
      const fuFamily = member('banzhu', '傅红').familyId;
      // 50 × +100 分 for his own family.
      const own = await refused(
        decide(Array.from({ length: 50 }, () => ({ familyId: wanFamily, points: 1000 }))),
        'REFUSED:OWN_FAMILY',
      );
      expect(own).toContain('需由其他干部或镇管理员审核');
      await refused(
        decide([{ familyId: member('banzhu', '何雄梅').familyId, points: 1000 }]),
        'REFUSED:AMOUNT_TOO_LARGE',
      );
      await refused(
        decide([
          { familyId: fuFamily, points: 10 },
          { familyId: fuFamily, points: 10 },
        ]),
        'INVALID_INPUT',
      );
      // Within bounds: upheld, but nothing moves until a second cadre confirms.
      const before = await available('o-fu');
      const decided = await expectUnchanged(b.emu, decide([{ familyId: fuFamily, points: 10 }]), [
        'entries',
        'families',
        'scores',
      ]);
      expect(data(decided).needsSecondCheck).toBe('需由其他干部或镇管理员审核');
      const confirm = (openid: string) => () =>
        points('objections.confirmAdjustments', { objectionId: objection.id }, openid);
      await refused(confirm('o-wan'), 'FORBIDDEN');
      data(await confirm('o-luo')());
      expect(await available('o-fu')).toBe(before + 10);
      await refused(confirm('o-hu'), 'CONFLICT');
    });
  });

  describe('2. red board', () => {
    it('refuses a cadre’s bonus for her own family and bonuses above the village bound', async () => {
      const red = (familyId: string, amount: number) => () =>
        publishBoard(b, { board: 'red', familyId, title: '好人好事', points: amount, date: today }, 'o-luo');
      await refused(red(member('banzhu', '罗亚倩').familyId, 1000), 'REFUSED:OWN_FAMILY');
      await refused(red(member('banzhu', '罗亚倩').familyId, 10), 'REFUSED:OWN_FAMILY');
      await refused(red(member('banzhu', '何雄梅').familyId, 1000), 'REFUSED:AMOUNT_TOO_LARGE');
    });

    it('keeps a bonus above 20 分 pending until another cadre confirms; the publisher cannot', async () => {
      const before = await available('o-he');
      const published = await expectUnchanged(
        b.emu,
        () =>
          publishBoard(
            b,
            {
              board: 'red',
              familyId: member('banzhu', '何雄梅').familyId,
              title: '救火英雄',
              points: 300,
              date: today,
            },
            'o-luo',
          ),
        ['entries', 'families', 'scores'],
      );
      const board = data(published);
      expect(board.board.status).toBe('pending');
      expect(board.needsSecondCheck).toBe('需由其他干部或镇管理员审核');
      await refused(
        () => points('boards.confirm', { boardId: board.board.id }, 'o-luo'),
        'REFUSED:SAME_PERSON',
      );
      // 胡焱 may confirm (he is not of 何's family); then the points move, approved by him.
      data(await points('boards.confirm', { boardId: board.board.id }, 'o-hu'));
      expect(await available('o-he')).toBe(before + 300);
      const ledger = data(await points('ledger.list', {}, 'o-he'));
      expect(ledger.entries.find((e) => e.reason.includes('救火英雄'))).toMatchObject({
        approvedByName: '胡焱',
      });
    });
  });

  describe('2b. black board (maker ≠ checker on deductions too)', () => {
    it('keeps a deduction above 20 分 pending until a second person outside the family confirms it', async () => {
      const hu = member('banzhu', '胡焱');
      const published = await expectUnchanged(
        b.emu,
        () =>
          publishBoard(
            b,
            { board: 'black', familyId: hu.familyId, title: '违规占用耕地', points: -300, date: today },
            'o-luo',
          ),
        ['entries', 'families', 'scores'],
      );
      const board = data(published).board;
      expect(board.status).toBe('pending');
      await refused(() => points('boards.confirm', { boardId: board.id }, 'o-luo'), 'REFUSED:SAME_PERSON');
      await refused(() => points('boards.confirm', { boardId: board.id }, 'o-hu'), 'REFUSED:OWN_FAMILY');
      data(await points('boards.confirm', { boardId: board.id }, ADMIN));
      const ledger = data(await points('ledger.list', {}, 'o-hu')).entries;
      expect(ledger.find((e) => e.reason.includes('违规占用耕地'))?.approvedByName).toBe('镇管理员');
    });
  });

  describe('3. objections upheld again and again', () => {
    it('takes one open objection per target and corrects an entry once; a correction is not corrected', async () => {
      const black = await cadreBlack('胡焱', '乱倒垃圾');
      const entries = data(await points('ledger.list', {}, 'o-hu')).entries;
      const entryId = (entries.find((e) => e.reason.includes('乱倒垃圾')) as { id: string }).id;
      const raise = (openid: string) => () =>
        raiseObjection(b, { target: { type: 'entry', id: entryId }, reason: '不是我家倒的' }, openid);
      const first = data(await raise('o-hu')());
      await refused(raise('o-he'), 'REFUSED:OBJECTION_OPEN');
      data(
        await decideObjection(
          b,
          { objectionId: first.objection.id, outcome: 'upheld', reason: '核实非其所为' },
          'o-wan',
        ),
      );
      const second = data(await raise('o-he')());
      await refused(
        () =>
          decideObjection(
            b,
            { objectionId: second.objection.id, outcome: 'upheld', reason: '再次核实' },
            'o-wan',
          ),
        'REFUSED:ALREADY_CORRECTED',
      );
      // The reversal itself can't be objected to.
      const reversal = data(await points('ledger.list', {}, 'o-hu')).entries.find(
        (e) => e.kind === 'reversal',
      ) as { id: string };
      await refused(
        () => raiseObjection(b, { target: { type: 'entry', id: reversal.id }, reason: '冲正也不对' }, 'o-hu'),
        'REFUSED:CORRECTION_OF_CORRECTION',
      );
      expect(black.board.id).toBeTruthy();
    });

    it('awards a rejected claim upheld on objection once', async () => {
      const photo = await upload('o-he', 'claims/o-he/river.jpg');
      const claim = data(
        await submitClaim(
          b,
          {
            memberId: member('banzhu', '何小明').id,
            ruleId: selfRule().id,
            deedDate: today,
            text: '参加河道清理志愿活动',
            photos: [photo],
          },
          'o-he',
        ),
      ).claim;
      data(await points('review.reject', { claimIds: [claim.id], reason: '照片不清楚' }, 'o-luo'));
      const objectTo = async () =>
        data(
          await raiseObjection(b, { target: { type: 'claim', id: claim.id }, reason: '确实参加了' }, 'o-he'),
        ).objection.id;
      const decide = (id: string) => () =>
        decideObjection(b, { objectionId: id, outcome: 'upheld', reason: '核实参加' }, 'o-wan');
      const before = await available('o-he');
      data(await decide(await objectTo())());
      expect(await available('o-he')).toBe(before + 10);
      await refused(decide(await objectTo()), 'REFUSED:ALREADY_CORRECTED');
    });

    it('corrects a redemption only at the counter, never by objection', async () => {
      const qr = data(await shop('qr.issue', {}, 'o-wan'));
      // 万有志's family has no points: the town admin gives it some, then it redeems.
      await adminRed('banzhu', '万有志', 100);
      const order = data(
        await shop(
          'counter.redeem',
          {
            requestId: rid(),
            shopId: 'central',
            familyId: member('banzhu', '万有志').familyId,
            qr: qr.token,
            items: [{ goodsId: SOAP, quantity: 1 }],
          },
          CLERK,
        ),
      );
      const redemption = data(await points('ledger.list', {}, 'o-wan')).entries.find(
        (e) => e.kind === 'redemption',
      ) as { id: string };
      await refused(
        () =>
          raiseObjection(b, { target: { type: 'entry', id: redemption.id }, reason: '想退回积分' }, 'o-wan'),
        'REFUSED:REDEMPTION_VIA_COUNTER',
      );
      expect(order.order.id).toBeTruthy();
    });
  });

  describe('3b. objections about the supervisor’s own family', () => {
    it('refuses the supervisor deciding, either way, an objection about his family’s record', async () => {
      const { board } = await cadreBlack('万有志', '焚烧秸秆');
      const objection = data(
        await raiseObjection(b, { target: { type: 'board', id: board.id }, reason: '并非万家所为' }, 'o-he'),
      ).objection;
      for (const outcome of ['upheld', 'dismissed'] as const)
        await refused(
          () => decideObjection(b, { objectionId: objection.id, outcome, reason: '核实' }, 'o-wan'),
          'REFUSED:OWN_FAMILY',
        );
      // The town admin may decide it.
      data(await decideObjection(b, { objectionId: objection.id, outcome: 'upheld', reason: '核实' }, ADMIN));
    });
  });

  describe('4. roles', () => {
    it('refuses granting oneself, clerks outside the granter’s shops, central-shop clerks, cadre + supervisor', async () => {
      const grant =
        (name: string, village: string, role: GrantableRole, openid: string, scopeId?: string) => () =>
          accounts('roles.grant', { memberId: member(village, name).id, role, scopeId }, openid);
      await refused(grant('张三', 'laifeng', 'shopClerk', 'o-zhang', 'laifeng-shop'), 'REFUSED:SELF_GRANT');
      await refused(grant('李四', 'laifeng', 'shopClerk', 'o-zhang', 'banzhu-shop'), 'FORBIDDEN');
      await refused(
        grant('李四', 'laifeng', 'shopClerk', 'o-zhang', 'central'),
        'REFUSED:CENTRAL_SHOP_BY_TOWN',
      );
      const central = await refused(
        grant('何雄梅', 'banzhu', 'shopClerk', 'o-luo', 'central'),
        'REFUSED:CENTRAL_SHOP_BY_TOWN',
      );
      expect(central).toContain('镇管理员');
      await refused(grant('罗亚倩', 'banzhu', 'supervisor', 'o-luo'), 'REFUSED:SELF_GRANT');
      await refused(grant('胡焱', 'banzhu', 'supervisor', 'o-luo'), 'REFUSED:ROLE_CONFLICT');
      await refused(grant('万有志', 'banzhu', 'villageCadre', ADMIN), 'REFUSED:ROLE_CONFLICT');
      // A clerk for the granter's own village shop is fine.
      data(await grant('李四', 'laifeng', 'shopClerk', 'o-zhang', 'laifeng-shop')());
    });

    it('shows card UIDs only to the card’s family and refuses a card without a token', async () => {
      const bound = data(
        await shop('cards.bind', { uid: '04:99:88:77:66', memberId: member('banzhu', '何小明').id }, 'o-he'),
      );
      const mine = data(await shop('cards.list', {}, 'o-he')).cards;
      expect(mine.map((c) => c.uid)).toContain(bound.card.uid);
      const seen = data(
        await shop('cards.list', { familyId: member('banzhu', '何雄梅').familyId }, 'o-luo'),
      ).cards;
      expect(JSON.stringify(seen)).not.toContain(bound.card.uid);
      // A cadre can still block it by the reference shown.
      expect(seen[0].uid).toMatch(/^ref-/);
      // The clerk knows the UID (say, from an earlier tap): a card without a token is refused here.
      await refused(
        () =>
          shop(
            'counter.redeem',
            {
              requestId: rid(),
              shopId: 'central',
              familyId: member('banzhu', '何雄梅').familyId,
              card: { uid: bound.card.uid },
              items: [{ goodsId: SOAP, quantity: 1 }],
            },
            CLERK,
          ),
        'REFUSED:TOKEN_REQUIRED',
      );
    });
  });

  describe('5. PIN lockout', () => {
    const redeem =
      (pin: string | undefined, quantity = 5, family = '何雄梅', opener = 'o-he') =>
      async () => {
        const qr = data(await shop('qr.issue', {}, opener));
        return shop(
          'counter.redeem',
          {
            requestId: rid(),
            shopId: 'central',
            familyId: member('banzhu', family).familyId,
            qr: qr.token,
            items: [{ goodsId: SOAP, quantity }],
            ...(pin ? { pin } : {}),
          },
          CLERK,
        );
      };

    beforeAll(async () => {
      data(
        await shop('fund.configure', { villageId: 'banzhu', fenPerPoint: 100, pinAbovePoints: 50 }, ADMIN),
      );
      data(await shop('pins.set', { pin: '2468' }, 'o-he'));
    });

    it('counts 16 parallel wrong PINs before comparing them: at most 5 are tried, none INTERNAL', async () => {
      const before = await snapshot(b.emu, STOCK);
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => redeem(String(1000 + i).padStart(4, '0'))()),
      );
      const codes = results.map((r) => refusal(r).code);
      expect(codes).not.toContain('INTERNAL');
      expect(codes.filter((c) => c === 'REFUSED:PIN_WRONG').length).toBeLessThanOrEqual(4);
      expect(codes.every((c) => ['REFUSED:PIN_WRONG', 'REFUSED:PIN_LOCKED', 'CONFLICT'].includes(c))).toBe(
        true,
      );
      expect(await snapshot(b.emu, STOCK)).toEqual(before);
      // Locked: the right PIN is refused too, and so are small carts under the threshold.
      await refused(redeem('2468'), 'REFUSED:PIN_LOCKED', STOCK);
      await refused(redeem(undefined, 1), 'REFUSED:PIN_LOCKED', STOCK);
    });

    it('counts the day’s total against the PIN threshold, not one cart', async () => {
      b.setClock(addDays(TEST_NOW, 0.02)); // half an hour later: the lock has lapsed
      data(await redeem(undefined, 1)()); // 3.5 分: under the 5 分 threshold
      // Another 3.5 分 cart makes 7 分 today: above the threshold, so the PIN is asked for.
      const message = await refused(redeem(undefined, 1), 'REFUSED:PIN_REQUIRED', STOCK);
      expect(message).toContain('今天已兑换3.5分');
      data(await redeem('2468', 1)());
    });

    it('counts pins.set tries with a wrong old PIN towards the lock, which the right one cannot clear', async () => {
      data(await shop('pins.set', { pin: '1357' }, 'o-hu'));
      for (let i = 0; i < 4; i += 1) {
        expect(refusal(await shop('pins.set', { pin: '0000', oldPin: '9999' }, 'o-hu')).code).toBe(
          'REFUSED:PIN_MISMATCH',
        );
      }
      expect(refusal(await shop('pins.set', { pin: '0000', oldPin: '9999' }, 'o-hu')).code).toBe(
        'REFUSED:PIN_LOCKED',
      );
      await refused(() => shop('pins.set', { pin: '0000', oldPin: '1357' }, 'o-hu'), 'REFUSED:PIN_LOCKED');
    });
  });

  describe('6. goods cost', () => {
    it('refuses a cadre setting a cost far above the points’ value and audits the changes allowed', async () => {
      const soap = data(
        await shop('goods.list', { shopId: 'central', includeOffShelf: true }, ADMIN),
      ).goods.find((g) => g.id === SOAP);
      if (!soap) throw new Error('the central shop has no soap');
      const save = (costFen: number, openid: string) => () =>
        shop(
          'goods.save',
          {
            shopId: 'central',
            goodsId: SOAP,
            name: soap.name,
            category: soap.category,
            unit: soap.unit,
            pricePoints: soap.pricePoints,
            costFen,
            cashPriceFen: soap.cashPriceFen,
            onShelf: true,
          },
          openid,
        );
      await refused(save(50_000_000, 'o-luo'), 'REFUSED:COST_TOO_HIGH');
      data(await save(400, 'o-luo')());
      const trail = data(await points('audit.list', { villageId: 'banzhu' }, ADMIN)).trail;
      expect(trail.find((a) => a.action === 'goods.save')?.summary).toContain('成本由');
    });
  });

  describe('7. dates', () => {
    it('refuses claims and records dated in months long closed', async () => {
      const photo = await upload('o-he', 'claims/o-he/old.jpg');
      await refused(
        () =>
          submitClaim(
            b,
            {
              memberId: member('banzhu', '何小明').id,
              ruleId: selfRule().id,
              deedDate: '1990-01-15',
              text: '很久以前的志愿活动',
              photos: [photo],
            },
            'o-he',
          ),
        'REFUSED:MONTH_CLOSED',
      );
      await refused(
        () =>
          points(
            'records.create',
            {
              requestId: rid(),
              villageId: 'banzhu',
              lines: [
                { memberId: member('banzhu', '何小明').id, ruleId: selfRule().id, deedDate: '1990-02-01' },
              ],
            },
            'o-luo',
          ),
        'REFUSED:MONTH_CLOSED',
      );
    });

    it('refuses champions before the year has ended and for a year without points', async () => {
      const award = (year: string) => () =>
        shop(
          'champions.award',
          { requestId: rid(), villageId: 'banzhu', year, topN: 3, rewardFen: 100 },
          ADMIN,
        );
      await refused(award('2026'), 'REFUSED:YEAR_NOT_OVER');
      await refused(award('2025'), 'REFUSED:NO_POINTS');
    });
  });

  describe('8. smaller', () => {
    it('refuses a restock of −5 (it used to add 5)', async () => {
      await refused(
        () =>
          shop(
            'goods.stock',
            {
              requestId: rid(),
              shopId: 'central',
              goodsId: SOAP,
              kind: 'restock',
              quantity: -5,
              reason: '补货',
            },
            CLERK,
          ),
        'REFUSED:BAD_AMOUNT',
      );
    });

    it('refuses accepting a wish whose quote changed since the family saw it', async () => {
      const wish = data(await requestWish(b, { kind: 'labour', description: '帮忙收割水稻' }, 'o-he')).wish;
      data(await shop('wishes.quote', { wishId: wish.id, points: 50, note: '' }, 'o-luo'));
      data(await shop('wishes.quote', { wishId: wish.id, points: 2000, note: '' }, 'o-luo'));
      const message = await refused(
        () => shop('wishes.accept', { wishId: wish.id, quotePoints: 50 }, 'o-he'),
        'CONFLICT',
      );
      expect(message).toContain('200');
    });

    it('refuses a cadre coordinating (quoting) a wish of her own family', async () => {
      const wish = data(await requestWish(b, { kind: 'repair', description: '修补院墙裂缝' }, 'o-luo')).wish;
      await refused(
        () => shop('wishes.quote', { wishId: wish.id, points: 5, note: '' }, 'o-luo'),
        'REFUSED:OWN_FAMILY',
      );
    });

    it('refuses members of another family in qr.issue and wishes.request', async () => {
      const other = member('banzhu', '傅大爷').id;
      await refused(() => shop('qr.issue', { memberId: other }, 'o-he'), 'FORBIDDEN');
      await refused(
        () => requestWish(b, { kind: 'repair', description: '修房顶漏水', memberId: other }, 'o-he'),
        'FORBIDDEN',
      );
    });

    it('refuses photos never uploaded, of another environment, or with an escaping path', async () => {
      const claim = (photo: string) => () =>
        submitClaim(
          b,
          {
            memberId: member('banzhu', '何小明').id,
            ruleId: selfRule().id,
            deedDate: today,
            text: '参加志愿活动',
            photos: [photo],
          },
          'o-he',
        );
      const real = await upload('o-he', 'claims/o-he/real.jpg');
      const env = /^cloud:\/\/([^.]+)\./.exec(real)?.[1] as string;
      await refused(claim(`cloud://${env}.${env}-emulator/claims/o-he/never.jpg`), 'REFUSED:PHOTO_MISSING');
      await refused(claim(real.replace(`cloud://${env}.`, 'cloud://other-env.')), 'FORBIDDEN');
      await refused(claim(`cloud://${env}.${env}-emulator/claims/o-he/%2e%2e/o-tian/a.jpg`), 'FORBIDDEN');
    });

    it('scopes a request id to its action and refuses it reused with another input', async () => {
      const id = rid();
      data(
        await shop(
          'goods.stock',
          { requestId: id, shopId: 'central', goodsId: SOAP, kind: 'restock', quantity: 5, reason: '补货' },
          'o-luo',
        ),
      );
      const donated = data(
        await shop(
          'fund.donate',
          { requestId: id, villageId: 'banzhu', amountFen: 500, donor: '张老板', note: '' },
          'o-luo',
        ),
      );
      expect(donated.amountFen).toBe(500);
      const qr = data(await shop('qr.issue', {}, 'o-he'));
      const cart = (quantity: number) => ({
        requestId: id,
        shopId: 'central',
        familyId: member('banzhu', '何雄梅').familyId,
        qr: qr.token,
        items: [{ goodsId: SOAP, quantity }],
        pin: '2468',
      });
      data(await shop('counter.redeem', cart(1), CLERK));
      await refused(() => shop('counter.redeem', cart(2), CLERK), 'CONFLICT', STOCK);
      // The same for what is created under an id derived from the request id: a board entry.
      const board = (title: string) => () =>
        points(
          'boards.publish',
          {
            requestId: id,
            villageId: 'banzhu',
            board: 'red',
            familyId: member('banzhu', '何雄梅').familyId,
            title,
            points: 0,
            date: today,
          },
          'o-hu',
        );
      data(await board('热心助人')());
      data(await board('热心助人')()); // a true retry
      await refused(board('另一件好事'), 'CONFLICT');
    });

    it('ranks a family only in its own village, shows 0 分 as 暂无积分, and me is null without a row', async () => {
      await refused(
        () => points('ranking.list', { scope: 'village', villageId: 'banzhu', period: '2026-11' }, 'o-li'),
        'FORBIDDEN',
      );
      // 罗亚倩's family has a row this month without points: its red board entry withdrawn on objection.
      const red = await adminRed('banzhu', '罗亚倩', 10);
      const objection = data(
        await raiseObjection(
          b,
          { target: { type: 'board', id: red.board.id }, reason: '这件好事不是她家做的' },
          'o-fu',
        ),
      ).objection;
      data(
        await decideObjection(
          b,
          { objectionId: objection.id, outcome: 'upheld', reason: '经核实，不属实' },
          'o-wan',
        ),
      );
      const ranking = data(await points('ranking.list', { scope: 'village', period: '2026-11' }, 'o-he'));
      // Only families that earned points take a rank; the others show 暂无积分 (or 暂停评比 while suspended).
      expect(ranking.rows.some((r) => r.earned <= 0)).toBe(true);
      for (const row of ranking.rows) {
        if (row.earned <= 0)
          expect(row).toMatchObject({ rank: null, rankText: row.suspended ? '暂停评比' : '暂无积分' });
        else if (!row.suspended) expect(row.rankText).toBe(`第${row.rank}名`);
      }
      const empty = data(await points('ranking.list', { scope: 'village', period: '2026-01' }, 'o-he'));
      expect(empty.me).toBeNull();
    });

    it('names the town admin 镇管理员 in what villagers see', async () => {
      const ledger = data(await points('ledger.list', {}, 'o-he'));
      const names = ledger.entries.map((e) => e.approvedByName);
      expect(names).toContain('镇管理员');
      expect(names.join()).not.toContain('微信用户');
    });
  });

  describe('9. one cadre in a village', () => {
    it('sends the only cadre’s own records to the town admin, who reviews them', async () => {
      const recorded = data(
        await points(
          'records.create',
          {
            requestId: rid(),
            villageId: 'laifeng',
            lines: [{ memberId: member('laifeng', '李四').id, ruleId: selfRule().id, deedDate: today }],
          },
          'o-zhang',
        ),
      );
      const id = recorded.lines[0].id;
      const message = await refused(
        () => points('review.approve', { claimIds: [id] }, 'o-zhang'),
        'REFUSED:OWN_SUBMISSION',
      );
      expect(message).toContain('需由其他干部或镇管理员审核');
      const queue = data(await points('review.townQueue', {}, ADMIN));
      expect(queue.items.find((i) => i.id === id)?.reason).toContain('镇管理员');
      data(await points('review.approve', { claimIds: [id] }, ADMIN));
    });
  });

  it('keeps stored totals equal to the ledger after all of it', async () => {
    expect(await assertLedgerInvariant(b.emu)).toBeGreaterThan(0);
  });
});
