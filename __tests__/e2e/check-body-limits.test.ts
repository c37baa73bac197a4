// An answer is read whole, up to 5 MiB, within the attempt's time: a body past
// the cap, or one that stops coming half-way, is a failed attempt, retried and
// then reported as Key check failed (unavailable). Never a bad key, never a hang.

import { annotations, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';

const emulator = useEmulator();
const MIB = 1024 * 1024;

function inputs(extra: Record<string, string> = {}) {
  const emu = emulator();
  return { 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id), ...extra };
}

const unavailable = (reason: string) =>
  `Prefect Cloud at ${new URL(emulator().url).host} could not be reached: ${reason}. This says nothing about the key; run the job again later.`;

test('an answer one byte past 5 MiB is refused unread, retried, then unavailable', async () => {
  const emu = emulator();
  emu.fault('health', { status: 200, body: `"${'x'.repeat(5 * MIB - 1)}"` });
  const run = await runAction(inputs({ retries: '1' }));
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  expect(annotations(run)).toEqual([
    { level: 'error', title: 'Key check failed (unavailable)', message: unavailable(`answer cut short: answer larger than ${5 * MIB} bytes (2 attempts)`) },
  ]);
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'health']);
});

test('an answer of exactly 5 MiB is read', async () => {
  const emu = emulator();
  // Prefect's `true`, padded to the bound: JSON allows the whitespace.
  emu.fault('health', { status: 200, body: `true${' '.repeat(5 * MIB - 4)}` });
  const run = await runAction(inputs({ retries: '0' }));
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'status-code': '200' });
});

test('an answer that stops half-way is cut off at the deadline: unavailable, on time', async () => {
  const emu = emulator();
  emu.fault('health', { stall: true });
  const run = await runAction(inputs({ 'timeout-seconds': '2', retries: '0' }));
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeGreaterThanOrEqual(2000);
  expect(run.durationMs).toBeLessThan(2000 + 3000); // the process ends by itself: the deadline, and slack for a loaded machine
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  expect(annotations(run)).toEqual([
    { level: 'error', title: 'Key check failed (unavailable)', message: unavailable('timed out reading the answer (1 attempt)') },
  ]);
});

test('an answer that stalls once is tried again, and the check passes', async () => {
  const emu = emulator();
  emu.fault('health', { stall: true, times: 1 });
  const run = await runAction(inputs({ 'timeout-seconds': '2', retries: '1' }));
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  // The stalled attempt had half of the time (its share with one retry left): given all of it, no retry could follow.
  const [stalled, retried] = withoutExpiry(emu.requests);
  expect([stalled!.route, retried!.route]).toEqual(['health', 'health']);
  expect(retried!.at - stalled!.at).toBeGreaterThanOrEqual(1000 - 5);
  expect(withoutExpiry(emu.requests)).toHaveLength(2);
});
