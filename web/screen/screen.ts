/**
 * The big screen (村委会 / 镇政府大厅): fetches what the display link may show, rotates its panels every few
 * seconds and fetches again every minute. A link that is revoked or made up shows one line and no data.
 * Token: `?t=<token>` (static hosting) or the last path segment (`/screen/<token>`, the local emulator).
 */
import type { ScreenAnswer, ScreenData } from '../../miniprogram/contract/screen';
import { serverNow, syncWithServer } from './clock';

declare global {
  interface Window {
    /** Where the `screen` function answers: set by config.js (the deploy or the emulator writes it). */
    ZJF_SCREEN_API?: string;
  }
}

const ROTATE_MS = 8000;
const REFRESH_MS = 60_000;

const $ = (id: string) => document.getElementById(id) as HTMLElement;

function token(): string {
  const fromQuery = new URLSearchParams(location.search).get('t');
  if (fromQuery) return fromQuery;
  const last = location.pathname.split('/').filter(Boolean).pop() ?? '';
  return last === 'screen' || last.endsWith('.html') ? '' : decodeURIComponent(last);
}

function el(tag: string, className: string, text = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

function row(cells: [string, string][]): HTMLElement {
  const line = el('div', 'row');
  for (const [cls, text] of cells) line.appendChild(el('span', cls, text));
  return line;
}

const chinaDate = (d: Date) => new Date(d.getTime() + 8 * 3600_000);
const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

function countdown(endsAtIso: string): string {
  const left = new Date(endsAtIso).getTime() - serverNow().getTime();
  if (left <= 0) return '公示期已满';
  const days = Math.floor(left / 86_400_000);
  const hours = Math.floor((left % 86_400_000) / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return `${days}天${hours}小时${minutes}分`;
}

type Panel = (data: ScreenData) => HTMLElement;

const panels: Panel[] = [
  (data) => {
    const box = el('div', '');
    box.appendChild(el('h2', '', `${monthLabel(data.month)}积分排行`));
    const rows = el('div', 'rows');
    for (const r of data.ranking)
      rows.appendChild(
        row([
          ['rank', r.rankText],
          ['name', data.scope === 'town' ? `${r.name}（${r.villageName}）` : r.name],
          ['points', `${r.pointsText}分`],
        ]),
      );
    box.appendChild(data.ranking.length ? rows : el('div', 'empty', '本月暂无积分'));
    return box;
  },
  (data) => {
    const box = el('div', '');
    box.appendChild(el('h2', '', `${monthLabel(data.month)}红榜`));
    const rows = el('div', 'rows');
    for (const r of data.redBoard)
      rows.appendChild(
        row([
          ['name', r.name],
          ['sub', r.title],
          ['points', r.pointsText ? `${r.pointsText}分` : ''],
        ]),
      );
    box.appendChild(data.redBoard.length ? rows : el('div', 'empty', '本月暂无红榜'));
    return box;
  },
  (data) => {
    const box = el('div', '');
    box.appendChild(el('h2', '', '积分公示'));
    if (!data.notices.length) box.appendChild(el('div', 'empty', '当前没有正在公示的月份'));
    for (const n of data.notices) {
      box.appendChild(el('div', 'row', `${n.villageName} ${monthLabel(n.month)}积分结果${n.stateLabel}`));
      if (n.noticeEndsAt) box.appendChild(el('div', 'big', `距公示结束 ${countdown(n.noticeEndsAt)}`));
    }
    box.appendChild(el('div', 'empty', '如有异议，请向村积分监督小队反映'));
    return box;
  },
  (data) => {
    const box = el('div', '');
    box.appendChild(el('h2', '', '积分基金池'));
    box.appendChild(el('div', 'big', `基金余额 ${data.fund.balanceYuan} 元`));
    box.appendChild(
      el(
        'div',
        'empty',
        `村民手中待兑换积分 ${data.fund.outstandingPointsText} 分，约合 ${data.fund.outstandingYuan} 元` +
          (data.fund.coveragePercent === null ? '' : `；基金保障率 ${data.fund.coveragePercent}%`),
      ),
    );
    return box;
  },
];

let current: ScreenData | null = null;
let shown = 0;

function renderFrame(): void {
  if (!current) return;
  const data = current;
  $('title').textContent = `${data.title}积分公示`;
  const notice = data.notices.find((n) => n.noticeEndsAt);
  $('notice').textContent = notice?.noticeEndsAt
    ? `${monthLabel(notice.month)}公示中 · 剩余 ${countdown(notice.noticeEndsAt)}`
    : '';
  const d = chinaDate(serverNow());
  $('clock').textContent =
    `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  $('awarded').textContent = `${data.flows.awardedText}分`;
  $('redeemed').textContent = `${data.flows.redeemedText}分`;
  $('balance').textContent = `${data.fund.balanceYuan}元`;
  $('outstanding').textContent = `${data.fund.outstandingPointsText}分`;
  $('coverage').textContent = data.fund.coveragePercent === null ? '—' : `${data.fund.coveragePercent}%`;
  const panel = $('panel');
  panel.replaceChildren(panels[shown % panels.length](data));
  panel.dataset.panel = String(shown % panels.length);
  $('dots').textContent = panels.map((_, i) => (i === shown % panels.length ? '●' : '○')).join(' ');
}

function showGone(message: string): void {
  current = null;
  $('screen').hidden = true;
  const gone = $('gone');
  gone.hidden = false;
  gone.textContent = message;
}

async function refresh(): Promise<void> {
  const api = window.ZJF_SCREEN_API ?? '/screen-api';
  try {
    const res = await fetch(`${api}?t=${encodeURIComponent(token())}`, { cache: 'no-store' });
    const answer = (await res.json()) as ScreenAnswer;
    if (!answer.ok) {
      showGone(answer.error.message);
      return;
    }
    syncWithServer(answer.data.now);
    current = answer.data;
    $('gone').hidden = true;
    $('screen').hidden = false;
    renderFrame();
  } catch {
    // Keep what is shown through a network hiccup; the next refresh tries again.
    if (!current) showGone('正在连接……');
  }
}

void refresh();
setInterval(() => void refresh(), REFRESH_MS);
setInterval(() => {
  shown += 1;
  renderFrame();
}, ROTATE_MS);
