// A value Prefect would not send (a handle with a space, an id that is not a
// UUID) makes the answer unexpected: the message names the field, never the
// value, and nothing from that answer reaches an output or the summary.

import { annotations, expectNoLeak } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { prodWorkspaceEntry, useEmulator } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

/** In-process (what only a process shows is e2e/'s); a retry's pause takes no time. */
const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();
const HOSTILE = 'Prod Space <b>x</b>';

test.each([
  ['workspace_handle', 'a handle (lower-case letters, digits and dashes)'],
  ['workspace_id', 'a UUID'],
])('a %s Prefect would not send, while a handle is resolved: unexpected, naming the field only', async (field, what) => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  emu.fault('me-workspaces', { status: 200, body: JSON.stringify([prodWorkspaceEntry(emu, { [field]: HOSTILE })]) });
  const run = await runAction({ 'api-key': user.key, 'api-url': emu.apiUrl, workspace: `${account.handle}/${workspaces.prod.handle}` });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unexpected', 'status-code': '200', 'workspace-url': '' });
  const message = `Prefect Cloud answered with a value it does not send: ${field} is not ${what}. Nothing from that answer was used; check that api-url (${emu.apiUrl}) points at the Prefect Cloud API.`;
  expect(annotations(run)).toEqual([{ level: 'error', title: 'Key check failed (unexpected)', message }]);
  expect(run.masked).toContain(user.key);
  for (const text of [run.stdout, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain('Prod Space');
  expect(emu.requests.some((request) => request.route === 'health')).toBe(false);
  expectNoLeak(run, [user.key]);
});
