/**
 * 关怀模式 on a villager's page: `careMode` (larger text, fewer things at once) as the phone has it when the
 * page opens. A page that switches it (家庭, 首页) sets `careMode` itself.
 */
import { currentCareMode } from '../services/preferences';

export const careMode = Behavior({
  data: {
    careMode: false,
  },

  lifetimes: {
    attached() {
      this.setData({ careMode: currentCareMode() });
    },
  },
});
