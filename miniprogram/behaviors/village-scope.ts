/**
 * The village a cadre page works on: which villages the signed-in person reaches (loaded once on open), the
 * picker over them (`villageNames`, `villageIndex`, rendered by components/village-picker) and the chosen one.
 *
 * The page calls `openVillageScope(load)` from `onLoad`: 'loading' (with the page's extra keys), then 'error'
 * when the villages cannot be loaded, 'forbidden' when the person reaches none, or the picker at the first
 * village (and 'ready' with the page's keys when it asks for it). A change of village calls the page's
 * `onVillageSelected()`. The villages themselves stay out of `data` (the WXML shows only their names).
 *
 * A page whose content is the chosen village's defines `loadVillage()`: by default a new village, a pull-down
 * refresh (where the page enables it) and 重试 after a failed load run it again, and 重试 opens the page again
 * (`onLoad`) when the villages themselves failed.
 */
import type { ErrorBody } from '../core/envelope';
import { pageState } from '../services/page-state';

export interface ScopeGroup {
  id: string;
  name: string;
}

export interface ScopeVillage {
  id: string;
  name: string;
  /** The groups the person may work in there (all of them for a village role or a town admin). */
  groups: ScopeGroup[];
}

export type VillagesLoad =
  | { ok: true; villages: ScopeVillage[]; townAdmin: boolean; openid: string }
  | { ok: false; error: ErrorBody };

export type VillagesReached = Extract<VillagesLoad, { ok: true }>;

export interface OpenOptions {
  /** Keys set with 'loading' (the page's own resets). */
  loading?: Record<string, unknown>;
  /** When given, the page opens 'ready' with these keys once the villages are there. */
  ready?: (reached: VillagesReached) => Record<string, unknown>;
  /** Whether the person may not use the page; by default, when they reach no village. */
  forbidden?: (reached: VillagesReached) => boolean;
}

const villagesOf = pageState<{ villages: ScopeVillage[] }>(() => ({ villages: [] }));

export const villageScope = Behavior({
  data: {
    villageNames: [] as string[],
    villageIndex: 0,
  },

  methods: {
    /** Loads the villages; null when nothing opened (error or forbidden, already shown). */
    async openVillageScope(
      load: () => Promise<VillagesLoad>,
      options: OpenOptions = {},
    ): Promise<VillagesReached | null> {
      this.setData({ status: 'loading', errorMessage: '', ...options.loading });
      const result = await load();
      if (!result.ok) {
        this.setData({ status: 'error', errorMessage: result.error.message });
        return null;
      }
      villagesOf(this).villages = result.villages;
      if (options.forbidden ? options.forbidden(result) : result.villages.length === 0) {
        this.setData({ status: 'forbidden' });
        return null;
      }
      this.setData({
        villageNames: result.villages.map((v) => v.name),
        villageIndex: 0,
        ...(options.ready ? { status: 'ready', ...options.ready(result) } : {}),
      });
      return result;
    },

    /** The villages the person reaches (empty until opened, or when the load failed). */
    scopeVillages(): ScopeVillage[] {
      return villagesOf(this).villages;
    },

    /** The village the picker shows. */
    currentVillage(): ScopeVillage | undefined {
      return villagesOf(this).villages[this.data.villageIndex];
    },

    /** The chosen village's id ('' before the villages are there). */
    villageId(): string {
      return this.currentVillage()?.id ?? '';
    },

    onVillageChange(e: WechatMiniprogram.CustomEvent<{ value: number | string }>) {
      this.setData({ villageIndex: Number(e.detail.value) });
      return this.onVillageSelected();
    },

    /** The page's answer to a new village: its `loadVillage()`, unless the page defines its own. */
    onVillageSelected(): unknown {
      return this.loadVillage();
    },

    /** The chosen village's content; pages define their own. */
    loadVillage(): unknown {
      return undefined;
    },

    async onPullDownRefresh() {
      await this.loadVillage();
      wx.stopPullDownRefresh();
    },

    onRetry(): unknown {
      if (villagesOf(this).villages.length > 0) return this.loadVillage();
      return (this as unknown as { onLoad(): unknown }).onLoad();
    },
  },
});
