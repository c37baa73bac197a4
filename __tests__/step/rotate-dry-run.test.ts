import { expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { graphqlInputs, mutations, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('rest dry run: every read, no mutating call, and the plan reported', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'dry-run': 'true' }));
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual([]);
  expect(emu.requests.map((request) => request.route)).toEqual(expect.arrayContaining(['health', 'bots-read', 'gh-public-key']));
  expect(run.stdout).toContain(
    `Dry run: would rotate the key of service account deployer (${emu.seed.bot.id}) through the REST API, write secret PREFECT_API_KEY to repository octo/app, then let Prefect retire the old key 3600 s after the rotation. Nothing was changed.`,
  );
  expect(run.outputs).toMatchObject({ rotation: 'dry-run', 'new-key-id': '' });
  expect(run.summary).toContain('### Key rotation: 🧪 dry run, nothing changed');
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
});

test('graphql dry run: every read, no mutating call', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, graphqlInputs(emu, { 'dry-run': 'true', 'secret-organization': 'octo' }));
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual([]);
  expect(emu.requests.map((request) => request.operation ?? request.route)).toEqual([
    'auth_info',
    'auth_api_key', // the check: when the key expires
    'auth_api_key', // the pre-flight
    'gh-public-key',
    'gh-secret-get',
    'gh-secret-repos',
  ]);
  expect(run.stdout).toContain(
    `Dry run: would create a key named github-actions-<UTC time> for service account ${emu.seed.cloud1.serviceAccountId} through the Prefect Cloud 1 GraphQL API, write secret PREFECT_API_KEY to organization octo, then delete key ${emu.seed.cloud1.keyId} and older keys named github-actions-<UTC time>. Nothing was changed.`,
  );
  expectNoLeak(run, [emu.seed.cloud1.key, emu.seed.github.writeToken]);
});
