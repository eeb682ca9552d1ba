// The render stage of `npm run shots` (scripts/shots/index.ts runs it): pages built by miniprogram-simulate in
// jsdom, as the page tests build them, then written out as HTML documents for Chromium.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config, as jest loads it
const { miniprogramEnvironment } = require('../../test/support/jest-shared.cjs');

module.exports = {
  ...miniprogramEnvironment,
  rootDir: '../..',
  displayName: 'shots',
  roots: ['<rootDir>/test/shots'],
  testMatch: ['**/*.shots.ts'],
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/miniprogram/setup.ts', '<rootDir>/test/shots/setup.ts'],
};
