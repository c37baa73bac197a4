// prefect-api: auto means today's Prefect Cloud. A key with neither the pnu_
// nor the pnb_ prefix is refused as bad input, as Prefect's own CLI refuses it,
// and it travels nowhere: not to api-url, not to Prefect Cloud 1.

import { expectNoLeak, withoutMasks } from '../support/action.ts';
import { noWaitClock } from '../support/clock.ts';
import { useEmulator } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

/** In-process (what only a process shows is e2e/'s); a retry's pause takes no time. */
const runAction = (values: Record<string, string>) => runInProcess(values, { clock: noWaitClock });

const emulator = useEmulator();

test.each([[{}], [{ 'prefect-api': 'auto' }]])('an unprefixed key under auto (%j) fails before any request reaches any server', async (inputs) => {
  const emu = emulator();
  const key = emu.seed.cloud1.key;
  const run = await runAction({ 'api-key': key, 'api-url': emu.apiUrl, 'graphql-url': emu.graphqlUrl, ...inputs });
  expect(run.exitCode).toBe(1);
  expect(run.masked).toContain(key);
  expect(withoutMasks(run.stdout)).toBe(
    `::error title=Invalid input::Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key). For a Prefect Cloud 1 key, set prefect-api: graphql.\n`,
  );
  expect(run.outputs).toEqual({});
  expect(emu.requests).toEqual([]);
  expectNoLeak(run, [key]);
});

test('the same key with prefect-api: graphql is checked on Prefect Cloud 1, as asked', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.cloud1.key, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'key-type': 'unknown' });
  expect(emu.requests.map((request) => request.operation)).toEqual(['auth_info', 'auth_api_key']); // who the key is, then when it expires
});
