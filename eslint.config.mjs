// ESLint: typescript-eslint everywhere; shared/ is the pure domain and may not do I/O.
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'cluster',
  'worker_threads',
  'os',
  'crypto',
  'stream',
  'zlib',
  'readline',
  'process',
  'timers',
  'timers/*',
  'botbuilder',
  'botbuilder-*',
  'botframework-*',
  'restify',
  'restify-*',
  'twilio',
  'twilio/*',
  'pg',
  'pg-*',
  'ws',
  '@electric-sql/*',
  'drizzle-orm',
  'drizzle-orm/*',
  'jose',
  'react',
  'react-dom',
  '@microsoft/*',
  '@fluentui/*',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'appPackage/build/**',
      'test-results/**',
      '.data/**',
      'coverage/**',
      'bot/store/migrations/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioModules, message: 'shared/ is the pure domain: no I/O, frameworks or UI. Put adapters in bot/, tab/ or widget/.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'shared/ may not read the environment: take configuration as a parameter.' },
        { object: 'Date', property: 'now', message: 'shared/ takes time from an injected clock.' },
        { object: 'Math', property: 'random', message: 'shared/ takes ids and randomness from an injected generator.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'shared/ may not touch the process.' },
        { name: 'setTimeout', message: 'shared/ has no timers: return a due time instead.' },
        { name: 'setInterval', message: 'shared/ has no timers: return a due time instead.' },
        { name: 'fetch', message: 'shared/ does no I/O: take a port as a parameter.' },
        { name: 'require', message: 'shared/ imports with import statements only.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: 'shared/ takes time from an injected clock.' },
      ],
    },
  },
  {
    // Tests read loosely-typed JSON answers.
    files: ['**/*.test.ts', '**/*.test.tsx', 'bot/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
