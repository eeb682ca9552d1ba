/**
 * `npm run setup-town -- --file town.json [--local [--url http://127.0.0.1:3000]]`: first-time setup of a town
 * through the functions' own actions, as the bootstrap town admin (one of `TOWN_ADMINS`): the town, its
 * villages and groups (`accounts/town.setup`), each village's household register from a spreadsheet
 * (`families.import`, .xlsx or .csv), and the first cadres (`invites.create`, then `roles.grant` once they have
 * bound their WeChat). Safe to run again: villages keep their ids, a register is imported only into a village
 * without families, roles already held are kept. The demo town, the benchmark's towns and every test's town are
 * built by this same `setupTown` (`buildTown`), so the production setup path is the one the tests run.
 *
 * The functions trust the caller's WeChat identity (`cloud.getWXContext().OPENID`). `--local` calls the
 * emulator's gateway with `X-WX-OPENID` set to the file's `adminOpenid`. Against the cloud, the admin SDK
 * (@cloudbase/node-sdk `callFunction`) carries no OPENID: the script presents the key set as the accounts
 * function's `ADMIN_API_KEY` (deploy.config.json), which lets it act as a town admin; without the key it says so
 * and stops (see README, 部署到生产环境 → 第一次建镇).
 *
 * town.json: { "name": "福禄镇", "adminOpenid": "o…", "villages": [ { "id": "banzhu", "name": "斑竹村",
 *   "groups": ["一组"], "nameDisplay": "masked", "register": "banzhu.xlsx",
 *   "people": [ { "name": "罗亚倩", "roles": ["villageCadre"], "openid": "o…(optional)" } ] } ] }
 * Register columns: 户号,村民小组,姓名,与户主关系,是否党员,住址 (header first). Paths are relative to town.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { xlsxRows } from '../cloudfunctions/common/xlsx';
import type { Envelope } from '../miniprogram/core/envelope';
import type { GrantableRole } from '../miniprogram/contract/accounts';
import type { NameDisplay } from '../miniprogram/core/names';
import { DEFAULT_CONFIG_PATH, loadDeployConfig } from './deploy/config';
import type { FamiliesImportInput, FamiliesImportOutput } from '../miniprogram/contract/accounts';
import { must, typedCall, type Call } from './lib/call';
import { runAsProgram } from './lib/cli';

/** The roles a town file names: a village's cadres, supervisors and group leaders (the member's own group). */
export type PersonRole = Extract<GrantableRole, 'villageCadre' | 'supervisor' | 'groupLeader'>;

/** A member who links their WeChat, with their roles (none for a villager). */
export interface SetupPerson {
  name: string;
  /** None for a villager. */
  roles?: PersonRole[];
  /** Their WeChat openid, when known: a transport that can act as anyone (the local gateway) binds at once. */
  openid?: string;
}

export interface SetupVillage {
  id?: string;
  name: string;
  groups: string[];
  nameDisplay?: NameDisplay;
  /** .xlsx or .csv household register, relative to the town file. */
  register?: string;
  /** Or the register's CSV text itself (the demo and the tests). */
  registerCsv?: string;
  people?: SetupPerson[];
}

export interface SetupFile {
  name: string;
  adminOpenid: string;
  villages: SetupVillage[];
}

export interface SetupOptions {
  /** The transport can act as any openid (the local gateway): people with an openid bind at once. */
  canActAs: boolean;
  /** Folder the register paths are relative to. */
  baseDir: string;
  log: (line: string) => void;
}

/** A village as set up: its groups, its families and the members looked up by name (the people, and their families). */
export interface BuiltVillage {
  id: string;
  name: string;
  groups: { id: string; name: string }[];
  families: { id: string; headName: string; householdNumber: string }[];
  members: Record<string, { id: string; familyId: string }>;
  imported: { families: number; members: number } | null;
}

export interface SetupReport {
  villages: BuiltVillage[];
  /** Invite codes for people who still have to bind their WeChat (then run the script again). */
  invites: { village: string; name: string; code: string }[];
  granted: { village: string; name: string; role: PersonRole }[];
}

/** The register as the import action takes it: rows of cell text for .xlsx, CSV text for .csv. */
export async function readRegister(file: string): Promise<{ rows: string[][] } | { csv: string }> {
  if (/\.csv$/i.test(file)) return { csv: fs.readFileSync(file, 'utf8') };
  if (!/\.xlsx$/i.test(file))
    throw new Error(`${file}: 户籍表应为 .xlsx 或 .csv / the register must be .xlsx or .csv`);
  return { rows: await xlsxRows(fs.readFileSync(file)) };
}

interface RegisterIndex {
  families: BuiltVillage['families'];
  /** By name: the members of every family looked into, with whether a WeChat user is linked. */
  members: Record<string, { id: string; familyId: string; linked: boolean }>;
}

/** A village's families (pages of 50), and the members of as many families as it takes to find `wanted`. */
async function readVillage(
  call: Call,
  admin: string,
  villageId: string,
  wanted: string[],
): Promise<RegisterIndex> {
  const families: RegisterIndex['families'] = [];
  for (let offset = 0; ; offset += 50) {
    const page = await must(call, 'accounts', 'families.list', { villageId, offset }, admin);
    families.push(
      ...page.families.map(({ id, headName, householdNumber }) => ({ id, headName, householdNumber })),
    );
    if (page.families.length < 50) break;
  }
  const members: RegisterIndex['members'] = {};
  const missing = new Set(wanted);
  for (const family of families) {
    if (missing.size === 0) break;
    const detail = await must(call, 'accounts', 'families.get', { familyId: family.id }, admin);
    for (const m of detail.members) {
      members[m.name] = { id: m.id, familyId: family.id, linked: m.linked };
      missing.delete(m.name);
    }
  }
  return { families, members };
}

/**
 * Sets a town up through the functions' own actions, as its bootstrap town admin: the production setup
 * (`npm run setup-town`) and the demo's and the tests' towns are this one path. Safe to run again.
 */
/**
 * Imports a register as the page does: `families.import` starts the job and imports its first chunk, then
 * `families.importNext` until it is finished. `onChunk` sees the progress after each chunk.
 */
export async function importRegister(
  call: Call,
  input: FamiliesImportInput,
  admin: string,
  onChunk?: (progress: FamiliesImportOutput) => void,
): Promise<FamiliesImportOutput> {
  let progress = await must(call, 'accounts', 'families.import', input, admin);
  onChunk?.(progress);
  while (!progress.finished) {
    progress = await must(call, 'accounts', 'families.importNext', { jobId: progress.jobId }, admin);
    onChunk?.(progress);
  }
  return progress;
}

export async function setupTown(call: Call, spec: SetupFile, opts: SetupOptions): Promise<SetupReport> {
  const admin = spec.adminOpenid;
  const { log } = opts;
  const me = await call('accounts', 'session.me', {}, admin);
  if (!me.ok) throw new Error(`${me.error.code}: ${me.error.message}`);
  if (!me.data.roles.some((r) => r.role === 'townAdmin')) {
    throw new Error(
      `${admin} 不是镇管理员：请把它加入函数环境变量 TOWN_ADMINS 后重新部署。 ${admin} is not a town admin: add it to TOWN_ADMINS and deploy again.`,
    );
  }
  const setup = await must(
    call,
    'accounts',
    'town.setup',
    {
      name: spec.name,
      villages: spec.villages.map((v) => ({
        ...(v.id ? { id: v.id } : {}),
        name: v.name,
        groups: v.groups,
        ...(v.nameDisplay ? { settings: { nameDisplay: v.nameDisplay } } : {}),
      })),
    },
    admin,
  );
  log(`${spec.name}: ${setup.villages.length} 个村（社区）, ${setup.seededRules} 条新规则 / villages set up`);
  const report: SetupReport = { villages: [], invites: [], granted: [] };
  for (const v of spec.villages) {
    const village = setup.villages.find((s) => s.name === v.name);
    if (!village) throw new Error(`town.setup did not answer ${v.name}`);
    const villageId = village.id;
    let imported: BuiltVillage['imported'] = null;
    if (v.register !== undefined || v.registerCsv !== undefined) {
      const existing = await must(call, 'accounts', 'families.list', { villageId, offset: 0 }, admin);
      if (existing.families.length > 0) {
        log(`${v.name}: 已有户籍，跳过导入 / register already imported, skipped`);
      } else {
        const sheet =
          v.registerCsv !== undefined
            ? { csv: v.registerCsv }
            : await readRegister(path.resolve(opts.baseDir, v.register as string));
        const done = await importRegister(call, { villageId, ...sheet }, admin, (p) => {
          if (!p.finished) log(`${v.name}: 已导入 ${p.done}/${p.total} 户 / households so far`);
        });
        imported = { families: done.families, members: done.members };
        log(`${v.name}: 导入 ${done.families} 户、${done.members} 人 / households imported`);
      }
    }
    const people = v.people ?? [];
    const index = await readVillage(
      call,
      admin,
      villageId,
      people.map((p) => p.name),
    );
    for (const person of people) {
      const member = index.members[person.name];
      if (!member)
        throw new Error(
          `${v.name} 的户籍中没有 ${person.name} / ${person.name} is not in ${v.name}'s register`,
        );
      if (!member.linked && person.openid && opts.canActAs) {
        const invite = await must(call, 'accounts', 'invites.create', { memberId: member.id }, admin);
        await must(call, 'accounts', 'invites.redeem', { code: invite.code }, person.openid);
        member.linked = true;
      }
      if (!member.linked) {
        const invite = await must(call, 'accounts', 'invites.create', { memberId: member.id }, admin);
        report.invites.push({ village: v.name, name: person.name, code: invite.code });
        log(
          `${v.name} ${person.name}: 邀请码 ${invite.code}（在小程序“家庭”页绑定后，再运行一次本命令以任命）/ invite code; run again after binding`,
        );
        continue;
      }
      for (const role of person.roles ?? []) {
        await must(call, 'accounts', 'roles.grant', { memberId: member.id, role }, admin);
        report.granted.push({ village: v.name, name: person.name, role });
        log(`${v.name} ${person.name}: ${role}`);
      }
    }
    const members: BuiltVillage['members'] = {};
    for (const [name, { id, familyId }] of Object.entries(index.members)) members[name] = { id, familyId };
    report.villages.push({
      id: villageId,
      name: v.name,
      groups: village.groups,
      families: index.families,
      members,
      imported,
    });
  }
  return report;
}

/**
 * A town for the demo, the benchmark or a test, through `setupTown` on a transport that can act as anyone:
 * its villages by id.
 */
export async function buildTown(call: Call, spec: SetupFile): Promise<Record<string, BuiltVillage>> {
  const report = await setupTown(call, spec, {
    canActAs: true,
    baseDir: process.cwd(),
    log: () => undefined,
  });
  return Object.fromEntries(report.villages.map((v) => [v.id, v]));
}

/** The emulator's gateway: each call made as the given WeChat user (`X-WX-OPENID`). */
export function gatewayCall(baseUrl: string): Call {
  return typedCall(async (fn, action, input, openid) => {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': openid },
      body: JSON.stringify({ action, input }),
    });
    if (!res.ok) throw new Error(`${fn}/${action}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Envelope<unknown>;
  });
}

/** The deployed functions through the admin SDK. The platform gives such calls no OPENID. */
export async function cloudCall(configPath: string): Promise<Call> {
  const config = loadDeployConfig(configPath);
  const missing = ['envId', 'secretId', 'secretKey'].filter((k) => !config[k as 'envId']);
  if (missing.length > 0) {
    throw new Error(
      `缺少 ${missing.join('、')}（deploy.config.json）。 Missing ${missing.join(', ')} in deploy.config.json.`,
    );
  }
  const tcb = (await import('@cloudbase/node-sdk')).default;
  const app = tcb.init({ env: config.envId, secretId: config.secretId, secretKey: config.secretKey });
  const adminKey = config.functionEnv.ADMIN_API_KEY || undefined;
  return typedCall(async (fn, action, input) => {
    const res = await app.callFunction({ name: fn, data: { action, input, adminKey } });
    return res.result as Envelope<unknown>;
  });
}

export const NO_OPENID_MESSAGE = [
  '服务端 SDK 调用没有微信身份（OPENID），需要出示 accounts 函数的 ADMIN_API_KEY 才能以镇管理员身份建镇，但云端没有接受本机的密钥。',
  '请在 deploy.config.json 的 functionEnv 中设置至少32位的 ADMIN_API_KEY，运行 npm run deploy 后重试；也可由镇管理员在小程序“镇管理”页面建镇。',
  "Calls through the admin SDK carry no WeChat identity (OPENID); they act as a town admin only with the accounts function's",
  "ADMIN_API_KEY, and the cloud did not accept this machine's key. Set ADMIN_API_KEY (≥ 32 chars) in deploy.config.json, deploy, retry.",
].join('\n');

export async function main(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = opt('file');
  if (!file) {
    console.error(
      '用法 / usage: npm run setup-town -- --file town.json [--local [--url http://127.0.0.1:3000]]',
    );
    return 2;
  }
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as SetupFile;
  const local = argv.includes('--local');
  const call = local
    ? gatewayCall(opt('url') ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`)
    : await cloudCall(path.resolve(opt('config') ?? DEFAULT_CONFIG_PATH));
  if (!local) {
    const probe = await call('accounts', 'session.me', {}, spec.adminOpenid);
    if (!probe.ok && probe.error.code === 'UNAUTHENTICATED') {
      console.error(NO_OPENID_MESSAGE);
      return 3;
    }
  }
  const report = await setupTown(call, spec, {
    canActAs: local,
    baseDir: path.dirname(path.resolve(file)),
    log,
  });
  log(
    `完成 / done: ${report.villages.length} villages, ${report.granted.length} roles granted, ${report.invites.length} invite codes to hand out`,
  );
  return 0;
}

runAsProgram(module, main, '建镇失败 / Setup failed:');
