// A cancelled job: the runner sends SIGINT, then SIGTERM about 7.5 s later,
// then kills. The rotation finishes the request under way, starts no further
// step, and reports what holds what; at the second signal it writes its
// outputs (the new key among them) and stops at once. A rerun then finishes.

import { MAX_ANNOTATION_LENGTH, REST_IN_SUMMARY } from '../../src/safe-text.ts';
import { annotations, annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { repoSecret, restInputs, rotate } from '../support/rotation.ts';

const emulator = useEmulator();
const TWO = { 'secret-repositories': 'octo/app, octo/lib', 'old-key-grace-seconds': '600' };
/**
 * SIGINT `afterMs` after the step prints text, then SIGTERM half a second later, as a runner cancelling the job sends
 * them (7.5 s apart there: what matters is that the second comes while the first is being honoured).
 */
const signalledTwice = (text: string, afterMs = 200) => ({
  cancelWhenStdout: {
    text,
    signals: [
      { signal: 'SIGINT' as const, afterMs },
      { signal: 'SIGTERM' as const, afterMs: afterMs + 500 },
    ],
  },
});

test('SIGINT during the first of two writes: that write finishes, the second is not started, and the step says so', async () => {
  const emu = emulator();
  // The first write's answer takes 1.5 s; SIGINT comes half a second after the check of the new key, while that
  // write is under way.
  emu.fault('gh-secret-put', { delayMs: 1_500, times: 1 });
  const run = await rotate(emu, restInputs(emu, TWO), {
    cancelWhenStdout: { text: 'The new key passed the check', signals: [{ signal: 'SIGINT', afterMs: 500 }] },
  });
  expect(run.exitCode).toBe(1);
  const fresh = run.outputs['new-api-key']!;
  expect(emu.isKeyLive(fresh)).toBe(true);
  expect(emu.secret({ repo: 'octo/app', name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(emu.secret({ repo: 'octo/lib', name: 'PREFECT_API_KEY' })).toBeUndefined();
  expect(emu.requests.filter((request) => request.route === 'gh-secret-put')).toHaveLength(1);
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  const messages = annotationsWhole(run);
  expect(messages[0]).toEqual({
    level: 'warning',
    title: 'Rotation cancelled',
    message: 'SIGINT: the job is being cancelled. The request under way finishes, no further step starts, and the step says what holds what.',
  });
  expect(messages.find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^Secret PREFECT_API_KEY was written to repository octo\/app but not to repository octo\/lib: not written: the job was cancelled\. Both keys stay live: the new one is in this step's masked new-api-key output; the old key keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z\. Run the workflow again to finish\.$/,
  );
  expectNoLeak(run, [emu.seed.adminBot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);

  // The rerun finishes: both secrets hold the active key.
  const rerun = await rotate(emu, restInputs(emu, TWO));
  expect(rerun.exitCode).toBe(0);
  const active = rerun.outputs['new-api-key'];
  for (const repo of ['octo/app', 'octo/lib']) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(active);
});

test('SIGINT right after the key was created: the check of the new key under way finishes, no write starts, and the new key waits in the masked output', async () => {
  const emu = emulator();
  // The new key's check (its /me/workspaces) takes 1 s: SIGINT comes while it is under way.
  emu.fault('me-workspaces', { delayMs: 1_000, times: 1 });
  const run = await rotate(emu, restInputs(emu, TWO), { cancelWhenStdout: { text: 'Created new key', signals: [{ signal: 'SIGINT', afterMs: 200 }] } });
  expect(run.exitCode).toBe(1);
  expect(run.outputs['new-api-key']).toMatch(/^pnb_/);
  expect(emu.isKeyLive(run.outputs['new-api-key']!)).toBe(true);
  expect(emu.requests.filter((request) => request.route === 'gh-secret-put')).toEqual([]);
  expect(annotationsWhole(run).find((annotation) => annotation.level === 'error')?.message).toMatch(
    /^(The job was cancelled after the new key was created\.|Writing secret PREFECT_API_KEY failed \(repository octo\/app: not written: the job was cancelled; repository octo\/lib: not written: the job was cancelled\)\.) The new key is in this step's masked new-api-key output for a following step; the old key keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z\. Unless a secret holds it, a run of the workflow before \d{4}-\d\d-\d\dT[\d:.]+Z refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too\.$/,
  );
});

test('SIGINT, then SIGTERM while a write hangs: the outputs are written at once, new-api-key among them, and the step stops', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { hang: true });
  const run = await rotate(emu, restInputs(emu, { ...TWO, 'timeout-seconds': '60' }), signalledTwice('The new key passed the check'));
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeLessThan(10_000);
  const fresh = run.outputs['new-api-key']!;
  expect(emu.isKeyLive(fresh)).toBe(true);
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  expect(annotationsWhole(run).find((annotation) => annotation.level === 'error')).toEqual({
    level: 'error',
    title: 'Rotation cancelled',
    message: expect.stringMatching(
      /^SIGTERM a second time: the step stops now\. The new key is in the masked new-api-key output; secret writes that finished: none\. The old key keeps working until its grace period ends \(or until it is revoked\)\. Unless a secret holds it, a run of the workflow before \d{4}-\d\d-\d\dT[\d:.]+Z refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too\.$/,
    ),
  });
  // That runs past 400 characters: the annotation keeps its first sentences, the summary, written before the end, all.
  const shown = annotations(run).find((annotation) => annotation.level === 'error')!.message;
  expect(shown.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  expect(shown.endsWith(REST_IN_SUMMARY)).toBe(true);
  expect(emu.secret(repoSecret(emu))).toBeUndefined();
});

test('SIGINT, then SIGTERM before any key was created: the step stops, and says only that the old key keeps working', async () => {
  const emu = emulator();
  emu.fault('bots-read', { hang: true });
  // The signals are meant for the rotation (held at its first request, once its code is loaded), not for the loading.
  const { cancelWhenStdout } = signalledTwice('', 100);
  const run = await rotate(emu, restInputs(emu, { 'timeout-seconds': '60' }), {
    cancelWhen: { when: () => emu.requests.some((request) => request.route === 'bots-read'), signals: cancelWhenStdout.signals },
  });
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeLessThan(10_000);
  expect(run.outputs['new-api-key'] ?? '').toBe('');
  expect(annotationsWhole(run).find((annotation) => annotation.level === 'error')).toEqual({
    level: 'error',
    title: 'Rotation cancelled',
    message:
      'SIGTERM a second time: the step stops now. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
  });
  expect(emu.requests.filter((request) => request.route === 'bots-rotate')).toEqual([]);
  expectNoLeak(run, [emu.seed.adminBot.key, emu.seed.github.writeToken], []);
});

test('SIGINT, then SIGTERM while the old key is retired: the step stops, and names every secret that holds the new key', async () => {
  const emu = emulator();
  // Retirement asks Prefect which key is active (the service account's keys); that answer never comes.
  emu.fault('bots-keys', { hang: true });
  const run = await rotate(emu, restInputs(emu, { ...TWO, 'timeout-seconds': '60' }), signalledTwice('Wrote secret PREFECT_API_KEY to repository octo/lib'));
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeLessThan(10_000);
  const fresh = run.outputs['new-api-key']!;
  for (const repo of ['octo/app', 'octo/lib']) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(annotationsWhole(run).find((annotation) => annotation.level === 'error')).toEqual({
    level: 'error',
    title: 'Rotation cancelled',
    message:
      'SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output; secret writes that finished: repository octo/app, repository octo/lib. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
  });
  expectNoLeak(run, [emu.seed.adminBot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
});
