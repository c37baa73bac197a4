// Under mutation testing the test files run in the order MUTATION_TESTS lists
// them, the fastest that can kill a module's mutants first, so that a killed
// mutant costs little (see mutation-environment.mjs).

import Sequencer from '@jest/test-sequencer';

const ORDER = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);

const rank = (test) => {
  const index = ORDER.findIndex((file) => test.path.endsWith(`/${file}`));
  return index < 0 ? ORDER.length : index;
};

export default class ListedOrder extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b));
  }
}
