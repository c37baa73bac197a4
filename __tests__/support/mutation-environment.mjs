// The test environment under mutation testing: once a test has failed, the
// mutant is killed, and the test files after it are skipped rather than run to
// the end (Stryker's jest runner turns jest's own bail off). Outside mutation
// testing (no __STRYKER_ACTIVE_MUTANT__) it is jest's node environment.

import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

const KILLED = join(tmpdir(), 'mutants-killed');

/** The marker of the mutant this worker is testing: one per worker process and mutant. */
function marker() {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  return mutant === undefined ? undefined : join(KILLED, `${process.pid}-${mutant}`);
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
    if (failed) {
      mkdirSync(KILLED, { recursive: true });
      writeFileSync(killed, '');
    }
  }
}
