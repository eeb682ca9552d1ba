/**
 * The 公示 poster: a village's month (or year) as a PDF for the notice board, A4 or A3 portrait, Chinese set in
 * Noto Sans SC (embedded as a subset). Families and points by group, the red and black boards, the objections
 * and how they were decided, the notice window, the supervisory team and a mini-program code that opens the
 * village's boards. Names as `core/publicity` allows (the same function as every other public surface).
 */
import { formatPoints } from '../../miniprogram/core/points';
import { dayOf } from '../../miniprogram/core/time';
import { loadPdf } from '../common/pdf';
import { POINTS_CATEGORIES, POINTS_CATEGORY_LABELS, type Notice } from './notice';

export type Paper = 'A4' | 'A3';

const PAPER_WIDTH: Record<Paper, number> = { A4: 595.28, A3: 841.89 };

/** `2026-12-02` → `12月2日`. */
function monthDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

export function periodLabel(period: string): string {
  return period.length === 4 ? `${period}年度` : `${period.slice(0, 4)}年${Number(period.slice(5, 7))}月`;
}

/** The notice window line, in the words of the notice board. */
export function noticeWindowText(notice: Notice): string {
  const tail = '如有异议请向村积分监督小队反映';
  if (notice.noticeStartedAt && notice.noticeEndsAt)
    return `公示期：${monthDay(dayOf(notice.noticeStartedAt))}至${monthDay(dayOf(notice.noticeEndsAt))}，${tail}`;
  if (notice.period.length === 4) return `年度积分结果公示，${tail}`;
  return `本月积分尚未开始公示（${notice.stateLabel}），以下为当前结果；开始公示后，${tail}`;
}

export async function renderPoster(
  notice: Notice,
  opts: { paper: Paper; at: Date; miniProgramCode: Buffer | null },
): Promise<Buffer> {
  const { PDFDocument, fontPath } = await loadPdf();
  const scale = PAPER_WIDTH[opts.paper] / PAPER_WIDTH.A4;
  const margin = 40 * scale;
  const doc = new PDFDocument({
    size: opts.paper,
    margin,
    font: fontPath,
    info: {
      Title: `${notice.villageName}${periodLabel(notice.period)}积分公示`,
      Author: '攒积分',
      Creator: '攒积分',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin;
  const size = (pt: number) => pt * scale;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  doc.fontSize(size(22)).fillColor('#b71c1c');
  doc.text(`${notice.villageName}${periodLabel(notice.period)}积分公示`, margin, margin, {
    width,
    align: 'center',
  });
  doc.moveDown(0.2).fontSize(size(10)).fillColor('#444');
  doc.text(`${notice.townName} · ${notice.villageName} · 制表日期 ${monthDay(dayOf(opts.at))}`, {
    width,
    align: 'center',
  });
  doc.moveDown(0.6).fontSize(size(12)).fillColor('#b71c1c');
  doc.text(noticeWindowText(notice), margin, doc.y, { width, align: 'center' });
  doc.moveDown(0.8);

  // Families by group.
  const columns = [
    { title: '户号', w: 0.1 },
    { title: '家庭', w: 0.2 },
    ...POINTS_CATEGORIES.map((c) => ({ title: POINTS_CATEGORY_LABELS[c], w: 0.11 })),
    { title: '合计', w: 0.12 },
    { title: '名次', w: 0.14 },
  ];
  const rowHeight = size(15);
  const drawRow = (cells: string[], header: boolean) => {
    ensure(rowHeight);
    const y = doc.y;
    if (header) doc.rect(margin, y, width, rowHeight).fill('#f3e5e5');
    doc.fillColor(header ? '#7f0000' : '#111').fontSize(size(9));
    let x = margin;
    cells.forEach((cell, i) => {
      const w = columns[i].w * width;
      doc.text(cell, x + 3, y + size(3), { width: w - 6, align: i < 2 ? 'left' : 'right', lineBreak: false });
      x += w;
    });
    doc
      .moveTo(margin, y + rowHeight)
      .lineTo(margin + width, y + rowHeight)
      .lineWidth(0.3)
      .stroke('#ccc');
    doc.x = margin;
    doc.y = y + rowHeight;
  };
  const groups = [...new Set(notice.families.map((f) => f.group))];
  for (const group of groups) {
    ensure(rowHeight * 3);
    doc
      .fontSize(size(12))
      .fillColor('#111')
      .text(group || '未分组', margin, doc.y, { width });
    doc.moveDown(0.2);
    drawRow(
      columns.map((c) => c.title),
      true,
    );
    for (const f of notice.families.filter((r) => r.group === group)) {
      drawRow(
        [
          f.householdNumber,
          f.name,
          ...POINTS_CATEGORIES.map((c) => (f.byCategory[c] ? formatPoints(f.byCategory[c]) : '')),
          formatPoints(f.earned),
          f.suspended ? '暂停评比' : f.rank ? `第${f.rank}名` : '暂无积分',
        ],
        false,
      );
    }
    doc.moveDown(0.6);
  }

  const section = (title: string, lines: string[], empty: string) => {
    ensure(size(40));
    doc.moveDown(0.4).fontSize(size(13)).fillColor('#7f0000').text(title, margin, doc.y, { width });
    doc.moveDown(0.2).fontSize(size(10)).fillColor('#111');
    for (const line of lines.length ? lines : [empty]) {
      ensure(size(14));
      doc.text(line, margin, doc.y, { width });
    }
  };
  const boardLine = (b: Notice['boards'][number]) =>
    `${monthDay(b.date)}\u3000${b.name}\u3000${b.title}${b.pointsText ? `\u3000${b.pointsText}` : ''}`;
  section('红榜', notice.boards.filter((b) => b.board === 'red').map(boardLine), '本期无红榜');
  section('黑榜', notice.boards.filter((b) => b.board === 'black').map(boardLine), '本期无黑榜');
  section(
    '异议及处理',
    notice.objections.map((o, i) => `${i + 1}. ${monthDay(o.date)}收到${o.about}的异议：${o.outcome}`),
    notice.period.length === 4 ? '本年度未收到异议' : '本期未收到异议',
  );

  // The footer: the supervisory team, the mini-program code, the seal.
  const qr = size(90);
  ensure(qr + size(30));
  doc.moveDown(1);
  const top = doc.y;
  doc.fontSize(size(11)).fillColor('#111');
  doc.text(
    `村积分监督小队：${notice.supervisors.length ? notice.supervisors.join('、') : '（由村民会议推选）'}`,
    margin,
    top,
    { width: width - qr - size(20) },
  );
  doc.moveDown(0.3).text('如对公示结果有异议，请在公示期内向监督小队反映，或在“攒积分”小程序“异议”页提出。', {
    width: width - qr - size(20),
  });
  doc
    .moveDown(1.2)
    .text('村两委（盖章）：　　　　　　　　　　　年　　月　　日', { width: width - qr - size(20) });
  if (opts.miniProgramCode) {
    doc.image(opts.miniProgramCode, margin + width - qr, top, { width: qr, height: qr });
    doc
      .fontSize(size(8))
      .fillColor('#444')
      .text('微信扫码查看本村红黑榜', margin + width - qr - size(10), top + qr + size(2), {
        width: qr + size(20),
        align: 'center',
      });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
