/** How names appear on public pages (boards, rankings, the counter): a village setting, full or masked. */
export const NAME_DISPLAYS = ['full', 'masked'] as const;
export type NameDisplay = (typeof NAME_DISPLAYS)[number];

/** `张三` → `张*`, `欧阳娜娜` → `欧***`, `A` → `A`. Keeps the surname's first character only. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function displayName(name: string, policy: NameDisplay): string {
  return policy === 'masked' ? maskName(name) : name.trim();
}

/** A family is shown by its head: `张三家` / `张*家`. */
export function familyDisplayName(headName: string, policy: NameDisplay): string {
  return `${displayName(headName, policy)}家`;
}
