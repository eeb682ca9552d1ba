/**
 * The end of a section's list: 加载更多 while the server has more (raising `more`), or 没有更多了 once a long
 * list is all shown. Renders nothing for a list that fits one page.
 */
Component({
  properties: {
    hasMore: { type: Boolean, value: false },
    loading: { type: Boolean, value: false },
    /** How many rows are shown (to say 没有更多了 only under a list that did page). */
    count: { type: Number, value: 0 },
    pageSize: { type: Number, value: 50 },
  },

  methods: {
    onMore() {
      if (!this.data.loading) this.triggerEvent('more');
    },
  },
});
