/**
 * A page whose content one load fills (see services/page-load.ts): the page keeps its `status` (its own states)
 * and defines `reload(refreshing)`; this behaviour holds the error's message for components/page-state and the
 * 关怀模式 flag (the page reads it on open), and calls `reload` on pull-down refresh (`refreshing`: the page may
 * keep what it shows) and on 重试 (`retry`).
 */
export const pageContent = Behavior({
  data: {
    errorMessage: '',
    careMode: false,
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
