import { annotations, expectNoLeak, withoutMasks } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

/** In-process (what only a process shows is e2e/'s); a retry's pause takes no time. */
const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();

const MESSAGE =
  'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it.';

test.each(['unknownKey', 'expiredKey'] as const)('%s: 401 fails the step once, without a retry, telling the user to replace the key', async (which) => {
  const emu = emulator();
  const key = emu.seed[which];
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
  const run = await runAction({ 'api-key': key, 'api-url': url });
  expect(run.exitCode).toBe(1);
  expect(run.masked).toContain(key);
  expect(withoutMasks(run.stdout)).toBe(`::error title=Key check failed (invalid-key)::${MESSAGE}\n`);
  expect(run.outputs).toMatchObject({ status: 'invalid-key', 'status-code': '401', 'workspace-url': url, 'key-type': 'user' });
  expect(run.summary).toContain(`| invalid-key | user | 401 |`);
  expect(run.summary).toContain(MESSAGE);
  expect(withoutExpiry(emu.requests)).toHaveLength(1);
  expectNoLeak(run, [key]);
});

test('with fail-on-invalid false the step passes, and says why in a warning and the outputs', async () => {
  const emu = emulator();
  const key = emu.seed.unknownKey;
  const run = await runAction({
    'api-key': key,
    'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id),
    'fail-on-invalid': 'false',
  });
  expect(run.exitCode).toBe(0);
  expect(annotations(run)).toEqual([{ level: 'warning', title: 'Key check failed (invalid-key)', message: MESSAGE }]);
  expect(run.outputs).toMatchObject({ status: 'invalid-key' });
  expectNoLeak(run, [key]);
});

test('a key of the shortest accepted length (16 characters) is masked like any other', async () => {
  const emu = emulator();
  const key = 'pnu_0123456789ab';
  const run = await runAction({ 'api-key': key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id) });
  expect(run.exitCode).toBe(1);
  expect(run.masked).toContain(key);
  expect(withoutMasks(run.stdout)).toBe(`::error title=Key check failed (invalid-key)::${MESSAGE}\n`);
  expectNoLeak(run, [key]);
});
