// One stalled request does not spend the whole deadline: each attempt gets a
// share of the time left (2 s of 4 s here: an equal third raised towards
// MIN_ATTEMPT_MS, never past half), so the retry that would succeed is sent.

import { expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry, workspaceUrlOf } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('a hung first attempt, then a healthy server: the second attempt is sent within the deadline, and the key is valid', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  emu.fault('health', { hang: true, times: 1 });
  const run = await runInProcess({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id), 'timeout-seconds': '4', retries: '2' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid' });
  const [first, second] = withoutExpiry(emu.requests);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000 - 5); // the first attempt's share: half of 4 s
  expectNoLeak(run, [user.key]);
});
