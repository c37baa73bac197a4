// A runner behind a proxy that reads each tunnel request (CONNECT) and closes
// the connection: the step with `timeout-seconds: 3` ends by itself, with
// status unavailable and the proxy named, after a few connections rather
// than a reconnect loop (undici's own reaction to a closed tunnel).

import { annotations, expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { connectProxy, type ConnectProxy } from '../support/tls.ts';

const emulator = useEmulator();
let proxy: ConnectProxy;

beforeAll(async () => {
  proxy = await connectProxy(['prefect.test']);
  proxy.misbehave = 'close';
});
afterAll(() => proxy.close());

test('a proxy that closes every tunnel: the step ends by itself within the deadline, unavailable, after a few connections', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  const url = `https://prefect.test/api/accounts/${account.id}/workspaces/${workspaces.prod.id}`;
  // Killed only if it hangs: a run that needs killing fails below (no exit code).
  const run = await runAction({ 'api-key': user.key, 'api-url': url, 'timeout-seconds': '3' }, { env: { HTTPS_PROXY: proxy.url }, killAfterMs: 30_000 });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unavailable' });
  const [error] = annotations(run);
  expect(error?.title).toBe('Key check failed (unavailable)');
  // The last attempt's reason: the proxy's close, or (on a loaded machine, when the deadline comes while the last
  // attempt is still connecting) the time running out there; the proxy is named either way.
  const reasons = [
    `the proxy ${proxy.url} closed the connection instead of opening a tunnel to prefect.test`,
    `timed out setting up the connection to prefect.test through the proxy ${proxy.url}`,
  ];
  expect(reasons.some((reason) => error?.message.includes(reason))).toBe(true);
  expect(error?.message).toContain('run the job again later');
  expect(proxy.connections).toBeGreaterThanOrEqual(1);
  expect(proxy.connections).toBeLessThanOrEqual(10);
  expect(run.durationMs).toBeLessThan(3_000 + 3_000); // the deadline, and slack for a loaded machine
  expect(withoutExpiry(emu.requests)).toEqual([]);
  expect(run.stderr).toBe('');
  expectNoLeak(run, [user.key]);
}, 40_000);
