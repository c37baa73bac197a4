// The edges of src/inputs.ts that the scenario tests pass by: each bound at
// its value and one past it, each anchor of a pattern, the environment
// fallback, the exact refusal messages, and the shortest valid handle.

import { InputError, isLoopback, parseApiUrl, parseCheckInputs, type ReadEnv, type ReadInput } from '../src/inputs.ts';

const KEY = 'pnu_0123456789abcdefghijklmnopqrstuvwxyz';
const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const reader =
  (values: Record<string, string>): ReadInput =>
  (name) =>
    values[name] ?? '';

function parse(values: Record<string, string>, env: Record<string, string> = {}) {
  const readEnv: ReadEnv = (name) => env[name];
  return parseCheckInputs(reader({ 'api-key': KEY, ...values }), readEnv);
}

function refusal(values: Record<string, string>, env: Record<string, string> = {}): string {
  try {
    parse(values, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).name).toBe('InputError');
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

test('a one-letter account and workspace handle is a handle', () => {
  expect(parse({ workspace: 'A/b' }).workspace).toEqual({ kind: 'handle', accountHandle: 'a', workspaceHandle: 'b' });
});

test('a workspace path must end the URL to name a workspace', () => {
  const url = `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}/flows`;
  expect(parseApiUrl(url)).toEqual({ base: new URL(url) });
  const prefixed = `https://api.prefect.cloud/x/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`;
  expect(parseApiUrl(prefixed).base.href).toBe('https://api.prefect.cloud/x');
});

test('a workspace URL at the root of a host leaves the root as the base', () => {
  expect(parseApiUrl(`http://localhost:4200/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`).base.href).toBe('http://localhost:4200/');
});

test('trailing slashes are removed, however many', () => {
  expect(parseApiUrl('https://api.prefect.cloud/api//').base.href).toBe('https://api.prefect.cloud/api');
  expect(parseApiUrl(`https://api.prefect.cloud/api//accounts/${ACCOUNT}/workspaces/${WORKSPACE}//`).base.href).toBe('https://api.prefect.cloud/api');
  expect(parseApiUrl(`https://api.prefect.cloud/api///accounts/${ACCOUNT}/workspaces/${WORKSPACE}`).base.href).toBe('https://api.prefect.cloud/api');
});

test('only https, or http to loopback: another scheme is refused even for localhost', () => {
  for (const url of ['ftp://localhost/api', 'ws://127.0.0.1:4200/api']) {
    expect(refusal({ 'api-url': url })).toBe(`Input api-url must use https (http is accepted only for localhost), got "${url}".`);
  }
  // Shown as the parser reads it: a file URL's host localhost is no host.
  expect(refusal({ 'api-url': 'file://localhost/api' })).toBe('Input api-url must use https (http is accepted only for localhost), got "file:///api".');
});

test('a path with dots and digits that is not a dot segment is plain', () => {
  expect(parseApiUrl('https://api.prefect.cloud/v1.0/api').base.href).toBe('https://api.prefect.cloud/v1.0/api');
});

test.each([
  ['127.0.0.10', true],
  ['127.100.200.255', true],
  ['x127.0.0.1', false],
  ['127.0.0.1.example.com', false],
  ['127.0.0.1000', false],
])('loopback %s: %s', (host, expected) => {
  expect(isLoopback(host)).toBe(expected);
});

test('a decimal timeout keeps every decimal place', () => {
  expect(parse({ 'timeout-seconds': '1.25' }).timeoutMs).toBe(1250);
});

test('an input beats the environment; the environment is trimmed and bounded', () => {
  const url = 'https://api.prefect.cloud/other';
  expect(parse({}, { PREFECT_API_KEY: 'pnu_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }).apiKey).toBe(KEY);
  expect(parse({ 'api-key': '' }, { PREFECT_API_KEY: ` ${KEY}\n` }).apiKey).toBe(KEY);
  expect(parse({ 'api-url': url }, { PREFECT_API_URL: 'https://elsewhere.example/api' }).apiBase.href).toBe(url);
  expect(parse({}, { PREFECT_API_URL: ` ${url} ` }).apiBase.href).toBe(url);
  expect(refusal({}, { PREFECT_API_URL: `https://x.example/${'a'.repeat(4097 - 18)}` })).toBe(
    'PREFECT_API_URL is 4097 characters long; at most 4096 are accepted.',
  );
  expect(parse({}, { PREFECT_API_URL: `https://x.example/${'a'.repeat(4096 - 18)}` }).apiBase.pathname).toHaveLength(4096 - 17);
});

test('required-scopes names a whole scope and needs a workspace', () => {
  expect(refusal({ 'required-scopes': 'see_flows!', workspace: 'acme/prod' })).toBe(
    'Input required-scopes lists "see_flows!", which is not a Prefect Cloud workspace scope; the closest are see_flows, run_flows, see_blocks.',
  );
  expect(refusal({ 'required-scopes': 'see_flows' })).toBe(
    'Input required-scopes needs a workspace: name it with workspace (and account), or a workspace URL in api-url.',
  );
  expect(parse({ 'required-scopes': 'see_flows', workspace: 'acme/prod' }).requiredScopes).toEqual(['see_flows']);
  expect(parse({}).requiredScopes).toEqual([]);
});

test('a scope name Prefect Cloud does not know is bad input naming the closest ones', () => {
  expect(refusal({ 'required-scopes': 'run_deployment', workspace: 'acme/prod' })).toBe(
    'Input required-scopes lists "run_deployment", which is not a Prefect Cloud workspace scope; the closest are run_deployments, see_deployments, write_deployments.',
  );
  expect(refusal({ 'required-scopes': 'see_flows, deploy_everything', workspace: 'acme/prod' })).toMatch(/^Input required-scopes lists "deploy_everything", /);
  expect(parse({ 'required-scopes': 'manage_webhooks,see_work_pools', workspace: 'acme/prod' }).requiredScopes).toEqual(['manage_webhooks', 'see_work_pools']);
});

test('naming the workspace in the api-url input and in workspace says which inputs', () => {
  expect(refusal({ workspace: 'acme/prod', 'api-url': `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}` })).toBe(
    `Name the workspace one way: input api-url is a workspace URL (.../accounts/${ACCOUNT}/workspaces/${WORKSPACE}) and input workspace also names one. Set api-url to the API base (such as https://api.prefect.cloud/api), or leave workspace empty.`,
  );
});

test('a job-level PREFECT_API_URL naming a workspace yields to the workspace input, serving as the API base, said in a notice', () => {
  const env = { PREFECT_API_URL: `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}` };
  const inputs = parse({ workspace: 'acme/prod' }, env);
  expect(inputs.workspace).toEqual({ kind: 'handle', accountHandle: 'acme', workspaceHandle: 'prod' });
  expect(inputs.apiBase.href).toBe('https://api.prefect.cloud/api');
  expect(inputs.apiUrlFrom).toBe('PREFECT_API_URL');
  expect(inputs.workspaceNotice).toBe(
    `The workspace named by input workspace was checked, not the one in PREFECT_API_URL from the environment (.../accounts/${ACCOUNT}/workspaces/${WORKSPACE}); PREFECT_API_URL served only as the API base, https://api.prefect.cloud/api.`,
  );
});

test('account and workspace name a workspace by ids or by handles', () => {
  expect(parse({ account: ACCOUNT.toUpperCase(), workspace: WORKSPACE }).workspace).toEqual({ kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE });
  expect(parse({ account: 'Acme', workspace: 'prod-eu' }).workspace).toEqual({ kind: 'handle', accountHandle: 'acme', workspaceHandle: 'prod-eu' });
  expect(parse({ account: 'acme', workspace: 'acme/prod-eu' }).workspace).toEqual({ kind: 'handle', accountHandle: 'acme', workspaceHandle: 'prod-eu' });
});

test('a value read from PREFECT_API_URL is named as coming from the environment', () => {
  expect(refusal({}, { PREFECT_API_URL: 'http://example.com/api' })).toBe(
    'PREFECT_API_URL from the environment must use https (http is accepted only for localhost), got "http://example.com/api".',
  );
});

test('a key with the prefix inside it is not a Prefect Cloud key under auto', () => {
  expect(refusal({ 'api-key': 'xpnu_0123456789abcdefghijklmnopqrstuvwxy' })).toBe(
    'Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key). For a Prefect Cloud 1 key, set prefect-api: graphql.',
  );
});

test('each input is read by its own name', () => {
  const asked: string[] = [];
  parseCheckInputs((name) => {
    asked.push(name);
    return name === 'api-key' ? KEY : '';
  });
  expect(asked).toEqual(
    expect.arrayContaining(['api-key', 'api-url', 'export-env', 'warn-if-expires-within-days', 'timeout-seconds', 'retries', 'fail-on-invalid', 'rotate']),
  );
});

test.each([
  ['export-env', 'maybe', 'Input export-env must be true or false, got "maybe".'],
  ['warn-if-expires-within-days', '3651', 'Input warn-if-expires-within-days must be a whole number from 0 to 3650, got "3651".'],
  ['warn-if-expires-within-days', '1.5', 'Input warn-if-expires-within-days must be a whole number from 0 to 3650, got "1.5".'],
])('%s %j is refused', (name, value, message) => {
  expect(refusal({ [name]: value })).toBe(message);
});

test('export-env and warn-if-expires-within-days are read', () => {
  expect(parse({ 'export-env': 'false', 'warn-if-expires-within-days': '3650' })).toMatchObject({ exportEnv: false, warnIfExpiresWithinDays: 3650 });
  expect(parse({})).toMatchObject({ exportEnv: true, warnIfExpiresWithinDays: 14 });
});

test('a bad path is quoted whole up to 150 characters, and above that only counted', () => {
  const at = (length: number) => `https://example.com/x!${'a'.repeat(length - 'https://example.com/x!'.length)}`;
  expect(refusal({ 'api-url': at(150) })).toBe(`Input api-url must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got "${at(150)}".`);
  expect(refusal({ 'api-url': at(151) })).toBe(
    'Input api-url must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got a URL of 151 characters (not shown: too long).',
  );
});

test("a web app page with a bad id names the id, and where the page's address came from", () => {
  expect(refusal({ 'api-url': `https://app.prefect.cloud/account/acme/workspace/${WORKSPACE}/dashboard` })).toBe(
    'Input api-url (its account id) must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got "acme".',
  );
  expect(refusal({}, { PREFECT_API_URL: `https://app.prefect.cloud/account/${ACCOUNT}/workspace/prod` })).toBe(
    'PREFECT_API_URL from the environment (its workspace id) must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got "prod".',
  );
});

test('account and workspace are trimmed', () => {
  expect(parse({ account: ` ${ACCOUNT} `, workspace: `\t${WORKSPACE}\n` }).workspace).toEqual({ kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE });
  expect(parse({ account: ' acme\n', workspace: ' prod ' }).workspace).toEqual({ kind: 'handle', accountHandle: 'acme', workspaceHandle: 'prod' });
});

test('an account that is neither an id nor a handle, beside a workspace handle, is refused by its name', () => {
  expect(refusal({ account: 'acme_corp', workspace: 'prod' })).toBe(
    'Input account must be an id (a UUID) or a handle (letters, digits and dashes, such as acme), got "acme_corp".',
  );
});

test('dry-run false, in each spelling parseBoolean takes, is not a rotation input given', () => {
  for (const value of ['', 'false', 'False', 'FALSE']) expect(parse({ 'dry-run': value }).ignoredRotationInputs).toEqual([]);
  for (const value of ['true', 'True']) expect(parse({ 'dry-run': value }).ignoredRotationInputs).toEqual(['dry-run']);
});
