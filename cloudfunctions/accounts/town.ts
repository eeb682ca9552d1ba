/** `town.setup`: the town, its villages and groups, and the default rule catalogue, by a town admin. */
import { DEFAULT_CATALOGUE } from '../../miniprogram/core/catalogue';
import { find, now, transaction, txGet } from '../common/data';
import { townId } from '../common/env';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type GroupDoc,
  type RuleDoc,
  type TownDoc,
  type VillageDoc,
} from '../common/model';
import { audit, newId } from '../common/writes';
import { defineAccountsActions, townSetupInput } from './schemas';

export const townActions = defineAccountsActions({
  /**
   * First-time setup by a town admin: the town, its villages and groups, and the default rule catalogue.
   * Safe to run again: existing villages and groups keep their ids, new ones are added.
   */
  'town.setup': {
    input: townSetupInput,
    roles: ['townAdmin'],
    handler: async (input, { caller }) => {
      const town = townId();
      const at = now();
      const existingVillages = await find<VillageDoc>(
        COLLECTIONS.villages,
        { townId: town },
        { limit: 1000 },
      );
      const existingGroups = await find<GroupDoc>(COLLECTIONS.groups, { townId: town }, { limit: 1000 });
      const existingRules = await find<RuleDoc>(
        COLLECTIONS.rules,
        { townId: town, villageId: null },
        { limit: 1000 },
      );
      return transaction(async (tx) => {
        const existingTown = await txGet<TownDoc>(tx, COLLECTIONS.towns, town);
        await tx
          .collection(COLLECTIONS.towns)
          .doc(town)
          .set({ data: { name: input.name, createdAt: existingTown?.createdAt ?? at } });
        const villages: { id: string; name: string; groups: { id: string; name: string }[] }[] = [];
        for (const v of input.villages) {
          const found = existingVillages.find((e) => e._id === v.id || e.name === v.name);
          const villageId = found?._id ?? v.id ?? newId('v');
          const settings = { ...DEFAULT_VILLAGE_SETTINGS, ...found?.settings, ...v.settings };
          const doc: Omit<VillageDoc, '_id'> = {
            townId: town,
            name: v.name,
            settings,
            createdAt: found?.createdAt ?? at,
          };
          await tx.collection(COLLECTIONS.villages).doc(villageId).set({ data: doc });
          const groups: { id: string; name: string }[] = [];
          for (const [index, groupName] of v.groups.entries()) {
            const existing = existingGroups.find((g) => g.villageId === villageId && g.name === groupName);
            const groupId = existing?._id ?? `${villageId}-g${index + 1}-${newId().slice(-4)}`;
            if (!existing) {
              const group: Omit<GroupDoc, '_id'> = { townId: town, villageId, name: groupName };
              await tx.collection(COLLECTIONS.groups).doc(groupId).set({ data: group });
            }
            groups.push({ id: groupId, name: groupName });
          }
          villages.push({ id: villageId, name: v.name, groups });
        }
        let seededRules = 0;
        for (const [order, rule] of DEFAULT_CATALOGUE.entries()) {
          const ruleId = `${town}_${rule.code}`;
          if (existingRules.some((r) => r._id === ruleId)) continue;
          const doc: Omit<RuleDoc, '_id'> = {
            ...rule,
            townId: town,
            villageId: null,
            version: 1,
            current: true,
            order,
            createdBy: caller.openid,
            createdAt: at,
          };
          await tx.collection(COLLECTIONS.rules).doc(ruleId).set({ data: doc });
          seededRules += 1;
        }
        await audit(tx, caller, {
          townId: town,
          villageId: null,
          action: 'town.setup',
          target: { collection: COLLECTIONS.towns, id: town },
          summary: `设置${input.name}：${villages.length}个村（社区）`,
          at,
        });
        return { townId: town, villages, seededRules };
      });
    },
  },
});
