// The emulator itself, driven through real HTTP.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import sodium from 'libsodium-wrappers';
import type { Emulator } from './emulator/index.ts';
import { assertNoUnexpectedGithubViolations, githubViolations, seed, startEmulator, validatedGithubRequests } from './emulator/index.ts';
import type { PrefectAnswer } from './emulator/prefect-schemas.ts';
import { schemaProblems } from './emulator/prefect-schemas.ts';

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

const { account, otherAccount, workspaces, user, bot, adminBot, outsideBot, viewerBot, cloud1, github } = seed;

function healthPath(workspaceId: string, accountId = account.id): string {
  return `/accounts/${accountId}/workspaces/${workspaceId}/health`;
}

function botsPath(tail: string, accountId = account.id): string {
  return `/accounts/${accountId}/bots/${tail}`;
}

/** A request to the Prefect REST API, with a JSON body when one is given. */
function prefectRequest(method: string, path: string, key: string | undefined, body?: unknown): Promise<Response> {
  return fetch(`${emu.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** GET, or POST when there is a body (`null` included), to the Prefect REST API. */
function prefect(path: string, key: string | undefined, body?: unknown): Promise<Response> {
  return prefectRequest(body === undefined ? 'GET' : 'POST', path, key, body);
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
  it('answers true for those who may enter the workspace', async () => {
    for (const [key, workspace] of [
      [user.key, workspaces.prod],
      [user.key, workspaces.staging],
      [bot.key, workspaces.prod],
      [adminBot.key, workspaces.prod],
      [adminBot.key, workspaces.staging], // an account Admin is an implicit Owner of every workspace
      [outsideBot.key, workspaces.staging],
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
  ])('answers 401 for %s, as the gateway does', async (_name, key) => {
    const response = await prefect(healthPath(workspaces.prod.id), key);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-deny')).toBe('ext-authz');
    expect(response.headers.get('content-length')).toBe('47');
    expect(await response.json()).toEqual({ detail: 'Invalid authentication credentials' });
  });

  it.each([
    ['a workspace the bot is not in', bot.key, healthPath(workspaces.staging.id)],
    ['a workspace the outside bot is not in', outsideBot.key, healthPath(workspaces.prod.id)],
    ["another account's workspace", user.key, healthPath(workspaces.sandbox.id, otherAccount.id)],
    ['a workspace under the wrong account', user.key, healthPath(workspaces.prod.id, otherAccount.id)],
    ['an unknown workspace', user.key, healthPath('00000000-0000-4000-8000-000000000000')],
  ])('answers 404 for %s', async (_name, key, path) => {
    const response = await prefect(path, key);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Workspace not found' });
  });

  it('answers 403 when the workspace role grants no scope', async () => {
    const response = await prefect(healthPath(workspaces.prod.id), viewerBot.key);
    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toEqual({ detail: expect.any(String) });
  });

  it('serves /me/ to users only, as MeReadResponse', async () => {
    const mine = await prefect('/me/', user.key);
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({
      id: user.id,
      handle: user.handle,
      first_name: expect.any(String),
      last_name: expect.any(String),
      email: expect.any(String),
      location: null,
      personal_account_id: null,
      settings: expect.objectContaining({ feature_previews: [] }),
    });

    for (const key of [bot.key, adminBot.key]) {
      const bots = await prefect('/me/', key);
      expect(bots.status).toBe(403);
      expect(await bots.json()).toEqual({ detail: 'Only users (not service accounts) can access this endpoint.' });
    }
  });

  it("lists the key's workspaces for users and bots, an Admin's implicit ones included", async () => {
    const handles = async (key: string) =>
      (await jsonOf<Array<Record<string, string>>>(await prefect('/me/workspaces', key))).map((row) => `${row.account_handle}/${row.workspace_handle}`);
    const users = await jsonOf<Array<Record<string, string>>>(await prefect('/me/workspaces', user.key));
    expect(users[0]).toEqual({
      account_id: account.id,
      account_name: expect.any(String),
      account_handle: 'acme',
      workspace_id: workspaces.prod.id,
      workspace_name: expect.any(String),
      workspace_description: expect.any(String),
      workspace_handle: 'prod',
    });
    expect(await handles(user.key)).toEqual(['acme/prod', 'acme/staging']);
    expect(await handles(bot.key)).toEqual(['acme/prod']);
    expect(await handles(adminBot.key)).toEqual(['acme/prod', 'acme/staging']);
    expect(await handles(outsideBot.key)).toEqual(['acme/staging']);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await prefect('/flows/', user.key)).status).toBe(404);
  });
});

describe('Prefect REST: the key holder (/me)', () => {
  it("lists a user's keys, masked, with their expirations", async () => {
    const response = await prefect('/me/api_keys', user.key);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const value of [user.key, user.expiringKey, seed.expiredKey]) expect(text).not.toContain(value);
    const keys = JSON.parse(text) as Array<{ id: string; name: string; expiration: string | null; masked_key: string; created: string }>;
    expect(keys.map(({ id }) => id).sort()).toEqual([user.keyId, user.expiringKeyId, seed.expiredKeyId].sort());
    const byId = new Map(keys.map((key) => [key.id, key]));
    expect(byId.get(user.keyId)).toEqual({
      id: user.keyId,
      name: 'laptop',
      created: expect.any(String),
      expiration: null,
      masked_key: `pnu_...${user.key.slice(-4)}`,
    });
    const expiring = Date.parse(byId.get(user.expiringKeyId)?.expiration ?? '');
    expect(expiring - Date.now()).toBeGreaterThan((user.expiringKeyDays * 86_400 - 60) * 1000);
    expect(expiring - Date.now()).toBeLessThanOrEqual(user.expiringKeyDays * 86_400_000);
    expect(Date.parse(byId.get(seed.expiredKeyId)?.expiration ?? '')).toBeLessThan(Date.now());

    const named = await jsonOf<Array<{ id: string }>>(await prefect('/me/api_keys?name=ci', user.key));
    expect(named.map(({ id }) => id)).toEqual([user.expiringKeyId]);
  });

  it("lists a service account's own keys, a rotating one with the end of its grace as expiration", async () => {
    expect(await jsonOf(await prefect('/me/api_keys', bot.key))).toEqual([
      { id: bot.keyId, name: bot.name, created: expect.any(String), expiration: null, masked_key: `pnb_...${bot.key.slice(-4)}` },
    ]);
    const rotated = await jsonOf<{ api_key: { key: string; id: string } }>(
      await prefect(botsPath(`${bot.id}/rotate_api_key`), adminBot.key, { old_key_expires_in_seconds: 600 }),
    );
    const keys = await jsonOf<Array<{ id: string; expiration: string | null }>>(await prefect('/me/api_keys', rotated.api_key.key));
    expect(keys.map(({ id }) => id)).toEqual([bot.keyId, rotated.api_key.id]);
    expect(Math.abs(Date.parse(keys[0]?.expiration ?? '') - (Date.now() + 600_000))).toBeLessThan(5_000);
  });

  it('answers /me/api_keys with 403 or 404 for an actor set up so', async () => {
    emu.setMeApiKeysAnswer(bot.id, 403);
    const forbidden = await prefect('/me/api_keys', bot.key);
    expect([forbidden.status, await forbidden.json()]).toEqual([403, { detail: 'Only users (not service accounts) can access this endpoint.' }]);
    emu.setMeApiKeysAnswer(bot.actorId, 404);
    const missing = await prefect('/me/api_keys', bot.key);
    expect([missing.status, await missing.json()]).toEqual([404, { detail: 'Not Found' }]);
    expect((await prefect('/me/api_keys', user.key)).status).toBe(200);
  });

  it("answers an account's permissions by account role", async () => {
    const permissions = async (key: string, accountId = account.id) => jsonOf<string[]>(await prefect(`/me/accounts/${accountId}/permissions`, key));
    const owner = await permissions(user.key);
    const admin = await permissions(adminBot.key);
    const member = await permissions(bot.key);
    expect(owner).toEqual(expect.arrayContaining(['read:bot', 'create:bot', 'update:bot', 'delete:bot', 'bypass:sso']));
    expect(admin).toEqual(expect.arrayContaining(['read:bot', 'create:bot', 'update:bot', 'delete:bot']));
    expect(admin).not.toContain('bypass:sso');
    expect(member).toContain('read:bot');
    for (const denied of ['create:bot', 'update:bot', 'delete:bot']) expect(member).not.toContain(denied);
    expect(await permissions(outsideBot.key)).toEqual(member);

    emu.setAccountRole(bot.id, 'Admin');
    expect(await permissions(bot.key)).toEqual(admin);

    const elsewhere = await prefect(`/me/accounts/${otherAccount.id}/permissions`, user.key);
    expect([elsewhere.status, await elsewhere.json()]).toEqual([404, { detail: 'Account not found' }]);
    const malformed = await prefect('/me/accounts/acme/permissions', user.key);
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toEqual({ detail: [expect.objectContaining({ type: 'uuid_parsing', loc: ['path', 'account_id'] })] });
  });

  it("answers a workspace's scopes by workspace role", async () => {
    const scopes = async (key: string, workspaceId = workspaces.prod.id) => {
      const response = await prefect(`/me/workspaces/${workspaceId}/scopes`, key);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const developer = (await scopes(bot.key)).body as string[];
    expect(developer).toEqual(
      expect.arrayContaining(['see_flows', 'see_deployments', 'run_deployments', 'write_deployments', 'manage_deployments', 'see_work_pools']),
    );
    expect(developer).not.toContain('manage_workspace_users');
    const owner = (await scopes(user.key)).body as string[];
    expect(owner).toEqual(expect.arrayContaining([...developer, 'manage_workspace_users', 'manage_workspace_settings']));
    expect(await scopes(adminBot.key, workspaces.staging.id)).toEqual({ status: 200, body: owner });
    expect(await scopes(viewerBot.key)).toEqual({ status: 200, body: [] });
    expect(await scopes(bot.key, workspaces.staging.id)).toEqual({ status: 404, body: { detail: 'Workspace not found' } });
    expect(await scopes(user.key, workspaces.sandbox.id)).toEqual({ status: 404, body: { detail: 'Workspace not found' } });

    emu.setWorkspaceRole(bot.id, workspaces.prod.id, 'Viewer');
    const viewer = (await scopes(bot.key)).body as string[];
    expect(viewer.length).toBeGreaterThan(0);
    expect(viewer.every((scope) => scope.startsWith('see_'))).toBe(true);
    emu.setWorkspaceRole(bot.id, workspaces.prod.id, 'Runner');
    expect((await scopes(bot.key)).body).toEqual([...viewer, 'run_deployments']);
    emu.setWorkspaceRole(bot.id, workspaces.prod.id, 'Worker');
    expect((await scopes(bot.key)).body).toEqual(expect.arrayContaining(['see_work_pools', 'write_workers']));
    emu.setWorkspaceRole(bot.id, workspaces.prod.id, 'Deploy only', ['see_deployments', 'write_deployments']);
    expect(await scopes(bot.key)).toEqual({ status: 200, body: ['see_deployments', 'write_deployments'] });
    emu.setWorkspaceRole(bot.id, workspaces.prod.id, null);
    expect((await scopes(bot.key)).status).toBe(404);
    expect((await prefect(healthPath(workspaces.prod.id), bot.key)).status).toBe(404);
    emu.setWorkspaceRole(bot.id, workspaces.staging.id, 'Developer');
    expect((await prefect(healthPath(workspaces.staging.id), bot.key)).status).toBe(200);
  });

  it("moves a key's expiry", async () => {
    emu.setKeyExpiration(user.keyId, new Date(Date.now() - 1000));
    expect((await prefect('/me/', user.key)).status).toBe(401);
    emu.setKeyExpiration(user.key, null);
    expect((await prefect('/me/', user.key)).status).toBe(200);

    expect((await prefect('/me/', user.expiringKey)).status).toBe(200);
    emu.advance(user.expiringKeyDays * 86_400_000);
    expect((await prefect('/me/', user.expiringKey)).status).toBe(401);
    expect(emu.isKeyLive(user.key)).toBe(true);
  });
});

describe('Prefect REST: service accounts', () => {
  it('reads a bot with its actor id, account role and masked key', async () => {
    const response = await prefect(botsPath(bot.id), bot.key);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(bot.key);
    expect(JSON.parse(text)).toEqual({
      id: bot.id,
      actor_id: bot.actorId,
      name: bot.name,
      account_id: account.id,
      account_role_name: 'Member',
      created: expect.any(String),
      updated: expect.any(String),
      api_key: { id: bot.keyId, name: bot.name, created: expect.any(String), expiration: null, masked_key: `pnb_...${bot.key.slice(-4)}` },
    });
    expect(await jsonOf(await prefect(botsPath(adminBot.id), user.key))).toMatchObject({ account_role_name: 'Admin' });
    expect((await prefect(botsPath('00000000-0000-4000-8000-000000000000'), user.key)).status).toBe(404);
    expect((await prefect(botsPath(bot.id, otherAccount.id), user.key)).status).toBe(404);
    expect((await prefect(botsPath('deployer'), user.key)).status).toBe(422);
  });

  it('filters bots by name and id, for Members too', async () => {
    const all = await jsonOf<Array<{ name: string }>>(await prefect(botsPath('filter'), bot.key, { limit: 200, offset: 0 }));
    expect(all.map(({ name }) => name).sort()).toEqual([viewerBot.name, bot.name, adminBot.name, outsideBot.name].sort());
    const named = await prefect(botsPath('filter'), bot.key, { service_accounts: { name: { any_: [bot.name] } } });
    expect((await jsonOf<Array<{ id: string }>>(named)).map(({ id }) => id)).toEqual([bot.id]);
    const byId = await prefect(botsPath('filter'), user.key, { service_accounts: { id: { any_: [outsideBot.id] } } });
    expect((await jsonOf<Array<{ id: string }>>(byId)).map(({ id }) => id)).toEqual([outsideBot.id]);
    expect((await prefect(botsPath('filter'), user.key, { limit: 201 })).status).toBe(422);
  });

  it('pages bots/filter by offset in one order, and refuses what the OpenAPI does not allow', async () => {
    const names = async (body: unknown) => (await jsonOf<Array<{ name: string }>>(await prefect(botsPath('filter'), user.key, body))).map(({ name }) => name);
    const all = await names({});
    expect(all).toHaveLength(4);
    expect([...(await names({ limit: 3, offset: 0 })), ...(await names({ limit: 3, offset: 3 }))]).toEqual(all);
    expect(await names({ limit: 3, offset: 4 })).toEqual([]);
    for (const body of [
      { offset: -1 },
      { limit: 2.5 },
      { service_accounts: { tag: {} } },
      { service_accounts: { name: { eq_: 'x' } } },
      { service_accounts: [] },
    ]) {
      expect({ body, status: (await prefect(botsPath('filter'), user.key, body)).status }).toEqual({ body, status: 422 });
    }
    expect((await prefect(botsPath('filter'), user.key, { service_accounts: null, limit: 1 })).status).toBe(200);
  });

  it("refuses rotation to an actor without update:bot with Prefect's 403, its own key included", async () => {
    for (const [key, target] of [
      [bot.key, bot.id],
      [viewerBot.key, bot.id],
      [outsideBot.key, outsideBot.id],
    ] as const) {
      const response = await prefect(botsPath(`${target}/rotate_api_key`), key, {});
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ detail: expect.stringContaining("'update:bot'") });
    }
    expect(emu.liveKeys(bot.id).map(({ value }) => value)).toEqual([bot.key]);
    const unknown = botsPath('00000000-0000-4000-8000-000000000000/rotate_api_key');
    expect((await prefect(unknown, adminBot.key, {})).status).toBe(404);
  });

  it("rotates a key with an Admin's key, retiring the old one at once without a grace period", async () => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), adminBot.key, {
      api_key_expiration: null,
      old_key_expires_in_seconds: null,
    });
    expect(response.status).toBe(201);
    const rotated = await jsonOf<{ id: string; account_id: string; api_key: { id: string; key: string; expiration: null } }>(response);
    expect(rotated).toEqual({
      id: bot.id,
      actor_id: bot.actorId,
      name: bot.name,
      account_id: account.id,
      account_role_name: 'Member',
      created: expect.any(String),
      updated: expect.any(String),
      api_key: { id: expect.any(String), name: expect.any(String), created: expect.any(String), expiration: null, key: expect.any(String) },
    });
    expect(rotated.api_key.key).toMatch(/^pnb_[A-Za-z0-9]{36}$/);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect(emu.liveKeys(bot.id).map(({ value }) => value)).toEqual([rotated.api_key.key]);
    expect(emu.liveKeys(bot.actorId).map(({ value }) => value)).toEqual([rotated.api_key.key]);
    expect((await prefect(healthPath(workspaces.prod.id), rotated.api_key.key)).status).toBe(200);

    const keys = await prefect(botsPath(`${bot.id}/read_bot_api_keys`), rotated.api_key.key);
    expect(await keys.json()).toEqual({
      active_key: {
        id: rotated.api_key.id,
        name: expect.any(String),
        created: expect.any(String),
        expiration: null,
        masked_key: `pnb_...${rotated.api_key.key.slice(-4)}`,
      },
      rotating_keys: [],
    });
  });

  it('rotates a service account that is not a member of the checked workspace', async () => {
    const response = await prefect(botsPath(`${outsideBot.id}/rotate_api_key`), adminBot.key, null);
    expect(response.status).toBe(201);
    const { api_key } = await jsonOf<{ api_key: { key: string } }>(response);
    expect((await prefect(healthPath(workspaces.prod.id), api_key.key)).status).toBe(404);
    expect((await prefect(healthPath(workspaces.staging.id), api_key.key)).status).toBe(200);
  });

  it('keeps the old key live for the grace period on the emulator clock, as a rotating key that expires then', async () => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { old_key_expires_in_seconds: 3600 });
    expect(response.status).toBe(201);
    const keys = await jsonOf<{ rotating_keys: Array<{ id: string; masked_key: string; expiration: string }> }>(
      await prefect(botsPath(`${bot.id}/read_bot_api_keys`), user.key),
    );
    expect(keys.rotating_keys.map(({ id, masked_key }) => [id, masked_key])).toEqual([[bot.keyId, `pnb_...${bot.key.slice(-4)}`]]);
    expect(Math.abs(Date.parse(keys.rotating_keys[0]?.expiration ?? '') - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    expect(JSON.stringify(keys)).not.toContain(bot.key);

    emu.advance(3_599_000);
    expect(emu.isKeyLive(bot.key)).toBe(true);
    emu.advance(1_000);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect((await prefect(healthPath(workspaces.prod.id), bot.key)).status).toBe(401);
    expect((await jsonOf<{ rotating_keys: unknown[] }>(await prefect(botsPath(`${bot.id}/read_bot_api_keys`), user.key))).rotating_keys).toEqual([]);
  });

  it('deletes a rotating key before its grace ends, with update:bot only, and never the active key', async () => {
    const rotated = await jsonOf<{ api_key: { id: string; key: string } }>(
      await prefect(botsPath(`${bot.id}/rotate_api_key`), adminBot.key, { old_key_expires_in_seconds: 3600 }),
    );
    const path = (keyId: string) => botsPath(`${bot.id}/delete_bot_api_key/${keyId}`);
    const denied = await prefectRequest('DELETE', path(bot.keyId), rotated.api_key.key);
    expect([denied.status, await denied.json()]).toEqual([403, { detail: expect.stringContaining("'update:bot'") }]);
    const active = await prefectRequest('DELETE', path(rotated.api_key.id), adminBot.key);
    expect(active.status).toBe(400);
    expect(await jsonOf(active)).toEqual({ detail: expect.any(String) });
    expect((await prefectRequest('DELETE', path('00000000-0000-4000-8000-000000000000'), adminBot.key)).status).toBe(404);

    const deleted = await prefectRequest('DELETE', path(bot.keyId), adminBot.key);
    expect([deleted.status, await deleted.text()]).toEqual([200, 'null']);
    expect(emu.isKeyLive(bot.key)).toBe(false);
    expect(emu.isKeyLive(rotated.api_key.key)).toBe(true);
    expect((await prefectRequest('DELETE', path(bot.keyId), adminBot.key)).status).toBe(404);
  });

  it.each([172_801, -1, 1.5, 'soon'])('rejects a grace period of %p with 422', async (grace) => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { old_key_expires_in_seconds: grace });
    expect(response.status).toBe(422);
    expect(await jsonOf(response)).toEqual({ detail: [expect.objectContaining({ loc: ['body', 'old_key_expires_in_seconds'] })] });
    expect(emu.isKeyLive(bot.key)).toBe(true);
  });

  it('rejects a field BotRotateAPIKey does not have with 422', async () => {
    const response = await prefect(botsPath(`${bot.id}/rotate_api_key`), user.key, { grace_seconds: 60 });
    expect(response.status).toBe(422);
    expect(await jsonOf(response)).toEqual({ detail: [expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'grace_seconds'] })] });
    expect(emu.isKeyLive(bot.key)).toBe(true);
  });

  it.each(['POST', 'PUT', 'PATCH'])('answers 411 with an HTML page to a %s without Content-Length', async (method) => {
    const answer = await new Promise<{ status: number | undefined; type: string | undefined; body: string }>((resolve, reject) => {
      const sent = request(`${emu.apiUrl}${botsPath(`${bot.id}/rotate_api_key`)}`, {
        method,
        headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
      });
      sent
        .on('response', (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], body }));
        })
        .on('error', reject);
      sent.write('{}'); // written before end(): sent chunked, without Content-Length
      sent.end();
    });
    expect(answer).toEqual({ status: 411, type: 'text/html', body: expect.stringContaining('<h1>411 Length Required</h1>') });
    expect(emu.isKeyLive(bot.key)).toBe(true);
  });
});

describe('Prefect REST: every answer as the OpenAPI describes it', () => {
  /** Asks, checks the status, and returns the problems of the body against the named schema. */
  async function problems(answer: PrefectAnswer, status: number, response: Promise<Response>): Promise<string[]> {
    const received = await response;
    expect(received.status).toBe(status);
    expect(received.headers.get('content-type')).toBe('application/json');
    return schemaProblems(answer, await received.json());
  }

  it('holds every route the action calls to its schema', async () => {
    const checks: Array<[PrefectAnswer, number, Promise<Response>]> = [
      ['health', 200, prefect(healthPath(workspaces.prod.id), bot.key)],
      ['me', 200, prefect('/me/', user.key)],
      ['myWorkspaces', 200, prefect('/me/workspaces', user.key)],
      ['myWorkspaces', 200, prefect('/me/workspaces', bot.key)],
      ['myApiKeys', 200, prefect('/me/api_keys', user.key)],
      ['myApiKeys', 200, prefect('/me/api_keys', bot.key)],
      ['myAccountPermissions', 200, prefect(`/me/accounts/${account.id}/permissions`, user.key)],
      ['myAccountPermissions', 200, prefect(`/me/accounts/${account.id}/permissions`, adminBot.key)],
      ['myAccountPermissions', 200, prefect(`/me/accounts/${account.id}/permissions`, bot.key)],
      ['myWorkspaceScopes', 200, prefect(`/me/workspaces/${workspaces.prod.id}/scopes`, user.key)],
      ['myWorkspaceScopes', 200, prefect(`/me/workspaces/${workspaces.prod.id}/scopes`, bot.key)],
      ['readBot', 200, prefect(botsPath(bot.id), bot.key)],
      ['readBots', 200, prefect(botsPath('filter'), bot.key, { service_accounts: { name: { any_: [bot.name] } }, limit: 200, offset: 0 })],
      ['readBotApiKeys', 200, prefect(botsPath(`${bot.id}/read_bot_api_keys`), bot.key)],
      ['error', 401, prefect(healthPath(workspaces.prod.id), seed.unknownKey)],
      ['error', 403, prefect('/me/', bot.key)],
      ['error', 403, prefect(botsPath(`${bot.id}/rotate_api_key`), bot.key, {})],
      ['error', 404, prefect(healthPath(workspaces.staging.id), bot.key)],
      ['validationError', 422, prefect(botsPath(`${bot.id}/rotate_api_key`), adminBot.key, { old_key_expires_in_seconds: -1 })],
    ];
    for (const [answer, status, response] of checks) expect([answer, await problems(answer, status, response)]).toEqual([answer, []]);

    // Then the writes, in order: a rotation with a grace period, the rotating key's listing, its deletion.
    expect(await problems('rotateApiKey', 201, prefect(botsPath(`${bot.id}/rotate_api_key`), adminBot.key, { old_key_expires_in_seconds: 60 }))).toEqual([]);
    const keys = prefect(botsPath(`${bot.id}/read_bot_api_keys`), bot.key);
    expect(await problems('readBotApiKeys', 200, keys)).toEqual([]);
    expect(await problems('deleteBotApiKey', 200, prefectRequest('DELETE', botsPath(`${bot.id}/delete_bot_api_key/${bot.keyId}`), adminBot.key))).toEqual([]);
  });

  it('refuses what Prefect would not send: a null api_key, a masked_key in another format, a missing actor_id', () => {
    const read = {
      id: bot.id,
      actor_id: bot.actorId,
      account_id: account.id,
      name: bot.name,
      account_role_name: 'Member',
      api_key: { id: bot.keyId, name: bot.name, created: null, expiration: null, masked_key: 'pnb_...abcd' },
    };
    expect(schemaProblems('readBot', read)).toEqual([]);
    expect(schemaProblems('readBot', { ...read, api_key: null })).not.toEqual([]);
    expect(schemaProblems('readBot', { ...read, api_key: { ...read.api_key, masked_key: 'pnb_bqty********' } })).not.toEqual([]);
    const withoutActor: Record<string, unknown> = { ...read };
    delete withoutActor.actor_id;
    expect(schemaProblems('readBot', withoutActor)).not.toEqual([]);
    expect(schemaProblems('myAccountPermissions', ['read:bot', 'read:bot'])).not.toEqual([]);
    expect(schemaProblems('health', false)).not.toEqual([]);
  });
});

describe('Prefect Cloud 1 GraphQL', () => {
  const CREATE = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
  const DELETE = 'mutation ($input: delete_api_key_input!) { delete_api_key(input: $input) { success } }';
  const LIST = 'query { auth_api_key { id name created expires_at user_id } }';

  it('says who a key is', async () => {
    const response = await graphql('query { auth_info { user_id tenant_id role_id } }');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { auth_info: { user_id: cloud1.serviceAccountId, tenant_id: cloud1.tenantId, role_id: cloud1.roleIds.ADMINISTRATOR } },
    });
    emu.setCloud1Role(cloud1.serviceAccountId, 'READ_ONLY_USER');
    expect(await jsonOf(await graphql('query { auth_info { role_id } }'))).toEqual({ data: { auth_info: { role_id: cloud1.roleIds.READ_ONLY_USER } } });
  });

  it('answers auth_info for an old API token with tenant_id null, and refuses it everything else', async () => {
    const response = await graphql('query { auth_info { user_id tenant_id role_id } }', undefined, cloud1.apiToken);
    expect(await response.json()).toEqual({ data: { auth_info: { user_id: cloud1.adminUserId, tenant_id: null, role_id: null } } });
    const list = await graphql(LIST, undefined, cloud1.apiToken);
    expect(await list.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
  });

  it("lists the tenant's keys without their values", async () => {
    const response = await graphql(LIST);
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

  it('shows a USER only the keys it created, and lets it create and delete only its own', async () => {
    emu.setCloud1Role(cloud1.serviceAccountId, 'USER');
    expect(await jsonOf(await graphql(LIST))).toEqual({ data: { auth_api_key: [] } }); // its first key was created by the tenant's admin
    const created = await jsonOf<{ data: { create_api_key: { id: string; key: string } } }>(
      await graphql(CREATE, { input: { user_id: cloud1.serviceAccountId, name: 'own' } }),
    );
    const listed = await jsonOf<{ data: { auth_api_key: Array<{ id: string }> } }>(await graphql(LIST));
    expect(listed.data.auth_api_key.map(({ id }) => id)).toEqual([created.data.create_api_key.id]);

    const forOther = await graphql(CREATE, { input: { user_id: cloud1.adminUserId, name: 'not mine' } });
    expect(forOther.status).toBe(200);
    expect(await forOther.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    const notOwn = await graphql(DELETE, { input: { key_id: cloud1.keyId } });
    expect(await notOwn.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(emu.isKeyLive(cloud1.key)).toBe(true);
    const own = await graphql(DELETE, { input: { key_id: created.data.create_api_key.id } });
    expect(await own.json()).toEqual({ data: { delete_api_key: { success: true } } });
  });

  it('refuses a READ_ONLY_USER creating or deleting keys with FORBIDDEN and HTTP 200', async () => {
    emu.setCloud1Role(cloud1.serviceAccountId, 'READ_ONLY_USER');
    for (const [query, input] of [
      [CREATE, { user_id: cloud1.serviceAccountId, name: 'blocked' }],
      [DELETE, { key_id: cloud1.keyId }],
    ] as const) {
      const response = await graphql(query, { input });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ errors: [{ message: expect.stringContaining('READ_ONLY_USER'), extensions: { code: 'FORBIDDEN' } }] });
    }
    expect(emu.liveKeys(cloud1.serviceAccountId).map(({ value }) => value)).toEqual([cloud1.key]);
  });

  it('refuses to create keys for someone outside the tenant', async () => {
    const response = await graphql(CREATE, { input: { user_id: user.id, name: 'intruder' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(emu.liveKeys(user.id).map(({ value }) => value)).toEqual([user.key, user.expiringKey]);
  });

  it.each([
    ['no key', null],
    ['a Cloud 2 key', user.key],
  ])('answers Unauthenticated with HTTP 200 for %s', async (_name, key) => {
    const response = await graphql('query { auth_info { user_id } }', undefined, key);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('answers API_ERROR once when armed, then normally', async () => {
    emu.cloud1ApiError('auth_info');
    const failed = await graphql('query { auth_info { user_id } }');
    expect(failed.status).toBe(200);
    expect(await failed.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'API_ERROR' } }] });
    expect(await jsonOf(await graphql('query { auth_info { user_id } }'))).toEqual({ data: { auth_info: { user_id: cloud1.serviceAccountId } } });
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

  it.each([
    [401, '401 Unauthorized'],
    [403, '403 Forbidden'],
  ])('answers %i with an HTML page, as a proxy or firewall does, before Prefect is reached', async (status, title) => {
    emu.fault('health', { htmlStatus: status, times: 1 });
    emu.fault('bots-rotate', { htmlStatus: status });
    const health = await prefect(healthPath(workspaces.prod.id), user.key);
    expect(health.status).toBe(status);
    expect(health.headers.get('content-type')).toBe('text/html');
    const page = await health.text();
    expect(page).toMatch(/^<html>/);
    expect(page).toContain(`<h1>${title}</h1>`);
    expect((await prefect(healthPath(workspaces.prod.id), user.key)).status).toBe(200);
    expect((await rotate()).status).toBe(status);
    expect(emu.isKeyLive(bot.key)).toBe(true);
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

    // Resolved at all, close() did not wait for the hanging request (the test's own timeout would end it first).
    await other.close();
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
