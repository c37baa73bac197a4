// A scheduled rotation runs again and again, and sometimes dies mid-way: the
// next run must finish the job, leaving exactly one live key that the secret
// holds. The runs are in-process; a run that dies is faults/crash.test.ts's
// (a killed process), here only the state it leaves (a rotation nobody wrote).

import type { Clock } from '../../src/clock/clock.ts';
import type { Emulator } from '../emulator/index.ts';
import { annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { rotateInProcess as rotate } from '../support/in-process-step.ts';
import { graphqlInputs, mutations, repoSecret, restInputs } from '../support/rotation.ts';

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

// A graphql run killed after the create, or after the write before the old key was revoked, then the next run:
// faults/crash.test.ts kills the process at each of those boundaries (and every other) and runs the workflow again.

test('rest: a run killed after the rotation, before the secret write: the next run within the grace refuses to retire the lost key, the one after it finishes', async () => {
  const emu = emulator();
  const { account, adminBot, bot } = emu.seed;
  // What a run killed after "Created new key" leaves: the service account rotated (the old key in a 2 s grace), no secret written.
  const lost = await fetch(`${emu.apiUrl}/accounts/${account.id}/bots/${bot.id}/rotate_api_key`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminBot.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ api_key_expiration: null, old_key_expires_in_seconds: 2 }),
  });
  expect(lost.status).toBe(201);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();

  // Within the grace the action cannot tell a lost key from one another run just wrote elsewhere: it refuses, saying when to run again.
  const early = await rotate(emu, restInputs(emu, { 'old-key-grace-seconds': '2' }));
  expect(early.exitCode).toBe(1);
  expect(annotationsWhole(early).find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^Not rotated: the service account's key was rotated at \S+, less than old-key-grace-seconds ago, and none of these destinations was written since\..* run again after \S+, when that key's grace is over\.$/,
  );
  expect(mutations(emu)).toEqual(['bots-rotate']);

  // 2.5 s later, without waiting them: Prefect's clock and the step's both moved on.
  emu.advance(2_500);
  const later: Clock = { now: () => Date.now() + 2_500, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  // The admin's key rotates the deploy service account's: the next run holds the same admin key.
  const next = await rotate(emu, restInputs(emu, { 'old-key-grace-seconds': '2' }), { clock: later });
  expect(next.exitCode).toBe(0);
  emu.advance(3_000);
  expectOneLiveKeyInTheSecret(emu, bot.id);
});

test("rest: a second run inside the first one's grace, every destination already written since: nothing to do, exit 0", async () => {
  const emu = emulator();
  const first = await rotate(emu, restInputs(emu));
  expect(first.exitCode).toBe(0);
  expect(first.outputs.rotation).toBe('rotated');
  const second = await rotate(emu, restInputs(emu));
  expect(second.exitCode).toBe(0);
  expect(second.outputs).toMatchObject({ rotation: 'up-to-date' });
  expect(second.stdout).toMatch(
    /Not rotated: the service account's key was rotated at \S+, within old-key-grace-seconds, and every destination was written since: it holds that key, so there is nothing to do\./,
  );
  expect(mutations(emu)).toEqual(['bots-rotate', 'gh-secret-put']);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(first.outputs['new-api-key']);
});

test('rest: another repository rotating the same service account inside the grace is refused, naming the rule', async () => {
  const emu = emulator();
  const first = await rotate(emu, restInputs(emu, { 'secret-repositories': 'octo/lib' }));
  expect(first.exitCode).toBe(0);
  const second = await rotate(emu, restInputs(emu, { 'secret-repositories': 'octo/app' }));
  expect(second.exitCode).toBe(1);
  expect(annotationsWhole(second).find((annotation) => annotation.level === 'error')?.message).toContain(
    "Every holder of a service account's key must be a destination of one rotation.",
  );
  expect(mutations(emu)).toEqual(['bots-rotate', 'gh-secret-put']);
  expect(emu.isKeyLive(emu.secret({ repo: 'octo/lib', name: 'PREFECT_API_KEY' })!.plaintext)).toBe(true);
});
