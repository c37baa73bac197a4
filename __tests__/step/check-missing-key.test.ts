// A step that gets no key (a pull request from a fork or by Dependabot, a
// mistyped secret name): a verdict, not bad input. The outputs say
// missing-key, fail-on-invalid governs the exit, and nothing is sent.

import { MISSING_KEY_MESSAGE } from '../../src/missing-key.ts';
import { annotations, expectNoLeak, renderedSummary } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';
import { restInputs } from '../support/rotation.ts';

const emulator = useEmulator();

test('an empty api-key and no PREFECT_API_KEY: missing-key, an error naming the likely causes, exit 1, nothing sent', async () => {
  const emu = emulator();
  const run = await runInProcess({ 'api-key': '', 'api-url': emu.apiUrl }, { env: { PREFECT_API_KEY: '  ' } });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([{ level: 'error', title: 'Key check failed (missing-key)', message: MISSING_KEY_MESSAGE }]);
  expect(MISSING_KEY_MESSAGE).toMatch(/pull request from a fork or by Dependabot/);
  expect(MISSING_KEY_MESSAGE).toMatch(/mistyped/);
  expect(MISSING_KEY_MESSAGE).toMatch(/environment/);
  expect(MISSING_KEY_MESSAGE).toMatch(/^No Prefect Cloud API key reached the step: input api-key is empty and PREFECT_API_KEY is not set, so nothing was sent/);
  expect(run.outputs).toMatchObject({ status: 'missing-key', 'status-code': '', 'key-type': 'unknown' });
  expect(run.summary).toContain('### ❌ Prefect Cloud API key: missing-key');
  // The summary has each cause at length, in a paragraph of its own, and what to do about it.
  expect(run.summary).toContain('\n\nThe usual causes: ');
  for (const cause of [
    'GitHub gives no secrets (Dependabot only its own, set under Settings > Secrets and variables > Dependabot)',
    'the secret name in secrets.<NAME> is mistyped (an unknown name reads as empty)',
    "the secret is an environment's and the job does not name that environment (environment:)",
    'Check the name and the job against Settings > Secrets and variables > Actions',
    'skip the step (if: github.event.pull_request.head.repo.fork != true) or set fail-on-invalid: false',
  ])
    expect(renderedSummary(run)).toContain(cause);
  expect(run.exported).toEqual({});
  expect(emu.requests).toEqual([]);
});

test('fail-on-invalid: false makes it a warning, exit 0', async () => {
  const emu = emulator();
  const { account, workspaces } = emu.seed;
  const run = await runInProcess({ 'api-key': '', 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id), 'fail-on-invalid': 'false' });
  expect(run.exitCode).toBe(0);
  expect(annotations(run)).toEqual([{ level: 'warning', title: 'Key check failed (missing-key)', message: MISSING_KEY_MESSAGE }]);
  expect(run.outputs).toMatchObject({ status: 'missing-key' });
  expect(emu.requests).toEqual([]);
});

test('with rotate: true, nothing is rotated and the rotation outputs say so, even with the token missing too', async () => {
  const emu = emulator();
  const run = await runInProcess(
    { ...restInputs(emu), 'api-key': '', 'github-token': '', 'fail-on-invalid': 'false' },
    { env: { GITHUB_REPOSITORY: 'acme/app' } },
  );
  expect(run.exitCode).toBe(0);
  expect(annotations(run)[0]?.message).toBe(`${MISSING_KEY_MESSAGE} No key was rotated.`);
  expect(run.outputs).toMatchObject({ status: 'missing-key', rotation: 'failed' });
  expect(emu.requests).toEqual([]);
  expectNoLeak(run, [emu.seed.github.writeToken]);
});
