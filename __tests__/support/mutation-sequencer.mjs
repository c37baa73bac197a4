// Under mutation testing the test files run in the order MUTATION_TESTS lists
// them, the fastest that can kill a module's mutants first, so that a killed
// mutant costs little (see mutation-environment.mjs). A mutant's run (jest is
// given a pattern of test names) runs only the files that hold a test the
// pattern names, as recorded by the first run in MUTATION_NAMES: Stryker's
// jest runner hands jest every file, and loading one costs more than most
// mutants' tests.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sequencer from '@jest/test-sequencer';

const ORDER = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);

const rank = (test) => {
  const index = ORDER.findIndex((file) => test.path.endsWith(`/${file}`));
  return index < 0 ? ORDER.length : index;
};

/** The recorded test names per file path. */
function recordedNames() {
  const dir = process.env.MUTATION_NAMES;
  if (dir === undefined || !existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir).map((file) => {
      const { path, names } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      return [path, names];
    }),
  );
}

export default class ListedOrder extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options?.globalConfig?.testNamePattern;
  }

  sort(tests) {
    const sorted = [...tests].sort((a, b) => rank(a) - rank(b));
    if (!this.pattern) return sorted;
    const names = recordedNames();
    const pattern = new RegExp(this.pattern, 'i');
    // A file the first run did not record is kept; if the pattern names no recorded test, every file is.
    const holding = sorted.filter((test) => !names.has(test.path) || names.get(test.path).some((name) => pattern.test(name)));
    return holding.length > 0 ? holding : sorted;
  }
}
