// rotate-if-expires-within-days: a monthly schedule that rotates only when the
// key that would be rotated expires soon. Not due, never expiring, or unknown:
// nothing changes, the step succeeds, and it says why.

import { annotations } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const DAY = 86_400_000;

test('a key that never expires is not due: rotation=not-due, exit 0, and the step says why', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'rotate-if-expires-within-days': '30' }));
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual([]);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'not-due' });
  expect(run.stdout).toContain('Not rotated: the key never expires, so it is not due (rotate-if-expires-within-days: 30).');
  expect(run.summary).toContain('### Key rotation: ⏭️ not due, nothing changed');
  expect(annotations(run)).toEqual([]);
});

test('a key expiring in 60 days is not due within 30', async () => {
  const emu = emulator();
  emu.setKeyExpiration(emu.seed.bot.keyId, new Date(Date.now() + 60 * DAY));
  const run = await rotateInProcess(emu, restInputs(emu, { 'rotate-if-expires-within-days': '30' }));
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual([]);
  expect(run.stdout).toMatch(/Not rotated: the key expires at [\d-]+T[\d:.]+Z, in 59 days: not within 30, so it is not due\./);
});

test('a key expiring in 5 days is due within 30: rotated, and the secret holds the new key', async () => {
  const emu = emulator();
  emu.setKeyExpiration(emu.seed.bot.keyId, new Date(Date.now() + 5 * DAY));
  const run = await rotateInProcess(emu, restInputs(emu, { 'rotate-if-expires-within-days': '30' }));
  expect(run.exitCode).toBe(0);
  expect(mutations(emu)).toEqual(['bots-rotate', 'gh-secret-put']);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
});
