import { availableParallelism } from 'node:os';

/**
 * Every test file of __tests__/. Jest runs two files per core: much of a
 * file's time is spent waiting on loopback servers, timers and spawned runs,
 * not on a core, so no file may depend on running alone (each takes its own
 * ports, temporary folders and emulator) or on how long anything takes by the
 * wall clock.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.all.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  // A number: jest reads a percentage above 100 % as that many workers.
  maxWorkers: 2 * availableParallelism(),
  // The spawned tests that run side by side (test.concurrent: the crash and leak cells) each start the action with a
  // short deadline: with files running side by side on a 2-core machine, more at once would leave a process waiting
  // for a core past its deadline. The fault matrices run their in-process cells side by side themselves (matrix.ts).
  maxConcurrency: 3,
};
