import { initBackend } from './services/client';
import { readCareMode } from './services/preferences';
import { registerPrivacyHandler } from './services/privacy';

App<IAppOption>({
  globalData: {
    careMode: false,
  },

  onLaunch() {
    this.globalData.careMode = readCareMode();
    initBackend();
    registerPrivacyHandler();
  },
});
