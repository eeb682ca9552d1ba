/**
 * The families of a village (or group): every one, following `families.list`'s pages of 50, and the family
 * picker of a page that works on one family of the chosen village.
 */
import type { FamilySummaryView } from '../../contract/accounts';
import type { Envelope } from '../../core/envelope';
import { call } from '../../services/client';

const PAGE = 50;
const MAX_PAGES = 40;

export async function listAllFamilies(
  villageId: string,
  groupId?: string,
): Promise<Envelope<FamilySummaryView[]>> {
  const families: FamilySummaryView[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const input = { villageId, offset: page * PAGE, ...(groupId ? { groupId } : {}) };
    const envelope = await call('accounts', 'families.list', input);
    if (!envelope.ok) return envelope;
    families.push(...envelope.data.families);
    if (envelope.data.families.length < PAGE) break;
  }
  return { ok: true, data: families };
}

interface DataPage {
  setData(data: Record<string, unknown>): void;
}

/**
 * Fills the page's family picker (`familyLabels`, nothing picked) with the village's families: 'loading' with
 * the page's `reset` keys, then 'error' or 'ready'. The families in the picker's order, or null when they could
 * not be loaded (shown).
 */
export async function openFamilyPicker(
  page: DataPage,
  villageId: string,
  reset: Record<string, unknown>,
): Promise<FamilySummaryView[] | null> {
  page.setData({ status: 'loading', familyIndex: -1, ...reset });
  const families = await listAllFamilies(villageId);
  if (!families.ok) {
    page.setData({ status: 'error', errorMessage: families.error.message });
    return null;
  }
  page.setData({
    status: 'ready',
    familyLabels: families.data.map((f) => `${f.headName}户（${f.householdNumber}）`),
  });
  return families.data;
}
