import { annotations, expectNoLeak, masksOf, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';

const emulator = useEmulator();

test('a valid user key passes, with the key masked before anything else', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const run = await runAction({
    'api-key': user.key,
    'api-url': emu.apiUrl,
    account: account.id,
    workspace: workspaces.prod.id,
  });
  const url = workspaceUrlOf(emu, account.id, workspaces.prod.id);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toBe(`${masksOf(user.key)}The API key is valid for workspace ${account.id}/${workspaces.prod.id}.\n`);
  expect(run.stderr).toBe('');
  expect(run.outputs).toEqual({
    status: 'valid',
    'status-code': '200',
    'workspace-url': url,
    'key-type': 'user',
    workspaces: '',
    'key-expires-at': '', // this key never expires
    'key-days-left': '',
    scopes: '',
  });
  expect(run.summary).toContain('| Workspace | Result | Key type | HTTP status | Time |');
  expect(run.summary).toMatch(new RegExp(`\\| ${account.id}/${workspaces.prod.id} \\| valid \\| user \\| 200 \\| \\d+\\.\\d\\d s \\|`));
  expect(annotations(run)).toEqual([]);
  expect(withoutExpiry(emu.requests).map((request) => `${request.method} ${request.path}`)).toEqual([
    `GET /api/accounts/${account.id}/workspaces/${workspaces.prod.id}/health`,
  ]);
  expect(withoutExpiry(emu.requests)[0]?.authorization).toBe(`Bearer ${user.key}`);
  expectNoLeak(run, [user.key]);
});

test('a github-token given to a check is masked as well, before anything else, though only a rotation uses it', async () => {
  const emu = emulator();
  const { account, workspaces, user, github } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id), 'github-token': github.writeToken });
  expect(run.exitCode).toBe(0);
  // Given without rotate: true, it is also named as ignored.
  const ignored =
    '::warning title=Rotation inputs ignored::Input github-token only applies to a rotation, and rotate is not true: it was ignored and only the key was checked. To rotate (or rehearse a rotation with dry-run: true), set rotate: true.\n';
  expect(run.stdout).toBe(
    `${masksOf(user.key)}${masksOf(github.writeToken)}${ignored}The API key is valid for workspace ${account.id}/${workspaces.prod.id}.\n`,
  );
  expectNoLeak(run, [user.key, github.writeToken]);
});

test('a service-account key is reported as one', async () => {
  const emu = emulator();
  const { account, workspaces, bot } = emu.seed;
  const run = await runAction({ 'api-key': bot.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs['key-type']).toBe('service-account');
  expect(run.outputs.status).toBe('valid');
  expectNoLeak(run, [bot.key]);
});
