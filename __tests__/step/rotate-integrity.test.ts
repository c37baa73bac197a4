// A rotation that never lies: a rotation whose answer is lost is never sent
// again while it may still land; the outcome is proven after the writes; and
// every failure says whether a rotation happened, may have, or did not, and
// until when the old key works.

import { annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { graphqlInputs, mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const errorOf = (run: Awaited<ReturnType<typeof rotateInProcess>>) => annotationsWhole(run).find((annotation) => annotation.level === 'error')?.message ?? '';

test('a slow rotate_api_key (applied after the attempt gave up) is watched for, not sent again blindly: seen to have landed, rotated once more, the secret holds the active key', async () => {
  const emu = emulator();
  // The rotation gets half of the 4 s deadline; the server answers after 2.5 s, having rotated. The watch looks
  // often, so that it sees the rotation land well before the deadline.
  emu.fault('bots-rotate', { delayMs: 2_500, times: 1 });
  const run = await rotateInProcess(emu, restInputs(emu, { 'timeout-seconds': '4', 'old-key-grace-seconds': '600' }), {
    timings: { lostRotationLookMs: 200 },
  });
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual(['bots-rotate', 'bots-rotate', 'gh-secret-put']);
  const active = emu.liveKeys(emu.seed.bot.id).find((key) => key.revokedAt === null)!;
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(active.value);
  expect(run.stdout).toMatch(
    /\nThe rotation happened, but its answer was lost \(timed out waiting for an answer \(1 attempt\)\): Prefect's active key is now /,
  );
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  expectNoLeak(run, [emu.seed.adminBot.key, active.value, emu.seed.github.writeToken], ['new-api-key']);
}, 30_000);

test('applied but answered 503, and the service account cannot be read since: "may have happened", with when the old key would stop and what a run does', async () => {
  const emu = emulator();
  emu.fault('bots-rotate', { after: true, status: 503, times: 1 });
  emu.fault('bots-read', { times: 1 }); // the pre-flight's read goes through
  emu.fault('bots-read', { status: 503 });
  const run = await rotateInProcess(emu, restInputs(emu, { retries: '0', 'old-key-grace-seconds': '600' }));
  expect(run.exitCode).toBe(1);
  expect(mutations(emu)).toEqual(['bots-rotate']);
  expect(errorOf(run)).toMatch(
    /^Creating the new key failed: the rotation did not answer \(HTTP 503 \(1 attempt\)\) and Prefect could not be asked since \(.+\): it may have happened; if it did not, a run of the workflow rotates; if it did, Prefect holds a new key that nobody has, the old key the secrets hold stops working about \d{4}-\d\d-\d\dT[\d:.]+Z, and a run before then refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold\.$/,
  );
  expect(errorOf(run)).not.toMatch(/nothing (was )?changed/);
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true); // in its grace period, as the message says
});

test('another rotation replacing this run’s key after the write: the step fails and says the secret holds a key that will stop', async () => {
  const emu = emulator();
  const { account, bot, adminBot } = emu.seed;
  emu.fault('gh-secret-put', { delayMs: 1_500, times: 1 });
  const running = rotateInProcess(emu, restInputs(emu, { 'old-key-grace-seconds': '600' }));
  // Another run rotates the same service account while this one writes its secret.
  while (!emu.requests.some((request) => request.route === 'gh-secret-put')) await new Promise((resolve) => setTimeout(resolve, 50));
  const other = await fetch(`${emu.apiUrl}/accounts/${account.id}/bots/${bot.id}/rotate_api_key`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminBot.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ api_key_expiration: null, old_key_expires_in_seconds: 600 }),
  });
  expect(other.status).toBe(201);
  const run = await running;
  expect(run.exitCode).toBe(1);
  expect(run.outputs.rotation).toBe('failed');
  expect(errorOf(run)).toMatch(
    /^Another rotation of service account deployer replaced this run's key after it was written \(its active key is now [0-9a-f-]{36}\): the secrets hold key [0-9a-f-]{36}, which works until \d{4}-\d\d-\d\dT[\d:.]+Z\. Every holder of this service account's key must be a destination of one rotation; run the workflow again to write the active key\.$/,
  );
});

test('old-key-expires-at is read from Prefect, not computed', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'old-key-grace-seconds': '600' }));
  expect(run.exitCode).toBe(0);
  const rotating = await fetch(`${emu.apiUrl}/accounts/${emu.seed.account.id}/bots/${emu.seed.bot.id}/read_bot_api_keys`, {
    headers: { authorization: `Bearer ${emu.seed.adminBot.key}` },
  }).then((response) => response.json() as Promise<{ rotating_keys: { expiration: string }[] }>);
  expect(run.outputs['old-key-expires-at']).toBe(new Date(rotating.rotating_keys[0]!.expiration).toISOString());
});

test('a slow Cloud 1 create that lands after its retry: the extra key, which nobody holds, is revoked in the same run', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  // The create gets half of the 10 s deadline; the first answers after 6 s, having created a key. (Shorter, on a
  // loaded machine the retry's run may look for extra keys before the slow create has landed.)
  emu.fault('graphql:create_api_key', { delayMs: 6_000, times: 1 });
  const run = await rotateInProcess(emu, graphqlInputs(emu, { 'timeout-seconds': '10' }));
  expect(run.exitCode).toBe(0);
  const held = emu.secret(repoSecret(emu))!.plaintext;
  expect(emu.requests.filter((request) => request.operation === 'create_api_key')).toHaveLength(2);
  expect(emu.liveKeys(cloud1.serviceAccountId).map((key) => key.value)).toEqual([held]);
}, 30_000);

test('with fail-on-invalid: false, a rotation Prefect was too unavailable to start still answers every rotation output', async () => {
  const emu = emulator();
  emu.fault('health', { status: 503 });
  const run = await rotateInProcess(emu, restInputs(emu, { 'fail-on-invalid': 'false', retries: '0' }));
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({
    status: 'unavailable',
    rotation: 'failed',
    'new-key-id': '',
    'old-key-expires-at': '',
  });
  expect(mutations(emu)).toEqual([]);
});
