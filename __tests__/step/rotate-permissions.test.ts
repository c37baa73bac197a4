// Rotation needs the account permission update:bot (Owner or Admin). The
// pre-flight asks Prefect before anything changes; the usual set-up is an
// admin's key rotating the deploy service account's key.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('a Member key rotating its own service account: no rotate_api_key is sent, and the message names the roles and the admin-key set-up', async () => {
  const emu = emulator();
  const { bot } = emu.seed;
  const run = await rotateInProcess(emu, restInputs(emu, { 'api-key': bot.key }));
  expect(run.exitCode).toBe(1);
  expect(mutations(emu)).toEqual([]);
  expect(emu.requests.some((request) => request.route === 'me-permissions')).toBe(true);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message:
        "Pre-flight failed, nothing was changed: The API key's user or service account lacks the account permission update:bot: rotating a service account's key needs the account permission update:bot, which only the Owner and Admin account roles have. A deploy service account is usually a Member: give an Owner's or Admin's key as api-key, and the deploy service account's id as service-account-id.",
    },
  ]);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed' });
  expectNoLeak(run, [bot.key, emu.seed.github.writeToken]);
});

test('when Prefect will not say (permissions answer 403), the rotation is tried, and its 403 gets the same clear message', async () => {
  const emu = emulator();
  const { bot } = emu.seed;
  emu.fault('me-permissions', { status: 403, body: JSON.stringify({ detail: 'Forbidden' }) });
  const run = await rotateInProcess(emu, restInputs(emu, { 'api-key': bot.key }));
  expect(run.exitCode).toBe(1);
  expect(mutations(emu)).toEqual(['bots-rotate']);
  expect(annotations(run)[0]?.message).toMatch(
    /^Creating the new key failed: The API key may not rotate the key of service account [0-9a-f-]+ \(HTTP 403: .+\): rotating a service account's key needs the account permission update:bot, which only the Owner and Admin account roles have\./,
  );
  expect(emu.isKeyLive(bot.key)).toBe(true);
});

test("an admin's key rotates a deploy service account that is not a member of the checked workspace: the secret holds that account's new key", async () => {
  const emu = emulator();
  const { outsideBot } = emu.seed;
  const run = await rotateInProcess(emu, restInputs(emu, { 'service-account-id': outsideBot.id }));
  expect(run.exitCode).toBe(0);
  const fresh = emu.secret(repoSecret(emu))?.plaintext;
  expect(fresh).toBe(run.outputs['new-api-key']);
  expect(emu.liveKeys(outsideBot.id).map((key) => key.value)).toContain(fresh);
  expect(emu.isKeyLive(outsideBot.key)).toBe(true); // its grace period
  // The new key authenticated (/me/workspaces); /health of prod, where the account is no member, was not asked with it.
  const asNewKey = emu.requests.filter((request) => request.authorization === `Bearer ${fresh}`).map((request) => request.route);
  expect(asNewKey).toEqual(['me-workspaces']);
  expect(run.stdout).toContain('is not a member of the checked workspace, so its health check is not asked.');
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'rotated' });
  expectNoLeak(run, [emu.seed.adminBot.key, fresh!, emu.seed.github.writeToken], ['new-api-key']);
});
