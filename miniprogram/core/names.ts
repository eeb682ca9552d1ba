/**
 * How names appear on public surfaces (boards, rankings, the 公示 poster, the big screen, the export): a village
 * setting with three levels, from the most to the least revealing. What the public may see of a given person or
 * family is decided once, in `core/publicity.ts`, from this setting; these are the spellings.
 */
export const NAME_DISPLAYS = ['full', 'masked', 'household'] as const;
export type NameDisplay = (typeof NAME_DISPLAYS)[number];

export const NAME_DISPLAY_LABELS: Record<NameDisplay, string> = {
  full: '显示全名',
  masked: '姓名打码',
  household: '只显示户号',
};

/** The less revealing of two levels. */
export function stricterDisplay(a: NameDisplay, b: NameDisplay): NameDisplay {
  return NAME_DISPLAYS.indexOf(a) >= NAME_DISPLAYS.indexOf(b) ? a : b;
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`, `A` → `A`. Keeps the surname's first character only. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** A household by its number alone: `第012户`. */
export function householdLabel(householdNumber: string): string {
  return `第${householdNumber.trim()}户`;
}

/** A person's name at a level; at `household` the person is shown as their household. */
export function displayName(name: string, policy: NameDisplay, householdNumber = ''): string {
  if (policy === 'household') return householdLabel(householdNumber);
  return policy === 'masked' ? maskName(name) : name.trim();
}

/** A family is shown by its head: `张三家` / `张*家`, or by its number: `第012户`. */
export function familyDisplayName(headName: string, policy: NameDisplay, householdNumber = ''): string {
  if (policy === 'household') return householdLabel(householdNumber);
  return `${displayName(headName, policy)}家`;
}
