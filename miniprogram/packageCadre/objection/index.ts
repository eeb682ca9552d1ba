/**
 * 异议详情 (supervisors): the objection, the disputed record and its trail (who recorded, approved, changed
 * it), and — while it is open — the decision: 异议成立 (the server writes the corrections) or 异议不成立, with a
 * reason. A refusal (for example an objection from the supervisor's own family) is shown as the server's message.
 */
import { chinaDateTime, monthLabel } from '../../core/time';
import type { DisputedRecord, ObjectionsGetOutput } from '../../contract/points';

import { errorText } from '../../services/errors';
import { getSession } from '../../services/session';
import { call } from '../../services/client';

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
    reason: o.reason,
    raisedBy: `${o.raisedByName} 提出于 ${chinaDateTime(o.createdAt)}`,
    deadline: `处理期限 ${chinaDateTime(o.deadline)}`,
    overdue: o.overdue,
    open: o.status === 'open',
    statusLabel: o.statusLabel,
    decision: o.decisionReason ? `${o.statusLabel}：${o.decisionReason}` : '',
    monthTarget: o.target.type === 'month',
    record: recordLines(data.record),
    trail: data.trail.map((t) => ({ at: chinaDateTime(t.at), actor: t.actorName, summary: t.summary })),
  };
}

/** The objection this page instance shows (not rendered). */
const objectionIds = new WeakMap<object, string>();

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
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      objectionIds.set(this, query.id ?? '');
      return this.load();
    },

    onRetry() {
      return this.load();
    },

    async load() {
      this.setData({ status: 'loading', errorMessage: '' });
      const [session, envelope] = await Promise.all([
        getSession(),
        call('points', 'objections.get', { objectionId: objectionIds.get(this) ?? '' }),
      ]);
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message });
        return;
      }
      const supervisor = session.ok && holdsAny(session.data.roles, ['supervisor', 'townAdmin']);
      this.setData({
        status: 'ready',
        objection: view(envelope.data),
        canDecide: supervisor && envelope.data.objection.status === 'open',
      });
    },

    onOutcomeTap(e: WechatMiniprogram.TouchEvent) {
      this.setData({ outcome: e.currentTarget.dataset.outcome as Outcome, formError: '' });
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
      const envelope = await call('points', 'objections.decide', {
        objectionId: objectionIds.get(this) ?? '',
        outcome,
        reason,
      });
      if (!envelope.ok) {
        this.setData({ submitting: false, formError: errorText(envelope.error) });
        return;
      }
      const corrections = envelope.data.corrections.length;
      this.setData({
        submitting: false,
        canDecide: false,
        doneText: `已处理：${envelope.data.objection.statusLabel}${corrections > 0 ? `，已更正${corrections}条积分记录` : ''}`,
      });
      await this.load();
    },
  },
});
