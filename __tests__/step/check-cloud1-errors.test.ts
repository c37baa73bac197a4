// Prefect Cloud 1's answers, read as Prefect's own 1.x client reads them:
// UNAUTHENTICATED anywhere in the errors is a bad key; API_ERROR is retried;
// auth_info without a tenant_id means an old API token, not a key.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { runInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const cloud1 = (key: string, emu: ReturnType<typeof emulator>) => runInProcess({ 'api-key': key, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql' });

test('UNAUTHENTICATED only in the message (another code) is a bad key', async () => {
  const emu = emulator();
  emu.fault('graphql:auth_info', { graphqlError: { message: 'UNAUTHENTICATED: the token has been revoked', code: 'INTERNAL_SERVER_ERROR' } });
  const run = await cloud1(emu.seed.cloud1.key, emu);
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'invalid-key' });
  expect(annotations(run)[0]?.message).toMatch(/^Prefect Cloud 1 rejected the API key \(UNAUTHENTICATED: the token has been revoked\)/);
  expect(emu.requests).toHaveLength(1);
  expectNoLeak(run, [emu.seed.cloud1.key]);
});

test('"Malformed Authorization header" is a bad key', async () => {
  const emu = emulator();
  emu.fault('graphql:auth_info', { graphqlError: { message: 'Malformed Authorization header', code: 'UNKNOWN' } });
  const run = await cloud1(emu.seed.cloud1.key, emu);
  expect(run.outputs).toMatchObject({ status: 'invalid-key' });
});

test('API_ERROR once, then an answer: retried, and the key is valid', async () => {
  const emu = emulator();
  emu.cloud1ApiError('auth_info', 1);
  const run = await cloud1(emu.seed.cloud1.key, emu);
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid' });
  expect(emu.requests.map((request) => request.operation)).toEqual(['auth_info', 'auth_info', 'auth_api_key']); // the last asks when the key expires
});

test('auth_info with a null tenant_id: an old API token, not a key', async () => {
  const emu = emulator();
  const run = await cloud1(emu.seed.cloud1.apiToken, emu);
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'invalid-key' });
  expect(annotations(run)[0]?.message).toBe(
    'Prefect Cloud 1 says this is an old API token, not an API key (auth_info has no tenant_id): create an API key and update the secret that holds it.',
  );
  expectNoLeak(run, [emu.seed.cloud1.apiToken]);
});
