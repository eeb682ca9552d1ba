/**
 * 首页 (for now): a welcome and the way to 积分规则. The family's points and claims arrive with the
 * binding and ledger work; until then this page shows no numbers at all.
 */
import { currentCareMode } from '../../services/preferences';

Component({
  data: {
    careMode: false,
  },

  methods: {
    onLoad() {
      this.setData({ careMode: currentCareMode() });
    },
  },
});
