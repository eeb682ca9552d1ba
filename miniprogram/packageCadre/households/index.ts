/**
 * 户籍与角色 (village cadres, town admins): the village's families and their members; importing a household
 * register (.xlsx/.csv chosen from a chat, uploaded under `imports/<openid>/`, then `families.import`) with the
 * server's row-by-row problems listed; an invite code for a member who has not linked WeChat (shown big with its
 * expiry); granting and revoking 村民小组长 and 积分监督员 for linked members; 绑定积分卡 for a member (by NFC, for
 * villagers without a phone: components/card-bind on their behalf, the signed token written to the tag) and the
 * family's cards with 挂失 (cards.list {familyId}, cards.block). The families come sorted by 户号 as numbers
 * (1, 2, 10), can be searched by 户号 or name and filtered by 村民小组 (groups 一组, 二组 … in order), and are
 * shown a page of 30 at a time: villages have hundreds of households.
 */
import { chinaDateTime } from '../../core/time';
import type { FamilyMemberView } from '../../contract/accounts';
import type { FamiliesImportOutput, GrantableRole, RolesListOutput } from '../../contract/accounts';
import type { CardView } from '../../contract/shop';
import type { ErrorBody } from '../../core/envelope';
import { call } from '../../services/client';
import { errorText } from '../../services/errors';
import { spacedUid } from '../../services/nfc';
import { newRequestId, randomName } from '../../services/request-id';
import { uploadFile } from '../../services/upload';
import { listAllFamilies } from '../lib/families';
import { compareGroupNames, compareHouseholdNumbers } from '../../core/order';

import { villagesReaching } from '../lib/scope';
import { villageScope, type ScopeVillage } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';

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
  cards: CardRow[];
}

interface CardRow {
  uid: string;
  uidText: string;
  statusLabel: string;
  blocked: boolean;
}

/** The 绑定积分卡 panel around components/card-bind; `busy` while it talks to the server or the tag. */
interface BindPanel {
  memberId: string;
  memberName: string;
  busy: boolean;
}

interface CardBindInstance {
  stop(): void;
}

/** Families shown at a time; 显示更多 adds as many again. */
export const FAMILY_PAGE = 30;
const ALL_GROUPS = '全部小组';

interface FamilyRow {
  id: string;
  /** Hidden fields the search and the group filter read (not rendered). */
  householdNumber: string;
  groupId: string;
  title: string;
  subtitle: string;
  expanded: boolean;
  loading: boolean;
  members: MemberRow[];
  cardsMessage: string;
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

function cardRow(card: CardView): CardRow {
  const blocked = card.status === 'blocked';
  // Only the card's own family sees its UID; a cadre gets a reference to block it with.
  const uidText = card.uid.startsWith('ref-') ? '卡号仅本家庭可见' : spacedUid(card.uid);
  return { uid: card.uid, uidText, statusLabel: blocked ? '已挂失' : '正常', blocked };
}

function memberRow(member: FamilyMemberView, roles: RolesByMember, cards: CardView[] = []): MemberRow {
  const held = roles.get(member.id) ?? [];
  return {
    id: member.id,
    name: member.name,
    relation: member.relation,
    linked: member.linked,
    roleLabels: held.map((r) => r.label),
    leader: held.some((r) => r.role === 'groupLeader'),
    supervisor: held.some((r) => r.role === 'supervisor'),
    cards: cards.filter((c) => c.memberId === member.id).map(cardRow),
  };
}

interface Hidden {
  openid: string;
  roles: RolesByMember;
  members: Map<string, FamilyMemberView[]>;
  cards: Map<string, CardView[]>;
  /** The family of the member a card is being bound for. */
  bindFamilyId: string;
  /** The whole village, sorted by 户号; `families` in data is the shown page of the filtered list. */
  allFamilies: FamilyRow[];
  /** The group ids behind `groupNames` (index 0: every group). */
  groupIds: string[];
}
const stateOf = pageState<Hidden>(() => ({
  openid: '',
  roles: new Map(),
  members: new Map(),
  cards: new Map(),
  bindFamilyId: '',
  allFamilies: [],
  groupIds: [''],
}));

/** The families matching a search (户号 or the head's name) and a group ('' for all). */
export function filterFamilies<T extends { householdNumber: string; title: string; groupId: string }>(
  families: readonly T[],
  search: string,
  groupId: string,
): T[] {
  const words = search.trim();
  return families.filter(
    (f) =>
      (!groupId || f.groupId === groupId) &&
      (!words || f.householdNumber.includes(words) || f.title.includes(words)),
  );
}

/** One household the import skipped: 户号 and family first, then why (without saying the 户号 twice). */
export function notImportedLine(o: { key: string; label: string; message: string }): string {
  const why = o.message.startsWith(`户号${o.key}`) ? o.message.slice(`户号${o.key}`.length) : o.message;
  return `户号${o.key}（${o.label}）：${why}`;
}

/** The page lists the first 50 households not imported and says how many more there are. */
const LISTED_FAILURES = 50;
function listedFailures(lines: string[]): string[] {
  if (lines.length <= LISTED_FAILURES) return lines;
  const more = lines.length - LISTED_FAILURES;
  return [...lines.slice(0, LISTED_FAILURES), `另有${more}户未导入，未逐一列出`];
}

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
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    families: [] as FamilyRow[],
    search: '',
    groupNames: [ALL_GROUPS] as string[],
    groupIndex: 0,
    matching: 0,
    limit: FAMILY_PAGE,
    importState: 'idle' as ImportState,
    importProgress: 0,
    importMessage: '',
    importProblems: [] as string[],
    /** Households of the import that were not imported, with why (at most 50 shown). */
    importFailures: [] as string[],
    invite: null as Invite | null,
    bind: null as BindPanel | null,
    message: '',
    busy: false,
  },

  methods: {
    async onLoad() {
      const scope = await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin']));
      if (!scope) return;
      stateOf(this).openid = scope.openid;
      await this.loadFamilies();
    },

    onHide() {
      this.stopReading();
    },

    onUnload() {
      this.stopReading();
    },

    onRetry() {
      return this.scopeVillages().length > 0 ? this.loadFamilies() : this.onLoad();
    },

    onVillageSelected() {
      this.setData({
        importState: 'idle',
        importProblems: [],
        message: '',
      });
      return this.loadFamilies();
    },

    village(): ScopeVillage | undefined {
      return this.currentVillage();
    },

    /** The village's families (collapsed) and who holds which role. */
    async loadFamilies() {
      const village = this.village();
      if (!village) return;
      this.setData({ status: 'loading', errorMessage: '' });
      const [families, roles] = await Promise.all([
        listAllFamilies(village.id),
        call('accounts', 'roles.list', { villageId: village.id }),
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
      const groups = [...village.groups].sort((a, b) => compareGroupNames(a.name, b.name));
      const sorted = [...families.data].sort((a, b) =>
        compareHouseholdNumbers(a.householdNumber, b.householdNumber),
      );
      const rows: FamilyRow[] = sorted.map((f) => ({
        id: f.id,
        householdNumber: f.householdNumber,
        groupId: f.groupId,
        title: `${f.headName}户`,
        subtitle: `户号 ${f.householdNumber}\u3000${groupName(f.groupId)}`,
        expanded: false,
        loading: false,
        members: [],
        cardsMessage: '',
      }));
      state.allFamilies = rows;
      state.groupIds = ['', ...groups.map((g) => g.id)];
      this.setData({
        status: rows.length > 0 ? 'ready' : 'empty',
        groupNames: [ALL_GROUPS, ...groups.map((g) => g.name)],
        groupIndex: 0,
        search: '',
        limit: FAMILY_PAGE,
      });
      this.showFamilies();
    },

    /** The shown page of the families matching the search and the group. */
    showFamilies() {
      const state = stateOf(this);
      const matching = filterFamilies(
        state.allFamilies,
        this.data.search,
        state.groupIds[this.data.groupIndex] ?? '',
      );
      this.setData({ matching: matching.length, families: matching.slice(0, this.data.limit) });
    },

    onSearchInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ search: e.detail.value, limit: FAMILY_PAGE });
      this.showFamilies();
    },

    onGroupChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ groupIndex: Number(e.detail.value), limit: FAMILY_PAGE });
      this.showFamilies();
    },

    onMoreFamilies() {
      this.setData({ limit: this.data.limit + FAMILY_PAGE });
      this.showFamilies();
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
      const [envelope, cards] = await Promise.all([
        call('accounts', 'families.get', { familyId: family.id }),
        call('shop', 'cards.list', { familyId: family.id }),
      ]);
      if (!envelope.ok) {
        this.setData({ [`families[${index}].loading`]: false, [`families[${index}].expanded`]: false });
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const state = stateOf(this);
      state.members.set(family.id, envelope.data.members);
      state.cards.set(family.id, cards.ok ? cards.data.cards : []);
      this.setData({
        [`families[${index}].loading`]: false,
        [`families[${index}].cardsMessage`]: cards.ok ? '' : `积分卡加载失败：${errorText(cards.error)}`,
        [`families[${index}].members`]: this.memberRows(family.id),
      });
    },

    memberRows(familyId: string): MemberRow[] {
      const state = stateOf(this);
      const cards = state.cards.get(familyId) ?? [];
      return (state.members.get(familyId) ?? []).map((m) => memberRow(m, state.roles, cards));
    },

    /** After a card changed: the family's cards again, shown on its members. */
    async reloadCards(familyId: string) {
      const cards = await call('shop', 'cards.list', { familyId });
      const index = this.data.families.findIndex((f) => f.id === familyId);
      if (!cards.ok || index < 0) return;
      stateOf(this).cards.set(familyId, cards.data.cards);
      this.setData({ [`families[${index}].members`]: this.memberRows(familyId) });
    },

    /** 绑定积分卡 on a member row: open the panel; components/card-bind starts reading at once. */
    onBindCard(e: WechatMiniprogram.TouchEvent) {
      const { id, family } = e.currentTarget.dataset as { id: string; family: string };
      const member = stateOf(this)
        .members.get(family)
        ?.find((m) => m.id === id);
      if (!member || this.data.bind) return;
      stateOf(this).bindFamilyId = family;
      this.setData({ bind: { memberId: member.id, memberName: member.name, busy: false } });
    },

    onCardBusy(e: WechatMiniprogram.CustomEvent<{ busy: boolean }>) {
      if (this.data.bind) this.setData({ 'bind.busy': e.detail.busy });
    },

    /** Bound, or bound with its token still to write: the family's cards again. */
    onCardChanged(e: WechatMiniprogram.CustomEvent<{ stage?: string }>) {
      if (e.detail.stage && e.detail.stage !== 'write') return undefined;
      return this.reloadCards(stateOf(this).bindFamilyId);
    },

    /** Only while the panel is open: the simulator's selectComponent throws when nothing matches. */
    stopReading() {
      if (!this.data.bind) return;
      (this.selectComponent('#card-bind') as unknown as CardBindInstance | null)?.stop();
    },

    onBindClose() {
      if (this.data.bind?.busy) return;
      this.stopReading();
      stateOf(this).bindFamilyId = '';
      this.setData({ bind: null });
    },

    /** 挂失 a member's card: confirm, then cards.block at once. */
    onBlockCard(e: WechatMiniprogram.TouchEvent) {
      const { uid, family, name } = e.currentTarget.dataset as { uid: string; family: string; name: string };
      wx.showModal({
        title: '挂失积分卡',
        content: `确定挂失${name}的积分卡${uid.startsWith('ref-') ? '' : `（${spacedUid(uid)}）`}吗？挂失后超市立即停用此卡。`,
        confirmText: '挂失',
        confirmColor: '#d54941',
        success: (res) => {
          if (res.confirm) void this.blockCard(uid, family);
        },
      });
    },

    async blockCard(uid: string, familyId: string) {
      const envelope = await call('shop', 'cards.block', { uid, reason: '村干部代为挂失' });
      if (!envelope.ok) {
        wx.showToast({ title: errorText(envelope.error), icon: 'none' });
        return;
      }
      const state = stateOf(this);
      const cards = state.cards.get(familyId) ?? [];
      state.cards.set(
        familyId,
        cards.map((c) => (c.uid === uid ? envelope.data.card : c)),
      );
      const index = this.data.families.findIndex((f) => f.id === familyId);
      if (index >= 0) this.setData({ [`families[${index}].members`]: this.memberRows(familyId) });
      wx.showToast({ title: '已挂失', icon: 'success' });
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
      this.setData({ importState: 'importing', importMessage: '正在导入…', importFailures: [] });
      // The import runs in chunks: the first call starts the job, the page asks for the next chunk until done,
      // showing the progress; a chunk that failed is asked for once more (repeating one is safe).
      const envelope = await call('accounts', 'families.import', {
        villageId: village.id,
        fileId: uploaded.fileID,
        requestId: newRequestId(),
      });
      if (!envelope.ok) {
        this.setData({
          importState: 'failed',
          importMessage: envelope.error.message,
          importProblems: importProblems(envelope.error),
        });
        return;
      }
      const failures: string[] = [];
      const show = (progress: FamiliesImportOutput) => {
        for (const o of progress.outcomes) if (!o.ok) failures.push(notImportedLine(o));
        this.setData({
          importMessage: `已导入 ${progress.done}/${progress.total} 户`,
          importFailures: listedFailures(failures),
        });
      };
      let progress = envelope.data;
      show(progress);
      while (!progress.finished) {
        let next = await call('accounts', 'families.importNext', { jobId: progress.jobId });
        if (!next.ok) next = await call('accounts', 'families.importNext', { jobId: progress.jobId });
        if (!next.ok) {
          this.setData({
            importState: 'failed',
            importMessage: `已导入 ${progress.done}/${progress.total} 户，其余暂未导入：${next.error.message}`,
          });
          await this.loadFamilies();
          return;
        }
        progress = next.data;
        show(progress);
      }
      const skipped = progress.failed > 0 ? `，${progress.failed}户未导入（原因见下）` : '';
      this.setData({
        importState: 'done',
        importMessage: `已导入${progress.families}户、${progress.members}名成员${skipped}`,
      });
      await this.loadFamilies();
    },

    async onInvite(e: WechatMiniprogram.TouchEvent) {
      if (this.data.busy) return;
      this.setData({ busy: true, message: '' });
      const envelope = await call('accounts', 'invites.create', {
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
      const envelope = await call('accounts', action, { memberId: id, role });
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
        ...(index >= 0 ? { [`families[${index}].members`]: this.memberRows(family) } : {}),
      });
    },
  },
});
