// A check whose server never finishes answering must not keep the process
// alive: the runner waits for the process, so a socket or timer left behind
// would hang the job past the step's deadline. Only a spawned run shows that;
// the rules themselves (attempts, messages, outputs) are in-process, in
// step/check-transient, step/check-body-limits and step/check-expiry. Each run
// is measured, with slack for a loaded machine.

import { annotations, expectNoLeak, renderedSummary, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';

const emulator = useEmulator();

/** What a loaded 2-core machine may add to a run's start and end. */
const SLACK_MS = 3_000;
/**
 * How much early a deadline's timer may fire by the wall clock: Node counts timers from the event loop's time, read
 * when the loop last turned, and the first turn loads the action.
 */
const TIMER_SKEW_MS = 250;

function inputs(extra: Record<string, string> = {}) {
  const emu = emulator();
  return { 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id), ...extra };
}

test('a hanging server: the process ends at the 1 s deadline', async () => {
  const emu = emulator();
  emu.fault('health', { hang: true });
  const run = await runAction(inputs({ 'timeout-seconds': '1' }));
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeGreaterThanOrEqual(1000 - TIMER_SKEW_MS);
  expect(run.durationMs).toBeLessThan(1000 + SLACK_MS);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  // How many attempts fit in the second is step/check-transient's to pin (on a driven clock); here, a loaded machine's.
  expect(annotations(run)[0]?.message).toMatch(/could not be reached: timed out waiting for an answer \(\d attempts?\)\./);
  expectNoLeak(run, [emu.seed.user.key]);
  console.log(`hanging server, 1 s deadline: the process ended after ${run.durationMs} ms`);
});

test('an answer that stops half-way: the process ends at the 1 s deadline', async () => {
  const emu = emulator();
  emu.fault('health', { stall: true });
  const run = await runAction(inputs({ 'timeout-seconds': '1', retries: '0' }));
  expect(run.exitCode).toBe(1);
  expect(run.durationMs).toBeGreaterThanOrEqual(1000 - TIMER_SKEW_MS);
  expect(run.durationMs).toBeLessThan(1000 + SLACK_MS);
  expect(annotations(run)[0]?.message).toMatch(/could not be reached: timed out reading the answer \(1 attempt\)\./);
  console.log(`stalled answer, 1 s deadline: the process ended after ${run.durationMs} ms`);
});

test('an expiry lookup that takes 30 s: the process ends after the check and the 2 s it may wait, without the lookup', async () => {
  const emu = emulator();
  emu.fault('me-api-keys', { delayMs: 30_000 });
  const run = await runAction({ ...inputs(), 'api-key': emu.seed.user.expiringKey });
  expect(run.exitCode).toBe(0);
  expect(run.durationMs).toBeLessThan(2000 + SLACK_MS);
  expect(renderedSummary(run)).toContain('When the key expires is unknown: Prefect Cloud did not say in time.');
  console.log(`expiry lookup of 30 s: the process ended after ${run.durationMs} ms`);
});
