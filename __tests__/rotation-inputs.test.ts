// The rotation's inputs (src/rotate/inputs.ts) at their edges: each bound at
// its value and one past it, each anchor of a pattern, what each API requires
// and refuses, where the secret goes (the current repository by default), and
// the exact refusal messages.

import { InputError, parseCheckInputs, type ReadInput } from '../src/inputs.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';

const KEY = 'pnb_0123456789abcdefghijklmnopqrstuvwxyz';
const CLOUD1_KEY = 'cloud1abcdefghijklmnopqrstuvwxyz0123';
const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const BOT = '3d6f0a2e-1b4c-4e8f-9a7d-2c5b8e1f4a60';
const TOKEN = 'github_pat_0123456789abcdefghij';

const reader =
  (values: Record<string, string>): ReadInput =>
  (name) =>
    values[name] ?? '';

const REST = { 'api-key': KEY, account: ACCOUNT, workspace: WORKSPACE };
const ROTATION = { 'service-account-id': BOT, 'github-token': TOKEN, 'secret-name': 'PREFECT_API_KEY' };
const HERE = { GITHUB_REPOSITORY: 'acme/flows' };

function parse(values: Record<string, string> = {}, env: Record<string, string> = HERE, check: Record<string, string> = REST) {
  const all = { ...ROTATION, ...values };
  const checked = parseCheckInputs(reader({ ...check, rotate: 'true' }), () => undefined);
  return parseRotationInputs(reader(all), (name) => env[name], checked);
}

function refusal(values: Record<string, string>, env: Record<string, string> = HERE, check: Record<string, string> = REST): string {
  try {
    parse(values, env, check);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

const GRAPHQL = { 'api-key': CLOUD1_KEY, 'prefect-api': 'graphql' };

test('the defaults: the current repository, github-actions, an hour of grace, github.com, no dry run', () => {
  expect(parse()).toEqual({
    serviceAccountId: BOT,
    keyName: 'github-actions',
    newKeyExpiresInDays: undefined,
    oldKeyId: undefined,
    graceSeconds: 3600,
    githubToken: TOKEN,
    githubApi: 'https://api.github.com',
    secretName: 'PREFECT_API_KEY',
    destinations: [{ kind: 'repo', repo: 'acme/flows' }],
    dryRun: false,
    rotateIfExpiresWithinDays: undefined,
  });
});

test('every input given', () => {
  const inputs = parse(
    {
      'service-account-id': BOT.toUpperCase(),
      'key-name': 'ci.key_2-a',
      'new-key-expires-in-days': '30',
      'old-key-grace-seconds': '0',
      'secret-repositories': 'acme/a, acme/b\nacme/a,,\n',
      'secret-environment': 'production',
      'dry-run': 'true',
      'rotate-if-expires-within-days': '7',
    },
    { GITHUB_API_URL: 'https://ghe.corp/api/v3//' },
  );
  expect(inputs).toEqual({
    serviceAccountId: BOT,
    keyName: 'ci.key_2-a',
    newKeyExpiresInDays: 30,
    oldKeyId: undefined,
    graceSeconds: 0,
    githubToken: TOKEN,
    githubApi: 'https://ghe.corp/api/v3',
    secretName: 'PREFECT_API_KEY',
    destinations: [
      { kind: 'environment', repo: 'acme/a', environment: 'production' },
      { kind: 'environment', repo: 'acme/b', environment: 'production' },
    ],
    dryRun: true,
    rotateIfExpiresWithinDays: 7,
  });
  expect(parse({ 'secret-organization': 'acme' }).destinations).toEqual([{ kind: 'org', org: 'acme' }]);
});

test('graphql: no service account or workspace needed; old-key-id read', () => {
  const inputs = parse({ 'service-account-id': '', 'old-key-id': BOT.toUpperCase() }, HERE, GRAPHQL);
  expect(inputs.serviceAccountId).toBeUndefined();
  expect(inputs.oldKeyId).toBe(BOT);
  expect(refusal({ 'old-key-id': 'k1' }, HERE, GRAPHQL)).toMatch(/^Input old-key-id must be a UUID/);
});

test('the REST API needs a service account and the account, and retires the old key itself', () => {
  expect(refusal({ 'service-account-id': '' })).toBe(
    'Input service-account-id is required to rotate through the REST API: the id of the service account whose key is rotated.',
  );
  expect(refusal({}, HERE, { 'api-key': KEY })).toBe(
    'Rotating through the REST API needs the account: name the workspace with api-url (a workspace URL), or workspace (and account).',
  );
  expect(refusal({ 'old-key-id': BOT })).toBe(
    'Input old-key-id applies to prefect-api graphql only: the REST API retires the old key itself, after old-key-grace-seconds.',
  );
  expect(refusal({ 'service-account-id': 'bot' })).toMatch(/^Input service-account-id must be a UUID/);
});

test('github-token: required, one printable token, at least 16 characters, at most 4096', () => {
  expect(refusal({ 'github-token': '' })).toBe(
    'Input github-token is required with rotate: true: a fine-grained personal access token or GitHub App token that may write the secret.',
  );
  expect(refusal({ 'github-token': 'ghp_ has spaces in it' })).toBe(
    'Input github-token must be a single token of printable ASCII characters, without spaces, line breaks or control characters.',
  );
  expect(refusal({ 'github-token': 'x'.repeat(15) })).toMatch(/^Input github-token is 15 characters long; a credential has at least 16/);
  expect(parse({ 'github-token': 'x'.repeat(16) }).githubToken).toBe('x'.repeat(16));
  expect(parse({ 'github-token': 'x'.repeat(4096) }).githubToken).toHaveLength(4096);
  expect(refusal({ 'github-token': 'x'.repeat(4097) })).toBe('Input github-token is 4097 characters long; at most 4096 are accepted.');
});

test('key-name: 1 to 64 characters, a letter or digit first', () => {
  expect(parse({ 'key-name': '9' }).keyName).toBe('9');
  expect(parse({ 'key-name': `a${'b'.repeat(63)}` }).keyName).toHaveLength(64);
  for (const name of [`a${'b'.repeat(64)}`, '-ci', '.ci', 'c i', 'ci/x', 'x\n', ' ci']) {
    expect(refusal({ 'key-name': name })).toMatch(/^Input key-name must be 1 to 64 letters, digits, \. _ or -, starting with a letter or digit, got /);
  }
});

test('the day counts: whole numbers from 1 to 3650', () => {
  for (const name of ['new-key-expires-in-days', 'rotate-if-expires-within-days'] as const) {
    const field = name === 'new-key-expires-in-days' ? 'newKeyExpiresInDays' : 'rotateIfExpiresWithinDays';
    expect(parse({ [name]: '1' })[field]).toBe(1);
    expect(parse({ [name]: '3650' })[field]).toBe(3650);
    for (const value of ['0', '3651', '1.5', '-1', 'soon']) {
      expect(refusal({ [name]: value })).toBe(`Input ${name} must be a whole number from 1 to 3650, got "${value}".`);
    }
  }
});

test('old-key-grace-seconds: 0 to 172800 (two days)', () => {
  expect(parse({ 'old-key-grace-seconds': '172800' }).graceSeconds).toBe(172_800);
  expect(refusal({ 'old-key-grace-seconds': '172801' })).toBe('Input old-key-grace-seconds must be a whole number from 0 to 172800, got "172801".');
});

test('secret-name: letters, digits, underscores, up to 255, not a digit or GITHUB_ first', () => {
  expect(refusal({ 'secret-name': '' })).toBe('Input secret-name is required with rotate: true: name the GitHub secret that receives the new key.');
  expect(parse({ 'secret-name': `_${'A'.repeat(254)}` }).secretName).toHaveLength(255);
  expect(parse({ 'secret-name': 'MY_GITHUB_KEY' }).secretName).toBe('MY_GITHUB_KEY');
  for (const name of [`_${'A'.repeat(255)}`, '1KEY', 'KEY-1', 'github_key', 'GITHUB_KEY', ' KEY', 'KEY\n']) {
    expect(refusal({ 'secret-name': name })).toMatch(/^Input secret-name must be letters, digits and underscores, not start with a digit or GITHUB_, got /);
  }
});

test('secret-repositories: owner/repo names, at most 100, duplicates once; the current repository by default', () => {
  const hundred = Array.from({ length: 100 }, (_, n) => `acme/r${n}`);
  expect(parse({ 'secret-repositories': hundred.join(',') }).destinations).toHaveLength(100);
  expect(refusal({ 'secret-repositories': [...hundred, 'acme/r100'].join(',') })).toBe(
    'Input secret-repositories lists 101 repositories; at most 100 are accepted.',
  );
  expect(parse({ 'secret-repositories': `${'o'.repeat(39)}/${'r'.repeat(100)}` }).destinations).toHaveLength(1);
  expect(parse({ 'secret-repositories': 'a/.github' }).destinations).toEqual([{ kind: 'repo', repo: 'a/.github' }]);
  for (const repository of [`${'o'.repeat(40)}/r`, `o/${'r'.repeat(101)}`, '-o/r', 'o/r/x', 'o', 'o/.', 'o/..', 'o/r x', ' o/r/']) {
    expect(refusal({ 'secret-repositories': `acme/ok,${repository}` })).toMatch(
      /^Input secret-repositories must list owner\/repo names, separated by commas or lines, got /,
    );
  }
  expect(refusal({}, {})).toBe('Input secret-repositories is required here: GITHUB_REPOSITORY is not set, so there is no current repository.');
  expect(refusal({}, { GITHUB_REPOSITORY: '' })).toBe(
    'Input secret-repositories is required here: GITHUB_REPOSITORY is not set, so there is no current repository.',
  );
  expect(refusal({ 'secret-repositories': ' , \n' }, {})).toMatch(/^Input secret-repositories is required here/);
  expect(parse({ 'secret-repositories': 'acme/other' }, HERE).destinations).toEqual([{ kind: 'repo', repo: 'acme/other' }]);
});

test('secret-environment: 1 to 255 characters without control characters, not . or ..', () => {
  expect(parse({ 'secret-environment': 'a/b c.' }).destinations).toEqual([{ kind: 'environment', repo: 'acme/flows', environment: 'a/b c.' }]);
  expect(parse({ 'secret-environment': 'e'.repeat(255) }).destinations).toHaveLength(1);
  expect(parse({ 'secret-environment': '...' }).destinations).toHaveLength(1);
  for (const environment of ['e'.repeat(256), '.', '..', 'a\tb', 'a\u007fb']) {
    expect(refusal({ 'secret-environment': environment })).toMatch(
      /^Input secret-environment must be an environment name \(1 to 255 characters without control characters, not \. or \.\.\), got /,
    );
  }
});

test('secret-organization: an organization name, alone', () => {
  expect(parse({ 'secret-organization': `a${'b'.repeat(38)}` }).destinations).toHaveLength(1);
  const conflict = 'Input secret-organization writes an organization secret: leave secret-repositories and secret-environment empty with it.';
  expect(refusal({ 'secret-organization': 'acme', 'secret-repositories': 'acme/a' })).toBe(conflict);
  expect(refusal({ 'secret-organization': 'acme', 'secret-environment': 'prod' })).toBe(conflict);
  for (const organization of [`a${'b'.repeat(39)}`, '-acme', 'acme/x', 'ac me']) {
    expect(refusal({ 'secret-organization': organization })).toMatch(/^Input secret-organization must be a GitHub organization name, got /);
  }
});

test('GITHUB_API_URL: a service URL, its trailing slashes removed', () => {
  expect(parse({}, { ...HERE, GITHUB_API_URL: '' }).githubApi).toBe('https://api.github.com');
  expect(parse({}, { ...HERE, GITHUB_API_URL: 'https://api.github.com/' }).githubApi).toBe('https://api.github.com');
  expect(parse({}, { ...HERE, GITHUB_API_URL: 'http://127.0.0.1:3000' }).githubApi).toBe('http://127.0.0.1:3000');
  expect(refusal({}, { ...HERE, GITHUB_API_URL: 'http://ghe.corp/api/v3' })).toMatch(/^Input GITHUB_API_URL must use https/);
});

test('dry-run: true or false', () => {
  expect(parse({ 'dry-run': 'FALSE' }).dryRun).toBe(false);
  expect(refusal({ 'dry-run': 'yes' })).toBe('Input dry-run must be true or false, got "yes".');
});
