/**
 * The app shell at launch: reads the care-mode preference into globalData and initialises the cloud once,
 * through the client module, in the current environment.
 */
import { CARE_MODE_STORAGE_KEY } from '../../miniprogram/services/preferences';

interface AppOptions {
  globalData: { careMode: boolean };
  onLaunch(this: AppOptions): void;
}

async function launchApp(): Promise<AppOptions> {
  jest.resetModules();
  const register = jest.fn();
  Object.assign(globalThis, { App: register });
  await import('../../miniprogram/app');
  const options = register.mock.calls[0][0] as AppOptions;
  options.onLaunch.call(options);
  return options;
}

beforeEach(() => {
  jest.clearAllMocks();
  wx.clearStorageSync();
});

it('starts in normal mode and initialises the cloud in the current environment', async () => {
  // Act
  const app = await launchApp();

  // Assess
  expect(app.globalData.careMode).toBe(false);
  expect(wx.cloud.init).toHaveBeenCalledTimes(1);
  expect(wx.cloud.init).toHaveBeenCalledWith({
    env: (wx.cloud as unknown as { DYNAMIC_CURRENT_ENV: unknown }).DYNAMIC_CURRENT_ENV,
    traceUser: true,
  });
});

it('remembers care mode (关怀模式) from storage', async () => {
  // Prepare
  wx.setStorageSync(CARE_MODE_STORAGE_KEY, true);

  // Act
  const app = await launchApp();

  // Assess
  expect(app.globalData.careMode).toBe(true);
});

it('registers the privacy authorisation handler, which declines when no prompt is on screen', async () => {
  // Act
  await launchApp();

  // Assess
  const register = wx.onNeedPrivacyAuthorization as unknown as jest.Mock;
  expect(register).toHaveBeenCalledTimes(1);
  const resolve = jest.fn();
  register.mock.calls[0][0](resolve, { referrer: 'chooseMedia' });
  expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
});
