// The test environment under mutation testing: once a test has failed, the
// mutant is killed, and the tests after it, in its file and the files after
// it, are skipped rather than run to the end (Stryker's jest runner turns
// jest's own bail off). Outside mutation
// testing (no __STRYKER_ACTIVE_MUTANT__) it is jest's node environment.
//
// The markers live in MUTANTS_KILLED, a directory scripts/mutation.ts makes
// afresh for each Stryker run: mutant ids start again at 0 in every run and
// process ids wrap around, so a marker left by an earlier run would skip a
// live mutant's tests and count it as a survivor.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/** The marker of the mutant this worker is testing: one per worker process and mutant, in this run's directory. */
function marker() {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  const killed = process.env.MUTANTS_KILLED;
  return mutant === undefined || killed === undefined ? undefined : join(killed, `${process.pid}-${mutant}`);
}

function skipAll(block) {
  block.mode = 'skip';
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipAll(child);
    else child.mode = 'skip';
  }
}

export default class MutationEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    const killed = marker();
    if (killed === undefined) return;
    if (event.name === 'run_start' && existsSync(killed)) skipAll(state.rootDescribeBlock);
    const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
    if (!failed) return;
    writeFileSync(killed, '');
    // The rest of this file too: a mutant that makes every test wait out its time limit is killed by the first.
    skipAll(state.rootDescribeBlock);
  }
}
