/// <reference path="./types/index.d.ts" />

interface IAppOption {
  globalData: {
    /** Set once the care mode (关怀模式) preference is read from storage. */
    careMode: boolean;
  };
}
