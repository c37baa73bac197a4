// Rotation through today's REST API (bots/{id}/rotate_api_key).

import { annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('with a grace period: the secret holds the new key, which passes /health, and the old key works until the grace ends', async () => {
  const emu = emulator();
  const old = emu.seed.bot.key;
  const run = await rotateInProcess(emu, restInputs(emu, { 'old-key-grace-seconds': '120' }));
  expect(run.exitCode).toBe(0);

  const stored = emu.secret(repoSecret(emu));
  expect(stored).toBeDefined();
  const fresh = stored!.plaintext;
  expect(fresh).toMatch(/^pnb_[A-Za-z0-9]{36}$/);
  expect(fresh).not.toBe(old);
  expect(run.stdout).toContain(`::add-mask::${fresh}\n`);
  expect(run.stdout.indexOf(`::add-mask::${fresh}`)).toBeLessThan(run.stdout.indexOf('Created new key'));

  const [live] = emu.liveKeys(emu.seed.bot.id).filter((key) => key.value === fresh);
  expect(run.outputs).toMatchObject({
    status: 'valid',
    rotation: 'rotated',
    'new-key-id': live!.id,
    'new-key-expires-at': '',
    'new-api-key': fresh,
  });
  const graceEnds = Date.parse(run.outputs['old-key-expires-at'] ?? '');
  expect(graceEnds - Date.now()).toBeGreaterThan(100_000);
  expect(graceEnds - Date.now()).toBeLessThanOrEqual(120_000);

  // The new key passes /health: the action checked it, and the emulator agrees.
  const healthCalls = emu.requests.filter((request) => request.route === 'health');
  expect(healthCalls.map((request) => request.authorization)).toEqual([`Bearer ${emu.seed.adminBot.key}`, `Bearer ${fresh}`]);
  expect(emu.isKeyLive(fresh)).toBe(true);
  expect(emu.isKeyLive(old)).toBe(true);
  emu.advance(121_000);
  expect(emu.isKeyLive(old)).toBe(false);
  expect(emu.isKeyLive(fresh)).toBe(true);

  expect(mutations(emu)).toEqual(['bots-rotate', 'gh-secret-put']);
  expect(JSON.parse(emu.requests.find((request) => request.route === 'bots-rotate')!.body)).toEqual({
    api_key_expiration: null,
    old_key_expires_in_seconds: 120,
  });
  expect(run.summary).toContain('### Key rotation: 🔁 done');
  expectNoLeak(run, [old, fresh, emu.seed.github.writeToken], ['new-api-key']);
});

test('with no grace the old key stops at once, and a warning says what that risks', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'old-key-grace-seconds': '0', 'new-key-expires-in-days': '30' }));
  expect(run.exitCode).toBe(0);
  expect(annotationsWhole(run)).toEqual([
    {
      level: 'warning',
      title: 'No grace period for the old key',
      message:
        'old-key-grace-seconds is 0: the old key stops working at the rotation, so if this run dies before the secret is written, the new key is lost with no key left working.',
    },
  ]);
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(false);
  const fresh = emu.secret(repoSecret(emu))!.plaintext;
  expect(emu.liveKeys(emu.seed.bot.id).map((key) => key.value)).toEqual([fresh]);
  expect(run.outputs).toMatchObject({ rotation: 'rotated', 'old-key-expires-at': '' });
  const expires = Date.parse(run.outputs['new-key-expires-at'] ?? '');
  expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
  expectNoLeak(run, [emu.seed.bot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
});

test('a secret write that keeps failing: the step fails, the new key waits in the masked output, and the message does not send the user to a run that refuses', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { status: 502 });
  const run = await rotateInProcess(emu, restInputs(emu, { retries: '1' }));
  expect(run.exitCode).toBe(1);
  const fresh = run.outputs['new-api-key'];
  expect(fresh).toMatch(/^pnb_/);
  expect(emu.isKeyLive(fresh!)).toBe(true);
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  const [error] = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(error?.title).toBe('Prefect Cloud key rotation failed');
  expect(error?.message).toMatch(
    /^Writing secret PREFECT_API_KEY failed \(repository octo\/app: GitHub answered HTTP 502 ×2 when asked to write secret PREFECT_API_KEY of repository octo\/app \(the last: HTTP 502: Bad Gateway\)\)\. The new key is in this step's masked new-api-key output for a following step; the old key keeps working until (\S+)\. Unless a secret holds it, a run of the workflow before \1 refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too\.$/,
  );
  expect(emu.requests.filter((request) => request.route === 'gh-secret-put')).toHaveLength(2);
  // As the message says: a run now, GitHub working again, refuses.
  emu.clearFaults();
  const rerun = await rotateInProcess(emu, restInputs(emu, { retries: '1' }));
  expect(rerun.exitCode).toBe(1);
  expect(annotationsWhole(rerun).find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^Not rotated: .+ none of these destinations was written since\./,
  );
  expectNoLeak(run, [emu.seed.bot.key, fresh!, emu.seed.github.writeToken], ['new-api-key']);
});

test('a rotation whose answer is lost, seen to have happened: rotated once more in the same run, and the secret holds the active key', async () => {
  const emu = emulator();
  emu.fault('bots-rotate', { after: true, reset: true, times: 1 });
  const run = await rotateInProcess(emu, restInputs(emu, { 'old-key-grace-seconds': '60' }));
  expect(run.exitCode).toBe(0);
  // Sent again only once Prefect showed the first rotation's key: never while the first might still land.
  const calls = emu.requests.map((request) => request.route);
  expect(calls.filter((route) => route === 'bots-rotate')).toEqual(['bots-rotate', 'bots-rotate']);
  const between = calls.slice(calls.indexOf('bots-rotate') + 1, calls.lastIndexOf('bots-rotate'));
  expect(between).toContain('bots-read');
  const active = emu.liveKeys(emu.seed.bot.id).find((key) => key.revokedAt === null)!;
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(active.value);
  expect(run.outputs).toMatchObject({ rotation: 'rotated', 'new-key-id': active.id });
  // The key the secret held keeps its grace from the first rotation.
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
  expect(run.stdout).toMatch(
    /\nThe rotation happened, but its answer was lost \(answer cut short: .+\): Prefect's active key is now [0-9a-f-]{36}, whose value never arrived\. Rotating once more, replacing that key, for a key the secrets can hold\.\n/,
  );
  expect(annotationsWhole(run).filter((annotation) => annotation.level === 'error')).toEqual([]);
  expectNoLeak(run, [emu.seed.adminBot.key, active.value, emu.seed.github.writeToken], ['new-api-key']);
});

test('an unknown service account fails in pre-flight, before any change', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'service-account-id': '00000000-0000-4000-8000-000000000000' }));
  expect(run.exitCode).toBe(1);
  expect(annotationsWhole(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message:
        'Pre-flight failed, nothing was changed: Service account 00000000-0000-4000-8000-000000000000 was not found in the account (HTTP 404: Bot not found): check service-account-id.',
    },
  ]);
  expect(mutations(emu)).toEqual([]);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed', 'new-key-id': '' });
  expect(run.outputs['new-api-key']).toBeUndefined();
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
});
