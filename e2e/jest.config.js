/** The browser suite: the real server and Debian's Chromium driven by playwright-core. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this CommonJS config
const base = require('../jest.config.js');
module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
