// Rotation through Prefect Cloud 1's GraphQL API (create_api_key / delete_api_key),
// the step run in-process: these are rules of the rotation, not of the process.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { rotateInProcess as rotate } from '../support/in-process-step.ts';
import { graphqlInputs, mutations, repoSecret } from '../support/rotation.ts';

const emulator = useEmulator();

function liveValues(emu: ReturnType<typeof emulator>): string[] {
  return emu.liveKeys(emu.seed.cloud1.serviceAccountId).map((key) => key.value);
}

test('creates a key for the service account, writes the secret, then deletes the old key, in that order', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  const run = await rotate(emu, graphqlInputs(emu));
  expect(run.exitCode).toBe(0);
  const fresh = emu.secret(repoSecret(emu))!.plaintext;
  expect(fresh).toMatch(/^[A-Za-z0-9]{40}$/);
  expect(liveValues(emu)).toEqual([fresh]);
  expect(emu.isKeyLive(cloud1.key)).toBe(false);

  const calls = emu.requests.map((request) => request.operation ?? request.route);
  // The check (who, and when the key expires), the pre-flight, the create, its check, the write, and the retirement.
  expect(calls).toEqual([
    'auth_info',
    'auth_api_key',
    'auth_api_key',
    'gh-public-key',
    'create_api_key',
    'auth_info',
    'gh-secret-put',
    'auth_api_key',
    'delete_api_key',
  ]);
  const create = JSON.parse(emu.requests.find((request) => request.operation === 'create_api_key')!.body) as { variables: { input: Record<string, unknown> } };
  expect(create.variables.input).toEqual({ user_id: cloud1.serviceAccountId, name: expect.stringMatching(/^github-actions-\d{8}T\d{6}Z$/), expires_at: null });
  const deleteCall = emu.requests.find((request) => request.operation === 'delete_api_key')!;
  expect((JSON.parse(deleteCall.body) as { variables: unknown }).variables).toEqual({ input: { key_id: cloud1.keyId } });
  // The key being revoked may be the one this run was given: revocation speaks as the new key.
  expect(deleteCall.authorization).toBe(`Bearer ${fresh}`);

  expect(run.outputs).toMatchObject({
    status: 'valid',
    rotation: 'rotated',
    'new-api-key': fresh,
    'old-key-expires-at': '',
  });
  expect(run.stdout).toContain(`The API key is valid on Prefect Cloud 1 (tenant ${cloud1.tenantId}).`);
  expect(run.stdout).toContain(`Revoked old key ${cloud1.keyId}.`);
  expectNoLeak(run, [cloud1.key, fresh, github.writeToken], ['new-api-key']);
});

test('a secret write that fails every time: the created key is deleted again, the old key works, the secret is unchanged', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  emu.fault('gh-secret-put', { status: 503 });
  const run = await rotate(emu, graphqlInputs(emu, { retries: '1' }));
  expect(run.exitCode).toBe(1);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
  expect(liveValues(emu)).toEqual([cloud1.key]);
  expect(mutations(emu)).toEqual(['create_api_key', 'gh-secret-put', 'gh-secret-put', 'delete_api_key']);
  // The key this run created, among the values it masked (in-process, a credential is masked once per process).
  const created = run.masked.find((value) => ![cloud1.key, github.writeToken].includes(value) && /^[A-Za-z0-9]{40}$/.test(value));
  expect(emu.isKeyLive(created!)).toBe(false);
  expect(annotations(run).filter((annotation) => annotation.level === 'error')).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message:
        'Writing secret PREFECT_API_KEY failed (repository octo/app: GitHub answered HTTP 503 ×2 when asked to write secret PREFECT_API_KEY of repository octo/app (the last: HTTP 503: Service Unavailable)). The new key was deleted again; the old key and the secrets are as they were.',
    },
  ]);
  expect(run.outputs).toMatchObject({ rotation: 'failed', 'new-key-id': '' });
  expect(run.outputs['new-api-key']).toBeUndefined();
  expectNoLeak(run, [cloud1.key, created!, github.writeToken]);
});

test('a secret write failing with HTTP 500 until timeout-seconds is spent: the created key is still deleted, in its own reserve of time', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  emu.fault('gh-secret-put', { status: 500 });
  // Every wait shrunk tenfold, as the deadline is (GitHub's retry pauses 0.1, 0.4, 0.9 s …; a tenth of a second
  // between writes; 1 s for an attempt):
  // the 1 s deadline is spent before the retries.
  const run = await rotate(emu, graphqlInputs(emu, { 'timeout-seconds': '1' }), {
    timings: { githubRetryBaseMs: 100, minAttemptMs: 1_000, writeSpacingMs: 100 },
  });
  expect(run.exitCode).toBe(1);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
  expect(liveValues(emu)).toEqual([cloud1.key]);
  const calls = mutations(emu);
  expect(calls[0]).toBe('create_api_key');
  expect(calls.at(-1)).toBe('delete_api_key');
  expect(calls.filter((call) => call === 'gh-secret-put').length).toBeGreaterThanOrEqual(2);
  expect(annotations(run).find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^Writing secret PREFECT_API_KEY failed \(repository octo\/app: GitHub answered HTTP 500 ×\d when asked to write secret PREFECT_API_KEY of repository octo\/app \(the last: HTTP 500: Internal Server Error\)\)\. The new key was deleted again; the old key and the secrets are as they were\.$/,
  );
  expectNoLeak(run, [cloud1.key, github.writeToken]);
});

test('one destination of two failing: both keys stay live, and the message says where the new key is', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  emu.fault('gh-secret-put', { status: 404, times: 1 });
  const run = await rotate(emu, graphqlInputs(emu, { 'secret-repositories': `${github.repo}\n${github.otherRepo}`, retries: '0' }));
  expect(run.exitCode).toBe(1);
  const fresh = run.outputs['new-api-key']!;
  expect(liveValues(emu).sort()).toEqual([cloud1.key, fresh].sort());
  const holders = [github.repo, github.otherRepo].map((repo) => emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext);
  expect(holders.filter(Boolean)).toEqual([fresh]);
  expect(annotations(run).find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^Secret PREFECT_API_KEY was written to repository (octo\/app|octo\/lib) but not to repository (?!\1)(octo\/app|octo\/lib): GitHub does not know repository \2, or github-token cannot see it \(HTTP 404: Not Found\)\. Both keys stay live: the new one is in this step's masked new-api-key output; the old key still works\. Run the workflow again to finish\.$/,
  );
  expectNoLeak(run, [cloud1.key, fresh, github.writeToken], ['new-api-key']);
});

test('a create whose answer is lost: the orphan is found and deleted, and exactly one new key remains', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  emu.fault('graphql:create_api_key', { after: true, hang: true, times: 1 });
  const run = await rotate(emu, graphqlInputs(emu, { 'timeout-seconds': '4' }));
  expect(run.exitCode).toBe(0);
  const fresh = emu.secret(repoSecret(emu))!.plaintext;
  expect(liveValues(emu)).toEqual([fresh]);
  expect(mutations(emu)).toEqual(['create_api_key', 'delete_api_key', 'create_api_key', 'gh-secret-put', 'delete_api_key']);
  expect(run.stdout).toMatch(/\nDeleted key [0-9a-f-]{36}: it was created, but its value never arrived \(timed out waiting for an answer \(1 attempt\)\)\.\n/);
  expectNoLeak(run, [cloud1.key, fresh, github.writeToken], ['new-api-key']);
});

test('with a grace period, old keys younger than it are kept for a later run', async () => {
  const emu = emulator();
  const { cloud1, github } = emu.seed;
  const first = await rotate(emu, graphqlInputs(emu));
  expect(first.exitCode).toBe(0);
  const firstKey = emu.secret(repoSecret(emu))!.plaintext;
  const [firstRecord] = emu.liveKeys(cloud1.serviceAccountId);

  const second = await rotate(emu, graphqlInputs(emu, { 'api-key': firstKey, 'old-key-grace-seconds': '3600' }));
  expect(second.exitCode).toBe(0);
  const secondKey = emu.secret(repoSecret(emu))!.plaintext;
  expect(liveValues(emu).sort()).toEqual([firstKey, secondKey].sort());
  expect(second.outputs.rotation).toBe('rotated');
  expect(second.stdout).toContain(`old-key-id ${cloud1.keyId} is not a live key of service account ${cloud1.serviceAccountId}: nothing to revoke there.`);
  expect(second.stdout).toContain(`Revoked no old key. Kept ${firstRecord!.id}: younger than old-key-grace-seconds (3600 s), for a later run to revoke.`);
  expectNoLeak(second, [cloud1.key, firstKey, secondKey, github.writeToken], ['new-api-key']);
});

test('with no old key to revoke the rotation succeeds, and a warning says the hand-made key stays live', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  const run = await rotate(emu, graphqlInputs(emu, { 'old-key-id': '' }));
  expect(run.exitCode).toBe(0);
  const fresh = emu.secret(repoSecret(emu))!.plaintext;
  expect(liveValues(emu).sort()).toEqual([cloud1.key, fresh].sort());
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  expect(annotations(run)).toEqual([
    {
      level: 'warning',
      title: 'Old key not revoked',
      message:
        'No old key to revoke: none is named github-actions-<UTC time> and old-key-id was not given. A key this action did not create stays live until it is deleted: give its id as old-key-id.',
    },
  ]);
  expect(mutations(emu)).toEqual(['create_api_key', 'gh-secret-put']);
});
