import { DEFAULT_API_URL, InputError, parseApiUrl, parseCheckInputs, type ReadInput } from '../src/inputs.ts';

const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function reader(values: Record<string, string>): ReadInput {
  return (name) => values[name] ?? '';
}

function parse(values: Record<string, string>) {
  return parseCheckInputs(reader({ 'api-key': 'pnu_0123456789abcdefghijklmnopqrstuvwxyz', ...values }));
}

function rejection(values: Record<string, string>): string {
  try {
    parse(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

test('defaults', () => {
  const inputs = parse({});
  expect(inputs.apiBase.href).toBe(DEFAULT_API_URL);
  expect(inputs.workspace).toEqual({ kind: 'none' });
  expect(inputs.failOnInvalid).toBe(true);
  expect(inputs.timeoutMs).toBe(30_000);
  expect(inputs.retries).toBe(3);
});

test('ids are normalised to lower case', () => {
  expect(parse({ account: ACCOUNT.toUpperCase(), workspace: WORKSPACE }).workspace).toEqual({
    kind: 'ids',
    accountId: ACCOUNT,
    workspaceId: WORKSPACE,
  });
});

test('a full workspace URL in api-url gives the base and the ids', () => {
  const inputs = parse({ 'api-url': `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}/` });
  expect(inputs.apiBase.href).toBe('https://api.prefect.cloud/api');
  expect(inputs.workspace).toEqual({ kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE });
});

test('a workspace URL in the api-url input with the account and workspace inputs is refused, naming the inputs set', () => {
  const url = `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`;
  expect(rejection({ 'api-url': url, account: ACCOUNT, workspace: WORKSPACE })).toBe(
    `Name the workspace one way: input api-url is a workspace URL (.../accounts/${ACCOUNT}/workspaces/${WORKSPACE}) and input account and workspace also name one. Set api-url to the API base (such as https://api.prefect.cloud/api), or leave account and workspace empty.`,
  );
});

test('a handle names the workspace', () => {
  expect(parse({ workspace: 'Acme/prod-eu' }).workspace).toEqual({ kind: 'handle', accountHandle: 'acme', workspaceHandle: 'prod-eu' });
});

test('http is accepted only for loopback hosts', () => {
  expect(parseApiUrl('http://127.0.0.1:4200/api').base.href).toBe('http://127.0.0.1:4200/api');
  expect(parseApiUrl('http://localhost/api').base.href).toBe('http://localhost/api');
  expect(parseApiUrl('http://[::1]:8080/api').base.href).toBe('http://[::1]:8080/api');
  expect(rejection({ 'api-url': 'http://api.prefect.cloud/api' })).toBe(
    'Input api-url must use https (http is accepted only for localhost), got "http://api.prefect.cloud/api".',
  );
});

test.each([
  [{ 'api-key': 'pnu_a b' }, 'Input api-key must be a single token of printable ASCII characters, without spaces, line breaks or control characters.'],
  [{ 'api-key': 'pnu_\u0007x' }, 'Input api-key must be a single token of printable ASCII characters, without spaces, line breaks or control characters.'],
  [{ 'api-key': 'pnu_ключ' }, 'Input api-key must be a single token of printable ASCII characters, without spaces, line breaks or control characters.'],
  [{ 'api-key': 'pnu_short' }, 'Input api-key is 9 characters long; a credential has at least 16: check that the secret holds the whole value.'],
  [{ 'api-key': 'pnu_0123456789a' }, 'Input api-key is 15 characters long; a credential has at least 16: check that the secret holds the whole value.'],
  [
    { account: 'acme', workspace: WORKSPACE },
    'Input workspace is a workspace id, so input account must be the account id (a UUID), got "acme": give both as ids, or both as handles.',
  ],
  [{ account: ACCOUNT }, 'Input account needs input workspace: give the workspace too (its id, or its handle), or leave account empty.'],
  [{ workspace: WORKSPACE }, 'Input workspace is a workspace id: give input account too, as the account id (a UUID).'],
  [
    { workspace: 'acme' },
    'Input workspace is a workspace handle ("acme"): give input account too (the account handle), or write workspace as <account-handle>/<workspace-handle>.',
  ],
  [
    { workspace: 'acme/prod/x' },
    'Input workspace must be a workspace id (a UUID), a workspace handle, or <account-handle>/<workspace-handle> such as acme/production, got "acme/prod/x".',
  ],
  [
    { account: 'globex', workspace: 'acme/prod' },
    'Input account ("globex") disagrees with the account in input workspace ("acme/prod"): leave account empty, or give the same account in both.',
  ],
  [
    { account: ACCOUNT, workspace: 'prod' },
    `Input workspace is a workspace handle, so input account must be the account handle, got an account id ("${ACCOUNT}"): give both as ids, or both as handles.`,
  ],
  [{ account: 'acme', workspace: 'prod_eu' }, 'Input workspace must be an id (a UUID) or a handle (letters, digits and dashes, such as acme), got "prod_eu".'],
  [{ 'api-url': 'ftp://example.com/api' }, 'Input api-url must use https (http is accepted only for localhost), got "ftp://example.com/api".'],
  [
    { 'api-url': 'https://user:pw@example.com/api' },
    'Input api-url must not carry credentials (a user name or password): only the key or token is sent. Got "https://example.com/api" with credentials (not shown).',
  ],
  [
    { 'api-url': 'https://example.com/api?x=1' },
    'Input api-url must not have a query or fragment: got "https://example.com/api" with one (not shown: it could hold a secret).',
  ],
  [
    { 'api-url': 'https://example.com/api/../x' },
    'Input api-url must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got "https://example.com/api/../x".',
  ],
  [
    { 'api-url': 'https://example.com/api%2F..%2Fx' },
    'Input api-url must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got "https://example.com/api%2F..%2Fx".',
  ],
  [
    { 'api-url': 'not a url' },
    'Input api-url must be an https URL such as https://api.prefect.cloud/api, got a value that is not a URL (not shown: it could hold a secret).',
  ],
  [
    { 'api-url': `https://x.io/api/accounts/acme/workspaces/${WORKSPACE}` },
    'Input api-url (its account id) must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got "acme".',
  ],
  [{ 'fail-on-invalid': 'yes' }, 'Input fail-on-invalid must be true or false, got "yes".'],
  [{ 'timeout-seconds': '-1' }, 'Input timeout-seconds must be a number from 1 to 3600, got "-1".'],
  [{ 'timeout-seconds': '0' }, 'Input timeout-seconds must be a number from 1 to 3600, got "0".'],
  [{ 'timeout-seconds': '1e3' }, 'Input timeout-seconds must be a number from 1 to 3600, got "1e3".'],
  [{ retries: '2.5' }, 'Input retries must be a whole number from 0 to 10, got "2.5".'],
  [{ retries: '11' }, 'Input retries must be a whole number from 0 to 10, got "11".'],
])('rejects %j', (values, message) => {
  expect(rejection(values)).toBe(message);
});

test('a rejected value is shown short and without control characters', () => {
  expect(rejection({ 'fail-on-invalid': `x\n::error::${'y'.repeat(100)}` })).toBe(
    `Input fail-on-invalid must be true or false, got "x?::error::${'y'.repeat(46)}...".`,
  );
});

test('an oversized input is refused by its length alone', () => {
  expect(rejection({ workspace: 'a'.repeat(5000) })).toBe('Input workspace is 5000 characters long; at most 4096 are accepted.');
});
