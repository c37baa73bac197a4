// A login for the steps that follow: PREFECT_API_KEY and PREFECT_API_URL
// exported through the runner's GITHUB_ENV file, the key masked, only when the
// step succeeds with a valid key. And the other way round: PREFECT_API_KEY and
// PREFECT_API_URL from the environment stand in for empty inputs.

import { MISSING_KEY_MESSAGE } from '../../src/missing-key.ts';
import { annotations, expectNoLeak, masksOf, runAction } from '../support/action.ts';
import { useEmulator, withoutExpiry, workspaceUrlOf } from '../support/emulator.ts';
import { restInputs, rotate } from '../support/rotation.ts';

const emulator = useEmulator();
const prod = (emu: ReturnType<typeof emulator>) => workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);

test('a valid key: both variables exported, the key masked first, and the summary says so without the key', async () => {
  const emu = emulator();
  const { user } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': prod(emu) });
  expect(run.exitCode).toBe(0);
  expect(run.exported).toEqual({ PREFECT_API_KEY: user.key, PREFECT_API_URL: prod(emu) });
  expect(run.stdout.startsWith(masksOf(user.key))).toBe(true);
  expect(run.summary).toContain(`Exported \`PREFECT_API_KEY\` (the checked key, masked) and \`PREFECT_API_URL\` (\`${prod(emu)}\`) for the job's later steps.`);
  expectNoLeak(run, [user.key]);
});

test('an invalid key exports nothing', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.unknownKey, 'api-url': prod(emu), 'fail-on-invalid': 'false' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('invalid-key');
  expect(run.exported).toEqual({});
});

test('export-env: false exports nothing', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': prod(emu), 'export-env': 'false' });
  expect(run.exitCode).toBe(0);
  expect(run.exported).toEqual({});
});

test('a key reaching several workspaces, none named: the key is exported, no PREFECT_API_URL', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(0);
  expect(run.exported).toEqual({ PREFECT_API_KEY: emu.seed.user.key });
});

test('PREFECT_API_KEY and PREFECT_API_URL from the environment stand in for empty inputs, trimmed; the key is masked all the same', async () => {
  const emu = emulator();
  const { user } = emu.seed;
  const run = await runAction({}, { env: { PREFECT_API_KEY: ` ${user.key}\n`, PREFECT_API_URL: prod(emu) } });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'workspace-url': prod(emu) });
  expect(run.stdout.startsWith(masksOf(user.key))).toBe(true);
  expect(withoutExpiry(emu.requests).map((request) => request.authorization)).toEqual([`Bearer ${user.key}`]);
  expectNoLeak(run, [user.key]);
});

test('the inputs win over the environment when both are set', async () => {
  const emu = emulator();
  const run = await runAction(
    { 'api-key': emu.seed.bot.key, 'api-url': prod(emu) },
    {
      env: {
        PREFECT_API_KEY: emu.seed.unknownKey,
        PREFECT_API_URL: `${emu.apiUrl}/accounts/${emu.seed.account.id}/workspaces/${emu.seed.workspaces.staging.id}`,
      },
    },
  );
  expect(run.exitCode).toBe(0);
  expect(run.outputs['workspace-url']).toBe(prod(emu));
  expect(withoutExpiry(emu.requests).map((request) => request.authorization)).toEqual([`Bearer ${emu.seed.bot.key}`]);
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.unknownKey]);
});

test('neither the input nor the environment: the missing-key verdict, which names both', async () => {
  const run = await runAction({});
  expect(run.exitCode).toBe(1);
  expect(annotations(run)[0]?.message).toBe(MISSING_KEY_MESSAGE);
  expect(run.outputs).toMatchObject({ status: 'missing-key' });
});

test('after a rotation, PREFECT_API_KEY is the new key, for a deploy in the same job', async () => {
  const emu = emulator();
  const run = await rotate(emu, restInputs(emu));
  expect(run.exitCode).toBe(0);
  const fresh = run.outputs['new-api-key']!;
  expect(run.exported).toEqual({ PREFECT_API_KEY: fresh, PREFECT_API_URL: prod(emu) });
  expect(run.summary).toContain('Exported `PREFECT_API_KEY` (the new key, masked)');
  expectNoLeak(run, [emu.seed.adminBot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
});
