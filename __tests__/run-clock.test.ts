// The step driven in-process: run(inputs, runner, options) against the
// emulator, on a clock the test hands in and with the timing settings shrunk.
// The check's expiry wait is slept on that clock (and ended, with the lookup
// it waited for, once the race is decided); with no policy given, the retries
// trace to the runner's debug log; a rotation of many destinations need not
// wait out GitHub's second between writes. The form spawned check and
// rotation tests can take.

import { parseCheckInputs } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';
import type { Clock } from '../src/clock/clock.ts';
import type { Emulator } from './emulator/index.ts';
import { skippingClock } from './support/clock.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { expectNoLeakIn, recordingRunner } from './support/recording-runner.ts';
import { restInputs, runnerEnv } from './support/rotation.ts';

const emulator = useEmulator();

test("the expiry lookup is waited for on the step's clock, as long as timings says: a late one is unknown, and no time was spent", async () => {
  const emu = emulator();
  emu.fault('me-api-keys', { delayMs: 30_000 });
  const { account, workspaces, user } = emu.seed;
  const values: Record<string, string> = { 'api-key': user.expiringKey, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) };
  const inputs = parseCheckInputs(
    (name) => values[name] ?? '',
    () => undefined,
  );
  const { runner, recorded } = recordingRunner();
  const { clock, sleeps } = skippingClock();
  expect(await run(inputs, runner, { clock, timings: { expiryWaitMs: 1_234 } })).toBe(0);
  expect(sleeps).toEqual([1_234]);
  expect(recorded.outputs).toMatchObject({ status: 'valid', 'key-expires-at': '', 'key-days-left': '' });
  expect(recorded.summary).toContain('When the key expires is unknown: Prefect Cloud did not say in time.');
});

/** A clock whose sleeps never end by themselves: each ends only when its signal aborts. `pending` counts those not ended. */
function heldClock(): { clock: Clock; pending: () => number } {
  let pending = 0;
  const clock: Clock = {
    now: () => Date.now(),
    sleep: (_ms, signal) =>
      new Promise<void>((_resolve, reject) => {
        pending += 1;
        signal?.addEventListener('abort', () => {
          pending -= 1;
          reject(signal.reason as Error);
        });
      }),
  };
  return { clock, pending: () => pending };
}

function prodInputs(emu: Emulator, values: Record<string, string> = {}) {
  const { account, workspaces, user } = emu.seed;
  const all: Record<string, string> = { 'api-key': user.expiringKey, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id), ...values };
  return parseCheckInputs(
    (name) => all[name] ?? '',
    () => undefined,
  );
}

test('an expiry that arrives within the wait ends the wait: no timer is left to hold the process after the step', async () => {
  const emu = emulator();
  const { runner, recorded } = recordingRunner();
  // The wait never ends by itself here: only the expiry's arrival can end the race, and then the wait must be ended too.
  const { clock, pending } = heldClock();
  expect(await run(prodInputs(emu), runner, { clock })).toBe(0);
  expect(recorded.outputs['key-days-left']).toBe(String(emu.seed.user.expiringKeyDays - 1));
  expect(pending()).toBe(0);
});

test('an expiry lookup still waiting when the wait ends is cancelled: Prefect sees the request given up', async () => {
  const emu = emulator();
  let cancelled!: () => void;
  const gaveUp = new Promise<void>((resolve) => (cancelled = resolve));
  emu.fault('me-api-keys', { hold: (gone) => new Promise<void>((resolve) => gone.addEventListener('abort', () => (cancelled(), resolve()))) });
  const { runner, recorded } = recordingRunner();
  const { clock } = skippingClock();
  expect(await run(prodInputs(emu), runner, { clock, timings: { expiryWaitMs: 1_234 } })).toBe(0);
  expect(recorded.outputs).toMatchObject({ status: 'valid', 'key-expires-at': '' });
  // The connection is closed by the step: the held request ends without an answer.
  await gaveUp;
  expect(emu.requests.filter((request) => request.route === 'me-api-keys')).toHaveLength(1);
});

test("with no policy given, each attempt is traced to the runner's debug log: a retried request shows both", async () => {
  const emu = emulator();
  emu.fault('health', { status: 503, times: 1 });
  const { runner, recorded } = recordingRunner();
  const debug: string[] = [];
  const { clock } = skippingClock();
  expect(await run(prodInputs(emu, { 'warn-if-expires-within-days': '0' }), { ...runner, debug: (line) => debug.push(line) }, { clock })).toBe(0);
  expect(recorded.outputs.status).toBe('valid');
  const host = new URL(emu.apiUrl).host;
  const health = debug.filter((line) => line.includes('/health:'));
  expect(health).toEqual([
    expect.stringMatching(new RegExp(`^GET ${host}/api/accounts/[^ ]+/health: HTTP 503, attempt 1, \\d+ ms$`)),
    expect.stringMatching(new RegExp(`^GET ${host}/api/accounts/[^ ]+/health: HTTP 200, attempt 2, \\d+ ms$`)),
  ]);
});

test('ten repositories with write spacing 0: every secret written, the writes not spaced, no signal handler left behind', async () => {
  const emu = emulator();
  const extra = Array.from({ length: 8 }, (_, index) => `octo/service-${String(index + 1).padStart(2, '0')}`);
  for (const repo of extra) emu.addRepository(repo);
  const repositories = ['octo/app', 'octo/lib', ...extra];
  const env = runnerEnv(emu);
  const values = restInputs(emu, { 'secret-repositories': repositories.join('\n') });
  const read = (name: string) => values[name] ?? '';
  const inputs = parseCheckInputs(read, (name) => env[name as keyof typeof env]);
  const rotation = parseRotationInputs(read, (name) => env[name as keyof typeof env], inputs);
  const listening = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const { runner, recorded } = recordingRunner();
  const { clock } = skippingClock();

  const exitCode = await run(inputs, runner, { rotation, clock, timings: { writeSpacingMs: 0 } });

  expect(exitCode).toBe(0);
  const fresh = recorded.outputs['new-api-key']!;
  expect(fresh).toMatch(/^pnb_/);
  for (const repo of repositories) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(recorded.outputs).toMatchObject({ rotation: 'rotated' });
  // One write at a time still; with no spacing asked, the emulator sees writes less than GitHub's second apart.
  expect(emu.maxConcurrentGithubMutations).toBe(1);
  expect(emu.requests.filter((request) => request.route === 'gh-secret-put')).toHaveLength(10);
  expect(emu.githubLimitBreaches.map((breach) => breach.reason)).toContain('too-soon');
  expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(listening);
  expectNoLeakIn(recorded, [emu.seed.adminBot.key, emu.seed.github.writeToken, fresh]);
});

test("the writes' extension of the deadline holds for Prefect too: the old key's retirement after them is still asked", async () => {
  const emu = emulator();
  const env = runnerEnv(emu);
  const values = restInputs(emu, { 'timeout-seconds': '30' });
  const read = (name: string) => values[name] ?? '';
  const inputs = parseCheckInputs(read, (name) => env[name as keyof typeof env]);
  const rotation = parseRotationInputs(read, (name) => env[name as keyof typeof env], inputs);
  const { runner, recorded } = recordingRunner();
  // The step's 30 s pass between the new key's check and the writes: only the writes' extension (2 s) is left.
  let skipped = 0;
  const clock = { now: () => Date.now() + skipped, sleep: async () => undefined };
  const jumping = {
    ...runner,
    info: (line: string) => {
      if (line === 'The new key passed the check.') skipped += 35_000;
      runner.info(line);
    },
  };

  expect(await run(inputs, jumping, { rotation, clock, timings: { cleanupReserveMs: 0 } })).toBe(0);

  expect(recorded.lines.filter((line) => !line.startsWith('info: '))).toEqual([]);
  expect(recorded.lines).toContainEqual(expect.stringMatching(/^info: The old key keeps working until .+, as Prefect Cloud holds it; then it retires\.$/));
});
