// The account and workspace inputs as a workflow sets them, run in process against the emulator: ids, handles,
// the two that disagree, and how they meet a workspace URL in PREFECT_API_URL (the job's) or in api-url (the step's).

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('a job-level PREFECT_API_URL naming another workspace yields to workspace: acme/prod, which is checked, with a notice', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const staging = workspaceUrlOf(emu, account.id, workspaces.staging.id);
  const run = await runInProcess(
    { workspace: `${account.handle}/${workspaces.prod.handle}` },
    { env: { PREFECT_API_URL: staging, PREFECT_API_KEY: user.key } },
  );
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'workspace-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) });
  expect(annotations(run)).toEqual([
    {
      level: 'notice',
      title: 'Workspace from the inputs',
      message: `The workspace named by input workspace was checked, not the one in PREFECT_API_URL from the environment (.../accounts/${account.id}/workspaces/${workspaces.staging.id}); PREFECT_API_URL served only as the API base, ${emu.apiUrl}.`,
    },
  ]);
  const paths = withoutExpiry(emu.requests).map((request) => request.path);
  expect(paths).toContain(`/api/accounts/${account.id}/workspaces/${workspaces.prod.id}/health`);
  expect(paths.some((path) => path.includes(workspaces.staging.id))).toBe(false);
  expectNoLeak(run, [user.key]);
});

test.each([
  ['ids', (emu: ReturnType<ReturnType<typeof useEmulator>>) => ({ account: emu.seed.account.id, workspace: emu.seed.workspaces.prod.id })],
  ['handles', (emu: ReturnType<ReturnType<typeof useEmulator>>) => ({ account: emu.seed.account.handle, workspace: emu.seed.workspaces.prod.handle })],
])('account and workspace as %s name the workspace checked', async (_form, named) => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const run = await runInProcess({ 'api-key': user.key, 'api-url': emu.apiUrl, ...named(emu) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'workspace-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) });
  expect(annotations(run)).toEqual([]);
});

test('an account that disagrees with the one in workspace is an input error, and nothing is sent', async () => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, account: 'globex', workspace: 'acme/prod' });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Invalid input',
      message: 'Input account ("globex") disagrees with the account in input workspace ("acme/prod"): leave account empty, or give the same account in both.',
    },
  ]);
  expect(emu.requests).toEqual([]);
});

test('a workspace URL in the api-url input with workspace is an input error naming both inputs, and nothing is sent', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const run = await runInProcess({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.staging.id), workspace: 'acme/prod' });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Invalid input',
      message: `Name the workspace one way: input api-url is a workspace URL (.../accounts/${account.id}/workspaces/${workspaces.staging.id}) and input workspace also names one. Set api-url to the API base (such as https://api.prefect.cloud/api), or leave workspace empty.`,
    },
  ]);
  expect(emu.requests).toEqual([]);
});
