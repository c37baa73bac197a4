// An answer is read whole, up to 5 MiB, within the attempt's time: a body past
// the cap, or one that stops coming half-way, is a failed attempt, retried and
// then reported as Key check failed (unavailable). Never a bad key, never a hang.
// Run in-process, a retry's pause taking no time; that the process ends by
// itself on a stalled answer is e2e/check-ends-by-itself.test.ts's.

import { annotations } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();
const MIB = 1024 * 1024;

function inputs(extra: Record<string, string> = {}) {
  const emu = emulator();
  return { 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id), ...extra };
}

const unavailable = (reason: string) =>
  `Prefect Cloud at ${new URL(emulator().url).host} could not be reached: ${reason}. This says nothing about the key; run the job again later.`;

/** How much early by the wall clock a timer set in a long turn of the event loop may fire (see below). */
const TIMER_SKEW_MS = 250;

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
  const run = await runAction(inputs({ 'timeout-seconds': '1', retries: '0' }));
  expect(run.exitCode).toBe(1);
  // Cut off at the deadline, not before it. Node's timers count from the event loop's time, read when the loop last
  // turned: a timer set in a long turn (the first, which loads the action) fires that much early by the wall clock.
  expect(run.durationMs).toBeGreaterThanOrEqual(1000 - TIMER_SKEW_MS);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  // Whether undici's own body timeout or the deadline's signal ends the read first depends on the machine's load; either
  // is a read that timed out.
  expect(annotations(run)).toEqual([
    { level: 'error', title: 'Key check failed (unavailable)', message: unavailable('timed out reading the answer (1 attempt)') },
  ]);
});

test('an answer that stalls once is tried again, and the check passes', async () => {
  const emu = emulator();
  emu.fault('health', { stall: true, times: 1 });
  // 2 s, so that the retry's half is ample on a loaded machine.
  const run = await runAction(inputs({ 'timeout-seconds': '2', retries: '1' }));
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  // The stalled attempt had half of the time (its share with one retry left): given all of it, no retry could follow.
  // The share itself is retry.test's (attemptShare, on a driven clock): the emulator's arrival times are the wall
  // clock's, and on a loaded machine the first arrival is recorded late, so their gap says nothing reliable.
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'health']);
});
