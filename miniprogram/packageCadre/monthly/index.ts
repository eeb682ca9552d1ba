/**
 * 月度采集 (group leaders, village cadres): opens on the person's own group (a group leader's, else the first of
 * the village); tick members × rules in one grid whose names stay put while the rules scroll sideways (rules
 * collected by cadres first, then those residents may also claim; 全选 ticks a whole column), pick the date,
 * optionally mark 代老年村民录入, and send the whole pass as one `records.create` whose request id is made when
 * the page opens (a double tap files once).
 *
 * Deductions (negative rules) are not in the grid, where a mis-tap would cost a family points: they have their
 * own section, one member and one rule at a time, recorded only after a dialog naming the member, the rule
 * and the points is confirmed. Afterwards the group's lines still waiting for approval are listed.
 */
import { chinaToday } from '../../services/clock';
import type { RuleView } from '../../contract/points';
import { formatSignedPoints } from '../../core/points';
import { call } from '../../services/client';

import { newRequestId } from '../../services/request-id';
import { listAllFamilies } from '../lib/families';
import { loadScope } from '../lib/scope';
import { pageState } from '../../services/page-state';
import { sendOnce, type SendShown } from '../../services/send';
import { compareGroupNames } from '../../core/order';
import type { WorkPageStatus } from '../../services/page-load';

type GridStatus = 'idle' | 'loading' | 'ready' | 'empty' | 'error';
type PendingStatus = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

interface GroupOption {
  villageId: string;
  groupId: string;
  label: string;
}

interface RuleColumn {
  id: string;
  title: string;
  points: string;
  /** Collected by cadres only (residents cannot claim it themselves). */
  collected: boolean;
}

interface MemberRow {
  memberId: string;
  name: string;
  household: string;
  cells: { on: boolean }[];
}

interface PendingRow {
  id: string;
  memberName: string;
  ruleTitle: string;
  points: string;
  deedDate: string;
}

interface DeductionOption {
  id: string;
  title: string;
  /** `-2`. */
  points: string;
}

/**
 * The grid's columns: the rules that add points, collected by cadres first, then the ones residents may also
 * claim; catalogue order within each. Deductions are `deductionRules`'.
 */
export function gridRules(rules: readonly RuleView[]): RuleColumn[] {
  const adding = rules.filter((r) => r.points > 0);
  return [...adding.filter((r) => !r.selfClaim), ...adding.filter((r) => r.selfClaim)].map((r) => ({
    id: r.id,
    title: r.title,
    points: formatSignedPoints(r.points),
    collected: !r.selfClaim,
  }));
}

/** The rules that take points away, in catalogue order. */
export function deductionRules(rules: readonly RuleView[]): DeductionOption[] {
  return rules
    .filter((r) => r.points < 0)
    .map((r) => ({ id: r.id, title: r.title, points: formatSignedPoints(r.points) }));
}

/** What the confirmation of a deduction says: who, which rule, how many points. */
export function deductionQuestion(member: string, rule: DeductionOption): string {
  return `给 ${member} 记扣分：${rule.title}，${rule.points} 分。确认后提交村干部审核。`;
}

interface Hidden {
  groups: GroupOption[];
  requestId: string;
  /** The deduction being confirmed or sent has its own request: a retry of it files once. */
  deductionRequestId: string;
  sending: boolean;
  /** The group's member ids, to pick its lines out of the village queue. */
  memberIds: Set<string>;
}
const stateOf = pageState<Hidden>(() => ({
  groups: [],
  requestId: newRequestId(),
  deductionRequestId: newRequestId(),
  sending: false,
  memberIds: new Set(),
}));

/** A deduction sent: its refusal is the line under the deduction picker, marked as an error. */
const DEDUCTION_SENT: SendShown = {
  busy: 'submitting',
  error: 'deductionText',
  refused: () => ({ deductionError: true }),
};

Component({
  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    groupLabels: [] as string[],
    groupIndex: -1,
    gridStatus: 'idle' as GridStatus,
    gridMessage: '',
    rules: [] as RuleColumn[],
    rows: [] as MemberRow[],
    /** Per column, whether every member is ticked (the header's 全选 then clears it). */
    columnsFull: [] as boolean[],
    checkedCount: 0,
    deductions: [] as DeductionOption[],
    deductionLabels: [] as string[],
    deductionIndex: -1,
    memberLabels: [] as string[],
    deductionMemberIndex: -1,
    deductionText: '',
    deductionError: false,
    deedDate: '',
    today: '',
    onBehalf: false,
    submitting: false,
    resultText: '',
    pendingStatus: 'idle' as PendingStatus,
    pendingMessage: '',
    pending: [] as PendingRow[],
  },

  methods: {
    async onLoad() {
      const state = stateOf(this);
      state.requestId = newRequestId();
      const today = chinaToday();
      this.setData({ status: 'loading', errorMessage: '', today, deedDate: today });
      const result = await loadScope(['groupLeader', 'villageCadre', 'townAdmin']);
      if (!result.ok) {
        this.setData({ status: 'error', errorMessage: result.error.message });
        return;
      }
      const many = result.scope.villages.length > 1;
      state.groups = result.scope.villages.flatMap((v) =>
        [...v.groups]
          .sort((a, b) => compareGroupNames(a.name, b.name))
          .map((g) => ({
            villageId: v.id,
            groupId: g.id,
            label: many ? `${v.name} ${g.name}` : g.name,
          })),
      );
      if (state.groups.length === 0) {
        this.setData({ status: 'forbidden' });
        return;
      }
      this.setData({ status: 'ready', groupLabels: state.groups.map((g) => g.label) });
      // Never blank: a group leader's own group, else the first group (一组) of the cadre's village.
      const led = result.scope.session.roles.find(
        (g) => g.role === 'groupLeader' && g.scope.kind === 'group',
      );
      const own = led ? state.groups.findIndex((g) => g.groupId === led.scope.id) : -1;
      await this.selectGroup(own >= 0 ? own : 0);
    },

    onRetry() {
      return this.onLoad();
    },

    onGroupChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      return this.selectGroup(Number(e.detail.value));
    },

    onGridRetry() {
      return this.selectGroup(this.data.groupIndex);
    },

    /** Loads the group's members (every family's) and the village's rules into the grid. */
    async selectGroup(index: number) {
      const group = stateOf(this).groups[index];
      if (!group) return;
      this.setData({
        groupIndex: index,
        gridStatus: 'loading',
        gridMessage: '',
        rows: [],
        columnsFull: [],
        checkedCount: 0,
        deductions: [],
        deductionIndex: -1,
        deductionMemberIndex: -1,
        deductionText: '',
        resultText: '',
        pendingStatus: 'idle',
        pending: [],
      });
      const [families, rules] = await Promise.all([
        listAllFamilies(group.villageId, group.groupId),
        call('points', 'rules.list', { villageId: group.villageId }),
      ]);
      if (!families.ok || !rules.ok) {
        const error = !families.ok ? families.error : !rules.ok ? rules.error : null;
        this.setData({ gridStatus: 'error', gridMessage: error?.message ?? '' });
        return;
      }
      const details = await Promise.all(
        families.data.map((f) => call('accounts', 'families.get', { familyId: f.id })),
      );
      const failed = details.find((d) => !d.ok);
      if (failed && !failed.ok) {
        this.setData({ gridStatus: 'error', gridMessage: failed.error.message });
        return;
      }
      const columns = gridRules(rules.data.rules);
      const rows: MemberRow[] = [];
      for (const detail of details) {
        if (!detail.ok) continue;
        for (const member of detail.data.members) {
          rows.push({
            memberId: member.id,
            name: member.name,
            household: `${detail.data.family.headName}户`,
            cells: columns.map(() => ({ on: false })),
          });
        }
      }
      stateOf(this).memberIds = new Set(rows.map((r) => r.memberId));
      const deductions = deductionRules(rules.data.rules);
      const empty = rows.length === 0 || columns.length + deductions.length === 0;
      this.setData({
        gridStatus: empty ? 'empty' : 'ready',
        gridMessage: rows.length === 0 ? '该村民小组还没有家庭成员' : '暂无积分规则',
        rules: columns,
        rows,
        columnsFull: columns.map(() => false),
        deductions,
        deductionLabels: deductions.map((d) => `${d.title}（${d.points}分）`),
        memberLabels: rows.map((r) => `${r.name}（${r.household}）`),
      });
    },

    onToggleCell(e: WechatMiniprogram.TouchEvent) {
      if (this.data.submitting) return;
      const { row, col } = e.currentTarget.dataset as { row: number; col: number };
      const on = this.data.rows[row]?.cells[col]?.on;
      if (on === undefined) return;
      const full = this.data.rows.every((r, i) => (i === Number(row) ? !on : r.cells[col].on));
      this.setData({
        [`rows[${row}].cells[${col}].on`]: !on,
        [`columnsFull[${col}]`]: full,
        checkedCount: this.data.checkedCount + (on ? -1 : 1),
        resultText: '',
      });
    },

    /** 全选 on a rule's header: ticks the rule for every member, or clears it when all are ticked. */
    onToggleColumn(e: WechatMiniprogram.TouchEvent) {
      if (this.data.submitting) return;
      const col = Number(e.currentTarget.dataset.col);
      if (!this.data.rules[col]) return;
      const on = !this.data.columnsFull[col];
      const patch: Record<string, unknown> = { [`columnsFull[${col}]`]: on, resultText: '' };
      let count = this.data.checkedCount;
      this.data.rows.forEach((row, i) => {
        if (row.cells[col].on === on) return;
        patch[`rows[${i}].cells[${col}].on`] = on;
        count += on ? 1 : -1;
      });
      patch.checkedCount = count;
      this.setData(patch);
    },

    onDeductionMemberChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ deductionMemberIndex: Number(e.detail.value), deductionText: '' });
    },

    onDeductionRuleChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ deductionIndex: Number(e.detail.value), deductionText: '' });
    },

    /** Asks first, naming the member, the rule and the points; only a confirmed deduction is sent. */
    async onDeduct() {
      const state = stateOf(this);
      const group = state.groups[this.data.groupIndex];
      const row = this.data.rows[this.data.deductionMemberIndex];
      const deduction = this.data.deductions[this.data.deductionIndex];
      if (!group || state.sending) return;
      if (!row || !deduction) {
        this.setData({ deductionText: '请先选择成员和扣分项', deductionError: true });
        return;
      }
      const confirmed = await new Promise<boolean>((resolve) =>
        wx.showModal({
          title: '确认扣分',
          content: deductionQuestion(row.name, deduction),
          confirmText: '确认扣分',
          confirmColor: '#d54941',
          success: (answer) => resolve(answer.confirm),
          fail: () => resolve(false),
        }),
      );
      if (!confirmed) return;
      const filed = await sendOnce(this, state, DEDUCTION_SENT, () =>
        call('points', 'records.create', {
          requestId: state.deductionRequestId,
          villageId: group.villageId,
          onBehalf: false,
          lines: [{ memberId: row.memberId, ruleId: deduction.id, deedDate: this.data.deedDate, note: '' }],
        }),
      );
      if (!filed) return;
      state.deductionRequestId = newRequestId();
      this.setData({
        deductionIndex: -1,
        deductionMemberIndex: -1,
        deductionText: `已记录${row.name}的扣分：${deduction.title} ${deduction.points}分，等待村干部审核`,
        deductionError: false,
      });
      await this.loadPending(filed.lines.map((l) => ({ ...l, deedDate: this.data.deedDate })));
    },

    onDateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ deedDate: e.detail.value });
    },

    onBehalfChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.setData({ onBehalf: e.detail.value });
    },

    /** Sends the whole pass once; a second tap while it is on its way does nothing. */
    async onSubmit() {
      const state = stateOf(this);
      const group = state.groups[this.data.groupIndex];
      if (!group || state.sending) return;
      const lines = this.data.rows.flatMap((row) =>
        row.cells
          .map((cell, col) => (cell.on ? this.data.rules[col].id : null))
          .filter((ruleId): ruleId is string => ruleId !== null)
          .map((ruleId) => ({ memberId: row.memberId, ruleId, deedDate: this.data.deedDate, note: '' })),
      );
      if (lines.length === 0) {
        wx.showToast({ title: '请至少勾选一项', icon: 'none' });
        return;
      }
      const filed = await sendOnce(this, state, { busy: 'submitting' }, () =>
        call('points', 'records.create', {
          requestId: state.requestId,
          villageId: group.villageId,
          onBehalf: this.data.onBehalf,
          lines,
        }),
      );
      if (!filed) return;
      // The pass is filed: the next one is a new request.
      state.requestId = newRequestId();
      this.setData({
        rows: this.data.rows.map((row) => ({ ...row, cells: row.cells.map(() => ({ on: false })) })),
        columnsFull: this.data.rules.map(() => false),
        checkedCount: 0,
        resultText: `已录入${filed.lines.length}条，等待村干部审核`,
      });
      await this.loadPending(filed.lines.map((l) => ({ ...l, deedDate: this.data.deedDate })));
    },

    /** What of this group still waits for approval; without the right to read the queue, what was just filed. */
    async loadPending(filed: { id: string; memberName: string; ruleTitle: string; deedDate: string }[] = []) {
      const state = stateOf(this);
      const group = state.groups[this.data.groupIndex];
      if (!group) return;
      this.setData({ pendingStatus: 'loading', pendingMessage: '' });
      const envelope = await call('points', 'review.queue', { villageId: group.villageId });
      if (!envelope.ok) {
        const fallback = filed.map((l) => ({ ...l, points: '' }));
        this.setData({
          pendingStatus: fallback.length > 0 ? 'ready' : 'error',
          pendingMessage:
            envelope.error.code === 'FORBIDDEN'
              ? '审核进度请向村干部了解；以下为本次录入的记录'
              : envelope.error.message,
          pending: fallback,
        });
        return;
      }
      const pending = envelope.data.items
        .filter((item) => state.memberIds.has(item.memberId))
        .map((item) => ({
          id: item.id,
          memberName: item.memberName,
          ruleTitle: item.rule.title,
          points: `${item.pointsText} 分`,
          deedDate: item.deedDate,
        }));
      this.setData({ pendingStatus: pending.length > 0 ? 'ready' : 'empty', pending });
    },
  },
});
