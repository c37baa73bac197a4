// A scheduled rotation runs again and again, and sometimes dies mid-way: the
// next run must finish the job, leaving exactly one live key that the secret holds.

import type { Emulator } from '../emulator/index.ts';
import { expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { graphqlInputs, maskedValues, repoSecret, restInputs, rotate } from '../support/rotation.ts';

const emulator = useEmulator();

/** What the workflow's `${{ secrets.PREFECT_API_KEY }}` gives the next run. */
function secretOr(emu: Emulator, initial: string): string {
  return emu.secret(repoSecret(emu))?.plaintext ?? initial;
}

function expectOneLiveKeyInTheSecret(emu: Emulator, actorId: string): void {
  const live = emu.liveKeys(actorId).map((key) => key.value);
  expect(live).toEqual([emu.secret(repoSecret(emu))?.plaintext]);
}

// REST: an admin's key rotates the deploy service account's, and stays the same; Cloud 1: the key rotates itself,
// so the next run is given what the secret holds.
test.each([
  ['rest', restInputs, (emu: Emulator) => ({ id: emu.seed.bot.id, key: emu.seed.adminBot.key, next: () => emu.seed.adminBot.key })],
  [
    'graphql',
    graphqlInputs,
    (emu: Emulator) => ({ id: emu.seed.cloud1.serviceAccountId, key: emu.seed.cloud1.key, next: () => secretOr(emu, emu.seed.cloud1.key) }),
  ],
] as const)('%s: the same workflow twice in a row', async (_api, inputs, account) => {
  const emu = emulator();
  const { id, key, next } = account(emu);
  const first = await rotate(emu, inputs(emu, { 'old-key-grace-seconds': '0' }));
  expect(first.exitCode).toBe(0);
  const second = await rotate(emu, inputs(emu, { 'api-key': next(), 'old-key-grace-seconds': '0' }));
  expect(second.exitCode).toBe(0);
  expectOneLiveKeyInTheSecret(emu, id);
  expectNoLeak(second, [key, first.outputs['new-api-key']!, second.outputs['new-api-key']!, emu.seed.github.writeToken], ['new-api-key']);
});

test('graphql: a run killed between create and the secret write, then the next run', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  emu.fault('gh-secret-put', { delayMs: 5000 });
  const killed = await rotate(emu, graphqlInputs(emu), { killWhenStdout: 'Created new key' });
  expect(killed.signal).toBe('SIGKILL');
  expect(emu.liveKeys(cloud1.serviceAccountId)).toHaveLength(2);
  emu.clearFaults();

  const next = await rotate(emu, graphqlInputs(emu, { 'api-key': secretOr(emu, cloud1.key) }));
  expect(next.exitCode).toBe(0);
  expectOneLiveKeyInTheSecret(emu, cloud1.serviceAccountId);
});

test('graphql: a run killed after the secret write, before the old key was revoked, then the next run', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  // The pre-flight listing answers at once; the one before revoking hangs until the kill.
  emu.fault('graphql:auth_api_key', { delayMs: 0, times: 1 });
  emu.fault('graphql:auth_api_key', { delayMs: 5000 });
  const killed = await rotate(emu, graphqlInputs(emu), { killWhenStdout: 'Wrote secret' });
  expect(killed.signal).toBe('SIGKILL');
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(maskedValues(killed)[2]);
  expect(emu.liveKeys(cloud1.serviceAccountId)).toHaveLength(2);
  emu.clearFaults();

  const next = await rotate(emu, graphqlInputs(emu, { 'api-key': secretOr(emu, cloud1.key) }));
  expect(next.exitCode).toBe(0);
  expectOneLiveKeyInTheSecret(emu, cloud1.serviceAccountId);
});

test('rest: a run killed after the rotation, before the secret write, then the next run within the grace period', async () => {
  const emu = emulator();
  const { bot } = emu.seed;
  emu.fault('gh-secret-put', { delayMs: 5000 });
  const killed = await rotate(emu, restInputs(emu, { 'old-key-grace-seconds': '120' }), { killWhenStdout: 'Created new key' });
  expect(killed.signal).toBe('SIGKILL');
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
  emu.clearFaults();

  // The secret still holds the old key, which works through the grace period.
  // The admin's key rotates the deploy service account's: the next run holds the same admin key.
  const next = await rotate(emu, restInputs(emu, { 'old-key-grace-seconds': '120' }));
  expect(next.exitCode).toBe(0);
  emu.advance(121_000);
  expectOneLiveKeyInTheSecret(emu, bot.id);
});
