// Mutation testing (npm run test:mutation, through scripts/mutation.ts): the
// modules named in MUTATE are mutated, and the tests named in MUTATION_TESTS
// run against them. In-process tests run only where they reach a mutant
// (coverage per test). The spawned tests, which only the entry's mutants use,
// run the sources (ACTION_UNDER_TEST=src), so a mutant is live in the action's
// own process without a rebuild; they reach the code in child processes, where
// Stryker cannot measure coverage, so for them it is off
// (MUTATION_COVERAGE=off) and every mutant runs every listed test.

import { fileURLToPath } from 'node:url';

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
      // An absolute path: under perTest coverage analysis Stryker loads it itself, without jest's <rootDir>.
      testEnvironment: fileURLToPath(new URL('./__tests__/support/mutation-environment.mjs', import.meta.url)),
      testSequencer: '<rootDir>/__tests__/support/mutation-sequencer.mjs',
      testRunner: fileURLToPath(new URL('./__tests__/support/mutation-jest-circus.mjs', import.meta.url)),
      // A mutant that makes a test wait forever is killed when the test gives up; no test takes 10 s unmutated.
      testTimeout: 10000,
    },
  },
  mutate: list('MUTATE'),
  coverageAnalysis: process.env.MUTATION_COVERAGE === 'off' ? 'off' : 'perTest',
  concurrency: 2,
  // A worker that has run this many mutants is replaced: jest's ESM module registries are not all freed between runs,
  // and a worker grows by about 300 MB a minute.
  maxTestRunnerReuse: 40,
  timeoutMS: 10000,
  timeoutFactor: 1.5,
  reporters: ['json', 'progress-append-only'],
  jsonReporter: { fileName: process.env.MUTATION_REPORT ?? 'mutation/report.json' },
  cleanTempDir: 'always',
  ignorePatterns: ['/.tmp', '/coverage', '/mutation', '/bench', '/examples', '/.git'],
};
