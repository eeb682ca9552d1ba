/** Display helpers for the shop pages: points, money and China time. */
import { formatYuan } from '../../core/fund';
import { formatPoints, type Tenths } from '../../core/points';

const CHINA_OFFSET_MS = 8 * 3_600_000;

export const points = (value: Tenths): string => `${formatPoints(value)}分`;
export const yuan = formatYuan;

/** `2026-11-27 14:05` for an ISO instant. */
export function chinaDateTime(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Parses yuan typed by a person (`12`, `12.5`, `12.34`) into fen; null when not a positive amount. */
export function parseYuan(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}
