// Bad input fails the step with a message naming the input, and nothing is sent.

import { MISSING_KEY_MESSAGE } from '../../src/missing-key.ts';
import { annotations, expectNoLeak, masksOf, runAction } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';

const emulator = useEmulator();

test.each([
  [
    { account: 'acme', workspace: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    'Input workspace is a workspace id, so input account must be the account id (a UUID), got "acme": give both as ids, or both as handles.',
  ],
  [
    { workspace: 'x' },
    'Input workspace is a workspace handle ("x"): give input account too (the account handle), or write workspace as <account-handle>/<workspace-handle>.',
  ],
  [{ 'fail-on-invalid': 'maybe' }, 'Input fail-on-invalid must be true or false, got "maybe".'],
  [{ 'timeout-seconds': '-5' }, 'Input timeout-seconds must be a number from 1 to 3600, got "-5".'],
  [
    { workspace: 'acme/prod', 'required-scopes': 'run_deployments, Write-Deployments' },
    'Input required-scopes lists "Write-Deployments", which is not a Prefect Cloud workspace scope; the closest are write_deployments, see_deployments, run_deployments.',
  ],
])('%j fails before any request', async (bad, message) => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, ...bad });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toBe(`${masksOf(emu.seed.user.key)}::error title=Invalid input::${message}\n`);
  expect(run.stderr).toBe('');
  expect(run.outputs).toEqual({});
  expect(withoutExpiry(emu.requests)).toEqual([]);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('the key is never sent over plain http to another host', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl.replace('127.0.0.1', 'example.com') });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Invalid input',
      message: `Input api-url must use https (http is accepted only for localhost), got "${emu.apiUrl.replace('127.0.0.1', 'example.com')}".`,
    },
  ]);
  expect(withoutExpiry(emu.requests)).toEqual([]);
});

test('a credential inside api-url is refused, and no stream shows it: the annotation names the URL without it, in full', async () => {
  const emu = emulator();
  const token = 'ghs_Pr0xyT0k3nInsideApiUrlQw3rtyUi0pAsDfGhJk';
  // Plain http to another host: refused for its scheme too, a refusal that once echoed the value, token and all.
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': `http://ci:${token}@prefect.corp/api?token=${token}` });
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Invalid input',
      message:
        'Input api-url must not carry credentials (a user name or password): only the key or token is sent. Got "http://prefect.corp/api" with credentials (not shown).',
    },
  ]);
  expect(emu.requests).toEqual([]);
  // The runner masks only what it was told of: the token was never registered, so it must never be printed.
  expectNoLeak(run, [emu.seed.user.key, token, token.slice(0, 20), token.slice(-20)]);
});

test('a missing key is not bad input: the missing-key verdict, which names the input', async () => {
  const run = await runAction({ 'api-key': '' });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toBe(`::error title=Key check failed (missing-key)::${MISSING_KEY_MESSAGE}\n`);
  // Also for a rotation, whose inputs (the token among them) are not read without a key.
  const rotation = await runAction({ 'api-key': '', rotate: 'true', 'github-token': '' });
  expect(rotation.exitCode).toBe(1);
  expect(annotations(rotation)).toEqual([
    { level: 'error', title: 'Key check failed before rotation (missing-key)', message: `${MISSING_KEY_MESSAGE} No key was rotated.` },
  ]);
});

test('sixteen characters, the shortest credential, are masked before anything else', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': 'x'.repeat(16), 'api-url': emu.apiUrl });
  expect(run.stdout.startsWith(masksOf('x'.repeat(16)))).toBe(true);
});

test('a key too short to be one is refused, not masked (a mask that short would blank ordinary words) and never shown', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': 'key', 'api-url': emu.apiUrl });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toBe(
    '::error title=Invalid input::Input api-key is 3 characters long; a credential has at least 16: check that the secret holds the whole value.\n',
  );
  expect(withoutExpiry(emu.requests)).toEqual([]);
});
