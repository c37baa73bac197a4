// The status no Prefect Cloud API sends: `unexpected`, never one of the
// verdicts about the key (a 409 is not a missing workspace), and a key checked
// with no workspace named gets the same verdicts as one checked against a
// workspace: 401 a bad key, a 404 from Prefect to the workspace list unexpected.

import { annotations, withoutMasks } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

/** In-process (what only a process shows is e2e/'s); a retry's pause takes no time. */
const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();

const INVALID =
  'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it.';

test.each([409, 400, 418, 302])('HTTP %i to the health check is unexpected, not a verdict on the key', async (status) => {
  const emu = emulator();
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
  emu.fault('health', { status, body: JSON.stringify({ detail: 'Conflict' }) });
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': url });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unexpected', 'status-code': String(status), 'workspace-url': url });
  expect(run.masked).toContain(emu.seed.user.key);
  expect(withoutMasks(run.stdout)).toBe(
    `::error title=Key check failed (unexpected)::Prefect Cloud answered HTTP ${status} to the health check, which a Prefect Cloud API does not send: check that api-url (${emu.apiUrl}) points at the Prefect Cloud API.\n`,
  );
  // Not transient: asked once.
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health']);
});

test('with fail-on-invalid false, unexpected still passes the step with a warning', async () => {
  const emu = emulator();
  emu.fault('health', { status: 409 });
  const run = await runAction({
    'api-key': emu.seed.user.key,
    'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id),
    'fail-on-invalid': 'false',
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'unexpected' });
  expect(annotations(run).map((annotation) => [annotation.level, annotation.title])).toEqual([['warning', 'Key check failed (unexpected)']]);
});

test('no workspace named, an expired key: invalid-key from the workspace list', async () => {
  const emu = emulator();
  const key = emu.seed.expiredKey;
  const run = await runAction({ 'api-key': key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'invalid-key', 'status-code': '401', 'workspace-url': '' });
  expect(run.masked).toContain(key);
  expect(withoutMasks(run.stdout)).toBe(`::error title=Key check failed (invalid-key)::${INVALID}\n`);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces']);
});

test('no workspace named, Prefect answers 404 to the workspace list: unexpected', async () => {
  const emu = emulator();
  emu.fault('me-workspaces', { status: 404 });
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unexpected', 'status-code': '404' });
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (unexpected)',
      message: `Prefect Cloud answered HTTP 404 to the list of workspaces, which a Prefect Cloud API does not send: check that api-url (${emu.apiUrl}) points at the Prefect Cloud API.`,
    },
  ]);
});
