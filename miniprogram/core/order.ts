/**
 * How people order the names of a village's register: groups by their number (一组, 二组, 三组 … 十一组, or
 * 1组, 2组), household numbers as numbers (1, 2, 10, not 1, 10, 2). Pure; used by the pages and the functions.
 */

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** The number a Chinese numeral stands for (一 … 九十九, 百 and 千 too), or null if it is not one. */
export function chineseNumeral(text: string): number | null {
  if (!text) return null;
  let total = 0;
  let digit: number | null = null;
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch] as number;
    } else if (ch === '十' || ch === '百' || ch === '千') {
      const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
      total += (digit ?? 1) * unit;
      digit = null;
    } else {
      return null;
    }
  }
  return total + (digit ?? 0);
}

/** The number leading a group's name: `三组` → 3, `第十二村民小组` → 12, `5组` → 5; null when none. */
export function groupNumber(name: string): number | null {
  const match = /^第?(\d+|[〇零一二两三四五六七八九十百千]+)/.exec(name.trim());
  if (!match?.[1]) return null;
  return /^\d+$/.test(match[1]) ? Number(match[1]) : chineseNumeral(match[1]);
}

/** Groups in their number's order; names without a number after those with one, alphabetically. */
export function compareGroupNames(a: string, b: string): number {
  const na = groupNumber(a);
  const nb = groupNumber(b);
  if (na !== null && nb !== null && na !== nb) return na - nb;
  if (na === null && nb !== null) return 1;
  if (na !== null && nb === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Household numbers as numbers where they are (`2` before `10`, `12-2` before `12-10`), the rest as text. Chunked
 * by hand: phones' JavaScript engines do not all carry the collation data `localeCompare`'s numeric option needs.
 */
export function compareHouseholdNumbers(a: string, b: string): number {
  const chunks = (s: string) => s.trim().match(/\d+|\D+/g) ?? [];
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i += 1) {
    const x = ca[i] as string;
    const y = cb[i] as string;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    const diff = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return diff;
  }
  return ca.length - cb.length;
}
