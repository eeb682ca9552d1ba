/**
 * The integrity policy's memory, read and written inside the caller's transaction (`marks` collection): whether a
 * source was already corrected, a family's manual points this month, its points redeemed today.
 */
import { txGet, type Tx } from './data';
import { COLLECTIONS, type MarkDoc } from './model';

export const correctionMark = (sourceId: string) => `corr_${sourceId}`;
export const manualMark = (familyId: string, month: string) => `manual_${familyId}_${month}`;
export const redeemedMark = (familyId: string, day: string) => `day_${familyId}_${day}`;
/**
 * Whether a target has an open objection (1) or not (0): written by the raise and by the decision in their
 * transactions, so two raises at once write the same document and one of them conflicts (under snapshot isolation
 * a query for open objections would let both through).
 */
export const openObjectionMark = (villageId: string, type: string, id: string) =>
  `objection_${villageId}_${type}_${id}`;

export async function txMark(tx: Tx, id: string): Promise<number> {
  return (await txGet<MarkDoc>(tx, COLLECTIONS.marks, id))?.value ?? 0;
}

export async function addToMark(tx: Tx, id: string, before: number, change: number, at: Date): Promise<void> {
  const data: Omit<MarkDoc, '_id'> = { value: before + change, updatedAt: at };
  await tx.collection(COLLECTIONS.marks).doc(id).set({ data });
}
