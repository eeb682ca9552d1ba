/**
 * The emulator's web page for a town's IT person (http://127.0.0.1:3000/): read-only, in Chinese, in the
 * words the mini-program uses. Points in 分 (the store keeps tenths), times in China time, newest first.
 *
 * - `/` — search families by 户主/成员姓名 or 户号; the latest 积分记录, 申报 and 兑换 of the town; the clock;
 *   each collection with its count.
 * - `/family?id=…` — one family: its members, its ledger entries, its claims and its orders, each linking to
 *   the others (an entry to the claim or order it came from, and back).
 * - `/collection?name=…&offset=…` — one collection's documents as stored, newest first, 50 a page.
 *
 * Pure rendering over what `PageData` gives: the server passes its store; tests can pass anything.
 */
import { chinaDateTime } from '../miniprogram/core/time';
import { formatPoints, formatSignedPoints } from '../miniprogram/core/points';
import type { Doc } from './ejson';
import { toEjson } from './ejson';

export interface PageData {
  collections(): string[];
  all(coll: string): { doc: Doc }[];
  get(coll: string, id: string): { doc: Doc } | undefined;
}

export interface PageContext {
  envId: string;
  /** The clock section's HTML (the server's: it owns the clock). */
  clockHtml: string;
}

const PAGE_SIZE = 50;
const LATEST = 20;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Milliseconds of a stored instant (a Date, EJSON `{$date}`, epoch ms or an ISO string); NaN if none. */
function instantMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  if (value && typeof value === 'object' && '$date' in value)
    return instantMs((value as { $date: unknown }).$date);
  return Number.NaN;
}

/** `2026-11-27 14:05` in China time, or '—'. */
export function chinaTime(value: unknown): string {
  const ms = instantMs(value);
  return Number.isNaN(ms) ? '—' : chinaDateTime(new Date(ms));
}

/** `12.5 分` for tenths; '—' when it is no amount. */
export function points(value: unknown, signed = false): string {
  if (typeof value !== 'number' || !Number.isInteger(value)) return '—';
  return `${signed ? formatSignedPoints(value) : formatPoints(value)} 分`;
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : value == null ? '' : String(value);
const h = (value: unknown): string => escapeHtml(str(value));

function newestFirst(docs: Doc[], field = 'createdAt'): Doc[] {
  return [...docs].sort((a, b) => {
    const diff = (instantMs(b[field]) || 0) - (instantMs(a[field]) || 0);
    return diff !== 0 ? diff : str(b._id).localeCompare(str(a._id));
  });
}

const docs = (data: PageData, coll: string): Doc[] =>
  data.collections().includes(coll) ? data.all(coll).map((d) => d.doc) : [];

const familyLink = (data: PageData, familyId: unknown): string => {
  const family = data.get('families', str(familyId))?.doc;
  const label = family ? `${str(family.headName)}家（户号 ${str(family.householdNumber)}）` : str(familyId);
  return `<a href="/family?id=${encodeURIComponent(str(familyId))}">${h(label)}</a>`;
};

const CLAIM_STATUS: Record<string, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
  withdrawn: '已撤回',
};
const ORDER_STATUS: Record<string, string> = { done: '已兑换', cancelled: '已撤销' };
const ENTRY_SOURCE: Record<string, string> = {
  claim: '申报',
  record: '采集',
  board: '红黑榜',
  objection: '异议',
  redemption: '兑换',
  adjustment: '调整',
};

function villageName(data: PageData, id: unknown): string {
  return str(data.get('villages', str(id))?.doc.name) || str(id);
}

function table(head: string[], rows: string[][], id: string, empty: string): string {
  if (rows.length === 0) return `<p id="${id}" class="empty">${escapeHtml(empty)}</p>`;
  const th = head.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Where an entry came from, as a link: to the claim or order on the family page, else its kind. */
function entrySource(entry: Doc, onFamilyPage: boolean): string {
  const source = (entry.source ?? {}) as { type?: string; id?: string };
  const label = ENTRY_SOURCE[str(source.type)] ?? str(source.type);
  const anchor =
    source.type === 'claim' || source.type === 'record'
      ? `claim-${str(source.id)}`
      : source.type === 'redemption'
        ? `order-${str(source.id)}`
        : '';
  if (!anchor) return h(label);
  const href = onFamilyPage
    ? `#${anchor}`
    : `/family?id=${encodeURIComponent(str(entry.familyId))}#${anchor}`;
  return `<a href="${h(href)}">${h(label)}</a>`;
}

function entryRows(data: PageData, entries: Doc[], onFamilyPage: boolean): string[][] {
  return entries.map((e) => [
    `<span id="entry-${h(e._id)}">${h(chinaTime(e.createdAt))}</span>`,
    ...(onFamilyPage ? [] : [familyLink(data, e.familyId)]),
    h(e.memberName ?? '整户'),
    h(str((e.rule as Doc | null)?.title) || e.reason),
    // The reason only where it says more than the rule's title (a board's citation, a correction's why).
    h(e.reason === str((e.rule as Doc | null)?.title) ? '' : e.reason),
    h(points(e.points, true)),
    h(points(e.availableChange, true)),
    h(e.month),
    entrySource(e, onFamilyPage),
  ]);
}

const ENTRY_HEAD = ['时间', '成员', '规则', '事由', '积分', '可用积分变动', '计入月份', '来源'];

function claimRows(data: PageData, claims: Doc[], onFamilyPage: boolean): string[][] {
  return claims.map((c) => [
    `<span id="claim-${h(c._id)}">${h(chinaTime(c.createdAt))}</span>`,
    ...(onFamilyPage ? [] : [familyLink(data, c.familyId)]),
    h(c.memberName),
    h((c.rule as Doc | null)?.title),
    h(points((c.rule as Doc | null)?.points, true)),
    h(c.kind === 'record' ? '干部采集' : '村民申报'),
    h(CLAIM_STATUS[str(c.status)] ?? c.status),
    c.entryId
      ? `<a href="${onFamilyPage ? '' : `/family?id=${encodeURIComponent(str(c.familyId))}`}#entry-${h(c.entryId)}">积分记录</a>`
      : '—',
  ]);
}

const CLAIM_HEAD = ['提交时间', '成员', '规则', '分值', '方式', '状态', '记入'];

function orderRows(data: PageData, orders: Doc[], onFamilyPage: boolean): string[][] {
  return orders.map((o) => {
    const lines = Array.isArray(o.lines) ? (o.lines as Doc[]) : [];
    const items = lines.map((l) => `${str(l.name)}×${str(l.quantity)}`).join('、');
    const base = onFamilyPage ? '' : `/family?id=${encodeURIComponent(str(o.familyId))}`;
    return [
      `<span id="order-${h(o._id)}">${h(chinaTime(o.createdAt))}</span>`,
      ...(onFamilyPage ? [] : [familyLink(data, o.familyId)]),
      h(o.shopName),
      h(items),
      h(points(o.totalPoints)),
      h(ORDER_STATUS[str(o.status)] ?? o.status),
      o.entryId ? `<a href="${base}#entry-${h(o.entryId)}">积分记录</a>` : '—',
    ];
  });
}

const ORDER_HEAD = ['时间', '超市', '商品', '积分', '状态', '记入'];

function shell(ctx: PageContext, title: string, body: string[]): string {
  return [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · 攒积分本地云开发模拟器</title>`,
    '<style>',
    'body{font-family:"PingFang SC","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222;font-size:15px}',
    'table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border-bottom:1px solid #e5e5e5;padding:.35em .6em;text-align:left;vertical-align:top}',
    'th{background:#f5f6f8;font-weight:600}td:nth-child(n){white-space:nowrap}a{color:#0052d9}',
    'pre{background:#f6f6f6;padding:.5em;overflow:auto}.empty{color:#888}form{margin:.5em 0}',
    'nav a{margin-right:1em}input{font-size:15px;padding:.3em}',
    '</style></head><body>',
    `<nav><a href="/">首页</a><a href="/outbox">订阅消息 JSON</a> 环境 <code>${escapeHtml(ctx.envId)}</code></nav>`,
    ...body,
    '</body></html>',
  ].join('\n');
}

function searchForm(q: string): string {
  return [
    '<form method="get" action="/" id="search">',
    `<input name="q" value="${escapeHtml(q)}" placeholder="户主或成员姓名、户号" size="28"> `,
    '<button type="submit">查找家庭</button></form>',
  ].join('');
}

/** Families whose head or a member is named like `q`, or whose household number is `q` (or contains it). */
export function findFamilies(data: PageData, q: string): Doc[] {
  const query = q.trim();
  if (!query) return [];
  const byMember = new Set(
    docs(data, 'members')
      .filter((m) => str(m.name).includes(query))
      .map((m) => str(m.familyId)),
  );
  return docs(data, 'families')
    .filter(
      (f) =>
        str(f.headName).includes(query) || str(f.householdNumber).includes(query) || byMember.has(str(f._id)),
    )
    .sort(
      (a, b) =>
        str(a.villageId).localeCompare(str(b.villageId)) ||
        str(a.householdNumber).localeCompare(str(b.householdNumber), 'zh-CN', { numeric: true }),
    );
}

export function renderHome(data: PageData, ctx: PageContext, q: string): string {
  const body = ['<h1>本地云开发模拟器</h1>', ctx.clockHtml, '<h2>查找家庭</h2>', searchForm(q)];
  if (q.trim()) {
    const found = findFamilies(data, q);
    body.push(
      table(
        ['户号', '户主', '村（社区）', '可用积分', '暂停评比至'],
        found
          .slice(0, PAGE_SIZE)
          .map((f) => [
            h(f.householdNumber),
            `<a href="/family?id=${encodeURIComponent(str(f._id))}">${h(f.headName)}家</a>`,
            h(villageName(data, f.villageId)),
            h(points(f.available)),
            f.suspendedUntil ? h(chinaTime(f.suspendedUntil)) : '—',
          ]),
        'families',
        `没有找到“${q.trim()}”`,
      ),
    );
    if (found.length > PAGE_SIZE)
      body.push(`<p>共 ${found.length} 户，仅显示前 ${PAGE_SIZE} 户，请输入更完整的姓名或户号</p>`);
  }
  const entries = newestFirst(docs(data, 'entries')).slice(0, LATEST);
  const claims = newestFirst(docs(data, 'claims')).slice(0, LATEST);
  const orders = newestFirst(docs(data, 'orders')).slice(0, LATEST);
  body.push(
    `<h2>最新积分记录（最近 ${LATEST} 条）</h2>`,
    table(
      ['时间', '家庭', ...ENTRY_HEAD.slice(1)],
      entryRows(data, entries, false),
      'latest-entries',
      '还没有积分记录',
    ),
    `<h2>最新申报与采集（最近 ${LATEST} 条）</h2>`,
    table(
      ['提交时间', '家庭', ...CLAIM_HEAD.slice(1)],
      claimRows(data, claims, false),
      'latest-claims',
      '还没有申报',
    ),
    `<h2>最新兑换（最近 ${LATEST} 条）</h2>`,
    table(
      ['时间', '家庭', ...ORDER_HEAD.slice(1)],
      orderRows(data, orders, false),
      'latest-orders',
      '还没有兑换',
    ),
    '<h2>集合</h2>',
    table(
      ['集合', '记录数'],
      data
        .collections()
        .map((name) => [
          `<a href="/collection?name=${encodeURIComponent(name)}">${h(name)}</a>`,
          String(data.all(name).length),
        ]),
      'collections',
      '（没有集合）',
    ),
  );
  return shell(ctx, '首页', body);
}

export function renderFamily(data: PageData, ctx: PageContext, id: string): string | null {
  const family = data.get('families', id)?.doc;
  if (!family) return null;
  const mine = (coll: string) => newestFirst(docs(data, coll).filter((d) => d.familyId === id));
  const members = docs(data, 'members').filter((m) => m.familyId === id);
  const body = [
    `<h1>${h(family.headName)}家</h1>`,
    `<p id="family">户号 ${h(family.householdNumber)} · ${h(villageName(data, family.villageId))} · 可用积分 <strong>${h(points(family.available))}</strong>`,
    family.suspendedUntil ? ` · 暂停评比至 ${h(chinaTime(family.suspendedUntil))}` : '',
    '</p>',
    '<h2>成员</h2>',
    table(
      ['姓名', '与户主关系', '党员', '微信'],
      members.map((m) => [
        h(m.name),
        h(m.relation),
        m.partyMember ? '是' : '否',
        m.openid ? '已绑定' : '未绑定',
      ]),
      'members',
      '没有成员',
    ),
    '<h2>积分记录</h2>',
    table(ENTRY_HEAD, entryRows(data, mine('entries'), true), 'entries', '还没有积分记录'),
    '<h2>申报与采集</h2>',
    table(CLAIM_HEAD, claimRows(data, mine('claims'), true), 'claims', '还没有申报'),
    '<h2>兑换</h2>',
    table(ORDER_HEAD, orderRows(data, mine('orders'), true), 'orders', '还没有兑换'),
  ];
  return shell(ctx, `${str(family.headName)}家`, body);
}

export function renderCollection(
  data: PageData,
  ctx: PageContext,
  name: string,
  offset: number,
): string | null {
  if (!data.collections().includes(name)) return null;
  const all = newestFirst(docs(data, name));
  const start = Math.max(0, Math.min(offset, all.length));
  const shown = all.slice(start, start + PAGE_SIZE);
  const body = [
    `<h1>集合 ${h(name)}（${all.length} 条记录，新的在前）</h1>`,
    shown.length === 0
      ? '<p class="empty">（空）</p>'
      : `<pre id="docs">${escapeHtml(shown.map((d) => JSON.stringify(JSON.parse(toEjson(d)), null, 1)).join('\n'))}</pre>`,
    '<p>',
    start > 0
      ? `<a href="/collection?name=${encodeURIComponent(name)}&offset=${Math.max(0, start - PAGE_SIZE)}">上一页</a> `
      : '',
    start + PAGE_SIZE < all.length
      ? `<a id="next" href="/collection?name=${encodeURIComponent(name)}&offset=${start + PAGE_SIZE}">下一页</a>`
      : '',
    `</p><p>第 ${all.length === 0 ? 0 : start + 1}–${start + shown.length} 条</p>`,
  ];
  return shell(ctx, name, body);
}
