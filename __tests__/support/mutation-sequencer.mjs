// Under mutation testing, which test files a mutant's run loads, and in what
// order: Stryker's jest runner hands jest every file of the run, and loading
// one costs more than most mutants' tests.
//
// - A mutant with tests that reach it (jest is given a pattern of their
//   names): only the files that hold one, as the first run recorded them in
//   MUTATION_NAMES (see mutation-environment.mjs).
// - A static mutant (one in code that runs when a module loads, which no test
//   can be said to reach, so Stryker runs every test): only the test files of
//   its module, from MUTATION_MODULES, which scripts/mutation.ts writes.
//
// The files run in the order scripts/mutation.ts lists them for the mutant's
// module (MUTATION_TESTS for the run as a whole), the fastest that can kill
// the mutant first, so that a killed mutant costs little: no file after the
// one that killed it is loaded (mutation-jest-circus.mjs).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sequencer from '@jest/test-sequencer';

const ORDER = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);

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

let mutantModules;
/**
 * The module the active mutant is in, and its test files in order: each mutant's code in the instrumented copy that
 * this run tests (the working directory) is guarded by a call naming its id.
 */
function moduleOfActiveMutant() {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__;
  const listed = process.env.MUTATION_MODULES;
  if (active === undefined || listed === undefined || !existsSync(listed)) return undefined;
  if (mutantModules === undefined) {
    mutantModules = new Map();
    for (const [module, tests] of Object.entries(JSON.parse(readFileSync(listed, 'utf8')))) {
      const source = existsSync(module) ? readFileSync(module, 'utf8') : '';
      for (const [, id] of source.matchAll(/stryMutAct_9fa48\("(\d+)"\)/g)) mutantModules.set(id, tests);
    }
  }
  return mutantModules.get(active);
}

export default class ListedOrder extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options?.globalConfig?.testNamePattern;
  }

  sort(tests) {
    const moduleTests = moduleOfActiveMutant();
    const order = moduleTests ?? ORDER;
    const rank = (test) => {
      const index = order.findIndex((file) => test.path.endsWith(`/${file}`));
      return index < 0 ? order.length : index;
    };
    const sorted = [...tests].sort((a, b) => rank(a) - rank(b));
    let chosen;
    if (this.pattern) {
      // A file the first run did not record is kept.
      const names = recordedNames();
      const pattern = new RegExp(this.pattern, 'i');
      chosen = sorted.filter((test) => !names.has(test.path) || names.get(test.path).some((name) => pattern.test(name)));
    } else if (moduleTests !== undefined) {
      chosen = sorted.filter((test) => rank(test) < order.length);
    }
    // Should nothing be chosen, every file runs.
    return chosen !== undefined && chosen.length > 0 ? chosen : sorted;
  }
}
