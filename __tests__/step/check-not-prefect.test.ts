// A 401 or 403 is read by its body as well as its status: Prefect's own JSON
// keeps its meaning; an HTML page came from something in between (a proxy, a
// firewall) and says nothing about the key.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test.each([401, 403])('an HTML %i is unexpected, and the message names a proxy or firewall, not the key', async (status) => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  emu.fault('health', { htmlStatus: status });
  const url = workspaceUrlOf(emu, account.id, workspaces.prod.id);
  const run = await runInProcess({ 'api-key': user.key, 'api-url': url });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unexpected', 'status-code': String(status) });
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (unexpected)',
      message: `Something between the runner and Prefect Cloud (a proxy or a firewall) answered HTTP ${status} with a page that is not Prefect's answer: this says nothing about the key. Check the runner's proxy (HTTPS_PROXY) and firewall, and that api-url (${emu.apiUrl}) points at the Prefect Cloud API.`,
    },
  ]);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health']);
  expectNoLeak(run, [user.key]);
});

test("Prefect's own 403 is forbidden, and the message names what causes one: the IP allowlist, PrivateLink, a workspace role", async () => {
  const emu = emulator();
  const { account, workspaces, viewerBot } = emu.seed;
  const run = await runInProcess({ 'api-key': viewerBot.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'forbidden', 'status-code': '403' });
  const [error] = annotations(run);
  expect(error?.title).toBe('Key check failed (forbidden)');
  expect(error?.message).toBe(
    `Prefect Cloud denied this valid key access to workspace ${account.handle}/${workspaces.prod.handle} (HTTP 403). Check the account's IP allowlist and PrivateLink settings first, then the workspace role of the key's user or service account.`,
  );
});

test('an HTML 401 to /me/workspaces (no workspace named) is unexpected too', async () => {
  const emu = emulator();
  emu.fault('me-workspaces', { htmlStatus: 401 });
  const run = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unexpected', 'status-code': '401' });
  expect(annotations(run)[0]?.message).toMatch(/^Something between the runner and Prefect Cloud \(a proxy or a firewall\) answered HTTP 401/);
});
