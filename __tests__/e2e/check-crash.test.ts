// A failure the action did not foresee (here the runner's output file cannot
// be written) still ends the step cleanly: exit 1, one error annotation whose
// title says the action itself failed (not the key, not the input), no stack
// trace, and no secret.

import { annotations, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';

const emulator = useEmulator();

test('an output file that cannot be written: "Prefect Cloud key action failed", exit 1, no trace', async () => {
  const emu = emulator();
  const missing = '/nonexistent-directory/output';
  const run = await runAction(
    { 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id) },
    { env: { GITHUB_OUTPUT: missing } },
  );
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toBe('');
  // The runner's file protocol (@actions/core) says what failed; the title says whose failure it is.
  expect(annotations(run)).toEqual([{ level: 'error', title: 'Prefect Cloud key action failed', message: `Missing file at path: ${missing}` }]);
  expect(run.stdout).not.toMatch(/\n\s+at /);
});
