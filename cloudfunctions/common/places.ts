/** Looking up the places everything hangs off, with the one Chinese refusal when they don't exist. */
import { find, getExisting, txGetExisting, type Tx } from './data';
import { COLLECTIONS, type FamilyDoc, type MemberDoc, type UserDoc, type VillageDoc } from './model';

export const VILLAGE_NOT_FOUND = '找不到该村（社区）';
export const FAMILY_NOT_FOUND = '找不到该家庭';
export const MEMBER_NOT_FOUND = '找不到该成员';

export function villageById(villageId: string): Promise<VillageDoc> {
  return getExisting<VillageDoc>(COLLECTIONS.villages, villageId, VILLAGE_NOT_FOUND);
}

export function txVillageById(tx: Tx, villageId: string): Promise<VillageDoc> {
  return txGetExisting<VillageDoc>(tx, COLLECTIONS.villages, villageId, VILLAGE_NOT_FOUND);
}

export function familyById(familyId: string): Promise<FamilyDoc> {
  return getExisting<FamilyDoc>(COLLECTIONS.families, familyId, FAMILY_NOT_FOUND);
}

export function txFamilyById(tx: Tx, familyId: string): Promise<FamilyDoc> {
  return txGetExisting<FamilyDoc>(tx, COLLECTIONS.families, familyId, FAMILY_NOT_FOUND);
}

export function memberById(memberId: string): Promise<MemberDoc> {
  return getExisting<MemberDoc>(COLLECTIONS.members, memberId, MEMBER_NOT_FOUND);
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
