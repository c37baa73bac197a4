// When the checked key expires: Prefect lists the actor's keys with a masked
// form, and the entry whose mask fits the key is its own. Known, never,
// unknown (Prefect will not say) and ambiguous (two masks fit) are all
// reported; none fails the check. The warning threshold is warn-if-expires-within-days.
// Run in-process; that the process does not wait for a slow lookup is
// e2e/check-ends-by-itself.test.ts's.

import { annotations, expectNoLeak, renderedSummary } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { runInProcess as runAction } from '../support/in-process-step.ts';

const emulator = useEmulator();
const prod = (emu: ReturnType<typeof emulator>) => workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);

test('a key expiring in five days: its expiry in the outputs, a warning, and a summary line, asked alongside the check', async () => {
  const emu = emulator();
  const { expiringKey, expiringKeyDays } = emu.seed.user;
  emu.fault('health', { delayMs: 1000 });
  const run = await runAction({ 'api-key': expiringKey, 'api-url': prod(emu) });
  expect(run.exitCode).toBe(0);
  const at = run.outputs['key-expires-at']!;
  expect(Math.abs(Date.parse(at) - (Date.now() + expiringKeyDays * 86_400_000))).toBeLessThan(60_000);
  expect(run.outputs['key-days-left']).toBe(String(expiringKeyDays - 1)); // whole days, rounded down
  expect(annotations(run)).toEqual([
    {
      level: 'warning',
      title: 'Prefect Cloud API key expires soon',
      message: `The Prefect Cloud API key expires in ${expiringKeyDays - 1} days (${at}): rotate it, or create a new key and update the secret that holds it, before then.`,
    },
  ]);
  expect(renderedSummary(run)).toContain(`The key expires at ${at}, in ${expiringKeyDays - 1} days.`);
  // Sent together: the lookup does not wait for the check, which is answered a second after it arrives.
  const [expiry, health] = ['me-api-keys', 'health'].map((route) => emu.requests.find((request) => request.route === route)!);
  expect(expiry!.at).toBeLessThan(health!.at + 1000);
  expectNoLeak(run, [expiringKey]);
});

test('below the threshold no warning is given, but the expiry is still reported', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.expiringKey, 'api-url': prod(emu), 'warn-if-expires-within-days': '3' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs['key-days-left']).toBe(String(emu.seed.user.expiringKeyDays - 1));
  expect(annotations(run)).toEqual([]);
});

test('a key that never expires: empty outputs and a summary line that says so', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': prod(emu) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'key-expires-at': '', 'key-days-left': '' });
  expect(renderedSummary(run)).toContain('The key never expires.');
  expect(annotations(run)).toEqual([]);
});

test('Prefect will not say (403 to /me/api_keys): unknown, and the check is still valid', async () => {
  const emu = emulator();
  emu.setMeApiKeysAnswer(emu.seed.user.id, 403);
  const run = await runAction({ 'api-key': emu.seed.user.expiringKey, 'api-url': prod(emu) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'key-expires-at': '', 'key-days-left': '' });
  expect(renderedSummary(run)).toContain("When the key expires is unknown: Prefect Cloud answered HTTP 403 when asked for the key's expiry.");
  expect(annotations(run)).toEqual([]);
});

test('two listed keys whose masks fit: ambiguous, so unknown', async () => {
  const emu = emulator();
  const { key } = emu.seed.user;
  const masked = `pnu_...${key.slice(-4)}`;
  const entry = (id: string, expiration: string | null) => ({ id, name: 'a key', created: '2026-01-01T00:00:00Z', expiration, masked_key: masked });
  emu.fault('me-api-keys', {
    status: 200,
    body: JSON.stringify([entry('0d4f6e1a-5b7c-4a8d-9e0f-1a2b3c4d5e6f', '2026-12-01T00:00:00Z'), entry('1e5a7f2b-6c8d-4b9e-8f1a-2b3c4d5e6f70', null)]),
  });
  const run = await runAction({ 'api-key': key, 'api-url': prod(emu) });
  expect(run.exitCode).toBe(0);
  expect(run.outputs['key-expires-at']).toBe('');
  expect(renderedSummary(run)).toContain('When the key expires is unknown: several keys Prefect lists look like this one.');
});

test('warn-if-expires-within-days: 0 does not ask Prefect when the key expires', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.expiringKey, 'api-url': prod(emu), 'warn-if-expires-within-days': '0' });
  expect(run.exitCode).toBe(0);
  expect(emu.requests.map((request) => request.route)).toEqual(['health']);
  expect(run.outputs['key-expires-at']).toBe('');
});

test('an expiry lookup slower than the check by more than the expiry wait is not waited for: unknown, and the lookup stopped', async () => {
  const emu = emulator();
  emu.fault('me-api-keys', { delayMs: 30_000 });
  // The wait shrunk from 2 s to a fifth of a second: the rule, not the seconds.
  const run = await runAction({ 'api-key': emu.seed.user.expiringKey, 'api-url': prod(emu) }, { timings: { expiryWaitMs: 200 } });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'key-expires-at': '', 'key-days-left': '' });
  expect(renderedSummary(run)).toContain('When the key expires is unknown: Prefect Cloud did not say in time.');
  expect(annotations(run)).toEqual([]);
});
