import { annotations, expectNoLeak, withoutMasks } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

/** In-process (what only a process shows is e2e/'s); a retry's pause takes no time. */
const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();

test('a handle is resolved through /me/workspaces, then checked', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': emu.apiUrl, workspace: `${account.handle}/${workspaces.staging.handle}` });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({
    status: 'valid',
    'status-code': '200',
    'workspace-url': workspaceUrlOf(emu, account.id, workspaces.staging.id),
  });
  expect(run.masked).toContain(user.key);
  expect(withoutMasks(run.stdout)).toBe(`The API key is valid for workspace ${account.handle}/${workspaces.staging.handle}.\n`);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces', 'health']);
  expectNoLeak(run, [user.key]);
});

test('a handle the key does not reach is not-found, listing what it does reach', async () => {
  const emu = emulator();
  const { account, workspaces, bot } = emu.seed;
  const run = await runAction({ 'api-key': bot.key, 'api-url': emu.apiUrl, workspace: `${account.handle}/nope` });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'not-found', 'status-code': '' });
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (not-found)',
      message: `Workspace ${account.handle}/nope is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it.`,
    },
  ]);
  // What it does reach: in the summary.
  expect(run.summary).toContain(`The key reaches ${account.handle}/${workspaces.prod.handle}.`);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces']);
  expectNoLeak(run, [bot.key]);
});

test('a bad key with a handle is invalid-key, from the workspace list', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.unknownKey, 'api-url': emu.apiUrl, workspace: 'acme/prod' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'invalid-key', 'status-code': '401' });
  expectNoLeak(run, [emu.seed.unknownKey]);
});

test("another account's workspace of the same name is not this one: globex/prod never resolves to acme/prod", async () => {
  const emu = emulator();
  const { account, otherAccount, workspaces, user } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': emu.apiUrl, workspace: `${otherAccount.handle}/${workspaces.prod.handle}` });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'not-found', 'workspace-url': '' });
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (not-found)',
      message: `Workspace ${otherAccount.handle}/${workspaces.prod.handle} is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it.`,
    },
  ]);
  expect(run.summary).toContain(`The key reaches ${account.handle}/${workspaces.prod.handle}, ${account.handle}/${workspaces.staging.handle}.`);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces']);
});
