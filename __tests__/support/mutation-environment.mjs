// The test environment under mutation testing. Outside mutation testing (no
// MUTANTS_KILLED) it is jest's node environment.
//
// - Stryker's first run of the tests (no mutant active) records the full name
//   of every test of each file in MUTATION_NAMES, so that a mutant's run loads
//   only the files that hold the tests reaching it (mutation-sequencer.mjs):
//   Stryker's jest runner gives jest a name pattern but every file.
// - A mutant's run: once a test has failed, the mutant is killed, and the
//   tests after it, in its file and the files after it, are skipped rather
//   than run to the end (Stryker's jest runner turns jest's own bail off).
// - The name pattern is told to the tests as `__mutationNamePattern`, so that
//   a fault matrix starts only the cells whose tests run (faults/matrix.ts).
//
// The markers live in MUTANTS_KILLED, a directory scripts/mutation.ts makes
// afresh for each Stryker run: mutant ids start again at 0 in every run and
// process ids wrap around, so a marker left by an earlier run would skip a
// live mutant's tests and count it as a survivor.

import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

/** The marker of the mutant this worker is testing: one per worker process and mutant, in this run's directory. */
export function marker() {
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

/** The full name of every test under `block`, as jest reports it (and Stryker names a test): its titles joined by spaces. */
function fullNames(block, titles = []) {
  return block.children.flatMap((child) => (child.type === 'describeBlock' ? fullNames(child, [...titles, child.name]) : [[...titles, child.name].join(' ')]));
}

export default class MutationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    const pattern = config.globalConfig.testNamePattern;
    if (process.env.MUTANTS_KILLED !== undefined && pattern) this.global.__mutationNamePattern = pattern;
  }

  async handleTestEvent(event, state) {
    const names = process.env.MUTATION_NAMES;
    if (event.name === 'run_start' && names !== undefined && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
      const file = join(names, `${createHash('sha256').update(this.testPath).digest('hex').slice(0, 16)}.json`);
      writeFileSync(file, JSON.stringify({ path: this.testPath, names: fullNames(state.rootDescribeBlock) }));
    }
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
