/**
 * The emulator's page for a town's IT person, fetched over HTTP from an emulator with the demo town and one
 * redemption at the counter: families found by name or household number, points in 分, China time, newest
 * first, and one family's entries, claims and orders linking to each other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator';
import { CENTRAL_SHOP } from '../../scripts/demo-shops';
import { DEMO_FUNCTION_ENV, emulatorCall, seedDemo } from '../../scripts/seed-demo';
import { builtFunctions } from '../support/backend';
import { TEST_NOW } from '../support/clock';

let emu: Emulator;

beforeAll(async () => {
  // Prepare: the demo town (its monthly pass approved), then 傅红 redeems the cheapest item by QR at the central shop.
  emu = await startEmulator({
    clockAt: TEST_NOW,
    port: 0,
    quiet: true,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-page-')),
    functionsDir: await builtFunctions(),
    functionEnv: DEMO_FUNCTION_ENV,
  });
  await seedDemo(emu);
  const call = emulatorCall(emu);
  const qr = await call('shop', 'qr.issue', {}, 'o-fu');
  if (!qr.ok) throw new Error(JSON.stringify(qr));
  const token = (qr.data as { token: string }).token;
  const who = await call('shop', 'counter.identify', { shopId: CENTRAL_SHOP, qr: token }, 'o-hu');
  if (!who.ok) throw new Error(JSON.stringify(who));
  const { familyId, available } = who.data as { familyId: string; available: number };
  const listed = await call('shop', 'goods.list', { shopId: CENTRAL_SHOP }, 'o-hu');
  const goods = listed.ok
    ? (listed.data as { goods: { id: string; pricePoints: number; stock: number }[] }).goods
    : [];
  const cheapest = goods
    .filter((g) => g.stock > 0 && g.pricePoints <= available)
    .sort((a, b) => a.pricePoints - b.pricePoints)[0];
  if (!cheapest) throw new Error(`nothing at ${available} tenths`);
  const order = await call(
    'shop',
    'counter.redeem',
    {
      requestId: 'page-order-0001',
      shopId: CENTRAL_SHOP,
      familyId,
      qr: token,
      items: [{ goodsId: cheapest.id, quantity: 1 }],
    },
    'o-hu',
  );
  if (!order.ok) throw new Error(JSON.stringify(order));
}, 180_000);

afterAll(() => emu?.stop());

async function page(pathAndQuery: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${emu.url}${pathAndQuery}`);
  return { status: res.status, html: await res.text() };
}

/** The family page's address in a search answer, for the family with this head. */
function familyHref(html: string, head: string): string {
  const match = new RegExp(`href="(/family\\?id=[^"]+)">${head}家<`).exec(html);
  if (!match) throw new Error(`no family link for ${head}`);
  return match[1];
}

it('finds a family by a member’s name or by household number, with points in 分', async () => {
  // Act
  const byName = await page(`/?q=${encodeURIComponent('何雄梅')}`);
  const byNumber = await page(`/?q=1`);

  // Assess
  expect(byName.status).toBe(200);
  expect(byName.html).toMatch(
    /<td>1<\/td><td><a href="\/family\?id=[^"]+">何雄梅家<\/a><\/td><td>斑竹村<\/td><td>\d+(\.\d)? 分<\/td>/,
  );
  expect(byNumber.html).toContain('何雄梅家');
  expect((await page(`/?q=${encodeURIComponent('没有这个人')}`)).html).toContain('没有找到“没有这个人”');
});

it('lists the town’s latest entries, claims and orders newest first, in China time, each linking to its family', async () => {
  const { html } = await page('/');

  const times = [...html.matchAll(/<span id="entry-[^"]+">([^<]+)<\/span>/g)].map((m) => m[1]);
  expect(times.length).toBeGreaterThan(0);
  expect(times.every((t) => /^2026-11-20 10:\d\d$/.test(t))).toBe(true); // 02:00 UTC is 10:00 in China
  expect([...times].sort().reverse()).toEqual(times);
  expect(html).not.toMatch(/"available":|\$date|T02:0\d:/);
  expect(html).toMatch(/<table id="latest-orders">[\s\S]*傅红家（户号 \d+）[\s\S]*已兑换/);
  expect(html).toMatch(/<table id="latest-claims">[\s\S]*已通过[\s\S]*积分记录/);
});

it('shows one family with its entries, claims and orders, linked both ways', async () => {
  // Prepare
  const he = familyHref((await page(`/?q=${encodeURIComponent('何雄梅')}`)).html, '何雄梅');
  const fu = familyHref((await page(`/?q=${encodeURIComponent('傅红')}`)).html, '傅红');

  // Act
  const family = (await page(he)).html;
  const shopper = (await page(fu)).html;

  // Assess: an approved claim points at its entry, and the entry back at the claim, on the same page
  expect(family).toContain('<h1>何雄梅家</h1>');
  const claimToEntry = /<span id="claim-([^"]+)">[\s\S]*?<a href="#entry-([^"]+)">积分记录<\/a>/.exec(family);
  expect(claimToEntry).not.toBeNull();
  const [, claimId, entryId] = claimToEntry ?? [];
  expect(family).toContain(`<span id="entry-${entryId}">`);
  expect(family).toContain(`<a href="#claim-${claimId}">采集</a>`);
  expect(family).toMatch(/<td>\+0\.5 分<\/td>/);
  // …and an order at the counter points at its (negative) entry, which points back at the order
  const orderToEntry = /<span id="order-([^"]+)">[\s\S]*?<a href="#entry-([^"]+)">积分记录<\/a>/.exec(
    shopper,
  );
  expect(orderToEntry).not.toBeNull();
  expect(shopper).toContain(`<a href="#order-${orderToEntry?.[1]}">兑换</a>`);
  expect(shopper).toMatch(/<td>-\d+(\.\d)? 分<\/td>/);
});

it('pages a collection newest first, and answers an unknown family or collection with 404', async () => {
  const first = await page('/collection?name=families');
  expect(first.html).toContain('集合 families（84 条记录，新的在前）');
  expect(first.html).toContain('id="next"');
  expect(first.html).toContain('第 1–50 条');
  expect((await page('/collection?name=families&offset=50')).html).toContain('第 51–84 条');
  expect((await page('/family?id=nobody')).status).toBe(404);
  expect((await page('/collection?name=nothing')).status).toBe(404);
});
