// Mutation testing (npm run test:mutation, through scripts/mutation.ts): the
// modules named in MUTATE are mutated, and the tests named in MUTATION_TESTS
// run against every mutant. The end-to-end tests run the sources
// (ACTION_UNDER_TEST=src), so a mutant is live in the action's own process
// without a rebuild. Coverage is not measured per test: the end-to-end tests
// reach the code in child processes, where Stryker cannot see it.

const list = (name) => (process.env[name] ?? '').split(',').filter(Boolean);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  jest: {
    configFile: 'jest.config.js',
    // The end-to-end tests reach a module through a child process, not an import: jest cannot tell which are related.
    enableFindRelatedTests: false,
    config: {
      testMatch: list('MUTATION_TESTS').map((file) => `**/${file}`),
      testEnvironment: '<rootDir>/__tests__/support/mutation-environment.mjs',
      testSequencer: '<rootDir>/__tests__/support/mutation-sequencer.mjs',
    },
  },
  mutate: list('MUTATE'),
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 15000,
  timeoutFactor: 2,
  reporters: ['json', 'progress-append-only'],
  jsonReporter: { fileName: process.env.MUTATION_REPORT ?? 'mutation/report.json' },
  cleanTempDir: 'always',
  ignorePatterns: ['/.tmp', '/coverage', '/mutation', '/bench', '/examples', '/.git'],
};
