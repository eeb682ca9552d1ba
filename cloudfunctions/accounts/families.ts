/**
 * `families.*`: a village's household register (spreadsheet import in resumable chunks), a family with its
 * members, and the family's consent to full names on the red board.
 */
import { parseCsv, readHouseholds } from '../../miniprogram/core/households';
import { canManageVillage, canOverseeVillage, canRecordForGroup, requireManage } from '../common/access';
import { callerName } from '../common/caller';
import { _, collection, find, getById, now, transaction, txSet } from '../common/data';
import { allOutcomes, jobItemId, jobView, ownJob, recordChunk } from '../common/jobs';
import { ForbiddenError, InvalidInputError } from '../common/errors';
import {
  COLLECTIONS,
  type FamilyDoc,
  type GroupDoc,
  type JobDoc,
  type JobOutcome,
  type MemberDoc,
} from '../common/model';
import { pick } from '../common/fields';
import { villageById, familyById, txFamilyById } from '../common/places';
import { readUploadedSheet } from '../common/sheets';
import { audit, derivedId, newId, updateWithTrail } from '../common/writes';
import {
  defineAccountsActions,
  familiesImportInput,
  familiesImportNextInput,
  familiesListInput,
  familyGetInput,
  redBoardConsentInput,
} from './schemas';

export const familiesActions = defineAccountsActions({
  /**
   * Imports a village's household register: every row valid, or nothing imported and every problem listed. A
   * valid sheet becomes an import job (common/jobs.ts) and its first chunk is imported at once; the rest follow
   * with `families.importNext` until `finished` (a small register is done in this one call). A retried call with
   * the same `requestId` returns the same job; without one, the sheet again is refused (its households exist).
   */
  'families.import': {
    input: familiesImportInput,
    handler: async (input, { caller }) => {
      requireManage(caller, input.villageId);
      const jobId = derivedId('j', caller, input.requestId ?? newId());
      const earlier = await getById<JobDoc>(COLLECTIONS.jobs, jobId);
      if (earlier) return importView(await importChunk(earlier));
      const v = await villageById(input.villageId);
      const groups = await find<GroupDoc>(COLLECTIONS.groups, { villageId: v._id }, { limit: 1000 });
      if (
        input.fileId &&
        !input.fileId.replace(/^cloud:\/\/[^/]+\//, '').startsWith(`imports/${caller.openid}/`)
      ) {
        throw new ForbiddenError('只能导入您本人上传的表格');
      }
      const table = input.fileId
        ? await readUploadedSheet(input.fileId)
        : (input.rows ?? parseCsv(input.csv ?? ''));
      const { households, problems } = readHouseholds(
        table,
        groups.map((g) => g.name),
      );
      if (problems.length === 0 && households.length > 0) {
        const numbers = households.map((h) => h.number);
        for (let i = 0; i < numbers.length; i += 1000) {
          const taken = await find<FamilyDoc>(
            COLLECTIONS.families,
            { villageId: v._id, householdNumber: _.in(numbers.slice(i, i + 1000)) },
            { limit: 1000, fields: { householdNumber: true } },
          );
          for (const family of taken)
            problems.push({ row: 1, message: `户号${family.householdNumber}已导入，不能重复导入` });
        }
      }
      if (problems.length > 0) {
        throw new InvalidInputError(
          problems.map((p) => ({ path: `第${p.row}行`, message: p.message })),
          `表格有${problems.length}处问题，未导入任何数据，请修改后重新导入`,
        );
      }
      const at = now();
      const job: JobDoc = {
        _id: jobId,
        kind: 'familiesImport',
        townId: v.townId,
        villageId: v._id,
        createdBy: caller.openid,
        createdAt: at,
        total: households.length,
        done: 0,
        finished: false,
        chunks: {},
        households,
        updatedAt: at,
      };
      await transaction(async (tx) => {
        await txSet(tx, COLLECTIONS.jobs, job);
        await audit(tx, caller, {
          townId: v.townId,
          villageId: v._id,
          action: 'families.import',
          target: { collection: COLLECTIONS.villages, id: v._id },
          summary: `导入户籍表：${households.length}户、${households.reduce((n, h) => n + h.members.length, 0)}名成员`,
          at,
        });
      });
      return importView(await importChunk(job));
    },
  },

  /** The next chunk of an import job (the caller's own); a finished job is returned as it is. */
  'families.importNext': {
    input: familiesImportNextInput,
    handler: async ({ jobId }, { caller }) => {
      const job = await ownJob(caller, jobId, 'familiesImport');
      requireManage(caller, job.villageId);
      return importView(await importChunk(job));
    },
  },

  'families.list': {
    input: familiesListInput,
    handler: async ({ villageId, groupId, offset }, { caller }) => {
      // A group leader reads the households of the group (月度采集 records for them); the village's overseers all.
      const allowed = groupId
        ? canRecordForGroup(caller, villageId, groupId) || canOverseeVillage(caller, villageId)
        : canOverseeVillage(caller, villageId);
      if (!allowed) throw new ForbiddenError('您没有查看本村（社区）户籍的权限');
      const where = groupId ? { villageId, groupId } : { villageId };
      const families = await find<FamilyDoc>(COLLECTIONS.families, where, {
        orderBy: [['householdNumber', 'asc']],
        skip: offset,
        limit: 50,
      });
      return {
        families: families.map((f) => ({
          id: f._id,
          ...pick(f, ['householdNumber', 'headName', 'groupId', 'available', 'suspendedUntil']),
        })),
      };
    },
  },

  /** A family with its members: the caller's own, or any family of a village the caller oversees. */
  'families.get': {
    input: familyGetInput,
    handler: async (input, { caller }) => {
      const familyId = input.familyId ?? caller.profile?.familyId;
      if (!familyId)
        throw new ForbiddenError('请先在“家庭”页面用邀请码绑定您的家庭', { reason: 'NOT_LINKED' });
      const family = await familyById(familyId);
      if (
        family._id !== caller.profile?.familyId &&
        !canOverseeVillage(caller, family.villageId) &&
        !canRecordForGroup(caller, family.villageId, family.groupId)
      ) {
        throw new ForbiddenError('只能查看本家庭的信息');
      }
      const members = await find<MemberDoc>(COLLECTIONS.members, { familyId }, { limit: 100 });
      const staff = canManageVillage(caller, family.villageId);
      return {
        family: {
          id: family._id,
          householdNumber: family.householdNumber,
          headName: family.headName,
          address: family.address,
          villageId: family.villageId,
          groupId: family.groupId,
          available: family.available,
          suspendedUntil: family.suspendedUntil,
          redBoardConsent: family.redBoardConsent
            ? { at: family.redBoardConsent.at, byName: family.redBoardConsent.byName }
            : null,
        },
        members: members.map((m) => ({
          id: m._id,
          name: m.name,
          relation: m.relation,
          partyMember: m.partyMember,
          linked: m.openid !== null,
          isMe: m.openid === caller.openid,
          // Cadres see who is linked; villagers only whether.
          ...(staff ? { openid: m.openid } : {}),
        })),
      };
    },
  },

  /**
   * 我的家庭: a linked member gives or withdraws the family's consent to its full name on the red board (个人信息
   * 保护法 art. 25). Without it the red board masks the name; every change is in the audit.
   */
  'families.setRedBoardConsent': {
    input: redBoardConsentInput,
    handler: async ({ consent }, { caller }) => {
      const familyId = caller.profile?.familyId;
      if (!familyId)
        throw new ForbiddenError('请先在“家庭”页面用邀请码绑定您的家庭', { reason: 'NOT_LINKED' });
      const at = now();
      return transaction(async (tx) => {
        const family = await txFamilyById(tx, familyId);
        const value = consent ? { at, by: caller.openid, byName: callerName(caller) } : null;
        const change = { redBoardConsent: value };
        await updateWithTrail(tx, caller, COLLECTIONS.families, familyId, change, family, {
          action: 'families.setRedBoardConsent',
          summary: consent ? '同意在红榜上公开家庭成员全名' : '撤回在红榜上公开全名的同意',
          at,
        });
        return { redBoardConsent: value ? { at: value.at, byName: value.byName } : null };
      });
    },
  },
});

/**
 * Households per import chunk, and members: each chunk makes 6 database requests with the caller's profile (the
 * job, the households and members already there, two batch inserts, the progress), far inside
 * CHUNK_REQUEST_BUDGET; the sizes keep each query's answer under the SDK's 1,000 documents.
 */
export const IMPORT_CHUNK_HOUSEHOLDS = 200;
const IMPORT_CHUNK_MEMBERS = 1000;

/**
 * Imports the next households of the job: families and members under ids derived from the job and the row, so a
 * chunk run again finds what it wrote before and writes only what is missing. A household number another import
 * took meanwhile is skipped and says so.
 */
async function importChunk(job: JobDoc): Promise<{ job: JobDoc; outcomes: JobOutcome[] }> {
  const households = job.households ?? [];
  if (job.finished) return { job, outcomes: [] };
  const start = job.done;
  let end = start;
  let memberCount = 0;
  while (
    end < households.length &&
    end - start < IMPORT_CHUNK_HOUSEHOLDS &&
    (end === start || memberCount + households[end].members.length <= IMPORT_CHUNK_MEMBERS)
  ) {
    memberCount += households[end].members.length;
    end += 1;
  }
  const slice = households.slice(start, end);
  const familyIds = slice.map((_h, k) => jobItemId('f', job._id, start + k));
  const [present, presentMembers, groups] = await Promise.all([
    find<FamilyDoc>(
      COLLECTIONS.families,
      { villageId: job.villageId, householdNumber: _.in(slice.map((h) => h.number)) },
      { limit: 1000, fields: { householdNumber: true } },
    ),
    find<MemberDoc>(
      COLLECTIONS.members,
      { familyId: _.in(familyIds) },
      { limit: 1000, fields: { _id: true } },
    ),
    find<GroupDoc>(COLLECTIONS.groups, { villageId: job.villageId }, { limit: 1000 }),
  ]);
  const memberIds = new Set(presentMembers.map((m) => m._id));
  const families: FamilyDoc[] = [];
  const members: MemberDoc[] = [];
  const outcomes: JobOutcome[] = slice.map((household, k) => {
    const familyId = familyIds[k];
    const holder = present.find((f) => f.householdNumber === household.number);
    const label = `${household.headName}家`;
    if (holder && holder._id !== familyId)
      return {
        key: household.number,
        label,
        ok: false,
        message: `户号${household.number}已存在，未重复导入`,
      };
    const group = groups.find((g) => g.name === household.groupName);
    if (!group)
      return { key: household.number, label, ok: false, message: `村民小组“${household.groupName}”不存在` };
    if (!holder)
      families.push({
        _id: familyId,
        townId: job.townId,
        villageId: job.villageId,
        groupId: group._id,
        householdNumber: household.number,
        headName: household.headName,
        address: household.address,
        available: 0,
        suspendedUntil: null,
        createdAt: job.createdAt,
      });
    household.members.forEach((m, j) => {
      const id = jobItemId('m', job._id, start + k, j);
      if (memberIds.has(id)) return;
      members.push({
        _id: id,
        townId: job.townId,
        villageId: job.villageId,
        groupId: group._id,
        familyId,
        name: m.name,
        relation: m.relation,
        partyMember: m.partyMember,
        openid: null,
      });
    });
    return { key: household.number, label, ok: true, message: '已导入', members: household.members.length };
  });
  // Batch inserts (the SDK takes an array): a family before its members, each batch all or nothing here.
  if (families.length > 0) await collection(COLLECTIONS.families).add({ data: families });
  if (members.length > 0) await collection(COLLECTIONS.members).add({ data: members });
  return { job: (await recordChunk(job, start, outcomes, now())).job, outcomes };
}

function importView({ job, outcomes }: { job: JobDoc; outcomes: JobOutcome[] }) {
  const imported = allOutcomes(job).filter((o) => o.ok);
  return {
    ...jobView(job, outcomes),
    families: imported.length,
    members: imported.reduce((n, o) => n + (o.members ?? 0), 0),
  };
}
