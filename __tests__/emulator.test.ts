// The emulator itself, driven through real HTTP.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import sodium from 'libsodium-wrappers';
import type { Emulator } from './emulator/index.ts';
import { assertNoUnexpectedGithubViolations, githubViolations, seed, startEmulator, validatedGithubRequests } from './emulator/index.ts';

let emu: Emulator;

beforeAll(async () => {
  await sodium.ready;
  emu = await startEmulator();
});
afterEach(() => {
  emu.reset();
  lastPutAt = 0;
});
afterAll(async () => {
  await emu.close();
  // Every GitHub request of this file conforms to GitHub's description, but those sent malformed on purpose.
  assertNoUnexpectedGithubViolations();
});

const { account, otherAccount, workspaces, user, bot, viewerBot, cloud1, github } = seed;

function healthPath(workspaceId: string, accountId = account.id): string {
  return `/accounts/${accountId}/workspaces/${workspaceId}/health`;
}

function botsPath(tail: string, accountId = account.id): string {
  return `/accounts/${accountId}/bots/${tail}`;
}

/** GET, or POST when there is a body, to the Prefect REST API. */
function prefect(path: string, key: string | undefined, body?: unknown): Promise<Response> {
  return fetch(`${emu.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function graphql(query: string, variables?: Record<string, unknown>, key: string | null = cloud1.key): Promise<Response> {
  return fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query, variables }),
  });
}

/** A request to the GitHub emulator as Octokit sends one: a User-Agent, `token` credentials, JSON. Redirects are not followed. */
function ghFetch(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const { method = 'GET', token = github.writeToken, body, headers } = init;
  return fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      'user-agent': 'emulator-test',
      authorization: `token ${token}`,
      accept: 'application/vnd.github+json',
      ...(body !== undefined && { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let lastPutAt = 0;

/** `ghFetch` on `githubUrl`; PUTs wait until a second after the previous one, as GitHub asks of integrations. */
async function gh(method: string, path: string, token = github.writeToken, body?: unknown): Promise<Response> {
  if (method !== 'PUT') return ghFetch(`${emu.githubUrl}${path}`, { method, token, body });
  await sleep(Math.max(0, lastPutAt + 1000 - Date.now()));
  const response = await ghFetch(`${emu.githubUrl}${path}`, { method, token, body });
  lastPutAt = Date.now(); // after the answer: no earlier than the request's arrival
  return response;
}

async function jsonOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A PUT body for `value`, sealed with the public key `secretsPath` serves. */
async function sealFor(secretsPath: string, value: string): Promise<{ key_id: string; encrypted_value: string }> {
  const { key_id, key } = await jsonOf<{ key_id: string; key: string }>(await gh('GET', `${secretsPath}/public-key`));
  const box = sodium.crypto_box_seal(value, sodium.from_base64(key, sodium.base64_variants.ORIGINAL));
  return { key_id, encrypted_value: sodium.to_base64(box, sodium.base64_variants.ORIGINAL) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Prefect REST: checking a key', () => {
  it('answers true for members of the workspace', async () => {
    for (const [key, workspace] of [
      [user.key, workspaces.prod],
      [user.key, workspaces.staging],
      [bot.key, workspaces.prod],
    ] as const) {
      const response = await prefect(healthPath(workspace.id), key);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe('true');
    }
  });

  it.each([
    ['no key', undefined],
    ['an unknown key', seed.unknownKey],
    ['an expired key', seed.expiredKey],
    ['a Cloud 1 key', cloud1.key],
  ])('answers 401 for %s', async (_name, key) => {
    const response = await prefect(healthPath(workspaces.prod.id), key);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: 'Invalid authentication credentials' });
  });

  it.each([
    ['a workspace the bot is not in', bot.key, healthPath(workspaces.staging.id)],
    ["another account's workspace", user.key, healthPath(workspaces.sandbox.id, otherAccount.id)],
    ['a workspace under the wrong account', user.key, healthPath(workspaces.prod.id, otherAccount.id)],
    ['an unknown workspace', user.key, healthPath('00000000-0000-4000-8000-000000000000')],
  ])('answers 404 for %s', async (_name, key, path) => {
    const response = await prefect(path, key);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Workspace not found' });
  });

  it('answers 403 when the workspace role cannot read', async () => {
    const response = await prefect(healthPath(workspaces.prod.id), viewerBot.key);
    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toHaveProperty('detail');
  });

  it('serves /me/ to users only', async () => {
    const mine = await prefect('/me/', user.key);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ id: user.id, handle: user.handle, email: expect.any(String) });

    const bots = await prefect('/me/', bot.key);
    expect(bots.status).toBe(403);
    expect(await bots.json()).toEqual({ detail: 'Only users (not service accounts) can access this endpoint.' });
  });

  it("lists the key's workspaces for users and bots", async () => {
    const users = await jsonOf<Array<Record<string, string>>>(await prefect('/me/workspaces', user.key));
    expect(users.map((row) => `${row.account_handle}/${row.workspace_handle}`)).toEqual(['acme/prod', 'acme/staging']);
    expect(users[0]).toEqual({
      account_id: account.id,
      account_name: expect.any(String),
      account_handle: 'acme',
      workspace_id: workspaces.prod.id,
      workspace_name: expect.any(String),
      workspace_description: expect.any(String),
      workspace_handle: 'prod',
    });
    const bots = await jsonOf<Array<Record<string, string>>>(await prefect('/me/workspaces', bot.key));
    expect(bots.map((row) => row.workspace_id)).toEqual([workspaces.prod.id]);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await prefect('/flows/', user.key)).status).toBe(404);
  });
});

describe('Prefect REST: service accounts', () => {
  it('reads a bot with its key masked', async () => {
    const response = await prefect(botsPath(bot.id), user.key);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(bot.key);
    expect(JSON.parse(text)).toMatchObject({
      id: bot.id,
      name: bot.name,
      account_id: account.id,
      api_key: { id: bot.keyId, name: expect.any(String), created: expect.any(String), expiration: null, masked_key: expect.any(String) },
    });
    expect((await prefect(botsPath('00000000-0000-4000-8000-000000000000'), user.key)).status).toBe(404);
    expect((await prefect(botsPath(bot.id, otherAccount.id), user.key)).status).toBe(404);
  });

  it('filters bots by name', async () => {
    const all = await jsonOf<Array<{ name: string }>>(await prefect(botsPath('filter'), user.key, { limit: 200, offset: 0 }));
    expect(all.map(({ name }) => name).sort()).toEqual([viewerBot.name, bot.name].sort());
    const named = await prefect(botsPath('filter'), bot.key, { service_accounts: { name: { any_: [bot.name] } } });
    expect((await jsonOf<Array<{ id: string }>>(named)).map(({ id }) => id)).toEqual([bot.id]);
  });

  it('rotates a key, retiring the old one at once without a grace period', async () => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), bot.key, {
      api_key_expiration: null,
      old_key_expires_in_seconds: null,
    });
    expect(response.status).toBe(201);
    const rotated = await jsonOf<{ id: string; account_id: string; api_key: { id: string; key: string; expiration: null } }>(response);
    expect(rotated).toMatchObject({ id: bot.id, account_id: account.id, api_key: { expiration: null } });
    expect(rotated.api_key.key).toMatch(/^pnb_[A-Za-z0-9]{36}$/);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect(emu.liveKeys(bot.id).map(({ value }) => value)).toEqual([rotated.api_key.key]);
    expect((await prefect(healthPath(workspaces.prod.id), rotated.api_key.key)).status).toBe(200);

    const keys = await prefect(botsPath(`${bot.id}/read_bot_api_keys`), rotated.api_key.key);
    expect(await keys.json()).toEqual({ active_key: expect.objectContaining({ id: rotated.api_key.id }), rotating_keys: [] });
  });

  it('keeps the old key live for the grace period on the emulator clock', async () => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { old_key_expires_in_seconds: 3600 });
    expect(response.status).toBe(201);
    const keys = await jsonOf<{ rotating_keys: Array<{ id: string; masked_key: string }> }>(await prefect(botsPath(`${bot.id}/read_bot_api_keys`), user.key));
    expect(keys.rotating_keys.map(({ id }) => id)).toEqual([bot.keyId]);
    expect(JSON.stringify(keys)).not.toContain(bot.key);

    emu.advance(3_599_000);
    expect(emu.isKeyLive(bot.key)).toBe(true);
    emu.advance(1_000);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect((await prefect(healthPath(workspaces.prod.id), bot.key)).status).toBe(401);
  });

  it.each([172_801, -1, 1.5, 'soon'])('rejects a grace period of %p with 422', async (grace) => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { old_key_expires_in_seconds: grace });
    expect(response.status).toBe(422);
    expect(emu.isKeyLive(bot.key)).toBe(true);
  });

  it('refuses rotation to non-admins (403) and for unknown bots (404)', async () => {
    expect((await prefect(botsPath(`${bot.id}/rotate_api_key`), viewerBot.key, {})).status).toBe(403);
    const unknown = botsPath('00000000-0000-4000-8000-000000000000/rotate_api_key');
    expect((await prefect(unknown, user.key, {})).status).toBe(404);
    expect(emu.liveKeys(bot.id)).toHaveLength(1);
  });

  it('answers 411 to a POST without Content-Length', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const post = request(`${emu.apiUrl}${botsPath(`${bot.id}/rotate_api_key`)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
      });
      post.on('response', (response) => resolve(response.resume().statusCode)).on('error', reject);
      post.write('{}'); // written before end(): sent chunked, without Content-Length
      post.end();
    });
    expect(status).toBe(411);
    expect(emu.isKeyLive(bot.key)).toBe(true);
  });
});

describe('Prefect Cloud 1 GraphQL', () => {
  const CREATE = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
  const DELETE = 'mutation ($input: delete_api_key_input!) { delete_api_key(input: $input) { success } }';

  it('says who a key is', async () => {
    const response = await graphql('query { auth_info { user_id tenant_id role_id } }');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { auth_info: { user_id: cloud1.serviceAccountId, tenant_id: cloud1.tenantId, role_id: expect.any(String) } },
    });
  });

  it("lists the tenant's keys without their values", async () => {
    const response = await graphql('query { auth_api_key { id name created expires_at user_id } }');
    const text = await response.text();
    expect(text).not.toContain(cloud1.key);
    expect(JSON.parse(text)).toEqual({
      data: {
        auth_api_key: [{ id: cloud1.keyId, name: cloud1.keyName, created: expect.any(String), expires_at: null, user_id: cloud1.serviceAccountId }],
      },
    });
  });

  it('creates and deletes keys', async () => {
    const created = await jsonOf<{ data: { create_api_key: { id: string; key: string } } }>(
      await graphql(CREATE, { input: { user_id: cloud1.serviceAccountId, name: 'rotated' } }),
    );
    const { id, key } = created.data.create_api_key;
    expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(emu.isKeyLive(key)).toBe(true);
    expect((await graphql('query { auth_info { user_id } }', undefined, key)).status).toBe(200);

    const deleted = await graphql(DELETE, { input: { key_id: cloud1.keyId } }, key);
    expect(await deleted.json()).toEqual({ data: { delete_api_key: { success: true } } });
    expect(emu.liveKeys(cloud1.serviceAccountId).map((live) => live.id)).toEqual([id]);
    const again = await graphql(DELETE, { input: { key_id: cloud1.keyId } }, key);
    expect(await again.json()).toEqual({ data: { delete_api_key: { success: false } } });
  });

  it('refuses to create keys for someone outside the tenant', async () => {
    const response = await graphql(CREATE, { input: { user_id: user.id, name: 'intruder' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(emu.liveKeys(user.id)).toHaveLength(1);
  });

  it.each([
    ['no key', null],
    ['a Cloud 2 key', user.key],
  ])('answers Unauthenticated with HTTP 200 for %s', async (_name, key) => {
    const response = await graphql('query { auth_info { user_id } }', undefined, key);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers 400 to an unknown field or a syntax error', async () => {
    for (const query of ['query { auth_info { user_id token } }', 'query { auth_info {']) {
      const response = await graphql(query);
      expect(response.status).toBe(400);
      expect(await jsonOf(response)).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
    }
  });

  it('records each operation in arrival order', async () => {
    await graphql('query { auth_info { user_id } }');
    await graphql(CREATE, { input: { user_id: cloud1.serviceAccountId, name: 'next' } });
    expect(emu.requests.map(({ route, operation }) => `${route}:${operation}`)).toEqual(['graphql:auth_info', 'graphql:create_api_key']);
  });
});

const repoSecrets = `/repos/${github.repo}/actions/secrets`;
const environmentSecrets = `/repos/${github.repo}/environments/${github.environment}/secrets`;
const orgSecrets = `/orgs/${github.org}/actions/secrets`;

/** The body GitHub sends with a 404 for a path no operation has. */
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

describe('GitHub: where it stands', () => {
  it('serves GitHub at the root of its own port, and as GHES under /api/v3 on another', () => {
    expect(emu.githubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.ghesUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const ports = [emu.url, emu.githubUrl, emu.ghesUrl].map((url) => new URL(url).port);
    expect(new Set(ports).size).toBe(3);
    expect([emu.apiUrl, emu.graphqlUrl]).toEqual([`${emu.url}/api`, `${emu.url}/graphql`]);
  });

  it('has no /github routes left on the Prefect port', async () => {
    const response = await ghFetch(`${emu.url}/github${repoSecrets}/public-key`);
    expect(response.status).toBe(404);
    expect(emu.requests.map(({ service, route }) => [service, route])).toEqual([['prefect', 'unknown']]);
  });

  it('serves the same GitHub under GHES /api/v3, and nothing outside it', async () => {
    const key = await ghFetch(`${emu.ghesUrl}${repoSecrets}/public-key`);
    expect(key.status).toBe(200);
    expect(await jsonOf(await ghFetch(`${emu.githubUrl}${repoSecrets}/public-key`))).toEqual(await jsonOf(key));
    const orgSecret = await jsonOf(await ghFetch(`${emu.ghesUrl}${orgSecrets}/${github.orgSecret.name}`));
    expect(orgSecret.selected_repositories_url).toBe(`${emu.ghesUrl}${orgSecrets}/${github.orgSecret.name}/repositories`);

    emu.renameRepository(github.repo, 'octo/moved');
    const moved = await ghFetch(`${emu.ghesUrl}${repoSecrets}/public-key`);
    expect([moved.status, moved.headers.get('location')]).toEqual([
      301,
      `${emu.ghesUrl}/repositories/${github.repositoryIds[github.repo]}/actions/secrets/public-key`,
    ]);

    emu.expectViolations();
    const origin = new URL(emu.ghesUrl).origin;
    for (const url of [`${origin}${repoSecrets}/public-key`, `${origin}/api/v3/${repoSecrets}/public-key`, `${origin}/api${repoSecrets}/public-key`]) {
      const response = await ghFetch(url);
      expect([url, response.status, await response.json()]).toEqual([url, 404, NOT_FOUND]);
    }
    expect(emu.requests.map(({ operationId }) => operationId)).toEqual([
      'actions/get-repo-public-key',
      'actions/get-repo-public-key',
      'actions/get-org-secret',
      'actions/get-repo-public-key',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('GitHub: as strict as its description', () => {
  it('records a conforming request with its operation and no violations, and counts it', async () => {
    const before = validatedGithubRequests();
    expect((await gh('GET', `${repoSecrets}/public-key`)).status).toBe(200);
    expect(validatedGithubRequests()).toBe(before + 1);
    expect(emu.requests).toEqual([
      expect.objectContaining({ service: 'github', route: 'gh-public-key', operationId: 'actions/get-repo-public-key', violations: [] }),
    ]);
  });

  it.each([
    ['a double slash', `/${repoSecrets}/public-key`],
    ['a trailing slash', `${repoSecrets}/public-key/`],
    ['an extra segment', `${repoSecrets}/public-key/extra`],
    ['a missing segment', `/repos/${github.repo}/secrets/public-key`],
    ['the old /github prefix', `/github${repoSecrets}/public-key`],
  ])('answers 404 to %s, as GitHub does', async (_name, path) => {
    emu.expectViolations();
    const response = await gh('GET', path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(NOT_FOUND);
    expect(emu.requests[0]).toMatchObject({ route: 'unknown', operationId: undefined, violations: [expect.stringContaining('is no operation')] });
  });

  it('fails the test file on a request that departs from the description, naming it, unless the test expected it', async () => {
    await gh('GET', `/${repoSecrets}/public-key`);
    expect(() => assertNoUnexpectedGithubViolations()).toThrow(`GET //repos/${github.repo}/actions/secrets/public-key (no operation)`);
    expect(() => assertNoUnexpectedGithubViolations()).not.toThrow(); // reported once

    emu.expectViolations();
    await gh('GET', `/${repoSecrets}/public-key`);
    expect(() => assertNoUnexpectedGithubViolations()).not.toThrow();
    expect(githubViolations().at(-1)).toMatchObject({ path: `//repos/${github.repo}/actions/secrets/public-key`, expected: true });
  });

  it('answers 422 in GitHub words to a body its schema refuses', async () => {
    emu.expectViolations();
    const sealed = await sealFor(repoSecrets, 'value');
    const noKeyId = await gh('PUT', `${repoSecrets}/X`, github.writeToken, { encrypted_value: sealed.encrypted_value });
    expect(noKeyId.status).toBe(422);
    expect(await noKeyId.json()).toEqual({
      message: `Invalid request.\n\n"key_id" wasn't supplied.`,
      documentation_url: 'https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret',
      status: '422',
    });
    const notBase64 = await gh('PUT', `${repoSecrets}/X`, github.writeToken, { ...sealed, encrypted_value: 'not base64!' });
    expect(await jsonOf(notBase64)).toMatchObject({
      message: expect.stringMatching(/^Invalid request\.\n\nFor 'properties\/encrypted_value', "not base64!" must match pattern/),
    });
    const orgSealed = await sealFor(orgSecrets, 'value');
    const badOrg = await gh('PUT', `${orgSecrets}/X`, github.writeToken, { ...orgSealed, visibility: 'everyone', selected_repository_ids: [true] });
    expect(badOrg.status).toBe(422);
    const { message } = await jsonOf<{ message: string }>(badOrg);
    expect(message).toContain(`For 'properties/visibility', "everyone" is not a member of ["all", "private", "selected"].`);
    expect(message).toContain(`No subschema in "anyOf" matched for 'properties/selected_repository_ids/items'.`);
    expect(emu.secret({ repo: github.repo, name: 'X' })).toBeUndefined();
    expect(emu.requests.filter(({ method }) => method === 'PUT').map(({ violations }) => violations.length > 0)).toEqual([true, true, true]);
  });

  it('answers 403 to a request without a User-Agent', async () => {
    emu.expectViolations();
    const { status, body } = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const get = request(`${emu.githubUrl}${repoSecrets}/public-key`, { headers: { authorization: `token ${github.writeToken}` } });
      get.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode, body: text }));
      });
      get.on('error', reject).end();
    });
    expect(status).toBe(403);
    expect(JSON.parse(body)).toMatchObject({
      message: expect.stringMatching(/^Request forbidden by administrative rules\. Please make sure your request has a User-Agent header/),
      status: '403',
    });
    expect(emu.requests[0]?.violations).toEqual(['The request has no User-Agent header.']);
  });

  it.each([
    ['a non-integer per_page', 'per_page=many', `For 'per_page', "many" must be integer.`],
    ['per_page over 100', 'per_page=101', `For 'per_page', 101 must be <= 100.`],
    ['an undeclared parameter', 'sort=name', `'sort' is not a query parameter of actions/list-selected-repos-for-org-secret.`],
  ])('answers 422 to %s', async (_name, query, reason) => {
    emu.expectViolations();
    const response = await gh('GET', `${orgSecrets}/${github.orgSecret.name}/repositories?${query}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      message: `Invalid request.\n\n${reason}`,
      documentation_url: 'https://docs.github.com/rest/actions/secrets#list-selected-repositories-for-an-organization-secret',
      status: '422',
    });
    expect(emu.requests[0]?.violations).toEqual([reason]);
  });

  it('requires JSON, token or Bearer credentials, and accepts both schemes', async () => {
    emu.expectViolations();
    const url = `${emu.githubUrl}${repoSecrets}/X`;
    const notJson = await ghFetch(url, { method: 'PUT', body: await sealFor(repoSecrets, 'v'), headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
    const basic = await ghFetch(`${emu.githubUrl}${repoSecrets}/public-key`, { headers: { authorization: `Basic ${btoa(`octo:${github.writeToken}`)}` } });
    expect([basic.status, await basic.json()]).toEqual([401, expect.objectContaining({ message: 'Bad credentials', status: '401' })]);
    const none = await fetch(`${emu.githubUrl}${repoSecrets}/public-key`, { headers: { 'user-agent': 'emulator-test' } });
    expect([none.status, await none.json()]).toEqual([401, expect.objectContaining({ message: 'Requires authentication' })]);
    expect(emu.requests.map(({ violations }) => violations.length)).toEqual([0, 1, 1, 1]);

    const bearer = await ghFetch(`${emu.githubUrl}${repoSecrets}/public-key`, { headers: { authorization: `Bearer ${github.writeToken}` } });
    expect(bearer.status).toBe(200);
    expect(emu.requests.at(-1)?.violations).toEqual([]);
  });
});

describe('GitHub secrets', () => {
  it('serves a distinct curve25519 public key per destination', async () => {
    const paths = [repoSecrets, `/repos/${github.otherRepo}/actions/secrets`, environmentSecrets, orgSecrets];
    const keys = await Promise.all(paths.map(async (path) => jsonOf<{ key_id: string; key: string }>(await gh('GET', `${path}/public-key`))));
    for (const { key } of keys) expect(sodium.from_base64(key, sodium.base64_variants.ORIGINAL)).toHaveLength(32);
    expect(new Set(keys.map(({ key }) => key)).size).toBe(4);
    expect(new Set(keys.map(({ key_id }) => key_id)).size).toBe(4);
  });

  it.each([
    ['a repository', repoSecrets, { repo: github.repo, name: 'PREFECT_API_KEY' }],
    ['an environment', environmentSecrets, { repo: github.repo, environment: github.environment, name: 'PREFECT_API_KEY' }],
  ])('opens a sealed box written to %s: 201, then 204', async (_name, path, scope) => {
    const created = await gh('PUT', `${path}/PREFECT_API_KEY`, github.writeToken, await sealFor(path, 'pnb_first'));
    expect(created.status).toBe(201);
    expect(emu.secret(scope)?.plaintext).toBe('pnb_first');

    const updated = await gh('PUT', `${path}/PREFECT_API_KEY`, github.writeToken, await sealFor(path, 'pnb_second'));
    expect(updated.status).toBe(204);
    expect(emu.secret(scope)?.plaintext).toBe('pnb_second');
    expect(await jsonOf(await gh('GET', `${path}/PREFECT_API_KEY`))).toEqual({
      name: 'PREFECT_API_KEY',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('keeps an org secret visibility as written, and requires it', async () => {
    const { name, selectedRepositoryIds } = github.orgSecret;
    const scope = { org: github.org, name };
    expect(emu.secret(scope)?.plaintext).toBe(bot.key);
    const current = await jsonOf(await gh('GET', `${orgSecrets}/${name}`));
    expect(current).toMatchObject({ name, visibility: 'selected', selected_repositories_url: `${emu.githubUrl}${orgSecrets}/${name}/repositories` });
    const listed = await jsonOf<{ total_count: number; repositories: Array<{ id: number; full_name: string }> }>(
      await gh('GET', `${orgSecrets}/${name}/repositories`),
    );
    expect(listed.repositories.map(({ id }) => id)).toEqual(selectedRepositoryIds);

    const sealed = await sealFor(orgSecrets, 'pnb_new');
    emu.expectViolations(); // visibility is required
    const noVisibility = await gh('PUT', `${orgSecrets}/${name}`, github.writeToken, sealed);
    expect([noVisibility.status, await noVisibility.json()]).toEqual([
      422,
      expect.objectContaining({ message: `Invalid request.\n\n"visibility" wasn't supplied.` }),
    ]);
    expect(emu.secret(scope)?.plaintext).toBe(bot.key);

    const appOnly = [github.repositoryIds[github.repo]];
    const written = await gh('PUT', `${orgSecrets}/${name}`, github.writeToken, {
      ...sealed,
      visibility: 'selected',
      selected_repository_ids: appOnly,
    });
    expect(written.status).toBe(204);
    expect(emu.secret(scope)).toMatchObject({ plaintext: 'pnb_new', visibility: 'selected', selectedRepositoryIds: appOnly });
  });

  it("answers 422 to a wrong key_id or a box sealed to another destination's key", async () => {
    const forRepo = await sealFor(repoSecrets, 'value');
    const forOrg = await sealFor(orgSecrets, 'value');
    const wrongKeyId = await gh('PUT', `${repoSecrets}/X`, github.writeToken, { ...forRepo, key_id: forOrg.key_id });
    expect(wrongKeyId.status).toBe(422);
    const wrongBox = await gh('PUT', `${repoSecrets}/X`, github.writeToken, { ...forOrg, key_id: forRepo.key_id });
    expect(wrongBox.status).toBe(422);
    expect(emu.secret({ repo: github.repo, name: 'X' })).toBeUndefined();
    expect(emu.requests.every(({ violations }) => violations.length === 0)).toBe(true);
  });

  it('checks the token, then the destination', async () => {
    const publicKey = `${repoSecrets}/public-key`;
    const unknown = await gh('GET', publicKey, 'github_pat_unknown');
    expect([unknown.status, await unknown.json()]).toEqual([
      401,
      { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest/actions/secrets#get-a-repository-public-key', status: '401' },
    ]);
    for (const path of ['/repos/octo/nope/actions/secrets', '/repos/octo/app/environments/nope/secrets', '/orgs/nope/actions/secrets']) {
      const missing = await gh('GET', `${path}/public-key`);
      expect(missing.status).toBe(404);
      expect(await jsonOf(missing)).toMatchObject({ message: 'Not Found', status: '404' });
    }
    expect((await gh('GET', `${repoSecrets}/NEVER_WRITTEN`)).status).toBe(404);
  });

  it('refuses what a fine-grained token lacks, naming the permission in x-accepted-github-permissions', async () => {
    const refused = async (path: string, token: string, body?: unknown) => {
      const response = await gh(body === undefined ? 'GET' : 'PUT', path, token, body);
      const { message } = await jsonOf<{ message: string }>(response);
      return [response.status, message, response.headers.get('x-accepted-github-permissions')];
    };
    const forbidden = 'Resource not accessible by personal access token';
    expect(await refused(`${repoSecrets}/public-key`, github.readOnlyToken)).toEqual([403, forbidden, 'secrets=read']);
    expect(await refused(`${repoSecrets}/X`, github.readOnlyToken, await sealFor(repoSecrets, 'v'))).toEqual([403, forbidden, 'secrets=write']);
    expect(await refused(`${environmentSecrets}/public-key`, github.secretsOnlyToken)).toEqual([403, forbidden, 'environments=read']);
    expect(await refused(`${environmentSecrets}/X`, github.secretsOnlyToken, await sealFor(environmentSecrets, 'v'))).toEqual([
      403,
      forbidden,
      'environments=write',
    ]);
    expect(await refused(`${orgSecrets}/public-key`, github.secretsOnlyToken)).toEqual([403, forbidden, 'organization_secrets=read']);
    const orgWrite = { ...(await sealFor(orgSecrets, 'v')), visibility: 'all' };
    expect(await refused(`${orgSecrets}/X`, github.secretsOnlyToken, orgWrite)).toEqual([403, forbidden, 'organization_secrets=write']);

    const repoWrite = await gh('PUT', `${repoSecrets}/X`, github.secretsOnlyToken, await sealFor(repoSecrets, 'repo only'));
    expect(repoWrite.status).toBe(201);
    expect(emu.secret({ repo: github.repo, name: 'X' })?.plaintext).toBe('repo only');
    expect(emu.secret({ repo: github.repo, environment: github.environment, name: 'X' })).toBeUndefined();
  });

  it('stores environments with any name GitHub allows, "/" included, percent-encoded in the path', async () => {
    emu.addEnvironment(github.repo, 'prod/eu');
    const path = `/repos/${github.repo}/environments/${encodeURIComponent('prod/eu')}/secrets`;
    expect(path).toContain('prod%2Feu');
    const written = await gh('PUT', `${path}/PREFECT_API_KEY`, github.writeToken, await sealFor(path, 'for prod/eu'));
    expect(written.status).toBe(201);
    expect(emu.secret({ repo: github.repo, environment: 'prod/eu', name: 'PREFECT_API_KEY' })?.plaintext).toBe('for prod/eu');
    expect(emu.secret({ repo: github.repo, environment: github.environment, name: 'PREFECT_API_KEY' })).toBeUndefined();

    emu.expectViolations();
    const raw = await gh('GET', `/repos/${github.repo}/environments/prod/eu/secrets/public-key`);
    expect([raw.status, await raw.json()]).toEqual([404, NOT_FOUND]);
  });

  it('gives each added repository its own id and key pair, for rotations into many', async () => {
    const ids = Array.from({ length: 100 }, (_, index) => emu.addRepository(`octo/service-${index}`));
    expect(new Set([...ids, ...Object.values(github.repositoryIds)]).size).toBe(102);
    const keys = await Promise.all(
      ['octo/service-0', 'octo/service-99'].map(async (repo) => jsonOf(await gh('GET', `/repos/${repo}/actions/secrets/public-key`))),
    );
    expect(keys[0]?.key).not.toEqual(keys[1]?.key);
    expect(() => emu.addRepository(github.repo)).toThrow('exists already');
  });
});

describe('GitHub: a renamed repository', () => {
  it('answers the old name with 301 to /repositories/{id}/..., which serves the repository secret routes', async () => {
    emu.renameRepository(github.repo, 'octo/application');
    const id = github.repositoryIds[github.repo];
    const moved = await gh('GET', `${environmentSecrets}/public-key`);
    const location = `${emu.githubUrl}/repositories/${id}/environments/${github.environment}/secrets/public-key`;
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(location);
    expect(await moved.json()).toEqual({
      message: 'Moved Permanently',
      url: location,
      documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects',
    });
    const followed = await ghFetch(location);
    expect(followed.status).toBe(200);
    expect(await followed.json()).toEqual(await jsonOf(await gh('GET', `/repos/octo/application/environments/${github.environment}/secrets/public-key`)));

    const sealed = await sealFor(`/repositories/${id}/actions/secrets`, 'after the rename');
    const put = await fetch(`${emu.githubUrl}${repoSecrets}/PREFECT_API_KEY`, {
      method: 'PUT', // fetch follows a 301 with the same method and body
      headers: { 'user-agent': 'emulator-test', authorization: `token ${github.writeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(sealed),
    });
    expect(put.status).toBe(201);
    expect(emu.secret({ repo: 'octo/application', name: 'PREFECT_API_KEY' })?.plaintext).toBe('after the rename');
    expect(emu.requests.map(({ operationId }) => operationId)).toEqual(
      expect.arrayContaining(['actions/get-environment-public-key', 'actions/create-or-update-repo-secret']),
    );
    expect(emu.requests.every(({ violations }) => violations.length === 0)).toBe(true);

    expect((await gh('GET', '/repositories/1/actions/secrets/public-key')).status).toBe(404);
  });
});

describe('GitHub: an org secret with many selected repositories', () => {
  it('pages with per_page and page, total_count and a Link header like GitHub', async () => {
    const ids = [...Object.values(github.repositoryIds), ...Array.from({ length: 5 }, (_, index) => emu.addRepository(`octo/svc-${index}`))];
    const name = github.orgSecret.name;
    const visibilityOnly = await gh('PUT', `${orgSecrets}/${name}`, github.writeToken, { visibility: 'selected', selected_repository_ids: ids });
    expect(visibilityOnly.status).toBe(204);
    expect(emu.secret({ org: github.org, name })).toMatchObject({ plaintext: bot.key, selectedRepositoryIds: ids });

    const pageUrl = (page: number) => `${emu.githubUrl}${orgSecrets}/${name}/repositories?per_page=3&page=${page}`;
    const first = await gh('GET', `${orgSecrets}/${name}/repositories?per_page=3`);
    expect(first.headers.get('link')).toBe(`<${pageUrl(2)}>; rel="next", <${pageUrl(3)}>; rel="last"`);
    const body = await jsonOf<{ total_count: number; repositories: Array<{ id: number }> }>(first);
    expect(body.total_count).toBe(7);
    const seen = body.repositories.map(({ id }) => id);
    let next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    while (next) {
      const page = await ghFetch(next);
      seen.push(...(await jsonOf<{ repositories: Array<{ id: number }> }>(page)).repositories.map(({ id }) => id));
      if (!page.headers.get('link')?.includes('rel="next"')) expect(page.headers.get('link')).toBe(`<${pageUrl(2)}>; rel="prev", <${pageUrl(1)}>; rel="first"`);
      next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toEqual(ids);

    const single = await gh('GET', `${orgSecrets}/${name}/repositories?per_page=100`);
    expect(single.headers.get('link')).toBeNull();
    expect((await jsonOf<{ repositories: unknown[] }>(single)).repositories).toHaveLength(7);
    const defaultPage = await jsonOf<{ repositories: Array<Record<string, unknown>> }>(await gh('GET', `${orgSecrets}/${name}/repositories`));
    expect(defaultPage.repositories[0]).toMatchObject({ id: ids[0], name: 'app', full_name: github.repo, owner: { login: github.org } });
    expect(emu.requests.map(({ route }) => route)).toContain('gh-secret-repos');
  });
});

describe('GitHub: rate limits', () => {
  const publicKey = () => gh('GET', `${repoSecrets}/public-key`);

  it.each([403, 429] as const)('answers a primary limit with status %i exactly as GitHub does', async (status) => {
    emu.githubRateLimit('gh-public-key', { kind: 'primary', status, resetInSeconds: 30 });
    const started = Math.floor(Date.now() / 1000);
    const limited = await publicKey();
    expect(limited.status).toBe(status);
    expect(await limited.json()).toEqual({
      message: 'API rate limit exceeded for user ID 1.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      status: String(status),
    });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-used')).toBe('5000');
    expect(limited.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(started + 30);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(started + 32);
    expect(limited.headers.get('retry-after')).toBeNull();

    // Asking again before the reset is a breach, answered with the same limit; so is a request to another route.
    const again = await gh('GET', `${orgSecrets}/public-key`);
    expect(again.status).toBe(status);
    expect(again.headers.get('x-ratelimit-reset')).toBe(limited.headers.get('x-ratelimit-reset'));
    expect(emu.githubLimitBreaches).toEqual([expect.objectContaining({ method: 'GET', path: `${orgSecrets}/public-key`, reason: 'while-limited' })]);
    // Another token has its own limits.
    expect((await gh('GET', `${repoSecrets}/public-key`, github.secretsOnlyToken)).status).toBe(200);
  });

  it('answers a secondary limit with Retry-After only when given, and x-ratelimit-remaining above 0', async () => {
    emu.githubRateLimit('gh-public-key', { kind: 'secondary', times: 1 });
    emu.githubRateLimit('gh-public-key', { kind: 'secondary', status: 429, retryAfterSeconds: 1 });
    const plain = await publicKey();
    expect(plain.status).toBe(403);
    const body = await jsonOf<{ message: string }>(plain);
    expect(body).toEqual({
      message: expect.stringMatching(
        /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. If you reach out to GitHub Support for help, please include the request ID [0-9A-F:]+\.$/,
      ),
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403',
    });
    expect(body.message).toContain(plain.headers.get('x-github-request-id'));
    expect(plain.headers.get('retry-after')).toBeNull();
    expect(Number(plain.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect(emu.githubLimitBreaches).toEqual([]); // no reset or Retry-After announced: asking again is allowed

    const timed = await publicKey();
    expect([timed.status, timed.headers.get('retry-after')]).toEqual([429, '1']);
    expect(await jsonOf(timed)).toMatchObject({ status: '429' });
    expect((await publicKey()).status).toBe(429);
    expect(emu.githubLimitBreaches.map(({ reason }) => reason)).toEqual(['while-limited']);
    await sleep(1000);
    expect((await publicKey()).status).toBe(200);
    expect(emu.githubLimitBreaches).toHaveLength(1);
  });

  it('counts two mutating requests of one token at once, and one less than a second after another, as breaches', async () => {
    const forApp = await sealFor(repoSecrets, 'app');
    const forLib = await sealFor(`/repos/${github.otherRepo}/actions/secrets`, 'lib');
    emu.fault('gh-secret-put', { delayMs: 300, times: 1 });
    const url = (repo: string) => `${emu.githubUrl}/repos/${repo}/actions/secrets/PREFECT_API_KEY`;
    const first = ghFetch(url(github.repo), { method: 'PUT', body: forApp });
    await until(() => emu.requests.length === 3);
    const second = await ghFetch(url(github.otherRepo), { method: 'PUT', body: forLib });
    expect(second.status).toBe(201);
    expect((await first).status).toBe(201);
    expect(emu.maxConcurrentGithubMutations).toBe(2);
    expect(emu.githubLimitBreaches.map(({ reason, path }) => [reason, path])).toEqual([
      ['concurrent', `/repos/${github.otherRepo}/actions/secrets/PREFECT_API_KEY`],
    ]);

    // Less than a second after the previous mutating request's arrival: a breach too.
    expect((await ghFetch(url(github.otherRepo), { method: 'PUT', body: forLib })).status).toBe(204);
    expect(emu.githubLimitBreaches.map(({ reason }) => reason)).toEqual(['concurrent', 'too-soon']);
    await sleep(1000);
    expect((await ghFetch(url(github.otherRepo), { method: 'PUT', body: forLib })).status).toBe(204);
    expect(emu.githubLimitBreaches).toHaveLength(2);
    expect(emu.maxConcurrentGithubMutations).toBe(2);
  });

  it('sends the quota headers on ordinary answers', async () => {
    const first = await publicKey();
    const second = await publicKey();
    expect([first.headers.get('x-ratelimit-used'), second.headers.get('x-ratelimit-used')]).toEqual(['1', '2']);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('4998');
    expect(second.headers.get('x-github-request-id')).toMatch(/^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$/);
  });
});

describe('faults', () => {
  const prod = () => prefect(healthPath(workspaces.prod.id), user.key);
  const rotate = () => prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { old_key_expires_in_seconds: null });

  it('answers with a status, headers and Retry-After, `times` times', async () => {
    emu.fault('health', { status: 429, retryAfter: 7, headers: { 'X-RateLimit-Remaining': '0' }, times: 2 });
    emu.fault('health', { status: 503, times: 1 });
    for (const expected of [429, 429]) {
      const response = await prod();
      expect(response.status).toBe(expected);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await response.json()).toEqual({ detail: 'Too Many Requests' });
    }
    expect((await prod()).status).toBe(503);
    expect((await prod()).status).toBe(200);
    expect(emu.requests.map(({ route }) => route)).toEqual(['health', 'health', 'health', 'health']);
  });

  it('applies a fault before the effect unless `after` is set', async () => {
    emu.fault('bots-rotate', { status: 502, times: 1 });
    expect((await rotate()).status).toBe(502);
    expect(emu.isKeyLive(bot.key)).toBe(true);

    emu.fault('bots-rotate', { status: 502, after: true });
    expect((await rotate()).status).toBe(502);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect(emu.liveKeys(bot.id)).toHaveLength(1);
  });

  it('delays an answer', async () => {
    emu.fault('me', { delayMs: 200 });
    const started = Date.now();
    const response = await prefect('/me/', user.key);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.status).toBe(200);
  });

  it('cuts a body short and drops the connection', async () => {
    emu.fault('gh-secret-put', { reset: true, after: true });
    const path = `/repos/${github.repo}/actions/secrets`;
    const response = await gh('PUT', `${path}/AFTER_RESET`, github.writeToken, await sealFor(path, 'stored'));
    await expect(response.text()).rejects.toThrow();
    expect(emu.secret({ repo: github.repo, name: 'AFTER_RESET' })?.plaintext).toBe('stored');
  });

  it('sends malformed JSON, an empty body or an HTML error page', async () => {
    emu.fault('me-workspaces', { malformed: true, times: 1 });
    emu.fault('me-workspaces', { empty: true, times: 1 });
    emu.fault('me-workspaces', { html: true, times: 1 });
    const malformed = await prefect('/me/workspaces', user.key);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow('JSON');
    const empty = await prefect('/me/workspaces', user.key);
    expect([empty.status, await empty.text()]).toEqual([200, '']);
    const html = await prefect('/me/workspaces', user.key);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('targets one GraphQL operation with a GraphQL error', async () => {
    emu.fault('graphql:create_api_key', { graphqlError: { message: 'Rate limit exceeded', code: 'RATE_LIMITED' } });
    expect(await jsonOf(await graphql('query { auth_info { user_id } }'))).toHaveProperty('data');
    const create = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
    const response = await graphql(create, { input: { user_id: cloud1.serviceAccountId, name: 'blocked' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] });
    expect(emu.liveKeys(cloud1.serviceAccountId)).toHaveLength(1);
  });

  it('records a request even when its fault never answers, and close() still ends', async () => {
    const other = await startEmulator();
    other.fault('health', { hang: true });
    other.fault('me', { delayMs: 60_000 });
    const outcome = (response: Promise<Response>) =>
      response.then(
        () => 'answered',
        () => 'failed',
      );
    const auth = { authorization: `Bearer ${user.key}` };
    const hanging = outcome(fetch(`${other.apiUrl}${healthPath(workspaces.prod.id)}`, { headers: auth }));
    const delayed = outcome(fetch(`${other.apiUrl}/me/`, { headers: auth }));
    await until(() => other.requests.length === 2);
    expect(other.requests.map(({ route }) => route).sort()).toEqual(['health', 'me']);

    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await Promise.all([hanging, delayed])).toEqual(['failed', 'failed']);
  });
});

describe('reset()', () => {
  it('restores keys, secrets, requests, faults and the clock', async () => {
    expect((await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, {})).status).toBe(201);
    emu.fault('health', { status: 500 });
    emu.advance(400 * 86_400_000);
    expect(emu.isKeyLive(bot.key)).toBe(false);

    emu.reset();
    expect(emu.requests).toEqual([]);
    expect(emu.isKeyLive(bot.key)).toBe(true);
    expect(emu.isKeyLive(seed.expiredKey)).toBe(false);
    expect((await prefect(healthPath(workspaces.prod.id), user.key)).status).toBe(200);
    expect(emu.secret({ org: github.org, name: github.orgSecret.name })?.plaintext).toBe(bot.key);
    // Back on the real clock, an expiry an hour from now is in the future again.
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const rotated = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { api_key_expiration: inAnHour });
    expect(rotated.status).toBe(201);
  });

  it('restores GitHub: renames, added repositories and environments, rate-limit bookkeeping, the violation opt-out', async () => {
    emu.renameRepository(github.repo, 'octo/renamed');
    const added = emu.addRepository('octo/added');
    emu.addEnvironment(github.otherRepo, 'staging');
    emu.githubRateLimit('gh-public-key', { kind: 'secondary', retryAfterSeconds: 60 });
    await gh('GET', `/repos/octo/renamed/actions/secrets/public-key`);
    await gh('GET', `/repos/octo/added/actions/secrets/public-key`);
    expect(emu.githubLimitBreaches).toHaveLength(1);
    emu.expectViolations();

    emu.reset();
    expect(emu.githubLimitBreaches).toEqual([]);
    expect(emu.maxConcurrentGithubMutations).toBe(0);
    expect((await gh('GET', `${repoSecrets}/public-key`)).status).toBe(200);
    expect((await gh('GET', '/repos/octo/renamed/actions/secrets/public-key')).status).toBe(404);
    expect((await gh('GET', `/repositories/${added}/actions/secrets/public-key`)).status).toBe(404);
    expect((await gh('GET', `/repos/${github.otherRepo}/environments/staging/secrets/public-key`)).status).toBe(404);
    expect(emu.addRepository('octo/added')).toBe(added); // ids start over too
    expect(githubViolations().filter(({ path }) => path.startsWith('/repos/octo/renamed'))).toEqual([]);
  });
});
