/** Preferences a villager sets on this phone, kept in local storage. */

export const CARE_MODE_STORAGE_KEY = 'zanjifen.careMode';

/** 关怀模式 (larger text) — off unless the villager turned it on. */
export function readCareMode(): boolean {
  try {
    return wx.getStorageSync(CARE_MODE_STORAGE_KEY) === true;
  } catch {
    return false;
  }
}

export function saveCareMode(on: boolean): void {
  wx.setStorageSync(CARE_MODE_STORAGE_KEY, on);
}

/** The care-mode flag as pages read it: from the app's globalData (set at launch), false if no app yet. */
export function currentCareMode(): boolean {
  const app = getApp<IAppOption>() as IAppOption | undefined;
  return app?.globalData?.careMode === true;
}

/** Turns 关怀模式 on or off: remembered on this phone and applied to the running app at once. */
export function setCareMode(on: boolean): void {
  saveCareMode(on);
  const app = getApp<IAppOption>() as IAppOption | undefined;
  if (app?.globalData) app.globalData.careMode = on;
}
