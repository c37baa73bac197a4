// The emulator itself, driven through real HTTP.
import { request } from 'node:http';
import sodium from 'libsodium-wrappers';
import type { Emulator } from './emulator/index.ts';
import { seed, startEmulator } from './emulator/index.ts';

let emu: Emulator;

beforeAll(async () => {
  await sodium.ready;
  emu = await startEmulator();
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

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

function gh(method: string, path: string, token = github.writeToken, body?: unknown): Promise<Response> {
  return fetch(`${emu.githubUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
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

describe('GitHub secrets', () => {
  const repoSecrets = `/repos/${github.repo}/actions/secrets`;
  const environmentSecrets = `/repos/${github.repo}/environments/${github.environment}/secrets`;
  const orgSecrets = `/orgs/${github.org}/actions/secrets`;

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
    expect(current).toMatchObject({ name, visibility: 'selected', selected_repositories_url: expect.stringContaining('/repositories') });
    const listed = await jsonOf<{ total_count: number; repositories: Array<{ id: number; full_name: string }> }>(
      await gh('GET', `${orgSecrets}/${name}/repositories`),
    );
    expect(listed.repositories.map(({ id }) => id)).toEqual(selectedRepositoryIds);

    const sealed = await sealFor(orgSecrets, 'pnb_new');
    expect((await gh('PUT', `${orgSecrets}/${name}`, github.writeToken, sealed)).status).toBe(422);
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
  });

  it('checks the token, then the destination', async () => {
    const publicKey = `${repoSecrets}/public-key`;
    expect((await gh('GET', publicKey, 'github_pat_unknown')).status).toBe(401);
    expect(await jsonOf(await gh('GET', publicKey, 'github_pat_unknown'))).toEqual({ message: 'Bad credentials' });
    const readOnly = await gh('PUT', `${repoSecrets}/X`, github.readOnlyToken, {});
    expect(readOnly.status).toBe(403);
    expect(await jsonOf(readOnly)).toEqual({ message: 'Resource not accessible by integration' });
    for (const path of ['/repos/octo/nope/actions/secrets', '/repos/octo/app/environments/nope/secrets', '/orgs/nope/actions/secrets']) {
      const missing = await gh('GET', `${path}/public-key`);
      expect(missing.status).toBe(404);
      expect(await jsonOf(missing)).toMatchObject({ message: 'Not Found' });
    }
    expect((await gh('GET', `${repoSecrets}/NEVER_WRITTEN`)).status).toBe(404);
    const tokenScheme = await fetch(`${emu.githubUrl}${publicKey}`, { headers: { authorization: `token ${github.writeToken}` } });
    expect(tokenScheme.status).toBe(200);
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
});
