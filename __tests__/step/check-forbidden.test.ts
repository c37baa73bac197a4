import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('403: the key is valid but may not read the workspace; no retry', async () => {
  const emu = emulator();
  const { account, workspaces, viewerBot } = emu.seed;
  const run = await runInProcess({ 'api-key': viewerBot.key, 'api-url': emu.apiUrl, 'account-id': account.id, 'workspace-id': workspaces.prod.id });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud API key lacks access',
      message: `Prefect Cloud refused this request for workspace ${account.id}/${workspaces.prod.id} (HTTP 403): the key is valid, but Prefect denies it access. Prefect answers 403 when the account's IP allowlist does not include the runner's address, when the account enforces PrivateLink and the request came over the public internet, or when the key's user or service account has no role in the workspace; check the IP allowlist and PrivateLink settings first.`,
    },
  ]);
  expect(run.outputs).toMatchObject({ valid: 'false', status: 'forbidden', 'status-code': '403', 'key-type': 'service-account' });
  expect(withoutExpiry(emu.requests)).toHaveLength(1);
  expectNoLeak(run, [viewerBot.key]);
});
