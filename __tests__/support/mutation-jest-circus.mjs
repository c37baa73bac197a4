// The test runner under mutation testing: jest-circus, except that a test file
// run for a mutant that an earlier file has already killed is not loaded at
// all (see mutation-environment.mjs for the marker). Skipping its tests once
// loaded, as the environment does, still costs the import of everything the
// file reaches, for every file after the one that failed. (Its name holds
// "jest-circus": Stryker's per-test coverage accepts only a runner so named.)

import { existsSync } from 'node:fs';
import { createEmptyTestResult } from '@jest/test-result';
import circusRunner from 'jest-circus/runner';
import { marker } from './mutation-environment.mjs';

// A CommonJS module whose default export is the runner.
const circus = circusRunner.default ?? circusRunner;

export default async function mutationRunner(globalConfig, config, environment, runtime, testPath, sendMessageToJest) {
  const killed = marker();
  if (killed !== undefined && existsSync(killed)) {
    // One skipped test: jest takes a file that reports none for a file that failed to load.
    const title = 'not run: an earlier test file killed the mutant';
    const skipped = {
      ancestorTitles: [],
      duration: 0,
      failureDetails: [],
      failureMessages: [],
      fullName: title,
      numPassingAsserts: 0,
      status: 'pending',
      title,
    };
    return { ...createEmptyTestResult(), numPendingTests: 1, testFilePath: testPath, testResults: [skipped] };
  }
  return circus(globalConfig, config, environment, runtime, testPath, sendMessageToJest);
}
