/** Display helpers for the cadre pages: China time (+08:00) whatever the phone's zone. */
import { chinaDay } from '../../services/dates';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `2026-11-27 14:05` for an ISO instant. */
export function chinaDateTime(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `11月27日` for an ISO instant. */
export function chinaShortDay(at: string): string {
  const day = chinaDay(at);
  return day ? `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` : '';
}
