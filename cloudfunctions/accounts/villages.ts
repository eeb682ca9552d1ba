/** `villages.*`: the town's villages with their groups, and a village's settings. */
import { requireManage } from '../common/access';
import { find, getById, now, transaction } from '../common/data';
import { townId } from '../common/env';
import type { VillageView } from '../../miniprogram/contract/accounts';
import {
  COLLECTIONS,
  type GroupDoc,
  type TownDoc,
  type VillageDoc,
  type VillageSettings,
} from '../common/model';
import { villageById } from '../common/places';
import { updateWithTrail, villagePlace } from '../common/writes';
import { defineAccountsActions, villageSettingsUpdateInput } from './schemas';
import { emptyInput } from '../common/zod';

/**
 * The settings a village's view shows. The integrity limits and the points year are the server's to apply (the
 * points year has its own actions); they stay out of the answer.
 */
function settingsView(settings: VillageSettings): VillageView['settings'] {
  const { nameDisplay, noticeDays, allowTokenlessCards } = settings;
  return { nameDisplay, noticeDays, ...(allowTokenlessCards === undefined ? {} : { allowTokenlessCards }) };
}

export const villagesActions = defineAccountsActions({
  'villages.list': {
    input: emptyInput,
    handler: async () => {
      const town = townId();
      const [villages, groups, townDoc] = await Promise.all([
        find<VillageDoc>(
          COLLECTIONS.villages,
          { townId: town },
          { limit: 1000, orderBy: [['createdAt', 'asc']] },
        ),
        find<GroupDoc>(COLLECTIONS.groups, { townId: town }, { limit: 1000 }),
        getById<TownDoc>(COLLECTIONS.towns, town),
      ]);
      return {
        town: townDoc ? { id: town, name: townDoc.name } : null,
        villages: villages.map((v) => ({
          id: v._id,
          name: v.name,
          settings: settingsView(v.settings),
          groups: groups.filter((g) => g.villageId === v._id).map((g) => ({ id: g._id, name: g.name })),
        })),
      };
    },
  },

  'villages.updateSettings': {
    input: villageSettingsUpdateInput,
    handler: async ({ villageId, settings }, { caller }) => {
      requireManage(caller, villageId);
      const current = await villageById(villageId);
      const next = { ...current.settings, ...settings };
      await transaction(async (tx) => {
        const change = { settings: next };
        await updateWithTrail(tx, caller, COLLECTIONS.villages, villageId, change, villagePlace(current), {
          action: 'villages.updateSettings',
          summary: `修改${current.name}设置：${JSON.stringify(settings)}`,
          at: now(),
        });
      });
      return { villageId, settings: settingsView(next) };
    },
  },
});
