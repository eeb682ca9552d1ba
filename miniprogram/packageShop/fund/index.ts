/**
 * 基金池 (village cadres, town admins): a village's fund — balance, what a point is worth, and its health against
 * the points outstanding (fund.health) — the money in and out (fund.ledger), and recording money in: the
 * collective's yearly net income (30% goes to the fund; town admins) and donations (cadres too, if the server
 * allows). One request id per form, renewed after each success.
 */
import { pagedSection, type SectionStatus } from '../../behaviors/paged-list';
import { chinaDateTime } from '../../core/time';
import { chinaToday } from '../../services/clock';
import type { FundHealthView, FundMovementView } from '../../contract/shop';
import type { FundStatus } from '../../core/fund';

import type { Envelope } from '../../core/envelope';
import { FORM_SUBMIT, sendOnce } from '../../services/send';
import { newRequestId } from '../../services/request-id';
import { parseYuan, points, yuan } from '../lib/format';
import { cadreVillagesLoad } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { call } from '../../services/client';
import type { WorkPageStatus } from '../../services/page-load';

type Form = 'income' | 'donate';

const HEALTH_LABELS: Record<FundStatus, string> = {
  healthy: '充足：余额够兑付全部未用积分',
  watch: '关注：余额只够兑付一半以上的未用积分',
  short: '不足：余额不够兑付一半未用积分',
};

interface HealthCard {
  balanceText: string;
  valueText: string;
  outstandingText: string;
  coverageText: string;
  statusText: string;
  status: FundStatus;
  /** The fund is in debt to the shop: shown as a warning. */
  debtWarning: string;
}

interface MovementRow {
  id: string;
  title: string;
  amountText: string;
  income: boolean;
  meta: string;
}

function healthCard(h: FundHealthView): HealthCard {
  return {
    balanceText: yuan(h.balanceFen),
    valueText: `1分 = ${yuan(h.fenPerPoint)}`,
    outstandingText: `${points(h.outstandingPoints)}（约${yuan(h.outstandingValueFen)}）`,
    coverageText: h.coverageBp === null ? '暂无未用积分' : `${Math.floor(h.coverageBp / 100)}%`,
    statusText: HEALTH_LABELS[h.status],
    status: h.status,
    debtWarning: h.debtWarning ?? '',
  };
}

function movementRow(m: FundMovementView): MovementRow {
  const extra = m.donor ? `捐赠方 ${m.donor}` : m.netIncomeFen ? `净收益${yuan(m.netIncomeFen)}` : '';
  return {
    id: m.id,
    title: [m.kindLabel, extra].filter(Boolean).join('\u3000'),
    amountText: `${m.amountFen > 0 ? '+' : ''}${yuan(m.amountFen)}`,
    income: m.amountFen > 0,
    meta: [chinaDateTime(m.at), m.byName, m.note].filter(Boolean).join('\u3000'),
  };
}

/** The village fund's movements, newest first, 加载更多 below. */
const ledgerSection = pagedSection({
  key: 'movements',
  pageSize: 50,
  fetch: (villageId: string, offset: number) => call('shop', 'fund.ledger', { villageId, offset }),
  toRows: (data) => data.movements.map(movementRow),
});

interface Hidden {
  requestId: string;
  sending: boolean;
}
const stateOf = pageState<Hidden>(() => ({ requestId: newRequestId(), sending: false }));

const EMPTY_FORM = { form: '' as Form | '', year: '', amount: '', donor: '', note: '', formError: '' };

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    townAdmin: false,
    healthStatus: 'loading' as 'loading' | 'ready' | 'error',
    healthMessage: '',
    health: null as HealthCard | null,
    movementsStatus: 'loading' as SectionStatus,
    movementsMessage: '',
    movements: [] as MovementRow[],
    movementsHasMore: false,
    movementsLoadingMore: false,
    ...EMPTY_FORM,
    submitting: false,
  },

  methods: {
    async onLoad() {
      const opened = await this.openVillageScope(cadreVillagesLoad, {
        ready: ({ townAdmin }) => ({ townAdmin }),
      });
      if (opened) await this.loadVillage();
    },

    onVillageSelected() {
      this.setData({ ...EMPTY_FORM });
      return this.loadVillage();
    },

    loadVillage() {
      return Promise.all([this.loadHealth(), this.loadLedger()]);
    },

    async loadHealth() {
      this.setData({ healthStatus: 'loading', healthMessage: '' });
      const envelope = await call('shop', 'fund.health', { villageId: this.villageId() });
      const village = envelope.ok ? envelope.data.villages[0] : undefined;
      if (!envelope.ok || !village) {
        this.setData({
          healthStatus: 'error',
          healthMessage: envelope.ok ? '找不到该村（社区）的基金池' : envelope.error.message,
        });
        return;
      }
      this.setData({ healthStatus: 'ready', health: healthCard(village) });
    },

    loadLedger() {
      return ledgerSection.loadFirst(this, this.villageId());
    },

    onMoreMovements() {
      return ledgerSection.loadMore(this, this.villageId());
    },

    onFormOpen(e: WechatMiniprogram.TouchEvent) {
      if (stateOf(this).sending) return;
      stateOf(this).requestId = newRequestId();
      const form = e.currentTarget.dataset.form as Form;
      this.setData({ ...EMPTY_FORM, form, year: form === 'income' ? chinaToday().slice(0, 4) : '' });
    },

    onFormClose() {
      if (stateOf(this).sending) return;
      this.setData(EMPTY_FORM);
    },

    onFieldInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const field = String(e.currentTarget.dataset.field);
      if (!['year', 'amount', 'donor', 'note'].includes(field)) return;
      this.setData({ [field]: e.detail.value, formError: '' });
    },

    async onFormSubmit() {
      const state = stateOf(this);
      if (state.sending || !this.data.form) return;
      const amountFen = parseYuan(this.data.amount);
      if (amountFen === null) {
        this.setData({ formError: '请填写金额（元），最多两位小数' });
        return;
      }
      const note = this.data.note.trim();
      const base = { requestId: state.requestId, villageId: this.villageId(), ...(note ? { note } : {}) };
      let send: () => Promise<Envelope<{ amountFen: number }>>;
      if (this.data.form === 'income') {
        const year = this.data.year.trim();
        if (!/^\d{4}$/.test(year)) {
          this.setData({ formError: '年份格式应为YYYY' });
          return;
        }
        send = () => call('shop', 'fund.income', { ...base, year, netIncomeFen: amountFen });
      } else {
        const donor = this.data.donor.trim();
        if (!donor) {
          this.setData({ formError: '请填写捐赠方' });
          return;
        }
        send = () => call('shop', 'fund.donate', { ...base, amountFen, donor });
      }
      const recorded = await sendOnce(this, state, FORM_SUBMIT, send);
      if (!recorded) return;
      state.requestId = newRequestId();
      this.setData(EMPTY_FORM);
      wx.showToast({ title: `已记入${yuan(recorded.amountFen)}`, icon: 'none' });
      await this.loadVillage();
    },
  },
});
