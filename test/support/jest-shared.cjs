// What both jest configurations share (jest.config.js for the tests, scripts/shots/jest.config.js for the
// screenshots): TypeScript and the built TDesign packages compiled by swc, and the mini-program's jsdom
// environment as miniprogram-simulate needs it. Paths are relative to <rootDir>, the repository.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2020', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];
const swcJs = [
  '@swc/jest',
  { jsc: { target: 'es2020', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
];

/** A project's settings for rendering mini-program pages in jsdom (test/miniprogram/setup.ts fakes `wx`). */
const miniprogramEnvironment = {
  testEnvironment: 'jsdom',
  transform: { '^.+\\.ts$': swc, '/miniprogram_npm/.+\\.js$': swcJs },
  transformIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json', 'wxml', 'wxss'],
  moduleNameMapper: {
    '^tdesign-miniprogram/(.*)$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/$1',
  },
};

module.exports = { swc, miniprogramEnvironment };
