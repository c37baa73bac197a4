import { annotations, expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';

const emulator = useEmulator();

test('403: the key is valid but may not read the workspace; no retry', async () => {
  const emu = emulator();
  const { account, workspaces, viewerBot } = emu.seed;
  const run = await runAction({ 'api-key': viewerBot.key, 'api-url': emu.apiUrl, 'account-id': account.id, 'workspace-id': workspaces.prod.id });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud API key lacks access',
      message: `The API key is valid, but its user or service account may not read workspace ${account.id}/${workspaces.prod.id} (HTTP 403). Give it a role in that workspace that can read it.`,
    },
  ]);
  expect(run.outputs).toMatchObject({ valid: 'false', status: 'forbidden', 'status-code': '403', 'key-type': 'service-account' });
  expect(emu.requests).toHaveLength(1);
  expectNoLeak(run, [viewerBot.key]);
});
