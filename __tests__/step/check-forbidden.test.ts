import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('403: the key is valid but may not read the workspace, named by its handle; no retry', async () => {
  const emu = emulator();
  const { account, workspaces, viewerBot } = emu.seed;
  const run = await runInProcess({ 'api-key': viewerBot.key, 'api-url': emu.apiUrl, account: account.id, workspace: workspaces.prod.id });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (forbidden)',
      message: `Prefect Cloud denied this valid key access to workspace ${account.handle}/${workspaces.prod.handle} (HTTP 403). Check the account's IP allowlist and PrivateLink settings first, then the workspace role of the key's user or service account.`,
    },
  ]);
  expect(run.outputs).toMatchObject({ status: 'forbidden', 'status-code': '403', 'key-type': 'service-account' });
  // The health check once (no retry), then the key's workspaces, to name the workspace by its handle.
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'me-workspaces']);
  expectNoLeak(run, [viewerBot.key]);
});
