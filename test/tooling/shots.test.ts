/**
 * `npm run shots`' layout report, without the PNGs: the checks flag a fixture page with 10 px text, one wider
 * than the screen and one whose 确认兑换 is below the first screen, and pass a clean one; two real pages (积分规则
 * and the counter with a cart over the balance) render against the demo town without errors and are checked.
 * Needs Debian's chromium (apt-get install -y chromium), like the command.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium, INSTALL_HINT, type ReportEntry } from '../../scripts/shots/capture';
import { runShots, type ShotsResult } from '../../scripts/shots/index';

jest.setTimeout(120_000);

const fixturesDir = path.join(__dirname, '..', 'fixtures', 'shots');
let outDir = '';
let result: ShotsResult;
const entry = (name: string): ReportEntry => {
  const found = result.report.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in the report: ${result.report.map((e) => e.name).join(', ')}`);
  return found;
};

beforeAll(async () => {
  // Fails with the install command when the browser is missing, as `npm run shots` does.
  findChromium();
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zjf-shots-test-'));
  result = await runShots({
    outDir,
    png: false,
    strict: false,
    fullPage: false,
    only: ['fixture-*', 'rules--demo', 'shop-counter--over-balance'],
    app: true,
    fixturesDir,
    verbose: false,
  });
});

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

it('renders every planned page without errors and writes the report but no PNG', () => {
  expect(result.errors).toEqual([]);
  expect(result.report.map((e) => e.name).sort()).toEqual([
    'fixture-below-fold',
    'fixture-clean',
    'fixture-overflow',
    'fixture-small-text',
    'fixture-squeezed',
    'rules--demo',
    'shop-counter--over-balance',
  ]);
  expect(fs.existsSync(path.join(outDir, 'layout-report.json'))).toBe(true);
  expect(fs.readdirSync(outDir).filter((f) => f.endsWith('.png'))).toEqual([]);
});

it('passes a clean page: no small text, nothing past the edge, 确认兑换 on the first screen', () => {
  const clean = entry('fixture-clean');
  expect(clean.smallText).toEqual([]);
  expect(clean.overflow).toEqual([]);
  expect(clean.pageWidth).toBe(375);
  expect(clean.primary).toMatchObject({ text: '确认兑换', found: true, onFirstScreen: true });
});

it('flags 10 px text (20 rpx at 375 px wide)', () => {
  expect(entry('fixture-small-text').smallText).toEqual([
    expect.objectContaining({ text: '已通过', fontSize: 10 }),
  ]);
  expect(entry('fixture-small-text').overflow).toEqual([]);
});

it('flags a label squeezed to a character or two a line beside buttons, not text with room', () => {
  const squeezed = entry('fixture-squeezed').squeezed;
  expect(squeezed).toEqual([expect.objectContaining({ text: '已选 0 条' })]);
  expect(squeezed[0].lines).toBeGreaterThanOrEqual(3);
  expect(entry('fixture-clean').squeezed).toEqual([]);
  expect(entry('rules--demo').squeezed).toEqual([]);
  expect(entry('shop-counter--over-balance').squeezed).toEqual([]);
});

it('flags an element wider than the screen, not the content of a horizontal scroll-view', () => {
  const overflow = entry('fixture-overflow');
  expect(overflow.overflow).toEqual([expect.objectContaining({ text: '14名成员 × 19条规则', right: 466 })]);
  expect(overflow.smallText).toEqual([]);
});

it('flags 确认兑换 below the first screen (812 px)', () => {
  const primary = entry('fixture-below-fold').primary;
  expect(primary).toMatchObject({ found: true, onFirstScreen: false });
  expect(primary?.top).toBeGreaterThan(812);
});

it('checks real pages rendered against the demo town', () => {
  expect(entry('rules--demo').pageHeight).toBeGreaterThan(812);
  expect(entry('shop-counter--over-balance').primary).toMatchObject({ text: '确认兑换', found: true });
});

it('names the install command when chromium is missing', () => {
  const saved = process.env.CHROMIUM_PATH;
  process.env.CHROMIUM_PATH = '/nonexistent/chromium';
  try {
    expect(() => findChromium()).toThrow(INSTALL_HINT);
  } finally {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  }
});
