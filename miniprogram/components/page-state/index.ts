/**
 * What a page shows instead of its content while it cannot show it: loading, a load error with 重试, not
 * allowed, not linked to a family (with 去绑定), or nothing to list. The page keeps `status` and `errorMessage`
 * in its data (see services/page-state.ts for what it keeps out) and passes them down; the component raises
 * `retry`, `bind` and `emptyaction` for the page to act on.
 *
 * Loading and error are always shown; forbidden, unlinked and empty only when the page gives their text, so a
 * page that shows its own empty list (or handles "not linked" inside its content) leaves that text out. The
 * page renders its content when none of these applies (`status === 'ready'` on most pages).
 */

Component({
  options: { multipleSlots: false },

  properties: {
    status: { type: String, value: 'loading' },
    errorMessage: { type: String, value: '' },
    loadingText: { type: String, value: '正在加载…' },
    forbiddenText: { type: String, value: '' },
    unlinkedText: { type: String, value: '' },
    unlinkedAction: { type: String, value: '去绑定家庭' },
    emptyText: { type: String, value: '' },
    emptyIcon: { type: String, value: 'info-circle' },
    emptyAction: { type: String, value: '' },
    /** Inside a section of a page (less space above) rather than in place of the whole page. */
    small: { type: Boolean, value: false },
  },

  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },

    onBind() {
      this.triggerEvent('bind');
    },

    onEmptyAction() {
      this.triggerEvent('emptyaction');
    },
  },
});
