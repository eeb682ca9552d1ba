/**
 * 年终积分冠军 (village cadres, town admins): a village's champions of a year (champions.list) — each family's
 * points earned and its share of the reward — and, for town admins while the year is not yet awarded, the award
 * form (top N, reward in yuan → fen) behind a confirm; the server's refusal (e.g. already awarded) is shown in
 * its words. One request id per form, renewed after each success.
 */
import { chinaToday } from '../../services/clock';
import type { ChampionsView } from '../../contract/shop';

import { FORM_SUBMIT, sendOnce } from '../../services/send';
import { newRequestId } from '../../services/request-id';
import { parseYuan, points, yuan } from '../lib/format';
import { cadreVillagesLoad } from '../lib/scope';
import { villageScope } from '../../behaviors/village-scope';
import { pageState } from '../../services/page-state';
import { call } from '../../services/client';
import type { SectionStatus } from '../../behaviors/paged-list';
import type { WorkPageStatus } from '../../services/page-load';

interface FamilyRow {
  familyId: string;
  rankText: string;
  name: string;
  earnedText: string;
  amountText: string;
}

function summaryOf(c: ChampionsView): string {
  const parts = [`评前${c.topN}名，共${c.families.length}户`, `奖励总额${yuan(c.rewardFen)}`];
  if (c.families.length > 0) parts.push(`每户${yuan(c.eachFen)}`);
  if (c.remainderFen > 0) parts.push(`余${yuan(c.remainderFen)}留存基金`);
  return parts.join('，');
}

const familyRow = (f: ChampionsView['families'][number]): FamilyRow => ({
  familyId: f.familyId,
  rankText: `第${f.rank}名`,
  name: f.familyName,
  earnedText: `获得${points(f.earned)}`,
  amountText: yuan(f.amountFen),
});

interface Hidden {
  requestId: string;
  sending: boolean;
}
const stateOf = pageState<Hidden>(() => ({ requestId: newRequestId(), sending: false }));

const EMPTY_FORM = { topN: '', amount: '', formError: '' };

Component({
  behaviors: [villageScope],

  data: {
    status: 'loading' as WorkPageStatus,
    errorMessage: '',
    townAdmin: false,
    year: '',
    listStatus: 'loading' as SectionStatus,
    listMessage: '',
    summary: '',
    families: [] as FamilyRow[],
    ...EMPTY_FORM,
    submitting: false,
  },

  methods: {
    async onLoad() {
      const opened = await this.openVillageScope(cadreVillagesLoad, {
        ready: ({ townAdmin }) => ({ townAdmin, year: this.data.year || chinaToday().slice(0, 4) }),
      });
      if (opened) await this.loadChampions();
    },

    onRetry() {
      return this.onLoad();
    },

    onVillageSelected() {
      if (stateOf(this).sending) return;
      this.setData({ ...EMPTY_FORM });
      return this.loadChampions();
    },

    onYearChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      if (stateOf(this).sending) return;
      this.setData({ year: String(e.detail.value).slice(0, 4), ...EMPTY_FORM });
      return this.loadChampions();
    },

    async loadChampions() {
      this.setData({ listStatus: 'loading', listMessage: '' });
      const envelope = await call('shop', 'champions.list', {
        villageId: this.villageId(),
        year: this.data.year,
      });
      if (!envelope.ok) {
        this.setData({ listStatus: 'error', listMessage: envelope.error.message, families: [], summary: '' });
        return;
      }
      const champions = envelope.data.champions;
      if (!champions) {
        this.setData({ listStatus: 'empty', families: [], summary: '' });
        return;
      }
      this.setData({
        listStatus: 'ready',
        summary: summaryOf(champions),
        families: champions.families.map(familyRow),
      });
    },

    onFieldInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const field = String(e.currentTarget.dataset.field);
      if (!['topN', 'amount'].includes(field)) return;
      this.setData({ [field]: e.detail.value, formError: '' });
    },

    /** Checks the form, then asks for a confirm before champions.award. */
    onAward() {
      if (stateOf(this).sending || !this.data.townAdmin) return;
      const topN = Number(this.data.topN.trim());
      if (!/^\d{1,3}$/.test(this.data.topN.trim()) || topN < 1 || topN > 100) {
        this.setData({ formError: '评选户数应为1到100之间的整数' });
        return;
      }
      const rewardFen = parseYuan(this.data.amount);
      if (rewardFen === null) {
        this.setData({ formError: '请填写奖励总额（元），最多两位小数' });
        return;
      }
      const village = this.data.villageNames[this.data.villageIndex];
      wx.showModal({
        title: '评出积分冠军',
        content: `确定评出${village}${this.data.year}年积分前${topN}名家庭，平分奖励${yuan(rewardFen)}吗？奖励从本村基金池支出，每村每年只能评一次。`,
        confirmText: '评出',
        success: (res) => {
          if (res.confirm) void this.award(topN, rewardFen);
        },
      });
    },

    async award(topN: number, rewardFen: number) {
      const state = stateOf(this);
      const awarded = await sendOnce(this, state, FORM_SUBMIT, () =>
        call('shop', 'champions.award', {
          requestId: state.requestId,
          villageId: this.villageId(),
          year: this.data.year,
          topN,
          rewardFen,
        }),
      );
      if (!awarded) return;
      state.requestId = newRequestId();
      this.setData(EMPTY_FORM);
      wx.showToast({ title: `已评出${awarded.families.length}户积分冠军`, icon: 'none' });
      await this.loadChampions();
    },
  },
});
