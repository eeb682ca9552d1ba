/**
 * Every list that can grow to hundreds is paged. The server's list actions take an `offset` (their input
 * schemas say so); this lists them from the function sources and checks that each mini-program call of one
 * asks for a page (passes `offset`), so a page that shows such a list can go on past the first 30–50 rows.
 * The few calls that need no paging say why, below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sourceFiles } from '../support/sources';

const ROOT = path.join(__dirname, '..', '..');

/** `fn/action` of every server action whose input schema has an `offset`. */
function pagedActions(): string[] {
  const found: string[] = [];
  for (const fn of ['accounts', 'points', 'shop']) {
    const files = sourceFiles(path.join(ROOT, 'cloudfunctions', fn));
    const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const withOffset = new Set(
      [...text.matchAll(/(?:export )?const (\w+Input) = z[\s\S]*?;\n/g)]
        .filter((m) => /\boffset\b/.test(m[0]))
        .map((m) => m[1]),
    );
    for (const m of text.matchAll(/'([a-zA-Z]+\.[a-zA-Z]+)': \{\s*input: (\w+)/g)) {
      if (withOffset.has(m[2])) found.push(`${fn}/${m[1]}`);
    }
  }
  return found.sort();
}

/** Each mini-program call of `action` (`call('fn', 'a.b', {…})`) with its input text. */
function callsOf(fnAction: string): { file: string; input: string }[] {
  const [fn, action] = fnAction.split('/');
  const calls: { file: string; input: string }[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'miniprogram'))) {
    const text = fs.readFileSync(file, 'utf8');
    const pattern = new RegExp(`\\bcall\\(\\s*'${fn}',\\s*'${action.replace('.', '\\.')}',\\s*`, 'g');
    for (const m of text.matchAll(pattern)) {
      calls.push({ file: path.relative(ROOT, file), input: balanced(text, (m.index ?? 0) + m[0].length) });
    }
  }
  return calls;
}

/** The `{…}` (or other argument) starting at `from`, up to the call's closing parenthesis. */
function balanced(text: string, from: number): string {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth += 1;
    if (c === '}' || c === ')' || c === ']') {
      if (depth === 0) return text.slice(from, i);
      depth -= 1;
    }
  }
  return text.slice(from);
}

/** Calls that need no paging, and why. */
const UNPAGED: Record<string, string> = {
  // Pickers over a village's families read every page themselves, 50 at a time (`offset: page * PAGE`).
  'miniprogram/packageCadre/lib/families.ts': 'follows every page',
  // Counts for the home page's 工作台 ("审核 3"): the first page's length, capped, is the number shown.
  'miniprogram/components/role-entrances/index.ts': 'counts only',
  // After a monthly pass: the group's lines still waiting, a group's few dozen members' lines of one pass.
  'miniprogram/packageCadre/monthly/index.ts': 'one group after one pass',
  // 商品与库存 shows the latest 20 movements as a recent summary; the full record is the export.
  'miniprogram/packageShop/goods/index.ts': 'the latest 20, a summary',
  // 我的心愿: one family's own wishes, a handful a year.
  'miniprogram/pages/wishes/index.ts': "a family's own wishes",
};

it('finds the paged list actions in the function sources', () => {
  expect(pagedActions()).toEqual(
    expect.arrayContaining([
      'accounts/families.list',
      'points/claims.mine',
      'points/ledger.list',
      'points/objections.list',
      'points/review.queue',
      'points/audit.list',
      'shop/orders.list',
      'shop/fund.ledger',
      'shop/goods.movements',
    ]),
  );
});

it.each(pagedActions())('every page that lists %s asks for one page at a time', (fnAction) => {
  const unpaged = callsOf(fnAction)
    .filter((call) => !/\boffset\b/.test(call.input))
    .filter((call) => !(call.file in UNPAGED))
    .map((call) => `${call.file}: ${call.input}`);
  expect(unpaged).toEqual([]);
});
