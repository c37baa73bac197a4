// The paths that keep a rotation from losing a key when a step after the
// create goes wrong: the new key failing its check (undone where it can be,
// kept in the masked output where it cannot), a new key that is someone
// else's, a create retried until the deadline, a look or a delete failing
// after an ambiguous create, a listing failing at retirement, and a secret
// re-sealed when GitHub changed the destination's public key mid-run.

import type { Emulator, Fault } from '../emulator/index.ts';
import { annotationsWhole, type ActionRun } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { graphqlInputs, mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { skippingClock } from '../support/clock.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const PASS_ONCE: Fault = { delayMs: 0, times: 1 };
const UNTIL = String.raw`\d{4}-\d\d-\d\dT[\d:.]+Z`;

function errorOf(run: ActionRun): string {
  const errors = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(errors).toHaveLength(1);
  return errors[0]!.message;
}

const routes = (emu: Emulator, name: string) => emu.requests.filter((request) => (request.operation ?? request.route) === name);

describe('REST: the new key is checked before any secret is written', () => {
  test('a 401 to the new key is retried a second later (a new key may take a moment), then the rotation completes', async () => {
    const emu = emulator();
    emu.fault('me-workspaces', { status: 401, times: 1 });
    const run = await rotateInProcess(emu, restInputs(emu));
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ rotation: 'rotated' });
    const [first, second] = routes(emu, 'me-workspaces');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  });

  test('a refusal of the new key: no secret is written, and the new key is kept in the masked output (REST cannot undo)', async () => {
    const emu = emulator();
    emu.fault('me-workspaces', { status: 403 });
    const run = await rotateInProcess(emu, restInputs(emu));
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ rotation: 'failed' });
    expect(errorOf(run)).toMatch(
      new RegExp(
        `^The new key did not pass the check: Prefect Cloud answered HTTP 403 to the new key\\. The new key is in this step's masked new-api-key output for a following step; the old key keeps working until ${UNTIL}\\. Unless a secret holds it, a run of the workflow before ${UNTIL} refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too\\.$`,
      ),
    );
    const fresh = run.outputs['new-api-key']!;
    expect(emu.isKeyLive(fresh)).toBe(true);
    expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
    expect(mutations(emu)).toEqual(['bots-rotate']);
  });

  test("the workspace's health check refusing the new key stops the rotation the same way", async () => {
    const emu = emulator();
    emu.fault('health', PASS_ONCE);
    emu.fault('health', { status: 404 });
    const run = await rotateInProcess(emu, restInputs(emu));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/^The new key did not pass the check: the workspace's health check answered HTTP 404 to the new key\. The new key is in/);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
    expect(emu.isKeyLive(run.outputs['new-api-key']!)).toBe(true);
  });
});

describe('GraphQL: a new key that fails its check is deleted again', () => {
  test('FORBIDDEN to the new key: deleted again, the old key and the secrets as they were', async () => {
    const emu = emulator();
    emu.fault('graphql:auth_info', PASS_ONCE);
    emu.fault('graphql:auth_info', { graphqlError: { message: 'Forbidden', code: 'FORBIDDEN' } });
    const run = await rotateInProcess(emu, graphqlInputs(emu));
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ rotation: 'failed', 'new-key-id': '' });
    expect(run.outputs['new-api-key'] ?? '').toBe('');
    expect(errorOf(run)).toBe(
      'The new key did not pass the check: Prefect Cloud 1 does not accept the new key (FORBIDDEN). The new key was deleted again; the old key and the secrets are as they were.',
    );
    expect(emu.liveKeys(emu.seed.cloud1.serviceAccountId).map((key) => key.value)).toEqual([emu.seed.cloud1.key]);
    expect(mutations(emu)).toEqual(['create_api_key', 'delete_api_key']);
  });

  test('UNAUTHENTICATED once is a key not known everywhere yet: asked again, and the rotation completes', async () => {
    const emu = emulator();
    emu.fault('graphql:auth_info', PASS_ONCE);
    emu.fault('graphql:auth_info', { graphqlError: { message: 'Unauthenticated', code: 'UNAUTHENTICATED' }, times: 1 });
    const run = await rotateInProcess(emu, graphqlInputs(emu));
    expect(run.exitCode).toBe(0);
    expect(routes(emu, 'auth_info')).toHaveLength(3);
    expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  });

  test('when the delete fails too, the new key is kept in the masked output and both keys stay live', async () => {
    const emu = emulator();
    emu.fault('graphql:auth_info', PASS_ONCE);
    emu.fault('graphql:auth_info', { graphqlError: { message: 'Forbidden', code: 'FORBIDDEN' } });
    emu.fault('graphql:delete_api_key', { status: 500 });
    const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '0' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toBe(
      "The new key did not pass the check: Prefect Cloud 1 does not accept the new key (FORBIDDEN). The new key is in this step's masked new-api-key output for a following step; the old key still works. Run the workflow again to finish.",
    );
    const fresh = run.outputs['new-api-key']!;
    expect(emu.isKeyLive(fresh)).toBe(true);
    expect(emu.isKeyLive(emu.seed.cloud1.key)).toBe(true);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
  });

  test('a new key that authenticates as someone else is deleted again, and nothing is written', async () => {
    const emu = emulator();
    const stranger = emu.seed.cloud1.adminUserId;
    emu.fault('graphql:auth_info', PASS_ONCE);
    emu.fault('graphql:auth_info', { status: 200, body: JSON.stringify({ data: { auth_info: { user_id: stranger, tenant_id: emu.seed.cloud1.tenantId } } }) });
    const run = await rotateInProcess(emu, graphqlInputs(emu));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toBe(
      `The new key did not pass the check: the new key belongs to ${stranger}, not to service account ${emu.seed.cloud1.serviceAccountId}. The new key was deleted again; the old key and the secrets are as they were.`,
    );
    expect(emu.liveKeys(emu.seed.cloud1.serviceAccountId).map((key) => key.value)).toEqual([emu.seed.cloud1.key]);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
  });
});

describe('GraphQL: a create without an answer', () => {
  test('retried until the deadline, not the count: retries 10 within 4 s stops early, nothing created', async () => {
    const emu = emulator();
    emu.fault('graphql:create_api_key', { reset: true });
    // The pauses between tries are counted on the step's clock, not slept: the deadline is reached on that clock.
    const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '10', 'timeout-seconds': '4' }), { clock: skippingClock().clock });
    expect(run.exitCode).toBe(1);
    const creates = routes(emu, 'create_api_key');
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(creates.length).toBeLessThan(11); // stopped by the deadline: the count would have allowed 11
    expect(errorOf(run)).toMatch(/^Creating the new key failed: creating the key did not answer \(answer cut short: .+\); the old key still works\.$/);
    expect(emu.liveKeys(emu.seed.cloud1.serviceAccountId).map((key) => key.value)).toEqual([emu.seed.cloud1.key]);
  });

  test('the look that follows fails: the run stops, saying the next run deletes the key if it was made', async () => {
    const emu = emulator();
    emu.fault('graphql:create_api_key', { reset: true, times: 1 });
    emu.fault('graphql:auth_api_key', PASS_ONCE);
    emu.fault('graphql:auth_api_key', PASS_ONCE);
    emu.fault('graphql:auth_api_key', { status: 500 });
    const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '0' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(
      /^Creating the new key failed: creating the key did not answer \(answer cut short: .+\); if key github-actions-\d{8}T\d{6}Z was created, the next run deletes it, as its name is github-actions-<UTC time> \(listing keys to look failed: HTTP 500 \(1 attempt\)\)\.$/,
    );
    expect(routes(emu, 'create_api_key')).toHaveLength(1);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
  });

  test('the key was made, and deleting it fails: the run stops, both keys live, the secrets untouched', async () => {
    const emu = emulator();
    emu.fault('graphql:create_api_key', { reset: true, after: true, times: 1 });
    emu.fault('graphql:delete_api_key', { status: 500 });
    const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '0' }));
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(
      /^Creating the new key failed: creating the key did not answer \(answer cut short: .+\); if key github-actions-\d{8}T\d{6}Z was created, the next run deletes it, as its name is github-actions-<UTC time> \(it was, and deleting it failed\)\.$/,
    );
    expect(emu.liveKeys(emu.seed.cloud1.serviceAccountId)).toHaveLength(2);
    expect(emu.isKeyLive(emu.seed.cloud1.key)).toBe(true);
    expect(routes(emu, 'create_api_key')).toHaveLength(1);
    expect(emu.secret(repoSecret(emu))).toBeUndefined();
  });
});

test('GraphQL: listing keys fails at retirement: the secrets hold the new key, the old one stays, and the run says so', async () => {
  const emu = emulator();
  emu.fault('graphql:auth_api_key', PASS_ONCE);
  emu.fault('graphql:auth_api_key', PASS_ONCE);
  emu.fault('graphql:auth_api_key', { status: 500 });
  const run = await rotateInProcess(emu, graphqlInputs(emu, { retries: '0' }));
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  expect(errorOf(run)).toBe(
    'The secrets hold the new key, but the old key was not revoked: listing keys failed (HTTP 500 (1 attempt)). Run the workflow again to revoke it.',
  );
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  expect(emu.isKeyLive(emu.seed.cloud1.key)).toBe(true);
  expect(routes(emu, 'delete_api_key')).toEqual([]);
});

test("GitHub changes the repository's public key between pre-flight and the write: the value is sealed again for the new key", async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { delayMs: 500, times: 1 });
  const running = rotateInProcess(emu, restInputs(emu));
  // The first write is in flight, sealed for the key read at pre-flight: GitHub replaces the key pair now.
  for (let waited = 0; !emu.requests.some((request) => request.route === 'gh-secret-put'); waited += 50) {
    if (waited > 20_000) throw new Error('the write never came');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  emu.replaceGithubKeyPair({ repo: emu.seed.github.repo });
  const run = await running;
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  expect(routes(emu, 'gh-public-key')).toHaveLength(2);
  expect(routes(emu, 'gh-secret-put')).toHaveLength(2);
  // Opened with the new private key: the value arrived whole.
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
});
