import tseslint from 'typescript-eslint';
import noCrossPackageRelative from './tools/eslint/no-cross-package-relative.js';

const impureGlobals = [
  'Date',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'queueMicrotask',
  'fetch',
  'process',
  'performance',
  'crypto',
  'require',
  'console',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { ketrew: { rules: { 'no-cross-package-relative': noCrossPackageRelative } } },
    rules: {
      'ketrew/no-cross-package-relative': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ketrew/*/*', '!@ketrew/*/package.json'],
              message: 'No deep imports across packages: import from the package entry point.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'No enums: use a union of string literals.' },
        { selector: 'TSModuleDeclaration[kind="namespace"]', message: 'No namespaces.' },
        {
          selector: 'TSParameterProperty',
          message: 'No parameter properties: declare #private fields.',
        },
        {
          selector: 'PropertyDefinition[accessibility="private"]',
          message: 'Use #private fields, not the private keyword.',
        },
        {
          selector: 'MethodDefinition[accessibility="private"]',
          message: 'Use #private methods, not the private keyword.',
        },
      ],
    },
  },
  {
    // The pure engine core: no I/O, no clock, no randomness. Time and ids arrive inside events.
    files: ['packages/engine/src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'child_process',
                'net',
                'http',
                'https',
                'crypto',
                'timers',
                'worker_threads',
              ],
              message: 'The engine core is pure: no Node built-ins.',
            },
            {
              group: ['../runtime/**', '../ports/**', '**/runtime/**'],
              message: 'The engine core must not depend on the runtime.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...impureGlobals.map((name) => ({ name, message: `The engine core is pure: no ${name}.` })),
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'The engine core is pure: randomness arrives in events.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
