// The render stage of `npm run shots` (scripts/shots/index.ts runs it): pages built by miniprogram-simulate in
// jsdom, as the page tests build them, then written out as HTML documents for Chromium.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2020', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
const swcJs = [
  '@swc/jest',
  { jsc: { target: 'es2020', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
];

module.exports = {
  rootDir: '../..',
  displayName: 'shots',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test/shots'],
  testMatch: ['**/*.shots.ts'],
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/miniprogram/setup.ts', '<rootDir>/test/shots/setup.ts'],
  transform: { '^.+\\.ts$': swc, '/miniprogram_npm/.+\\.js$': swcJs },
  transformIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json', 'wxml', 'wxss'],
  moduleNameMapper: {
    '^tdesign-miniprogram/(.*)$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/$1',
  },
};
