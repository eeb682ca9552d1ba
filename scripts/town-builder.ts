/**
 * Builds a town through the functions' own actions (the same paths a town's IT person and cadres take):
 * setup by a bootstrap town admin, household import from CSV, invite codes redeemed by villagers, roles
 * granted. Used by the demo seed, the tests and the benchmark, with any transport that can call an action.
 */
import type { Envelope } from '../miniprogram/core/envelope';

export type Call = (fn: string, action: string, input: unknown, openid: string) => Promise<Envelope<unknown>>;

/** Calls an action and returns its data, or throws with the envelope's error (for setup steps that must work). */
export async function must<T>(
  call: Call,
  fn: string,
  action: string,
  input: unknown,
  openid: string,
): Promise<T> {
  const res = await call(fn, action, input, openid);
  if (!res.ok)
    throw new Error(
      `${fn}/${action} as ${openid} failed: ${res.error.code} ${res.error.message} ${JSON.stringify(res.error.details ?? {})}`,
    );
  return res.data as T;
}

/** What an import job answers after each chunk (accounts/families.import, families.importNext). */
export interface ImportProgress {
  jobId: string;
  total: number;
  done: number;
  finished: boolean;
  families: number;
  members: number;
}

/**
 * Imports a register as the page does: `families.import` starts the job and imports its first chunk, then
 * `families.importNext` until it is finished. `onChunk` sees the progress after each chunk.
 */
export async function importRegister(
  call: Call,
  input: { villageId: string; csv?: string; rows?: string[][]; fileId?: string; requestId?: string },
  admin: string,
  onChunk?: (progress: ImportProgress) => void,
): Promise<ImportProgress> {
  let progress = await must<ImportProgress>(call, 'accounts', 'families.import', input, admin);
  onChunk?.(progress);
  while (!progress.finished) {
    progress = await must<ImportProgress>(
      call,
      'accounts',
      'families.importNext',
      { jobId: progress.jobId },
      admin,
    );
    onChunk?.(progress);
  }
  return progress;
}

export interface PersonSpec {
  openid: string;
  name: string;
  /** Roles beyond villager: `groupLeader` of the person's group, `villageCadre`/`supervisor` of the village. */
  roles?: ('groupLeader' | 'villageCadre' | 'supervisor')[];
}

export interface VillageSpec {
  id: string;
  name: string;
  groups: string[];
  nameDisplay?: 'full' | 'masked';
  /** Household register CSV (户号,村民小组,姓名,与户主关系,是否党员,住址). */
  csv: string;
  /** Members who link their WeChat (by name, unique within the village), with their roles. */
  people: PersonSpec[];
}

export interface TownSpec {
  name: string;
  adminOpenid: string;
  villages: VillageSpec[];
}

export interface BuiltVillage {
  id: string;
  groups: { id: string; name: string }[];
  families: { id: string; headName: string; householdNumber: string }[];
  members: Record<string, { id: string; familyId: string }>;
}

interface FamilyListed {
  id: string;
  headName: string;
  householdNumber: string;
}

interface MemberListed {
  id: string;
  name: string;
}

export async function buildTown(call: Call, spec: TownSpec): Promise<Record<string, BuiltVillage>> {
  const admin = spec.adminOpenid;
  const setup = await must<{
    villages: { id: string; name: string; groups: { id: string; name: string }[] }[];
  }>(
    call,
    'accounts',
    'town.setup',
    {
      name: spec.name,
      villages: spec.villages.map((v) => ({
        id: v.id,
        name: v.name,
        groups: v.groups,
        settings: v.nameDisplay ? { nameDisplay: v.nameDisplay } : undefined,
      })),
    },
    admin,
  );
  const built: Record<string, BuiltVillage> = {};
  for (const v of spec.villages) {
    const groups = setup.villages.find((s) => s.id === v.id)?.groups ?? [];
    await importRegister(call, { villageId: v.id, csv: v.csv }, admin);
    const families: FamilyListed[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = await must<{ families: FamilyListed[] }>(
        call,
        'accounts',
        'families.list',
        { villageId: v.id, offset },
        admin,
      );
      families.push(...page.families);
      if (page.families.length < 50) break;
    }
    const members: BuiltVillage['members'] = {};
    const wanted = new Set(v.people.map((p) => p.name));
    for (const family of families) {
      if (wanted.size === 0) break;
      const detail = await must<{ members: MemberListed[] }>(
        call,
        'accounts',
        'families.get',
        { familyId: family.id },
        admin,
      );
      for (const m of detail.members) {
        members[m.name] = { id: m.id, familyId: family.id };
        wanted.delete(m.name);
      }
    }
    for (const person of v.people) {
      const member = members[person.name];
      if (!member) throw new Error(`${person.name} is not in ${v.name}'s register`);
      const invite = await must<{ code: string }>(
        call,
        'accounts',
        'invites.create',
        { memberId: member.id },
        admin,
      );
      await must(call, 'accounts', 'invites.redeem', { code: invite.code }, person.openid);
      for (const role of person.roles ?? []) {
        await must(call, 'accounts', 'roles.grant', { memberId: member.id, role }, admin);
      }
    }
    built[v.id] = { id: v.id, groups, families, members };
  }
  return built;
}
