/**
 * 户籍与角色 (village cadres, town admins): the village's families and their members; importing a household
 * register (.xlsx/.csv chosen from a chat, uploaded under `imports/<openid>/`, then `families.import`) with the
 * server's row-by-row problems listed; an invite code for a member who has not linked WeChat (shown big with its
 * expiry); granting and revoking 村民小组长 and 积分监督员 for linked members.
 */
import type { FamilyMemberView } from '../../contract/accounts';
import type { GrantableRole, RolesListOutput } from '../../contract/cadre';
import type { ErrorBody } from '../../core/envelope';
import { call } from '../../services/client';
import { randomName } from '../../services/request-id';
import { uploadFile } from '../../services/upload';
import { cadreCall } from '../lib/api';
import { listAllFamilies } from '../lib/families';
import { chinaDateTime } from '../lib/format';
import { openVillages, type ScopeVillage } from '../lib/scope';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';
type ImportState = 'idle' | 'uploading' | 'importing' | 'done' | 'failed';

interface MemberRow {
  id: string;
  name: string;
  relation: string;
  linked: boolean;
  roleLabels: string[];
  leader: boolean;
  supervisor: boolean;
}

interface FamilyRow {
  id: string;
  title: string;
  subtitle: string;
  expanded: boolean;
  loading: boolean;
  members: MemberRow[];
}

interface Invite {
  code: string;
  memberName: string;
  expires: string;
}

/** `第3行：户号不能为空` lines from an INVALID_INPUT's issues. */
export function importProblems(error: ErrorBody): string[] {
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .map((issue) => issue as { path?: unknown; message?: unknown })
    .filter((issue) => typeof issue.message === 'string')
    .map((issue) =>
      typeof issue.path === 'string' && issue.path
        ? `${issue.path}：${issue.message}`
        : String(issue.message),
    );
}

type RolesByMember = Map<string, RolesListOutput['people'][number]['roles']>;

function memberRow(member: FamilyMemberView, roles: RolesByMember): MemberRow {
  const held = roles.get(member.id) ?? [];
  return {
    id: member.id,
    name: member.name,
    relation: member.relation,
    linked: member.linked,
    roleLabels: held.map((r) => r.label),
    leader: held.some((r) => r.role === 'groupLeader'),
    supervisor: held.some((r) => r.role === 'supervisor'),
  };
}

interface Hidden {
  villages: ScopeVillage[];
  openid: string;
  roles: RolesByMember;
  members: Map<string, FamilyMemberView[]>;
}
const hidden = new WeakMap<object, Hidden>();
const stateOf = (page: object): Hidden => {
  let state = hidden.get(page);
  if (!state) {
    state = { villages: [], openid: '', roles: new Map(), members: new Map() };
    hidden.set(page, state);
  }
  return state;
};

const ROLE_LABELS: Record<'groupLeader' | 'supervisor', string> = {
  groupLeader: '村民小组长',
  supervisor: '积分监督员',
};

function chooseFile(): Promise<WechatMiniprogram.ChooseFile | null> {
  return new Promise((resolve) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: ['xlsx', 'csv'],
      success: (res) => resolve(res.tempFiles[0] ?? null),
      fail: () => resolve(null),
    });
  });
}

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    villageNames: [] as string[],
    villageIndex: 0,
    families: [] as FamilyRow[],
    importState: 'idle' as ImportState,
    importProgress: 0,
    importMessage: '',
    importProblems: [] as string[],
    invite: null as Invite | null,
    message: '',
    busy: false,
  },

  methods: {
    async onLoad() {
      const scope = await openVillages(this, stateOf(this), ['villageCadre', 'townAdmin']);
      if (!scope) return;
      stateOf(this).openid = scope.session.openid;
      await this.loadFamilies();
    },

    onRetry() {
      return stateOf(this).villages.length > 0 ? this.loadFamilies() : this.onLoad();
    },

    onVillageChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({
        villageIndex: Number(e.detail.value),
        importState: 'idle',
        importProblems: [],
        message: '',
      });
      return this.loadFamilies();
    },

    village(): ScopeVillage | undefined {
      return stateOf(this).villages[this.data.villageIndex];
    },

    /** The village's families (collapsed) and who holds which role. */
    async loadFamilies() {
      const village = this.village();
      if (!village) return;
      this.setData({ status: 'loading', errorMessage: '' });
      const [families, roles] = await Promise.all([
        listAllFamilies(village.id),
        cadreCall('accounts', 'roles.list', { villageId: village.id }),
      ]);
      if (!families.ok) {
        this.setData({ status: 'error', errorMessage: families.error.message });
        return;
      }
      const state = stateOf(this);
      state.roles = new Map();
      state.members = new Map();
      if (roles.ok) {
        for (const person of roles.data.people)
          if (person.memberId) state.roles.set(person.memberId, person.roles);
      }
      const groupName = (id: string) => village.groups.find((g) => g.id === id)?.name ?? '';
      const rows: FamilyRow[] = families.data.map((f) => ({
        id: f.id,
        title: `${f.headName}户`,
        subtitle: `户号 ${f.householdNumber}\u3000${groupName(f.groupId)}`,
        expanded: false,
        loading: false,
        members: [],
      }));
      this.setData({ status: rows.length > 0 ? 'ready' : 'empty', families: rows });
    },

    async onFamilyTap(e: WechatMiniprogram.TouchEvent) {
      const index = this.data.families.findIndex((f) => f.id === e.currentTarget.dataset.id);
      const family = this.data.families[index];
      if (!family) return;
      if (family.expanded) {
        this.setData({ [`families[${index}].expanded`]: false });
        return;
      }
      this.setData({ [`families[${index}].expanded`]: true, [`families[${index}].loading`]: true });
      await this.loadMembers(index);
    },

    async loadMembers(index: number) {
      const family = this.data.families[index];
      const envelope = await call('accounts', 'families.get', { familyId: family.id });
      if (!envelope.ok) {
        this.setData({ [`families[${index}].loading`]: false, [`families[${index}].expanded`]: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const state = stateOf(this);
      state.members.set(family.id, envelope.data.members);
      this.setData({
        [`families[${index}].loading`]: false,
        [`families[${index}].members`]: envelope.data.members.map((m) => memberRow(m, state.roles)),
      });
    },

    /** Choose → upload under imports/<openid>/ → families.import; every row problem listed. */
    async onImport() {
      const village = this.village();
      if (!village || this.data.importState === 'uploading' || this.data.importState === 'importing') return;
      const file = await chooseFile();
      if (!file) return;
      const extension = /\.csv$/i.test(file.name) ? 'csv' : 'xlsx';
      const cloudPath = `imports/${stateOf(this).openid}/${randomName()}.${extension}`;
      this.setData({ importState: 'uploading', importProgress: 0, importMessage: '', importProblems: [] });
      const uploaded = await uploadFile(cloudPath, file.path, (percent) =>
        this.setData({ importProgress: percent }),
      );
      if (!uploaded.ok) {
        this.setData({ importState: 'failed', importMessage: uploaded.message });
        return;
      }
      this.setData({ importState: 'importing' });
      const envelope = await cadreCall('accounts', 'families.import', {
        villageId: village.id,
        fileId: uploaded.fileID,
      });
      if (!envelope.ok) {
        this.setData({
          importState: 'failed',
          importMessage: envelope.error.message,
          importProblems: importProblems(envelope.error),
        });
        return;
      }
      this.setData({
        importState: 'done',
        importMessage: `已导入${envelope.data.families}户、${envelope.data.members}名成员`,
      });
      await this.loadFamilies();
    },

    async onInvite(e: WechatMiniprogram.TouchEvent) {
      if (this.data.busy) return;
      this.setData({ busy: true, message: '' });
      const envelope = await cadreCall('accounts', 'invites.create', {
        memberId: String(e.currentTarget.dataset.id),
      });
      if (!envelope.ok) {
        this.setData({ busy: false, message: envelope.error.message });
        return;
      }
      this.setData({
        busy: false,
        invite: {
          code: envelope.data.code,
          memberName: envelope.data.memberName,
          expires: chinaDateTime(envelope.data.expiresAt),
        },
      });
    },

    onCloseInvite() {
      this.setData({ invite: null });
    },

    /** Grants the role, or revokes it when the member already holds it. */
    async onRoleTap(e: WechatMiniprogram.TouchEvent) {
      const { id, role, family, held } = e.currentTarget.dataset as {
        id: string;
        role: GrantableRole;
        family: string;
        held: boolean;
      };
      const change = held ? 'revoke' : 'grant';
      if (this.data.busy) return;
      this.setData({ busy: true, message: '' });
      const action = change === 'grant' ? 'roles.grant' : 'roles.revoke';
      const envelope = await cadreCall('accounts', action, { memberId: id, role });
      if (!envelope.ok) {
        this.setData({ busy: false, message: envelope.error.message });
        return;
      }
      const state = stateOf(this);
      state.roles.set(
        id,
        envelope.data.roles.filter((r) => r.role !== 'villager'),
      );
      const index = this.data.families.findIndex((f) => f.id === family);
      const members = state.members.get(family) ?? [];
      const label = ROLE_LABELS[role as 'groupLeader' | 'supervisor'] ?? role;
      const name = members.find((m) => m.id === id)?.name ?? '';
      this.setData({
        busy: false,
        message: `${change === 'grant' ? '已任命' : '已撤销'}${name}为${label}`,
        ...(index >= 0
          ? { [`families[${index}].members`]: members.map((m) => memberRow(m, state.roles)) }
          : {}),
      });
    },
  },
});
