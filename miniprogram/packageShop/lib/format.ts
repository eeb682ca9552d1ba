/** Display helpers for the shop pages: points and money (China time is core/time's). */
import { formatYuan } from '../../core/fund';
import { formatPoints, type Tenths } from '../../core/points';

export const points = (value: Tenths): string => `${formatPoints(value)}分`;
export const yuan = formatYuan;

/** Parses yuan typed by a person (`12`, `12.5`, `12.34`) into fen; null when not a positive amount. */
export function parseYuan(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}
