// required-scopes: the key's scopes in the checked workspace, asked alongside
// the check. A named scope it lacks makes the status missing-scopes, and the
// message says which role grants it.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry, workspaceUrlOf } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const prod = (emu: ReturnType<typeof emulator>) => workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);

test('a Viewer lacking run_deployments and write_deployments: missing-scopes, and the roles that grant them', async () => {
  const emu = emulator();
  const { bot, account, workspaces } = emu.seed;
  emu.setWorkspaceRole(bot.actorId, workspaces.prod.id, 'Viewer');
  const run = await runInProcess({ 'api-key': bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments, write_deployments\nsee_flows' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'missing-scopes', 'status-code': '200' });
  const scopes = JSON.parse(run.outputs.scopes ?? '') as string[];
  expect(scopes).toContain('see_flows');
  expect(scopes).not.toContain('run_deployments');
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (missing-scopes)',
      message: `The API key is valid, but lacks scopes run_deployments (the Runner role grants it), write_deployments (the Developer role grants it) in workspace ${account.id}/${workspaces.prod.id}: give its user or service account a workspace role that grants them.`,
    },
  ]);
  // Asked at the same time as the check.
  expect(
    withoutExpiry(emu.requests)
      .map((request) => request.route)
      .sort(),
  ).toEqual(['health', 'me-scopes']);
  expectNoLeak(run, [bot.key]);
});

test('a Developer holds them: valid, with its scopes in the output', async () => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments,write_deployments' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  expect(JSON.parse(run.outputs.scopes ?? '')).toEqual(expect.arrayContaining(['run_deployments', 'write_deployments']));
});

test('with fail-on-invalid: false, missing scopes warn and the step goes on', async () => {
  const emu = emulator();
  emu.setWorkspaceRole(emu.seed.bot.actorId, emu.seed.workspaces.prod.id, 'Viewer');
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments', 'fail-on-invalid': 'false' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('missing-scopes');
  expect(annotations(run).map((annotation) => annotation.level)).toEqual(['warning']);
});

test('a workspace named by handle: its scopes are asked once its ids are known', async () => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': emu.apiUrl, workspace: 'acme/prod', 'required-scopes': 'run_deployments' });
  expect(run.exitCode).toBe(0);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['me-workspaces', 'health', 'me-scopes']);
});

test.each([
  [
    'Run_Deployments',
    'Input required-scopes lists "Run_Deployments", which is not a Prefect Cloud workspace scope; the closest are run_deployments, see_deployments, write_deployments.',
  ],
  [
    'run-deployments',
    'Input required-scopes lists "run-deployments", which is not a Prefect Cloud workspace scope; the closest are run_deployments, see_deployments, write_deployments.',
  ],
  [
    'run_deployment',
    'Input required-scopes lists "run_deployment", which is not a Prefect Cloud workspace scope; the closest are run_deployments, see_deployments, write_deployments.',
  ],
])('a scope name Prefect does not know, %j, is an input error, and nothing is sent', async (scope, message) => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': scope });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([{ level: 'error', title: 'Invalid input', message }]);
  expect(emu.requests).toEqual([]);
});

test('required-scopes without a workspace is an input error', async () => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': emu.apiUrl, 'required-scopes': 'run_deployments' });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)[0]?.message).toBe('Input required-scopes needs a workspace: name it with workspace (and account), or a workspace URL in api-url.');
  expect(emu.requests).toEqual([]);
});

test('Prefect will not say the scopes (403): a warning that they were not verified, and the check is valid', async () => {
  const emu = emulator();
  emu.fault('me-scopes', { status: 403 });
  const run = await runInProcess({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', scopes: '' });
  expect(annotations(run)).toEqual([
    {
      level: 'warning',
      title: 'Scopes unknown',
      message:
        "The key's workspace scopes were not checked: Prefect Cloud answered HTTP 403 when asked for the key's scopes. required-scopes could not be verified.",
    },
  ]);
});
