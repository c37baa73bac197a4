// A credential inside a URL input (api-url, graphql-url, GITHUB_API_URL) is
// refused, and the refusal shows the URL without its user information, query
// and fragment, in full or not at all: never the credential, whole or cut.
// Also src/display-url.ts itself, which every message showing a URL uses.

import { displayUrl, quotedUrl } from '../src/display-url.ts';
import { InputError, parseCheckInputs, type ReadInput } from '../src/inputs.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';

const KEY = 'pnu_0123456789abcdefghijklmnopqrstuvwxyz';
const CLOUD1_KEY = 'cloud1abcdefghijklmnopqrstuvwxyz0123';
const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const BOT = '3d6f0a2e-1b4c-4e8f-9a7d-2c5b8e1f4a60';
/** A credential as it would sit in a URL: long, so that a message cut at 57 characters would still hold a part of it. */
const TOKEN = 'ghs_S3cr3tT0k3nInsideTheUrlQw3rtyUi0pAsDfGh';

const reader =
  (values: Record<string, string>): ReadInput =>
  (name) =>
    values[name] ?? '';

function refusalOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

/** No part of the token of eight characters or more: a message that cut the URL short would show one. */
function expectNoPartOfToken(message: string): void {
  for (let start = 0; start + 8 <= TOKEN.length; start += 1) expect(message).not.toContain(TOKEN.slice(start, start + 8));
}

const checkRefusal = (values: Record<string, string>) => refusalOf(() => parseCheckInputs(reader({ 'api-key': KEY, ...values })));

describe('api-url', () => {
  test.each([
    [
      'a user and password over http',
      `http://ci:${TOKEN}@prefect.corp/api`,
      'Input api-url must not carry credentials (a user name or password): only the key or token is sent. Got "http://prefect.corp/api" with credentials (not shown).',
    ],
    [
      'a token as the user name',
      `https://${TOKEN}@prefect.corp/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`,
      `Input api-url must not carry credentials (a user name or password): only the key or token is sent. Got "https://prefect.corp/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}" with credentials (not shown).`,
    ],
    [
      'a token in the query',
      `https://prefect.corp/api?token=${TOKEN}`,
      'Input api-url must not have a query or fragment: got "https://prefect.corp/api" with one (not shown: it could hold a secret).',
    ],
    [
      'a token in the fragment',
      `https://prefect.corp:8443/api#${TOKEN}`,
      'Input api-url must not have a query or fragment: got "https://prefect.corp:8443/api" with one (not shown: it could hold a secret).',
    ],
    [
      'a user and a query together',
      `https://ci:${TOKEN}@prefect.corp/api?x=${TOKEN}`,
      'Input api-url must not carry credentials (a user name or password): only the key or token is sent. Got "https://prefect.corp/api" with credentials (not shown).',
    ],
    [
      'no scheme, so the parser reads ci: as one and the rest as a path',
      `ci:${TOKEN}@prefect.corp/api`,
      'Input api-url must use https (http is accepted only for localhost), got a value that is not shown (it is not a URL whose parts can be told apart).',
    ],
    [
      'the key itself, given as api-url',
      TOKEN,
      'Input api-url must be an https URL such as https://api.prefect.cloud/api, got a value that is not a URL (not shown: it could hold a secret).',
    ],
    [
      'a user and password, and a space',
      `https://ci:${TOKEN}@prefect.corp/my api`,
      'Input api-url must be an https URL such as https://api.prefect.cloud/api, got a value that is not a URL (not shown: it could hold a secret).',
    ],
  ])('%s: refused, shown without the credential', (_name, url, message) => {
    const refused = checkRefusal({ 'api-url': url });
    expect(refused).toBe(message);
    expectNoPartOfToken(refused);
  });

  test('from PREFECT_API_URL too', () => {
    const refused = refusalOf(() =>
      parseCheckInputs(reader({ 'api-key': KEY }), (name) => (name === 'PREFECT_API_URL' ? `https://u:${TOKEN}@h.io/api` : undefined)),
    );
    expect(refused).toBe(
      'PREFECT_API_URL from the environment must not carry credentials (a user name or password): only the key or token is sent. Got "https://h.io/api" with credentials (not shown).',
    );
  });

  test('a URL longer than 60 characters is shown whole, not cut where a mask would no longer match', () => {
    const url = `http://prefect.corp/${'a'.repeat(80)}`;
    expect(checkRefusal({ 'api-url': url })).toBe(`Input api-url must use https (http is accepted only for localhost), got "${url}".`);
  });
});

test('graphql-url: the same refusals', () => {
  const cloud1 = { 'api-key': CLOUD1_KEY, 'prefect-api': 'graphql' };
  const withUser = checkRefusal({ ...cloud1, 'graphql-url': `https://ci:${TOKEN}@prefect.corp/graphql` });
  expect(withUser).toBe(
    'Input graphql-url must not carry credentials (a user name or password): only the key or token is sent. Got "https://prefect.corp/graphql" with credentials (not shown).',
  );
  const withQuery = checkRefusal({ ...cloud1, 'graphql-url': `https://prefect.corp/graphql?apikey=${TOKEN}` });
  expect(withQuery).toBe(
    'Input graphql-url must not have a query or fragment: got "https://prefect.corp/graphql" with one (not shown: it could hold a secret).',
  );
  for (const message of [withUser, withQuery]) expectNoPartOfToken(message);
});

test('GITHUB_API_URL with x-access-token: refused, shown without the token', () => {
  const checked = parseCheckInputs(reader({ 'api-key': KEY, account: ACCOUNT, workspace: WORKSPACE, rotate: 'true' }));
  const rotation = reader({ 'service-account-id': BOT, 'github-token': 'github_pat_0123456789abcdefghij', 'secret-name': 'PREFECT_API_KEY' });
  const refusal = (url: string) =>
    refusalOf(() => parseRotationInputs(rotation, (name) => ({ GITHUB_REPOSITORY: 'acme/flows', GITHUB_API_URL: url })[name], checked));
  const withToken = refusal(`https://x-access-token:${TOKEN}@ghe.corp/api/v3`);
  expect(withToken).toBe(
    'Input GITHUB_API_URL must not carry credentials (a user name or password): only the key or token is sent. Got "https://ghe.corp/api/v3" with credentials (not shown).',
  );
  const overHttp = refusal(`http://x-access-token:${TOKEN}@ghe.corp/api/v3`);
  expect(overHttp).toBe(withToken.replace('https://', 'http://'));
  const inQuery = refusal(`https://ghe.corp/api/v3?access_token=${TOKEN}`);
  expect(inQuery).toBe('Input GITHUB_API_URL must not have a query or fragment: got "https://ghe.corp/api/v3" with one (not shown: it could hold a secret).');
  for (const message of [withToken, overHttp, inQuery]) expectNoPartOfToken(message);
});

describe('displayUrl', () => {
  test('scheme, host, port and path; no user information, query or fragment', () => {
    expect(displayUrl(`https://ci:${TOKEN}@prefect.corp:8443/api/x?token=${TOKEN}#${TOKEN}`)).toBe('https://prefect.corp:8443/api/x');
    expect(displayUrl(new URL(`http://${TOKEN}@127.0.0.1:4200/`))).toBe('http://127.0.0.1:4200');
    expect(displayUrl('https://api.prefect.io/#x')).toBe('https://api.prefect.io');
    expect(displayUrl('https://api.prefect.io//')).toBe('https://api.prefect.io//');
    expect(displayUrl('https://api.prefect.cloud/api')).toBe('https://api.prefect.cloud/api');
  });

  test('not at all where the parser cannot tell the parts apart, or the text is no URL', () => {
    expect(displayUrl(`ci:${TOKEN}@prefect.corp/api`)).toBeUndefined();
    expect(displayUrl(`mailto:${TOKEN}@example.com`)).toBeUndefined();
    expect(displayUrl(TOKEN)).toBeUndefined();
    expect(displayUrl('')).toBeUndefined();
    expect(quotedUrl(TOKEN)).toBe('a value that is not shown (it is not a URL whose parts can be told apart)');
  });

  test('quoted, control characters and quotes cannot break out', () => {
    expect(quotedUrl('https://h.io/a"b')).toBe('"https://h.io/a%22b"');
  });
});
