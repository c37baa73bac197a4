// Bad rotation input fails the step before any request (in-process: the
// inputs as the runner passes them, the error as the entry point reports it).

import { useEmulator } from '../support/emulator.ts';
import { rotateInProcess as rotate } from '../support/in-process-step.ts';
import { restInputs, graphqlInputs } from '../support/rotation.ts';

const emulator = useEmulator();

test.each([
  [{ 'secret-name': '' }, 'Input secret-name is required with rotate: true: name the GitHub secret that receives the new key.'],
  [{ 'secret-name': 'GITHUB_KEY' }, 'Input secret-name must be letters, digits and underscores, not start with a digit or GITHUB_, got "GITHUB_KEY".'],
  [{ 'secret-name': '1KEY' }, 'Input secret-name must be letters, digits and underscores, not start with a digit or GITHUB_, got "1KEY".'],
  [
    { 'github-token': '' },
    'Input github-token is required with rotate: true: a fine-grained personal access token or GitHub App token that may write the secret.',
  ],
  [{ 'service-account-id': '' }, 'Input service-account-id is required to rotate through the REST API: the id of the service account whose key is rotated.'],
  [{ 'service-account-id': 'deployer' }, 'Input service-account-id must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got "deployer".'],
  [{ 'old-key-grace-seconds': '172801' }, 'Input old-key-grace-seconds must be a whole number from 0 to 172800, got "172801".'],
  [{ 'new-key-expires-in-days': '0' }, 'Input new-key-expires-in-days must be a whole number from 1 to 3650, got "0".'],
  [{ 'secret-repositories': 'octo/app, ../etc' }, 'Input secret-repositories must list owner/repo names, separated by commas or lines, got "../etc".'],
  [
    { 'secret-organization': 'octo', 'secret-environment': 'production' },
    'Input secret-organization writes an organization secret: leave secret-repositories and secret-environment empty with it.',
  ],
  [
    { 'secret-environment': '..' },
    'Input secret-environment must be an environment name (1 to 255 characters without control characters, not . or ..), got "..".',
  ],
  [
    { 'secret-environment': 'prod\u0007eu' },
    'Input secret-environment must be an environment name (1 to 255 characters without control characters, not . or ..), got "prod?eu".',
  ],
  [
    { 'github-token': 'ghp_\u00e9' },
    'Input github-token must be a single token of printable ASCII characters, without spaces, line breaks or control characters.',
  ],
  [{ 'github-token': 'x'.repeat(4097) }, 'Input github-token is 4097 characters long; at most 4096 are accepted.'],
  [
    { 'old-key-id': '29b11cc2-0933-4c4f-843e-ae286bc94b98' },
    'Input old-key-id applies to prefect-api graphql only: the REST API retires the old key itself, after old-key-grace-seconds.',
  ],
  [{ 'prefect-api': 'soap' }, 'Input prefect-api must be auto, rest or graphql, got "soap".'],
  [{ 'dry-run': 'y' }, 'Input dry-run must be true or false, got "y".'],
  [{ 'key-name': '-x' }, 'Input key-name must be 1 to 64 letters, digits, . _ or -, starting with a letter or digit, got "-x".'],
])('%j fails before any request', async (bad, message) => {
  const emu = emulator();
  const run = await rotate(emu, restInputs(emu, bad));
  expect(run.exitCode).toBe(1);
  expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([`::error title=Invalid input::${message}`]);
  expect(emu.requests).toEqual([]);
});

test('REST rotation needs a named workspace', async () => {
  const emu = emulator();
  const run = await rotate(emu, restInputs(emu, { 'api-url': emu.apiUrl }));
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toContain(
    '::error title=Invalid input::Rotating through the REST API needs the account: name the workspace with api-url (a workspace URL), or workspace (and account).',
  );
  expect(emu.requests).toEqual([]);
});

test('graphql-url must be https or loopback', async () => {
  const emu = emulator();
  const run = await rotate(emu, graphqlInputs(emu, { 'graphql-url': 'http://api.prefect.io' }));
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toContain(
    '::error title=Invalid input::Input graphql-url must use https (http is accepted only for localhost), got "http://api.prefect.io".',
  );
  expect(emu.requests).toEqual([]);
});
