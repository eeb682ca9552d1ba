import { initBackend } from './services/client';
import { readCareMode } from './services/preferences';

App<IAppOption>({
  globalData: {
    careMode: false,
  },

  onLaunch() {
    this.globalData.careMode = readCareMode();
    initBackend();
  },
});
