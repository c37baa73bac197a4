import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('404 in the key’s own account: a wrong workspace id or missing membership, with what the key does reach', async () => {
  const emu = emulator();
  const { account, workspaces, bot } = emu.seed;
  const run = await runInProcess({ 'api-key': bot.key, 'api-url': emu.apiUrl, account: account.id, workspace: workspaces.staging.id });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (not-found)',
      message: `Workspace ${account.id}/${workspaces.staging.id} was not found for this key (HTTP 404): the key's account is right, so either the workspace id is wrong or the key's user or service account is not a member of that workspace.`,
    },
  ]);
  expect(run.outputs).toMatchObject({ status: 'not-found', 'status-code': '404' });
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'me-workspaces']);
  expectNoLeak(run, [bot.key]);
});

test('404 in an account the key cannot see: check the account id', async () => {
  const emu = emulator();
  const { otherAccount, workspaces, user, account } = emu.seed;
  const run = await runInProcess({ 'api-key': user.key, 'api-url': emu.apiUrl, account: otherAccount.id, workspace: workspaces.sandbox.id });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)[0]?.message).toBe(
    `Workspace ${otherAccount.id}/${workspaces.sandbox.id} was not found for this key (HTTP 404): the key has no access to that account: check the account id (input account, or the URL in api-url), or add the key's user or service account to it.`,
  );
  // The workspaces it does reach: in the summary, not the annotation.
  expect(run.summary).toContain(`The key reaches ${account.handle}/${workspaces.prod.handle}, ${account.handle}/${workspaces.staging.handle}.`);
  expectNoLeak(run, [user.key]);
});

test('404 stays a clear answer when the follow-up list cannot be had', async () => {
  const emu = emulator();
  const { account, workspaces, bot } = emu.seed;
  emu.fault('me-workspaces', { status: 503 });
  const run = await runInProcess({
    'api-key': bot.key,
    'api-url': emu.apiUrl,
    account: account.id,
    workspace: workspaces.staging.id,
    retries: '0',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'not-found', 'status-code': '404' });
  expect(annotations(run)[0]?.message).toBe(
    `Workspace ${account.id}/${workspaces.staging.id} was not found for this key (HTTP 404): either the ids (or the URL in api-url) are wrong, or the key's user or service account is not a member of that workspace.`,
  );
  expectNoLeak(run, [bot.key]);
});
