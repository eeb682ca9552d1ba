/**
 * 公示与锁定 (village cadres): the village's last months with their state (采集中, 公示中, 已锁定), days of
 * notice left and whether objections are open; 开始公示 and 锁定 are enabled as the server allows
 * (canStartNotice/canLock), and a refusal is shown as the server's message.
 */
import { monthLabel } from '../../core/time';
import type { DisplayLinkView, MonthView } from '../../contract/points';
import { call } from '../../services/client';
import { downloadStoredFile, openPdf } from '../../services/download';
import { newRequestId } from '../../services/request-id';
import { villagesReaching } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';

type Status = 'loading' | 'ready' | 'empty' | 'error' | 'forbidden';

interface MonthRow {
  month: string;
  label: string;
  state: MonthView['state'];
  stateLabel: string;
  /** `公示剩余3天`, `公示期已满` or ''. */
  days: string;
  objectionsOpen: boolean;
  canStartNotice: boolean;
  canLock: boolean;
}

export function toMonthRow(view: MonthView): MonthRow {
  let days = '';
  if (view.state === 'notice') days = view.daysLeft > 0 ? `公示剩余${view.daysLeft}天` : '公示期已满';
  return {
    month: view.month,
    label: monthLabel(view.month),
    state: view.state,
    stateLabel: view.stateLabel,
    days,
    objectionsOpen: view.objectionsOpen,
    canStartNotice: view.canStartNotice,
    canLock: view.canLock,
  };
}

interface LinkRow {
  id: string;
  label: string;
  url: string;
  meta: string;
  revoked: boolean;
}

export function toLinkRow(link: DisplayLinkView): LinkRow {
  return {
    id: link.id,
    label: link.label,
    url: link.url ?? '',
    revoked: link.revokedAt !== null,
    meta: link.revokedAt ? '已停用' : `${link.createdByName}创建`,
  };
}

const TAG_THEMES = { open: 'primary', notice: 'warning', locked: 'default' } as const;

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as Status,
    errorMessage: '',
    noticeDays: 0,
    months: [] as MonthRow[],
    tagThemes: TAG_THEMES,
    busyMonth: '',
    message: '',
    messageError: false,
    /** The 公示 poster being made (`2026-11`, or the year `2026`). */
    posterBusy: '',
    year: '',
    /** The village's big-screen display links. */
    links: [] as LinkRow[],
    linkLabel: '',
    linkBusy: false,
    /** Town admins also keep the town hall's screen (all villages): 'town'; otherwise the village's. */
    townAdmin: false,
    linkScope: 'village' as 'village' | 'town',
  },

  methods: {
    async onLoad() {
      const reached = await this.openVillageScope(villagesReaching(['villageCadre', 'townAdmin']));
      if (!reached) return;
      this.setData({ townAdmin: reached.townAdmin });
      await this.loadMonths();
    },

    /** 本村大屏 / 全镇大屏 (town admins): whose display links are listed and created. */
    onLinkScope(e: WechatMiniprogram.TouchEvent) {
      const scope = e.currentTarget.dataset.scope === 'town' ? 'town' : 'village';
      if (scope === this.data.linkScope) return;
      this.setData({ linkScope: scope, message: '' });
      return this.loadLinks();
    },

    /** The village of the links shown, or null for the town's screen. */
    linkVillageId(): string | null | undefined {
      if (this.data.townAdmin && this.data.linkScope === 'town') return null;
      return this.currentVillage()?.id;
    },

    async onPullDownRefresh() {
      await this.loadMonths(true);
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.scopeVillages().length > 0 ? this.loadMonths() : this.onLoad();
    },

    onVillageSelected() {
      this.setData({ message: '' });
      return this.loadMonths();
    },

    async loadMonths(keepMessage = false) {
      const village = this.currentVillage();
      if (!village) return;
      if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
      if (!keepMessage) this.setData({ message: '' });
      const envelope = await call('points', 'months.list', { villageId: village.id });
      if (!envelope.ok) {
        this.setData({ status: 'error', errorMessage: envelope.error.message, months: [] });
        return;
      }
      const months = envelope.data.months.map(toMonthRow);
      this.setData({
        status: months.length > 0 ? 'ready' : 'empty',
        noticeDays: envelope.data.noticeDays,
        months,
        year: months[0]?.month.slice(0, 4) ?? '',
      });
      await this.loadLinks();
    },

    /** 公示海报: the server makes the PDF; the phone downloads it and opens it for printing or forwarding. */
    async onPoster(e: WechatMiniprogram.TouchEvent) {
      const village = this.currentVillage();
      const period = String(e.currentTarget.dataset.period);
      if (!village || this.data.posterBusy) return;
      this.setData({ posterBusy: period, message: '' });
      const envelope = await call('points', 'notice.poster', { villageId: village.id, period });
      if (!envelope.ok) {
        this.setData({ posterBusy: '', message: envelope.error.message, messageError: true });
        return;
      }
      const downloaded = await downloadStoredFile(envelope.data);
      const opened = downloaded.ok ? await openPdf(downloaded.filePath) : downloaded;
      this.setData({
        posterBusy: '',
        message: opened.ok ? `已生成${envelope.data.fileName}，可打印张贴或转发` : opened.message,
        messageError: !opened.ok,
      });
    },

    async loadLinks() {
      const villageId = this.linkVillageId();
      if (villageId === undefined) return;
      const envelope = await call('points', 'screens.list', { villageId });
      this.setData({ links: envelope.ok ? envelope.data.links.map(toLinkRow) : [] });
    },

    onLinkLabel(e: WechatMiniprogram.Input) {
      this.setData({ linkLabel: e.detail.value });
    },

    /** A display link for the village office's screen: read-only, shown until revoked. */
    async onCreateLink() {
      const villageId = this.linkVillageId();
      const label = this.data.linkLabel.trim() || (villageId === null ? '镇政府大厅' : '村委会大厅');
      if (villageId === undefined || this.data.linkBusy) return;
      this.setData({ linkBusy: true, message: '' });
      const envelope = await call('points', 'screens.create', {
        requestId: newRequestId(),
        villageId,
        label,
      });
      if (!envelope.ok) {
        this.setData({ linkBusy: false, message: envelope.error.message, messageError: true });
        return;
      }
      this.setData({
        linkBusy: false,
        linkLabel: '',
        message: `已创建大屏链接“${label}”，点链接复制后在大屏电脑的浏览器打开`,
        messageError: false,
      });
      await this.loadLinks();
    },

    onCopyLink(e: WechatMiniprogram.TouchEvent) {
      const url = String(e.currentTarget.dataset.url ?? '');
      if (url) wx.setClipboardData({ data: url });
    },

    async onRevokeLink(e: WechatMiniprogram.TouchEvent) {
      const linkId = String(e.currentTarget.dataset.id);
      if (this.data.linkBusy) return;
      this.setData({ linkBusy: true, message: '' });
      const envelope = await call('points', 'screens.revoke', { linkId });
      this.setData({
        linkBusy: false,
        message: envelope.ok ? '大屏链接已停用，大屏将在一分钟内清空' : envelope.error.message,
        messageError: !envelope.ok,
      });
      await this.loadLinks();
    },

    onStartNotice(e: WechatMiniprogram.TouchEvent) {
      return this.act(String(e.currentTarget.dataset.month), 'notice');
    },

    onLock(e: WechatMiniprogram.TouchEvent) {
      return this.act(String(e.currentTarget.dataset.month), 'lock');
    },

    async act(month: string, kind: 'notice' | 'lock') {
      const village = this.currentVillage();
      const row = this.data.months.find((m) => m.month === month);
      if (!village || !row || this.data.busyMonth) return;
      if (kind === 'notice' ? !row.canStartNotice : !row.canLock) return;
      this.setData({ busyMonth: month, message: '' });
      const input = { villageId: village.id, month };
      const envelope =
        kind === 'notice'
          ? await call('points', 'months.startNotice', input)
          : await call('points', 'months.lock', input);
      if (!envelope.ok) {
        this.setData({ busyMonth: '', message: envelope.error.message, messageError: true });
        return;
      }
      const done =
        kind === 'notice'
          ? `${row.label}积分结果已开始公示${this.data.noticeDays}天，公示期内村民可提出异议`
          : `${row.label}积分结果已锁定，之后的更正将记入当月`;
      this.setData({ busyMonth: '', message: done, messageError: false });
      await this.loadMonths(true);
    },
  },
});
