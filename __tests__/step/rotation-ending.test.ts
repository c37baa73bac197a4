// What the `rotation` output says when a rotation gets part of the way: it is
// `rotated` only when a new key exists, every destination holds it, and the
// old key is retired or due to stop. Short of that it is `failed`, the step
// fails saying what holds what, and new-api-key keeps any new key that exists.

import { annotations, renderedSummary, type ActionRun } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { rotateInProcess } from '../support/in-process-step.ts';
import { graphqlInputs, repoSecret, restInputs } from '../support/rotation.ts';

const emulator = useEmulator();

const errorsOf = (run: ActionRun) => annotations(run).filter((annotation) => annotation.level === 'error');

test('Cloud 1: the secret holds the new key but the old key cannot be revoked: rotation failed, the message says what holds what', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  emu.fault('graphql:delete_api_key', { status: 500 });
  const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '0' }));
  expect(run.exitCode).toBe(1);
  const fresh = emu.secret(repoSecret(emu))?.plaintext;
  expect(fresh).toBeDefined();
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed', 'new-api-key': fresh });
  expect(emu.isKeyLive(cloud1.key)).toBe(true);
  expect(errorsOf(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message: `The secrets hold the new key, but old key ${cloud1.keyId} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`,
    },
  ]);
});

test('REST: a new key no secret could take stays live (REST cannot undo a rotation): rotation failed, the key in new-api-key', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { status: 422 });
  const run = await rotateInProcess(emu, restInputs(emu, { retries: '0' }));
  expect(run.exitCode).toBe(1);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
  const fresh = run.outputs['new-api-key'];
  expect(fresh).toMatch(/^pnb_/);
  expect(emu.isKeyLive(fresh!)).toBe(true);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed' });
  expect(run.outputs['new-key-id']).not.toBe('');
  const [error] = errorsOf(run);
  expect(error?.message).toMatch(
    /^Writing secret PREFECT_API_KEY failed \(repository octo\/app: .+\)\. The new key is in this step's masked new-api-key output/,
  );
  // The message whole runs past 400 characters: the annotation keeps its first sentences, the summary all of it.
  expect(error!.message.length).toBeLessThanOrEqual(400);
  expect(error!.message).toMatch(/\. The job summary has the rest\.$/);
  expect(renderedSummary(run)).toContain('refuses to rotate again');
  expect(error!.message).not.toContain('refuses to rotate again');
});

test('a dry run with the deploy key, which lacks update:bot: rotation failed, and the annotation says what to do within 400 characters', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'api-key': emu.seed.bot.key, 'dry-run': 'true' }));
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed' });
  const [error] = errorsOf(run);
  expect(error?.message).toMatch(/give an Owner's or Admin's key as api-key, and the deploy service account's id as service-account-id\.$/);
  expect(error!.message.length).toBeLessThanOrEqual(400);
});
