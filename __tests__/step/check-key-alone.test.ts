import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('with no workspace named, the key alone is checked and its workspaces reported', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const run = await runInProcess({ 'api-key': user.key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(0);
  expect(JSON.parse(run.outputs.workspaces ?? '')).toEqual([
    { handle: `${account.handle}/${workspaces.prod.handle}`, url: workspaceUrlOf(emu, account.id, workspaces.prod.id) },
    { handle: `${account.handle}/${workspaces.staging.handle}`, url: workspaceUrlOf(emu, account.id, workspaces.staging.id) },
  ]);
  expect(run.outputs).toMatchObject({ status: 'valid', 'status-code': '200', 'workspace-url': '' });
  expect(run.summary).toContain(`| ${account.handle}/${workspaces.staging.handle} | \`${workspaceUrlOf(emu, account.id, workspaces.staging.id)}\` |`);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces']);
  expectNoLeak(run, [user.key]);
});

test('a check that names no workspace says so: a warning on how to name one, and a summary line', async () => {
  const emu = emulator();
  const alone = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl });
  expect(alone.exitCode).toBe(0);
  expect(annotations(alone)).toEqual([
    {
      level: 'warning',
      title: 'No workspace checked',
      message:
        'No workspace was named, so only the key itself was checked, not its access to a workspace. To check one, set api-url to its workspace URL (what PREFECT_API_URL holds), or workspace: <account-handle>/<workspace-handle>, or account and workspace. If api-url reads PREFECT_API_URL, check that it is set where it is read (vars. for a variable, secrets. for a secret).',
    },
  ]);
  // A paragraph of its own.
  expect(alone.summary).toContain('\n\nNo workspace was named: only the key itself was checked');
  const { account, workspaces } = emu.seed;
  const named = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) });
  expect(named.exitCode).toBe(0);
  expect(annotations(named)).toEqual([]);
  expect(named.summary).not.toContain('No workspace was named');
});

test('a key that reaches one workspace gives its URL', async () => {
  const emu = emulator();
  const { account, workspaces, bot } = emu.seed;
  const run = await runInProcess({ 'api-key': bot.key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  expect(run.outputs['workspace-url']).toBe(workspaceUrlOf(emu, account.id, workspaces.prod.id));
  expectNoLeak(run, [bot.key]);
});

test('a 200 that is not a workspace list is retried, then unavailable', async () => {
  const emu = emulator();
  emu.fault('me-workspaces', { malformed: true });
  const run = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, retries: '1' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('unavailable');
  // The line on naming a workspace belongs to a key found valid: a failed check's summary is about what failed.
  expect(run.summary).not.toContain('No workspace was named');
  expect(withoutExpiry(emu.requests)).toHaveLength(2);
  expectNoLeak(run, [emu.seed.user.key]);
});
