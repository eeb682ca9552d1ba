/**
 * The `accounts` cloud function: the town, its villages and groups, families and members (with spreadsheet
 * import), linking a WeChat user to a member by invite code, and roles.
 */
import { randomInt } from 'node:crypto';
import { grantRefusal } from '../../miniprogram/core/access';
import { DEFAULT_CATALOGUE } from '../../miniprogram/core/catalogue';
import { parseCsv, readHouseholds } from '../../miniprogram/core/households';
import { canManageVillage, canOverseeVillage, canRecordForGroup, requireManage } from '../common/access';
import type { Caller, RoleGrant } from '../common/caller';
import { callerName } from '../common/caller';
import {
  _,
  collection,
  find,
  getById,
  now,
  transaction,
  txGet,
  txSet,
  getExisting,
  txGetExisting,
} from '../common/data';
import { allOutcomes, jobItemId, jobView, ownJob, recordChunk } from '../common/jobs';
import { townId, inviteHours } from '../common/env';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../common/errors';
import {
  COLLECTIONS,
  DEFAULT_VILLAGE_SETTINGS,
  type FamilyDoc,
  type GroupDoc,
  type JobDoc,
  type JobOutcome,
  type InviteDoc,
  type MemberDoc,
  type RuleDoc,
  type ShopDoc,
  type TownDoc,
  type UserDoc,
  type VillageDoc,
} from '../common/model';
import { villageById, familyById, txFamilyById } from '../common/places';
import type { AccountsApi } from '../../miniprogram/contract/accounts';
import { readUploadedSheet } from '../common/sheets';
import { audit, derivedId, newId, updateWithTrail, villagePlace } from '../common/writes';
import {
  defineAccountsActions,
  familiesImportInput,
  familiesImportNextInput,
  familiesListInput,
  familyGetInput,
  inviteCreateInput,
  inviteRedeemInput,
  roleChangeInput,
  rolesListInput,
  townSetupInput,
  villageSettingsUpdateInput,
  redBoardConsentInput,
} from './schemas';
import { emptyInput } from '../common/zod';
import { cloudRouter } from '../common/cloud-router';
import { pick } from '../common/fields';

/** Invite codes avoid look-alike characters (0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

function member(memberId: string): Promise<MemberDoc> {
  return getExisting<MemberDoc>(COLLECTIONS.members, memberId, '找不到该成员');
}

function roleLabel(role: RoleGrant['role']): string {
  const labels: Record<RoleGrant['role'], string> = {
    villager: '村民',
    groupLeader: '村民小组长',
    villageCadre: '村干部',
    supervisor: '积分监督员',
    shopClerk: '超市收银员',
    townAdmin: '镇管理员',
  };
  return labels[role];
}

export const accountsActions = defineAccountsActions({
  /** Who am I: identity, linked member, roles. The mini-program calls this at start. */
  'session.me': {
    input: emptyInput,
    handler: async (_input, { caller }) => ({
      openid: caller.openid,
      name: caller.profile?.name ?? null,
      memberId: caller.profile?.memberId ?? null,
      familyId: caller.profile?.familyId ?? null,
      villageId: caller.profile?.villageId ?? null,
      roles: caller.roles.map((grant) => ({ ...grant, label: roleLabel(grant.role) })),
    }),
  },

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
          settings: v.settings,
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
      return { villageId, settings: next };
    },
  },

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

  /** A cadre issues a one-time code that links a villager's WeChat to a member. */
  'invites.create': {
    input: inviteCreateInput,
    handler: async ({ memberId }, { caller }) => {
      const m = await member(memberId);
      requireManage(caller, m.villageId);
      if (m.openid) throw new ConflictError(`${m.name}已绑定微信，如需更换请先解除绑定`);
      const at = now();
      const invite: InviteDoc = {
        _id: newCode(),
        memberId,
        familyId: m.familyId,
        villageId: m.villageId,
        createdBy: caller.openid,
        createdAt: at,
        expiresAt: new Date(at.getTime() + inviteHours() * 3_600_000),
        usedBy: null,
        usedAt: null,
      };
      const { _id: code, ...data } = invite;
      await transaction(async (tx) => {
        await tx.collection(COLLECTIONS.invites).doc(code).set({ data });
        await audit(tx, caller, {
          townId: m.townId,
          villageId: m.villageId,
          action: 'invites.create',
          target: { collection: COLLECTIONS.members, id: memberId },
          summary: `为${m.name}生成绑定邀请码`,
          at,
        });
      });
      return { code, memberName: m.name, expiresAt: invite.expiresAt };
    },
  },

  /** A villager links their WeChat to a member with the code: single use, before it expires. */
  'invites.redeem': {
    input: inviteRedeemInput,
    handler: async ({ code }, { caller }) => {
      const at = now();
      return transaction(async (tx) => {
        const invite = await txGetExisting<InviteDoc>(
          tx,
          COLLECTIONS.invites,
          code,
          '邀请码不存在，请核对后重新输入',
        );
        if (invite.usedBy === caller.openid) return { memberId: invite.memberId, familyId: invite.familyId };
        if (invite.usedBy) throw new RefusedError('INVITE_USED', '该邀请码已被使用，请联系村干部重新生成');
        if (new Date(invite.expiresAt).getTime() <= at.getTime()) {
          throw new RefusedError('INVITE_EXPIRED', '该邀请码已过期，请联系村干部重新生成');
        }
        const m = await txGetExisting<MemberDoc>(tx, COLLECTIONS.members, invite.memberId, '找不到该成员');
        if (m.openid && m.openid !== caller.openid) throw new ConflictError(`${m.name}已绑定其他微信`);
        const user = await txGet<UserDoc>(tx, COLLECTIONS.users, caller.openid);
        if (user?.memberId && user.memberId !== m._id) {
          throw new ConflictError('您的微信已绑定其他成员，一个微信只能绑定一位成员');
        }
        await tx
          .collection(COLLECTIONS.invites)
          .doc(code)
          .update({ data: { usedBy: caller.openid, usedAt: at } });
        await tx
          .collection(COLLECTIONS.members)
          .doc(m._id)
          .update({ data: { openid: caller.openid } });
        const villager: RoleGrant = { role: 'villager', scope: { kind: 'family', id: m.familyId } };
        const next: Omit<UserDoc, '_id'> = {
          townId: m.townId,
          name: m.name,
          memberId: m._id,
          familyId: m.familyId,
          villageId: m.villageId,
          roles: [...(user?.roles ?? []).filter((r) => r.role !== 'villager'), villager],
          updatedAt: at,
        };
        await tx.collection(COLLECTIONS.users).doc(caller.openid).set({ data: next });
        await audit(
          tx,
          { ...caller, profile: { ...(caller.profile ?? emptyProfile()), name: m.name } },
          {
            townId: m.townId,
            villageId: m.villageId,
            action: 'invites.redeem',
            target: { collection: COLLECTIONS.members, id: m._id },
            summary: `${m.name}绑定微信`,
            at,
          },
        );
        return { memberId: m._id, familyId: m.familyId };
      });
    },
  },

  /** Grants a role to a linked member. Village cadres grant group leaders and supervisors in their village. */
  'roles.grant': {
    input: roleChangeInput,
    handler: async (input, { caller }) => changeRole(caller, input, 'grant'),
  },

  'roles.revoke': {
    input: roleChangeInput,
    handler: async (input, { caller }) => changeRole(caller, input, 'revoke'),
  },

  'roles.list': {
    input: rolesListInput,
    handler: async ({ villageId }, { caller }) => {
      if (!canOverseeVillage(caller, villageId)) throw new ForbiddenError('您没有查看本村（社区）角色的权限');
      const users = await find<UserDoc>(COLLECTIONS.users, { villageId }, { limit: 1000 });
      return {
        people: users
          .filter((u) => u.roles.some((r) => r.role !== 'villager'))
          .map((u) => ({
            name: u.name,
            memberId: u.memberId,
            roles: u.roles
              .filter((r) => r.role !== 'villager')
              .map((r) => ({ ...r, label: roleLabel(r.role) })),
          })),
      };
    },
  },
});

function emptyProfile() {
  return { name: '', memberId: null, familyId: null, villageId: null, groupId: null, roles: [] };
}

async function changeRole(
  caller: Caller,
  input: { memberId: string; role: RoleGrant['role']; scopeId?: string },
  change: 'grant' | 'revoke',
) {
  const m = await member(input.memberId);
  if (!m.openid) throw new RefusedError('NOT_LINKED', `${m.name}还未绑定微信，请先让其用邀请码绑定`);
  let scope: RoleGrant['scope'];
  let shop: ShopDoc | null = null;
  switch (input.role) {
    case 'townAdmin':
      scope = { kind: 'town', id: townId() };
      break;
    case 'villageCadre':
      scope = { kind: 'village', id: input.scopeId ?? m.villageId };
      break;
    case 'supervisor':
      scope = { kind: 'village', id: m.villageId };
      break;
    case 'groupLeader': {
      requireManage(caller, m.villageId);
      const group = await getById<GroupDoc>(COLLECTIONS.groups, input.scopeId ?? m.groupId);
      if (!group || group.villageId !== m.villageId) throw new NotFoundError('找不到该村民小组');
      scope = { kind: 'group', id: group._id, villageId: group.villageId };
      break;
    }
    case 'shopClerk':
      if (!input.scopeId) throw new InvalidInputError([{ path: 'scopeId', message: '请选择超市' }]);
      shop = await getExisting<ShopDoc>(COLLECTIONS.shops, input.scopeId, '找不到该超市');
      scope = { kind: 'shop', id: input.scopeId, villageId: shop.villageId };
      break;
    default:
      throw new InvalidInputError([{ path: 'role', message: '村民身份随绑定家庭自动获得，不能任命' }]);
  }
  const grantee = await getById<UserDoc>(COLLECTIONS.users, m.openid);
  const refusal = grantRefusal({
    granter: { openid: caller.openid, roles: caller.roles },
    grantee: { openid: m.openid, roles: grantee?.roles ?? [], villageId: m.villageId },
    role: input.role,
    villageId: scope.kind === 'village' ? scope.id : m.villageId,
    shop,
  });
  // Revoking follows the same "who may" rules; giving a role up never conflicts with another.
  const applies =
    refusal && (change === 'grant' || (refusal.code !== 'SELF_GRANT' && refusal.code !== 'ROLE_CONFLICT'));
  if (refusal && applies)
    throw refusal.code.startsWith('NOT_')
      ? new ForbiddenError(refusal.message, { reason: refusal.code })
      : new RefusedError(refusal.code, refusal.message);
  const openid = m.openid;
  const at = now();
  return transaction(async (tx) => {
    const user = await txGetExisting<UserDoc>(tx, COLLECTIONS.users, openid, '找不到该用户');
    const same = (r: RoleGrant) =>
      r.role === input.role && r.scope.kind === scope.kind && r.scope.id === scope.id;
    const roles =
      change === 'grant'
        ? [...user.roles.filter((r) => !same(r)), { role: input.role, scope }]
        : user.roles.filter((r) => !same(r));
    await updateWithTrail(tx, caller, COLLECTIONS.users, openid, { roles: _.set(roles), updatedAt: at }, m, {
      action: `roles.${change}`,
      summary: `${change === 'grant' ? '任命' : '撤销'}${m.name}为${roleLabel(input.role)}`,
      at,
    });
    return {
      memberId: m._id,
      roles: roles.map((r) => ({ ...r, label: roleLabel(r.role) })),
      by: callerName(caller),
    };
  });
}

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
  return { job: await recordChunk(job, start, outcomes, now()), outcomes };
}

function importView({ job, outcomes }: { job: JobDoc; outcomes: JobOutcome[] }) {
  const imported = allOutcomes(job).filter((o) => o.ok);
  return {
    ...jobView(job, outcomes),
    families: imported.length,
    members: imported.reduce((n, o) => n + (o.members ?? 0), 0),
  };
}

export const main = cloudRouter<AccountsApi>(accountsActions);
