/**
 * A page whose content one load fills (see services/page-load.ts): the page keeps its `status` (its own states)
 * and defines `reload(refreshing)`; this behaviour holds the error's message for components/page-state and the
 * 关怀模式 flag (behaviors/care-mode), and calls `reload` on pull-down refresh (`refreshing`: the page may keep
 * what it shows) and on 重试 (`retry`).
 */
import { careMode } from './care-mode';

export const pageContent = Behavior({
  behaviors: [careMode],

  data: {
    errorMessage: '',
  },

  methods: {
    async onPullDownRefresh() {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },

    onRetry() {
      return this.reload(false);
    },

    /** The page's load; pages define their own. */
    reload(refreshing: boolean): unknown {
      return refreshing;
    },
  },
});
