/**
 * 我的二维码: the signed code drawn with its 码号 and countdown, a new code fetched before the old one expires
 * (the 码号 changes), 截图无效; the module matrix of a token; errors and the unlinked prompt.
 */
import { nowMs, setClock } from '../../../miniprogram/services/clock';
import { checkInCodeText } from '../../../miniprogram/core/activities';
import { qrModules } from '../../../miniprogram/services/qr-code';
import { decodeModules } from '../../support/qr';
import { backend, callsTo, expectBindPrompt, expectErrorThenRetry, ok, openPage } from '../harness';

const issued = (token: string) => ({
  token,
  issuedAt: '2026-03-05T02:00:00.000Z',
  expiresAt: '2026-03-05T02:02:00.000Z',
  ttlSeconds: 120,
});

interface QrMethods {
  onLoad(): Promise<void>;
  onTick(): Promise<void>;
  onHide(): void;
  onUnload(): void;
}
const openQr = () => openPage<QrMethods & Record<string, never>>('pages/qr/index');

/** Moves the app's clock on by `ms`. */
const wait = (ms: number) => setClock(nowMs() + ms);

beforeEach(() => {
  jest.clearAllMocks();
  // 2026-03-05 10:00 China time, when the codes above were issued.
  setClock('2026-03-05T02:00:00.000Z');
});
afterEach(() => jest.restoreAllMocks());

it('shows the code with its 码号 and countdown, and a new code before it expires', async () => {
  const tokens = ['qr1.f1.m1.abc.mac111aaa', 'qr1.f1.m1.abd.mac222bbb'];
  backend({ 'shop/qr.issue': () => ok(issued(tokens.shift() ?? 'none')) });
  const { methods, text } = await openQr();

  await methods.onLoad();
  expect(text()).toRead(['码号 111AAA', '120秒后自动更新', '截图无效']);

  wait(60_000);
  await methods.onTick();
  expect(text()).toContain('60秒后自动更新');
  expect(callsTo('shop/qr.issue')).toHaveLength(1);

  wait(51_000);
  await methods.onTick();

  expect(callsTo('shop/qr.issue')).toHaveLength(2);
  expect(text()).toContain('码号 222BBB');
  expect(text()).not.toContain('111AAA');
  expect(text()).toContain('120秒后自动更新');
  methods.onUnload();
});

it('refreshes on 立即刷新', async () => {
  const tokens = ['qr1.f1.m1.abc.mac111aaa', 'qr1.f1.m1.abd.mac333ccc'];
  backend({ 'shop/qr.issue': () => ok(issued(tokens.shift() ?? 'none')) });
  const { methods, tap, text } = await openQr();
  await methods.onLoad();

  await tap('#refresh', '.t-button');

  expect(text()).toContain('码号 333CCC');
  methods.onUnload();
});

it('encodes the token as a square QR matrix', () => {
  const modules = qrModules('qr1.f1.m1.mabc123.0123456789abcdef0123456789abcdef');
  expect(modules.length).toBeGreaterThanOrEqual(21);
  expect(modules.every((row) => row.length === modules.length)).toBe(true);
  // The finder pattern's corner is dark.
  expect(modules[0]?.[0]).toBe(true);
});

it('draws codes a camera reads back: 300 payment tokens and check-in codes of every length the server makes', () => {
  // A fixed pseudo-random sequence, so a failure names the same code on every run.
  let seed = 20261201;
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return alphabet[(seed >> 8) % alphabet.length];
    }).join('');
  const hex = (n: number) => pick('0123456789abcdef', n);
  const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const texts = Array.from({ length: 150 }, (_, i) => [
    // qr1.<family>.<member>.<issued ms base36>.<HMAC-SHA256, base64url>
    `qr1.${hex(1 + (i % 32))}.${hex(32)}.${(1_780_000_000_000 + i * 7919).toString(36)}.${pick(base64url, 43)}`,
    checkInCodeText(hex(1 + (i % 32)), 59_000_000 + i * 7919, hex(16 + (i % 3) * 8)),
  ]).flat();
  const unreadable = texts.filter((text) => decodeModules(qrModules(text)) !== text);
  expect(unreadable).toEqual([]);
});

it('shows an error with 重试, and the prompt to bind when not linked', async () => {
  const first = await expectErrorThenRetry<QrMethods & Record<string, never>>(
    'pages/qr/index',
    'shop/qr.issue',
    ok(issued('qr1.f1.m1.abc.mac444ddd')),
    '码号 444DDD',
  );
  first.methods.onUnload();

  await expectBindPrompt('pages/qr/index', 'shop/qr.issue');
});

it('in 关怀模式 draws the code at full width, with the 码号 large', async () => {
  // Prepare
  (getApp() as IAppOption).globalData.careMode = true;
  backend({ 'shop/qr.issue': ok(issued('qr1.f1.m1.abc.mac111aaa')) });
  const { methods, text, page } = await openQr();

  // Act
  await methods.onLoad();

  // Assess
  expect(page.querySelector('.care-mode .qr')).toBeTruthy();
  expect(text()).toContain('码号 111AAA 扫不出时，请收银员输入码号');
  (getApp() as IAppOption).globalData.careMode = false;
});
