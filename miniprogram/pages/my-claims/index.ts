/**
 * 我的申报: the family's claims (and lines cadres recorded for it), newest first, with their status and the
 * reason for a rejection. A pending claim can be withdrawn; a decided one can be disputed (异议).
 */
import { careMode } from '../../behaviors/care-mode';
import { chinaDay, dayLabel } from '../../core/time';
import type { ClaimStatus, ClaimView, ClaimsMineOutput } from '../../contract/points';
import { pagedList } from '../../behaviors/paged-list';
import { call } from '../../services/client';

export const PAGE_SIZE = 20;

const STATUS: Record<ClaimStatus, { label: string; theme: string }> = {
  pending: { label: '待审核', theme: 'warning' },
  approved: { label: '已通过', theme: 'success' },
  rejected: { label: '未通过', theme: 'danger' },
  withdrawn: { label: '已撤回', theme: 'default' },
};

interface ClaimLine {
  id: string;
  title: string;
  points: string;
  memberName: string;
  deedDate: string;
  text: string;
  photoCount: number;
  statusLabel: string;
  statusTheme: string;
  /** `审核人：罗亚倩 · 2026-11-21`; '' while pending. */
  decision: string;
  rejectReason: string;
  /** `由傅红代为录入` for a line a cadre recorded. */
  recordedBy: string;
  canWithdraw: boolean;
  canObject: boolean;
}

export function toLine(claim: ClaimView): ClaimLine {
  const status = STATUS[claim.status];
  return {
    id: claim.id,
    title: claim.rule.title,
    points: `${claim.pointsText} 分`,
    memberName: claim.memberName,
    deedDate: dayLabel(claim.deedDate),
    text: claim.text,
    photoCount: claim.photos.length,
    statusLabel: status.label,
    statusTheme: status.theme,
    decision:
      claim.decidedByName && claim.decidedAt
        ? `审核人：${claim.decidedByName} · ${chinaDay(claim.decidedAt)}`
        : '',
    rejectReason: claim.status === 'rejected' ? (claim.rejectReason ?? '') : '',
    recordedBy: claim.kind === 'record' ? `由${claim.submittedByName}采集录入` : '',
    canWithdraw: claim.status === 'pending' && claim.kind === 'claim',
    canObject: claim.status === 'approved' || claim.status === 'rejected',
  };
}

const claimsList = pagedList({
  pageSize: PAGE_SIZE,
  fetch: (_page: unknown, offset: number) => call('points', 'claims.mine', { offset }),
  toLines: (output: ClaimsMineOutput) => output.claims.map(toLine),
});

Component({
  behaviors: [careMode, claimsList],

  data: {
    withdrawing: '',
  },

  methods: {
    onLoad() {
      return this.loadFirst();
    },

    onWithdraw(event: WechatMiniprogram.BaseEvent) {
      const id = String(event.currentTarget.dataset.id);
      const line = this.data.lines.find((l) => l.id === id);
      if (!line || this.data.withdrawing) return;
      wx.showModal({
        title: '撤回申报',
        content: `确定撤回“${line.title}”的申报吗？撤回后如需申报请重新提交。`,
        confirmText: '撤回',
        success: (res) => {
          if (res.confirm) void this.withdraw(id);
        },
      });
    },

    async withdraw(id: string) {
      this.setData({ withdrawing: id });
      const envelope = await call('points', 'claims.withdraw', { claimId: id });
      this.setData({ withdrawing: '' });
      if (!envelope.ok) {
        wx.showToast({ title: envelope.error.message, icon: 'none' });
        return;
      }
      const index = this.data.lines.findIndex((l) => l.id === id);
      if (index >= 0) this.setData({ [`lines[${index}]`]: toLine(envelope.data.claim) });
      wx.showToast({ title: '已撤回', icon: 'success' });
    },

    onObject(event: WechatMiniprogram.BaseEvent) {
      const line = this.data.lines.find((l) => l.id === event.currentTarget.dataset.id);
      if (!line) return;
      const label = encodeURIComponent(`审核结果：${line.title}（${line.statusLabel}）`);
      wx.navigateTo({ url: `/pages/objections/index?type=claim&id=${line.id}&label=${label}` });
    },

    onNewClaim() {
      wx.navigateTo({ url: '/pages/claim/index' });
    },

    onBind() {
      wx.navigateTo({ url: '/pages/family/index' });
    },
  },
});
