// Mini-program sources see the app's IAppOption (typings/). Tests also import miniprogram-simulate, whose
// WeChat typings redeclare the global `require` as the mini-program's; Node scripts pulled in by tests use
// `require.main` and `require.resolve`, so that interface gets Node's members too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../typings/index.d.ts" />

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
interface Require extends NodeJS.Require {}
