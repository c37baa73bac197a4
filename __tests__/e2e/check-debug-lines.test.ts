// A user who re-runs a job with debug logging (RUNNER_DEBUG=1) sees one line
// for each HTTP exchange: method, host and path, status, attempt, time, and
// never a secret. Without debug logging, none is written.

import { expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { restInputs, rotate } from '../support/rotation.ts';

const emulator = useEmulator();
const debugLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::debug::'));

test('a check with debug logging: one line per exchange, with no secret', async () => {
  const emu = emulator();
  const { account, workspaces, user } = emu.seed;
  emu.fault('health', { status: 503, times: 1 });
  const run = await runAction({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) }, { env: { RUNNER_DEBUG: '1' } });
  expect(run.exitCode).toBe(0);
  const host = new URL(emu.url).host;
  const health = `GET ${host}/api/accounts/${account.id}/workspaces/${workspaces.prod.id}/health`;
  const lines = debugLines(run.stdout);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^::debug::${health.replace(/[.]/g, '\\.')}: HTTP 503, attempt 1, \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^::debug::${health.replace(/[.]/g, '\\.')}: HTTP 200, attempt 2, \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^::debug::GET ${host.replace(/[.]/g, '\\.')}/api/me/api_keys: HTTP 200, attempt 1, \\d+ ms$`)),
    ]),
  );
  expect(lines).toHaveLength(3);
  expectNoLeak(run, [user.key]);
});

test('a rotation with debug logging: GitHub exchanges too, and no secret in any line', async () => {
  const emu = emulator();
  const run = await rotate(emu, restInputs(emu), { env: { RUNNER_DEBUG: '1' } });
  expect(run.exitCode).toBe(0);
  const github = new URL(emu.githubUrl).host;
  expect(debugLines(run.stdout)).toEqual(
    expect.arrayContaining([
      `::debug::GET ${github}/repos/octo/app/actions/secrets/public-key: HTTP 200, ${/\d+ ms$/.exec(debugLines(run.stdout).find((line) => line.includes('public-key'))!)![0]}`,
      expect.stringMatching(new RegExp(`^::debug::PUT ${github.replace(/[.]/g, '\\.')}/repos/octo/app/actions/secrets/PREFECT_API_KEY: HTTP 201, \\d+ ms$`)),
    ]),
  );
  expectNoLeak(run, [emu.seed.adminBot.key, run.outputs['new-api-key']!, emu.seed.github.writeToken], ['new-api-key']);
});

test('without debug logging, no debug line is written', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  expect(debugLines(run.stdout)).toEqual([]);
});
