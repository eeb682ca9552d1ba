/**
 * 异议详情 (supervisors): the objection, the disputed record and its trail (who recorded, approved, changed
 * it), and — while it is open — the decision: 异议成立 (the server writes the corrections) or 异议不成立, with a
 * reason. Upholding an objection to a month's results may carry per-family adjustments (a family of the village,
 * once each, in half-point steps); they wait for a second cadre (异议处理's 待确认的积分调整). A refusal (for
 * example an objection from the supervisor's own family) is shown as the server's message.
 */
import { formatSignedPoints, HALF_POINT, parsePoints, type Tenths } from '../../core/points';
import { chinaDateTime, monthLabel } from '../../core/time';
import type { DisputedRecord, ObjectionsGetOutput } from '../../contract/points';
import { compareHouseholdNumbers } from '../../core/order';
import { pageState } from '../../services/page-state';
import { listAllFamilies } from '../lib/families';

import { errorText } from '../../services/errors';
import { getSession } from '../../services/session';
import { call } from '../../services/client';

import { objectionFacts } from '../lib/objections';
import { holdsAny } from '../lib/scope';

type Status = 'loading' | 'ready' | 'error';
type Outcome = '' | 'upheld' | 'dismissed';

interface Line {
  label: string;
  value: string;
}

/** The disputed record as label/value lines. */
export function recordLines(record: DisputedRecord | null): Line[] {
  if (!record) return [{ label: '记录', value: '原记录已不存在' }];
  switch (record.type) {
    case 'entry': {
      const e = record.entry;
      return [
        { label: '类型', value: `积分记录（${e.kindLabel}）` },
        { label: '成员', value: e.memberName ?? '整户' },
        { label: '事由', value: e.ruleTitle ?? e.reason },
        { label: '分值', value: `${e.pointsText} 分` },
        { label: '计入月份', value: monthLabel(e.month) },
        { label: '录入', value: `${e.recordedByName}${e.onBehalf ? '（代录）' : ''}` },
        { label: '审核', value: e.approvedByName ?? '—' },
      ];
    }
    case 'claim': {
      const c = record.claim;
      const status = { pending: '待审核', approved: '已通过', rejected: '未通过', withdrawn: '已撤回' }[
        c.status
      ];
      const lines = [
        { label: '类型', value: `审核结果（${status}）` },
        { label: '成员', value: c.memberName },
        { label: '规则', value: `${c.rule.title} ${c.pointsText} 分` },
        { label: '日期', value: c.deedDate },
        { label: '申报/录入', value: `${c.submittedByName}${c.onBehalf ? '（代录）' : ''}` },
        { label: '审核', value: c.decidedByName ?? '—' },
      ];
      if (c.rejectReason) lines.push({ label: '驳回理由', value: c.rejectReason });
      return lines;
    }
    case 'board': {
      const b = record.board;
      return [
        {
          label: '类型',
          value: `${b.board === 'black' ? '黑榜' : '红榜'}${b.status === 'withdrawn' ? '（已撤下）' : ''}`,
        },
        { label: '对象', value: b.personName },
        { label: '标题', value: b.title },
        { label: '分值', value: b.pointsText ? `${b.pointsText} 分` : '—' },
        { label: '日期', value: b.date },
      ];
    }
    case 'month':
      return [{ label: '类型', value: `${monthLabel(record.month)}的积分结果` }];
  }
}

function view(data: ObjectionsGetOutput) {
  const o = data.objection;
  return {
    title: `${monthLabel(o.month)} · 对${o.targetLabel}的异议`,
    ...objectionFacts(o),
    decision: o.decisionReason ? `${o.statusLabel}：${o.decisionReason}` : '',
    monthTarget: o.target.type === 'month',
    record: recordLines(data.record),
    trail: data.trail.map((t) => ({ at: chinaDateTime(t.at), actor: t.actorName, summary: t.summary })),
  };
}

interface AdjustmentRow {
  familyId: string;
  familyName: string;
  points: Tenths;
  pointsText: string;
}

/** Why a typed adjustment cannot be added ('' when it can): points in half-point steps, not 0, a family once. */
export function adjustmentProblem(
  familyId: string,
  pointsText: string,
  rows: readonly AdjustmentRow[],
): { problem: string; points: Tenths } {
  if (!familyId) return { problem: '请先选择要调整的家庭', points: 0 };
  const points = parsePoints(pointsText);
  if (points === null || points % HALF_POINT !== 0)
    return { problem: '分值须为0.5分的整数倍，如 1、-0.5、2.5', points: 0 };
  if (points === 0) return { problem: '分值不能为0', points: 0 };
  if (rows.some((r) => r.familyId === familyId)) return { problem: '同一家庭只能调整一次', points: 0 };
  return { problem: '', points };
}

/** The objection this page instance shows and its village's families for the adjustment picker (not rendered). */
const stateOf = pageState<{ objectionId: string; villageId: string; familyIds: string[] }>(() => ({
  objectionId: '',
  villageId: '',
  familyIds: [],
}));

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    objection: null as ReturnType<typeof view> | null,
    canDecide: false,
    outcome: '' as Outcome,
    reason: '',
    formError: '',
    submitting: false,
    doneText: '',
    /** Adjustments of an upheld month objection: the picker over the village's families and the rows added. */
    familiesState: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    familyNames: [] as string[],
    familyIndex: -1,
    adjustPoints: '',
    adjustError: '',
    adjustments: [] as AdjustmentRow[],
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      stateOf(this).objectionId = query.id ?? '';
      return this.load();
    },

    onRetry() {
      return this.load();
    },

    async load() {
      this.setData({ status: 'loading', errorMessage: '' });
      const [session, envelope] = await Promise.all([
        getSession(),
        call('points', 'objections.get', { objectionId: stateOf(this).objectionId }),
      ]);
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message });
        return;
      }
      const supervisor = session.ok && holdsAny(session.data.roles, ['supervisor', 'townAdmin']);
      stateOf(this).villageId = envelope.data.objection.villageId;
      this.setData({
        status: 'ready',
        objection: view(envelope.data),
        canDecide: supervisor && envelope.data.objection.status === 'open',
      });
    },

    onOutcomeTap(e: WechatMiniprogram.TouchEvent) {
      const outcome = e.currentTarget.dataset.outcome as Outcome;
      this.setData({ outcome, formError: '' });
      if (outcome === 'upheld' && this.data.objection?.monthTarget && this.data.familiesState === 'idle')
        return this.loadFamilies();
      return undefined;
    },

    /** The village's families, by 户号, for the adjustment picker. */
    async loadFamilies() {
      this.setData({ familiesState: 'loading' });
      const families = await listAllFamilies(stateOf(this).villageId);
      if (!families.ok) {
        this.setData({
          familiesState: 'error',
          adjustError: `家庭名单加载失败：${errorText(families.error)}`,
        });
        return;
      }
      const sorted = [...families.data].sort((a, b) =>
        compareHouseholdNumbers(a.householdNumber, b.householdNumber),
      );
      stateOf(this).familyIds = sorted.map((f) => f.id);
      this.setData({
        familiesState: 'ready',
        adjustError: '',
        familyNames: sorted.map((f) => `${f.headName}家（户号 ${f.householdNumber}）`),
      });
    },

    onFamiliesRetry() {
      return this.loadFamilies();
    },

    onFamilyPick(e: WechatMiniprogram.PickerChange) {
      this.setData({ familyIndex: Number(e.detail.value), adjustError: '' });
    },

    onAdjustPointsInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ adjustPoints: e.detail.value, adjustError: '' });
    },

    onAddAdjustment() {
      const familyId = stateOf(this).familyIds[this.data.familyIndex] ?? '';
      const { problem, points } = adjustmentProblem(familyId, this.data.adjustPoints, this.data.adjustments);
      if (problem) {
        this.setData({ adjustError: problem });
        return;
      }
      const row: AdjustmentRow = {
        familyId,
        familyName: this.data.familyNames[this.data.familyIndex],
        points,
        pointsText: formatSignedPoints(points),
      };
      this.setData({
        adjustments: [...this.data.adjustments, row],
        familyIndex: -1,
        adjustPoints: '',
        adjustError: '',
      });
    },

    onRemoveAdjustment(e: WechatMiniprogram.TouchEvent) {
      const familyId = String(e.currentTarget.dataset.id);
      this.setData({ adjustments: this.data.adjustments.filter((a) => a.familyId !== familyId) });
    },

    onReasonInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ reason: e.detail.value, formError: '' });
    },

    async onDecide() {
      if (this.data.submitting) return;
      const { outcome } = this.data;
      const reason = this.data.reason.trim();
      if (!outcome) {
        this.setData({ formError: '请选择异议是否成立' });
        return;
      }
      if (reason.length < 2) {
        this.setData({ formError: '请填写处理理由（至少2个字）' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      const adjustments =
        outcome === 'upheld' && this.data.objection?.monthTarget
          ? this.data.adjustments.map((a) => ({ familyId: a.familyId, points: a.points }))
          : [];
      const envelope = await call('points', 'objections.decide', {
        objectionId: stateOf(this).objectionId,
        outcome,
        reason,
        ...(adjustments.length > 0 ? { adjustments } : {}),
      });
      if (!envelope.ok) {
        this.setData({ submitting: false, formError: errorText(envelope.error) });
        return;
      }
      const corrections = envelope.data.corrections.length;
      const waiting = envelope.data.needsSecondCheck
        ? `；${adjustments.length}户积分调整${envelope.data.needsSecondCheck}，确认后计入`
        : '';
      this.setData({
        submitting: false,
        canDecide: false,
        adjustments: [],
        doneText: `已处理：${envelope.data.objection.statusLabel}${corrections > 0 ? `，已更正${corrections}条积分记录` : ''}${waiting}`,
      });
      await this.load();
    },
  },
});
