/** Every family of a village (or group), following `families.list`'s pages of 50. */
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
