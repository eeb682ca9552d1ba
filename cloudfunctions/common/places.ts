/** Looking up the places everything hangs off, with the one Chinese refusal when they don't exist. */
import { find, getById } from './data';
import { NotFoundError } from './errors';
import { COLLECTIONS, type UserDoc, type VillageDoc } from './model';

export async function villageById(villageId: string): Promise<VillageDoc> {
  const doc = await getById<VillageDoc>(COLLECTIONS.villages, villageId);
  if (!doc) throw new NotFoundError('找不到该村（社区）');
  return doc;
}

/** The openids of a village's cadres (one read). Where there is only one, the town admin is the second pair of eyes. */
export async function villageCadres(villageId: string): Promise<string[]> {
  const users = await find<UserDoc>(COLLECTIONS.users, { villageId }, { limit: 1000 });
  return users
    .filter((u) =>
      (u.roles ?? []).some(
        (r) => r.role === 'villageCadre' && r.scope.kind === 'village' && r.scope.id === villageId,
      ),
    )
    .map((u) => u._id);
}
