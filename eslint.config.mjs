// ESLint flat config: TypeScript everywhere; a few project rules that keep the architecture honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noFocusedTests = {
  selector: "MemberExpression[object.name=/^(it|test|describe)$/][property.name='only']",
  message: 'No focused tests.',
};

// Time is an input: code asks its runtime's clock module, tests set the clock they need.
const clockMessage =
  "Ask the clock module (miniprogram/services/clock, cloudfunctions/common/clock, emulator/clock, scripts/lib/clock) instead of the machine's clock; for durations use performance.now().";
const noMachineClock = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockMessage },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: clockMessage,
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      '.data/',
      'coverage/',
      'miniprogram/miniprogram_npm/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', noFocusedTests, ...noMachineClock],
    },
  },
  {
    // The clock modules, one per runtime, are the only code that reads the machine's clock.
    files: [
      'miniprogram/services/clock.ts',
      'cloudfunctions/common/clock.ts',
      'emulator/clock.ts',
      'scripts/lib/clock.ts',
      'web/screen/clock.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', noFocusedTests] },
  },
  {
    // Pages and components reach the backend only through the typed client.
    files: ['miniprogram/**/*.ts'],
    ignores: ['miniprogram/services/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'wx', property: 'cloud', message: 'Use the typed client in miniprogram/services.' },
      ],
    },
  },
  {
    // The domain core stays pure: no wx, no database, no I/O.
    files: ['miniprogram/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'wx', 'getApp', 'process', 'require'],
      'no-restricted-imports': [
        'error',
        { patterns: ['fs', 'path', 'wx-server-sdk', 'zod', '../services/*', '../pages/*'] },
      ],
    },
  },
  {
    // Ambient typings reference the WeChat API typings the way the official template does.
    files: ['typings/**/*.d.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
  {
    // Plain CommonJS scripts (npm lifecycle hooks run before anything is compiled).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
);
