// One jest run, four projects: the domain core, the cloud functions (on the emulator), the emulator itself,
// the mini-program (jsdom + miniprogram-simulate), and the tooling checks.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config, as jest loads it
const { swc, miniprogramEnvironment } = require('./test/support/jest-shared.cjs');

const node = (name, roots) => ({
  displayName: name,
  testEnvironment: 'node',
  roots,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
});

module.exports = {
  testTimeout: 60000,
  // One build of the cloud functions for the whole run (test/support/backend.ts uses it).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform: { '^.+\\.ts$': swc },
  reporters: ['default', '<rootDir>/test/support/slowest-reporter.cjs'],
  projects: [
    node('core', ['<rootDir>/test/core']),
    node('functions', ['<rootDir>/test/functions']),
    node('emulator', ['<rootDir>/test/emulator']),
    node('tooling', ['<rootDir>/test/tooling']),
    {
      ...miniprogramEnvironment,
      displayName: 'miniprogram',
      roots: ['<rootDir>/test/miniprogram'],
      setupFiles: ['<rootDir>/test/miniprogram/setup.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/miniprogram/matchers.ts'],
    },
  ],
};
