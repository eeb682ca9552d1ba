/**
 * The one place that fakes the WeChat runtime for mini-program tests (jsdom + miniprogram-simulate).
 * miniprogram-simulate installs `Component`, `Behavior` and a basic `wx`; this adds what it lacks:
 * `wx.cloud` (callFunction is a jest.fn each test sets up), privacy APIs, storage in memory, account info,
 * the UI calls pages make, and `getApp()` (TDesign components call it too). Builds miniprogram_npm if missing.
 * Fixes the app's clock at TEST_NOW (test/miniprogram/clock.ts).
 */
import 'miniprogram-simulate';
import { setClock } from '../../miniprogram/services/clock';
import { ensureNpmBuilt } from '../../scripts/build-npm';
import { TEST_NOW } from './clock';

ensureNpmBuilt();

// No test reads the machine's clock: the app's clock starts at TEST_NOW (2026-11-20 10:00 China time) in every
// test file, and page tests are put back there before each test (fresh-app.ts).
setClock(TEST_NOW);

const storage = new Map<string, unknown>();

const fakeWx = {
  cloud: {
    DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
    init: jest.fn(),
    callFunction: jest.fn(() =>
      Promise.reject(new Error('wx.cloud.callFunction is not mocked in this test')),
    ),
    uploadFile: jest.fn(),
  },
  request: jest.fn(),
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => void storage.set(key, value)),
  removeStorageSync: jest.fn((key: string) => void storage.delete(key)),
  clearStorageSync: jest.fn(() => storage.clear()),
  getAccountInfoSync: jest.fn(() => ({
    miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
  })),
  onNeedPrivacyAuthorization: jest.fn(),
  requirePrivacyAuthorize: jest.fn((options?: { success?: () => void }) => options?.success?.()),
  getPrivacySetting: jest.fn((options?: { success?: (res: object) => void }) =>
    options?.success?.({ needAuthorization: false, privacyContractName: '《攒积分隐私保护指引》' }),
  ),
  openPrivacyContract: jest.fn(),
  showToast: jest.fn(),
  stopPullDownRefresh: jest.fn(),
  navigateTo: jest.fn(),
  switchTab: jest.fn(),
};

Object.assign(wx, fakeWx);

const app = { globalData: { careMode: false } };
Object.assign(globalThis, { getApp: () => app, getCurrentPages: () => [] });
// Pages are built with Component(); should a page call Page(), treat it the same way.
Object.assign(globalThis, { Page: (options: object) => Component(options) });
