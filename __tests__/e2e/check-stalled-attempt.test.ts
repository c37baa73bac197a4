// One stalled request does not spend the whole deadline: each attempt gets a
// share of the time left (10 s of 30 s here), so the retry that would succeed is sent.

import { expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, withoutExpiry, workspaceUrlOf } from '../support/emulator.ts';

const emulator = useEmulator();

test('a hung first attempt, then a healthy server: the second attempt is sent within the deadline, and the key is valid', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  emu.fault('health', { hang: true, times: 1 });
  const run = await runAction({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id), 'timeout-seconds': '30', retries: '2' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ valid: 'true', status: 'valid' });
  const [first, second] = withoutExpiry(emu.requests);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(10_000); // the first attempt's share: 30 s among 3 attempts
  expect(second!.at - first!.at).toBeLessThan(14_000);
  expect(run.durationMs).toBeLessThan(20_000);
  expectNoLeak(run, [user.key]);
}, 40_000);
