// Transient failures are retried within the deadline, and when they last, the
// step says Prefect Cloud was unavailable: never that the key is bad. Run
// in-process with a clock whose pauses take no time; that a process held by a
// hanging server ends by itself is e2e/check-ends-by-itself.test.ts's.

import { annotations, expectNoLeak } from '../support/action.ts';
import { noWaitClock, skippingClock } from '../support/clock.ts';
import { useEmulator, workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import { runInProcess, type StepOptions } from '../support/in-process-step.ts';

/** A retry's pause takes no time: what is asserted is which attempts were made, and what the step said. */
const runAction = (values: Record<string, string>, options: StepOptions = { clock: noWaitClock }) => runInProcess(values, options);

const emulator = useEmulator();

function inputs(extra: Record<string, string> = {}) {
  const emu = emulator();
  return { 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id), ...extra };
}

test('503 then 200: retried, and valid', async () => {
  const emu = emulator();
  emu.fault('health', { status: 503, times: 1 });
  const run = await runAction(inputs());
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'status-code': '200' });
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'health']);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('503 forever: unavailable after every retry, never "bad key"', async () => {
  const emu = emulator();
  emu.fault('health', { status: 503 });
  const run = await runAction(inputs({ retries: '2' }));
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '503' });
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Key check failed (unavailable)',
      message: `Prefect Cloud at ${new URL(emu.url).host} could not be reached: HTTP 503 (3 attempts). This says nothing about the key; run the job again later.`,
    },
  ]);
  expect(run.stdout).not.toMatch(/rejected|invalid/i);
  expect(withoutExpiry(emu.requests)).toHaveLength(3);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('429 with Retry-After: waits as asked, then valid', async () => {
  const emu = emulator();
  emu.fault('health', { status: 429, retryAfter: 1, times: 1 });
  // The step's clock counts the wait, and moves by it, instead of sleeping.
  const { clock, sleeps } = skippingClock();
  const run = await runAction(inputs(), { clock });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health', 'health']);
  expect(sleeps[0]).toBeGreaterThanOrEqual(1000); // the first wait: the retry's (the expiry lookup's wait may follow)
  expectNoLeak(run, [emu.seed.user.key]);
});

test('a hanging server does not hang the step: it ends at the 2 s deadline, each attempt given its share of it', async () => {
  const emu = emulator();
  emu.fault('health', { hang: true });
  // 2 s, so that what is left after the first attempt's half outlasts a long turn of a loaded machine's event loop
  // (with 1 s, a first attempt whose timer fired 500 ms late once left no time for a second).
  const run = await runAction(inputs({ 'timeout-seconds': '2' }));
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  // Half of the 2 s, then a share of what is left: the retries are sent, not forbidden by a first attempt given it all.
  expect(annotations(run)[0]?.message).toMatch(
    new RegExp(
      `^Prefect Cloud at ${new URL(emu.url).host} could not be reached: timed out waiting for an answer \\([2-9] attempts\\)\\. This says nothing about the key; run the job again later\\.$`,
    ),
  );
  expect(withoutExpiry(emu.requests).length).toBeGreaterThanOrEqual(2);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('a refused connection is unavailable, not a bad key', async () => {
  const emu = emulator();
  const run = await runAction({
    'api-key': emu.seed.user.key,
    'api-url': `http://127.0.0.1:1/api/accounts/${emu.seed.account.id}/workspaces/${emu.seed.workspaces.prod.id}`,
    retries: '1',
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('unavailable');
  expect(annotations(run)[0]?.message).toMatch(/^Prefect Cloud at 127\.0\.0\.1:1 could not be reached: connect ECONNREFUSED 127\.0\.0\.1:1 \(2 attempts\)\./);
  expectNoLeak(run, [emu.seed.user.key]);
});
