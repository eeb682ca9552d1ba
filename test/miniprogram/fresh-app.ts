/**
 * Every page test starts from a freshly launched app, although the page modules and the services they
 * import stay loaded for the whole test file (pages compile once per file, see load-page.ts, which imports
 * this module). Importing it registers the hook: before each test the clock is back at TEST_NOW, the session
 * cache is empty, no privacy prompt is registered and care mode is off.
 */
import { setClock } from '../../miniprogram/services/clock';
import { setPrivacyPrompt } from '../../miniprogram/services/privacy';
import { clearSession } from '../../miniprogram/services/session';
import { TEST_NOW } from './clock';

/** What a launch of the app would give: module state back to its start, the test clock at TEST_NOW. */
export function freshApp(): void {
  setClock(TEST_NOW);
  clearSession();
  setPrivacyPrompt(null);
  getApp<IAppOption>().globalData.careMode = false;
}

beforeEach(freshApp);
