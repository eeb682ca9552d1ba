/** Looking up the places everything hangs off, with the one Chinese refusal when they don't exist. */
import { getById } from './data';
import { NotFoundError } from './errors';
import { COLLECTIONS, type VillageDoc } from './model';

export async function villageById(villageId: string): Promise<VillageDoc> {
  const doc = await getById<VillageDoc>(COLLECTIONS.villages, villageId);
  if (!doc) throw new NotFoundError('找不到该村（社区）');
  return doc;
}
