import { expectNoLeak } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('a full workspace URL as api-url names the workspace, and comes back as workspace-url', async () => {
  const emu = emulator();
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.staging.id);
  const run = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': `${url}/` });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'workspace-url': url });
  expect(withoutExpiry(emu.requests).map((request) => request.path)).toEqual([`${new URL(url).pathname}/health`]);
  expectNoLeak(run, [emu.seed.user.key]);
});
