// Nothing changes until every read has passed: a token that cannot write secrets fails first (in-process).

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { rotateInProcess as rotate } from '../support/in-process-step.ts';
import { graphqlInputs, mutations, restInputs } from '../support/rotation.ts';

const emulator = useEmulator();

test.each([
  ['rest', restInputs],
  ['graphql', graphqlInputs],
] as const)('%s: a token that cannot write secrets fails in pre-flight, and no key is created or rotated', async (_api, inputs) => {
  const emu = emulator();
  const { github } = emu.seed;
  const run = await rotate(emu, inputs(emu, { 'github-token': github.readOnlyToken }));
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message:
        'Pre-flight failed, nothing was changed: github-token may not read the secrets public key of repository octo/app (HTTP 403: Resource not accessible by personal access token). It needs the repository permission "Secrets: Read and write" (a GitHub App: secrets: write); the workflow\'s GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.',
    },
  ]);
  expect(mutations(emu)).toEqual([]);
  expect(emu.isKeyLive(inputs(emu)['api-key']!)).toBe(true);
  expect(run.outputs).toMatchObject({ status: 'valid', rotation: 'failed' });
  // Masked (in-process, the runner prints a value's add-mask line once per process: the list of what this run masked).
  expect(run.masked).toContain(github.readOnlyToken);
  expectNoLeak(run, [inputs(emu)['api-key']!, github.readOnlyToken]);
});

test('pre-flight asks Prefect and GitHub at once, and GitHub one request at a time', async () => {
  const emu = emulator();
  emu.fault('gh-public-key', { delayMs: 1_000 });
  emu.fault('bots-read', { delayMs: 1_000 });
  const run = await rotate(emu, restInputs(emu, { 'secret-repositories': 'octo/app, octo/lib', 'dry-run': 'true' }));
  expect(run.exitCode).toBe(0);
  const [bot] = withoutExpiry(emu.requests).filter((request) => request.route === 'bots-read');
  const [first, second, ...more] = withoutExpiry(emu.requests).filter((request) => request.route === 'gh-public-key');
  expect(more).toEqual([]);
  // Each arrived before the other was answered (1 s after it came): sent at once, not one after the other.
  expect(Math.abs(first!.at - bot!.at)).toBeLessThan(1_000);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
});

test('a key that does not check valid is not rotated', async () => {
  const emu = emulator();
  const run = await rotate(emu, restInputs(emu, { 'api-key': emu.seed.unknownKey }));
  expect(run.exitCode).toBe(1);
  expect(annotations(run)[0]?.message).toBe(
    'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it. No key was rotated.',
  );
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health']);
});

test('a public key that Buffer reads but libsodium does not (base64url) fails pre-flight: nothing is rotated, so no write fails after it', async () => {
  const emu = emulator();
  // 32 bytes whose base64url has "-" and "_": Buffer.from(…, 'base64') takes it; the sealing would not.
  const lenient = Buffer.alloc(32, 0xfb).toString('base64url');
  emu.fault('gh-public-key', {
    status: 200,
    body: JSON.stringify({ key_id: '568250167242549743', key: lenient }),
    headers: { 'content-type': 'application/json' },
  });
  const run = await rotate(emu, restInputs(emu));
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message: 'Pre-flight failed, nothing was changed: GitHub answered with a public key that is not one (a key_id and 32 bytes of base64 were expected).',
    },
  ]);
  expect(mutations(emu)).toEqual([]);
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
});
