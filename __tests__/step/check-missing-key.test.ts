// A step that gets no key (a pull request from a fork or by Dependabot, a
// mistyped secret name): a verdict, not bad input. The outputs say
// missing-key, fail-on-invalid governs the exit, and nothing is sent.

import { MISSING_KEY_MESSAGE } from '../../src/missing-key.ts';
import { annotations, expectNoLeak } from '../support/action.ts';
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
  expect(run.outputs).toMatchObject({ status: 'missing-key', 'status-code': '', 'key-type': 'unknown' });
  expect(run.summary).toContain('Prefect Cloud API key: missing-key');
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
