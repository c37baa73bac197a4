// Rotation inputs given without rotate: true (a dry run that forgot rotate):
// the plain check still runs and passes, and a warning names what was ignored.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';
import { restInputs } from '../support/rotation.ts';

const emulator = useEmulator();

test('dry-run, a service account, a token and a secret name without rotate: a warning naming them, a plain check, exit 0', async () => {
  const emu = emulator();
  const withoutRotate = restInputs(emu, { 'dry-run': 'true' });
  delete withoutRotate.rotate;
  const run = await runInProcess(withoutRotate, { env: { GITHUB_REPOSITORY: 'acme/app' } });
  expect(run.exitCode).toBe(0);
  expect(annotations(run)).toEqual([
    {
      level: 'warning',
      title: 'Rotation inputs ignored',
      message:
        'Inputs service-account-id, github-token, secret-name, dry-run only apply to a rotation, and rotate is not true: they were ignored and only the key was checked. To rotate (or rehearse a rotation with dry-run: true), set rotate: true.',
    },
  ]);
  expect(run.outputs).toMatchObject({ status: 'valid' });
  expect(run.outputs).not.toHaveProperty('rotation');
  expect(run.outputs).not.toHaveProperty('rotation');
  expectNoLeak(run, [emu.seed.adminBot.key, emu.seed.github.writeToken]);
});

test("one rotation input: named alone; action.yml's defaults and dry-run: false are not given", async () => {
  const emu = emulator();
  const { account, workspaces } = emu.seed;
  const url = workspaceUrlOf(emu, account.id, workspaces.prod.id);
  const one = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': url, 'secret-environment': 'prod', 'key-name': 'github-actions' });
  expect(annotations(one).map((annotation) => annotation.message)).toEqual([
    'Input secret-environment only applies to a rotation, and rotate is not true: it was ignored and only the key was checked. To rotate (or rehearse a rotation with dry-run: true), set rotate: true.',
  ]);
  const none = await runInProcess({ 'api-key': emu.seed.user.key, 'api-url': url, 'dry-run': 'false', 'old-key-grace-seconds': '3600' });
  expect(annotations(none)).toEqual([]);
});
