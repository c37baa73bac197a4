// Prefect Cloud 1 as the action reads it (src/prefect/graphql.ts,
// cloud1-keys.ts, cloud1-check.ts), over real HTTP to a loopback server
// scripted per operation: GraphQL errors told from data, a proxy's refusal
// from Prefect's, reads retried and a create sent once, every value checked
// where it is parsed, and each outcome of a Cloud 1 check whole.

import { AmbiguousOutcomeError, UnavailableError } from '../src/http/retry.ts';
import { checkCloud1Key } from '../src/prefect/cloud1-check.ts';
import { createKey, deleteKey, listKeys } from '../src/prefect/cloud1-keys.ts';
import { authInfo, sendGraphql, type GraphqlApi } from '../src/prefect/graphql.ts';
import type { PrefectApi } from '../src/prefect/rest.ts';
import { UnexpectedAnswerError } from '../src/prefect/values.ts';
import { answer, inTurn, quickPolicy, useLoopback, type Reply } from './support/loopback.ts';

interface Seen {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: { query?: string; variables?: unknown };
}

/** Replies per operation, used in turn (the last one repeats). */
let script: Record<string, Reply[]> = {};
let seen: Seen[] = [];

/** The operation a request asks for: the REST path, or the GraphQL field its query names. */
function operationOf(path: string, query = ''): string {
  if (!path.startsWith('/graphql')) return path;
  return ['auth_info', 'auth_api_key', 'create_api_key', 'delete_api_key', 'custom'].find((field) => query.includes(field)) ?? 'unknown';
}

const loopback = useLoopback((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  const body = (request.body ? JSON.parse(request.body) : {}) as Seen['body'];
  seen.push({ path, headers: request.headers, body });
  const replies = script[operationOf(path, body.query)] ?? [[599, 'unscripted']];
  answer(response, inTurn(replies));
});
beforeEach(() => {
  script = {};
  seen = [];
});
/** host:port of the server. */
const origin = () => new URL(loopback()).host;

const KEY = 'cloud1abcdefghijklmnopqrstuvwxyz0123';
const USER = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const OTHER = '11111111-2222-4333-8444-555555555555';
const KEY_ID = '22222222-3333-4444-8555-666666666666';
const graphql = (retries = 0): GraphqlApi => ({ url: new URL(`http://${origin()}/graphql`), apiKey: KEY, policy: quickPolicy(retries) });
const rest = (): PrefectApi => ({ base: new URL(`http://${origin()}/api/`), apiKey: KEY, policy: quickPolicy() });
const operations = () => seen.map((request) => operationOf(request.path, request.body.query));

const data = (value: unknown): Reply => [200, { data: value }];
const error = (message: unknown, code?: unknown): Reply => [200, { errors: [{ message, extensions: { code } }], data: null }];
const keyEntry = (overrides: Record<string, unknown> = {}) => ({
  id: KEY_ID,
  name: 'ci',
  created: '2026-01-02T03:04:05+00:00',
  expires_at: '2027-01-02T03:04:05Z',
  user_id: USER,
  ...overrides,
});
const WHO = data({ auth_info: { user_id: USER, tenant_id: TENANT } });
/** graphql-url as a message names it. */
const graphqlHref = () => `http://${origin()}/graphql`;

describe('graphql', () => {
  test('a query is POSTed as JSON with the key as a bearer token, and its data returned', async () => {
    script = { custom: [data({ custom: 1 })] };
    await expect(sendGraphql(graphql(), 'query { custom }', { a: 1 })).resolves.toEqual({ data: { custom: 1 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toEqual({ query: 'query { custom }', variables: { a: 1 } });
    expect(seen[0]!.headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: 'application/json', 'content-type': 'application/json' });
    await sendGraphql(graphql(), 'query { custom }');
    expect(seen[1]!.body.variables).toEqual({});
  });

  test('the first error that is an object is the problem: its message on one line, its code if it is one', async () => {
    script = { custom: [[200, { errors: ['text', null, { message: 'no\nsuch field', extensions: { code: 'BAD_USER_INPUT' } }] }]] };
    await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem: { message: 'no such field', code: 'BAD_USER_INPUT' } });
    for (const [code, read] of [
      ['A'.repeat(50), 'A'.repeat(50)],
      ['A'.repeat(51), 'UNKNOWN'],
      ['lower_case', 'UNKNOWN'],
      ['CODE!', 'UNKNOWN'],
      [7, 'UNKNOWN'],
      [undefined, 'UNKNOWN'],
    ]) {
      script = { custom: [error('m', code)] };
      await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem: { message: 'm', code: read } });
    }
    script = { custom: [[200, { errors: [{ message: 42 }] }]] };
    await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem: { message: 'GraphQL error', code: 'UNKNOWN' } });
  });

  test('UNAUTHENTICATED in any error, as a code or in a message, or a malformed header, is an authentication failure', async () => {
    for (const errors of [
      [
        { message: 'first', extensions: { code: 'BAD' } },
        { message: 'second', extensions: { code: 'UNAUTHENTICATED' } },
      ],
      [{ message: 'token unauthenticated', extensions: { code: 'BAD' } }],
      [{ message: 'malformed authorization header' }],
    ]) {
      script = { custom: [[200, { errors }]] };
      const answer = await sendGraphql(graphql(), 'query { custom }');
      expect(answer.problem).toEqual({ message: errors[0]!.message, code: 'UNAUTHENTICATED' });
    }
    // Only text is read: a list holding the word is not a message.
    script = { custom: [[200, { errors: [{ message: ['UNAUTHENTICATED'], extensions: { code: 'OTHER' } }] }]] };
    await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem: { message: 'GraphQL error', code: 'OTHER' } });
    script = {
      custom: [
        [
          200,
          {
            errors: [
              { message: 7, extensions: { code: 8 } },
              { message: 'fine', extensions: { code: 'OTHER' } },
            ],
          },
        ],
      ],
    };
    await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem: { message: 'GraphQL error', code: 'UNKNOWN' } });
  });

  test("a 401 or 403 in Prefect's JSON is its refusal; without JSON, something in between refused", async () => {
    for (const [reply, problem] of [
      [[401, {}], { message: 'HTTP 401', code: 'UNAUTHENTICATED' }],
      [[403, { errors: [] }], { message: 'HTTP 403', code: 'FORBIDDEN' }],
      [[401, 'Sign in to the proxy'], { message: 'HTTP 401', code: 'NOT_PREFECT' }],
      [[403, '<h1>Blocked</h1>'], { message: 'HTTP 403', code: 'NOT_PREFECT' }],
    ] as [Reply, unknown][]) {
      script = { custom: [reply] };
      await expect(sendGraphql(graphql(), 'query { custom }')).resolves.toEqual({ problem });
    }
  });

  test('a read is retried through a server-side error code, a 5xx and an answer without data; then it is unavailable', async () => {
    script = {
      custom: [error('busy', 'API_ERROR'), error('x', 'INTERNAL_SERVER_ERROR'), error('x', 'SERVICE_UNAVAILABLE'), error('x', 'TIMEOUT'), data({ custom: 2 })],
    };
    await expect(sendGraphql(graphql(4), 'query { custom }')).resolves.toEqual({ data: { custom: 2 } });
    expect(seen).toHaveLength(5);
    script = { custom: [error('busy', 'API_ERROR')] };
    await expect(sendGraphql(graphql(1), 'query { custom }')).rejects.toThrow(new UnavailableError('GraphQL error API_ERROR (2 attempts)', 2, 200));
    for (const reply of [
      [200, { data: null }],
      [200, {}],
      [200, 'not json'],
      [500, { data: { custom: 1 } }],
      [302, { data: { custom: 1 } }],
    ] as Reply[]) {
      script = { custom: [reply] };
      seen = [];
      const failure = await sendGraphql(graphql(1), 'query { custom }').catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(UnavailableError);
      expect(seen).toHaveLength(2);
    }
    // The reason names what was missing: the status, and no data.
    script = { custom: [[200, { data: null }]] };
    await expect(sendGraphql(graphql(1), 'query { custom }')).rejects.toThrow(new UnavailableError('HTTP 200 without GraphQL data (2 attempts)', 2, 200));
  });

  test('auth_info: its ids checked and lower-cased; no tenant is null; no auth_info is null', async () => {
    script = { auth_info: [data({ auth_info: { user_id: USER.toUpperCase(), tenant_id: TENANT.toUpperCase() } })] };
    await expect(authInfo(graphql())).resolves.toEqual({ data: { auth_info: { user_id: USER, tenant_id: TENANT } } });
    for (const tenant of [null, undefined]) {
      script = { auth_info: [data({ auth_info: { user_id: USER, tenant_id: tenant } })] };
      await expect(authInfo(graphql())).resolves.toEqual({ data: { auth_info: { user_id: USER, tenant_id: null } } });
    }
    for (const info of [null, undefined]) {
      script = { auth_info: [data({ auth_info: info })] };
      await expect(authInfo(graphql())).resolves.toEqual({ data: { auth_info: null } });
    }
    script = { auth_info: [error('no', 'FORBIDDEN')] };
    await expect(authInfo(graphql())).resolves.toEqual({ problem: { message: 'no', code: 'FORBIDDEN' } });
    for (const [info, why] of [
      ['text', 'auth_info is not an object'],
      [{ user_id: 'me', tenant_id: TENANT }, 'auth_info.user_id is not a UUID'],
      [{ user_id: USER, tenant_id: 5 }, 'auth_info.tenant_id is not a UUID'],
    ]) {
      script = { auth_info: [data({ auth_info: info })] };
      await expect(authInfo(graphql())).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
  });
});

describe('cloud1-keys', () => {
  test("a list's entries are checked, their timestamps in one form", async () => {
    script = { auth_api_key: [data({ auth_api_key: [keyEntry(), keyEntry({ expires_at: null, id: OTHER.toUpperCase() })] })] };
    await expect(listKeys(graphql())).resolves.toEqual({
      data: {
        auth_api_key: [
          { id: KEY_ID, name: 'ci', created: '2026-01-02T03:04:05.000Z', expires_at: '2027-01-02T03:04:05.000Z', user_id: USER },
          { id: OTHER, name: 'ci', created: '2026-01-02T03:04:05.000Z', expires_at: null, user_id: USER },
        ],
      },
    });
    for (const [list, why] of [
      [{ a: 1 }, 'auth_api_key is not a list'],
      [['x'], 'an auth_api_key entry is not an object'],
      [[keyEntry({ id: 'k' })], 'auth_api_key.id is not a UUID'],
      [[keyEntry({ name: 'a\nb' })], 'auth_api_key.name is not a name of at most 200 printable characters'],
      [[keyEntry({ created: 'yesterday' })], 'auth_api_key.created is not an RFC 3339 timestamp'],
      [[keyEntry({ expires_at: 'soon' })], 'auth_api_key.expires_at is not an RFC 3339 timestamp'],
      [[keyEntry({ user_id: 1 })], 'auth_api_key.user_id is not a UUID'],
    ]) {
      script = { auth_api_key: [data({ auth_api_key: list })] };
      await expect(listKeys(graphql())).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
    script = { auth_api_key: [error('no', 'FORBIDDEN')] };
    await expect(listKeys(graphql())).resolves.toEqual({ problem: { message: 'no', code: 'FORBIDDEN' } });
  });

  test('a create is sent once with its input: a server-side error is its answer, not retried; a 5xx is ambiguous', async () => {
    const input = { user_id: USER, name: 'ci', expires_at: null };
    script = { create_api_key: [data({ create_api_key: { id: KEY_ID.toUpperCase(), key: 'n'.repeat(20) } })] };
    await expect(createKey(graphql(3), input)).resolves.toEqual({ data: { create_api_key: { id: KEY_ID, key: 'n'.repeat(20) } } });
    expect(seen[0]!.body.variables).toEqual({ input });
    expect(seen[0]!.body.query).toMatch(/^mutation .*create_api_key\(input: \$input\) \{ id key \}/);
    for (const created of [null, undefined]) {
      script = { create_api_key: [data({ create_api_key: created })] };
      await expect(createKey(graphql(), input)).resolves.toEqual({ data: { create_api_key: null } });
    }
    for (const [created, why] of [
      [[], 'create_api_key is not an object'],
      [{ id: 'x', key: 'n'.repeat(20) }, 'create_api_key.id is not a UUID'],
      [{ id: KEY_ID, key: 'short' }, 'create_api_key.key is not a Prefect Cloud 1 key (20 to 200 letters, digits, _ or -)'],
    ]) {
      script = { create_api_key: [data({ create_api_key: created })] };
      await expect(createKey(graphql(), input)).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
    seen = [];
    script = { create_api_key: [error('busy', 'API_ERROR')] };
    await expect(createKey(graphql(3), input)).resolves.toEqual({ problem: { message: 'busy', code: 'API_ERROR' } });
    script = { create_api_key: [[503, 'down']] };
    await expect(createKey(graphql(3), input)).rejects.toBeInstanceOf(AmbiguousOutcomeError);
    expect(seen).toHaveLength(2);
  });

  test('a delete names the key and is retried', async () => {
    script = { delete_api_key: [[503, 'down'], data({ delete_api_key: { success: true } })] };
    await expect(deleteKey(graphql(1), KEY_ID)).resolves.toEqual({ data: { delete_api_key: { success: true } } });
    expect(seen.map((request) => request.body.variables)).toEqual([{ input: { key_id: KEY_ID } }, { input: { key_id: KEY_ID } }]);
  });
});

describe('cloud1-check', () => {
  const none = { kind: 'none' } as const;
  const check = (target: Parameters<typeof checkCloud1Key>[2] = none, retries = 0) => checkCloud1Key(graphql(retries), rest(), target);
  const VALID = `The API key is valid on Prefect Cloud 1 (tenant ${TENANT}).`;

  test('a valid key: the actor, and the expiry of its one key', async () => {
    script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [keyEntry(), keyEntry({ id: OTHER, user_id: OTHER, expires_at: null })] })] };
    await expect(check()).resolves.toEqual({
      status: 'valid',
      statusCode: 200,
      actorId: USER,
      expiry: { kind: 'expires', at: '2027-01-02T03:04:05.000Z' },
      message: VALID,
    });
    expect(operations()).toEqual(['auth_info', 'auth_api_key']);
    script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [keyEntry({ expires_at: null })] })] };
    expect((await check()).expiry).toEqual({ kind: 'never' });
  });

  test('the expiry is unknown, with the reason, when the actor has not exactly one key or the list fails', async () => {
    const unknown = async (list: Reply, retries = 0) => {
      script = { auth_info: [WHO], auth_api_key: [list] };
      const result = await check(none, retries);
      expect(result).toMatchObject({ status: 'valid', statusCode: 200, actorId: USER, message: VALID });
      return result.expiry;
    };
    await expect(unknown(data({ auth_api_key: [keyEntry({ user_id: OTHER })] }))).resolves.toEqual({
      kind: 'unknown',
      why: "the key's account has 0 keys, and Prefect Cloud 1 does not say which one this is",
    });
    await expect(unknown(data({ auth_api_key: [keyEntry(), keyEntry({ id: OTHER })] }))).resolves.toEqual({
      kind: 'unknown',
      why: "the key's account has 2 keys, and Prefect Cloud 1 does not say which one this is",
    });
    await expect(unknown(error('no', 'FORBIDDEN'))).resolves.toEqual({ kind: 'unknown', why: 'Prefect Cloud 1 would not list the keys (FORBIDDEN)' });
    await expect(unknown(data({ auth_api_key: 'none' }))).resolves.toEqual({
      kind: 'unknown',
      why: 'its expiry could not be read (auth_api_key is not a list)',
    });
    const outage = await unknown([503, 'down']);
    expect(outage).toMatchObject({ kind: 'unknown' });
    expect((outage as { why: string }).why).toMatch(/^its expiry could not be read \(.*503.*\)$/);
  });

  test('a bad key: UNAUTHENTICATED, or an old API token (no tenant)', async () => {
    script = { auth_info: [error('Revoked', 'UNAUTHENTICATED')] };
    await expect(check()).resolves.toEqual({
      status: 'invalid-key',
      statusCode: 200,
      message: 'Prefect Cloud 1 rejected the API key (Revoked): it is wrong, expired or deleted. Create a new key and update the secret that holds it.',
    });
    script = { auth_info: [data({ auth_info: { user_id: USER, tenant_id: null } })] };
    await expect(check()).resolves.toEqual({
      status: 'invalid-key',
      statusCode: 200,
      message:
        'Prefect Cloud 1 says this is an old API token, not an API key (auth_info has no tenant_id): create an API key and update the secret that holds it.',
    });
    expect(operations()).toEqual(['auth_info', 'auth_info']);
  });

  test('a refusal to say who the key is: forbidden', async () => {
    for (const [reply, why] of [
      [error('Not allowed', 'FORBIDDEN'), 'Not allowed'],
      [[403, {}], 'HTTP 403'],
    ] as [Reply, string][]) {
      script = { auth_info: [reply] };
      await expect(check()).resolves.toEqual({
        status: 'forbidden',
        statusCode: 200,
        message: `Prefect Cloud 1 accepted the key but refused to say who it is (${why}).`,
      });
    }
  });

  test("a refusal's or an unknown answer's text longer than an annotation quotes is cut there, and given whole in the detail", async () => {
    const long = `Denied: ${'a'.repeat(150)}`;
    const short = `${long.slice(0, 99)}…`;
    script = { auth_info: [error(long, 'FORBIDDEN')] };
    await expect(check()).resolves.toEqual({
      status: 'forbidden',
      statusCode: 200,
      message: `Prefect Cloud 1 accepted the key but refused to say who it is (${short}).`,
      detail: `Prefect Cloud 1 said: ${long}`,
    });
    script = { auth_info: [error(long, 'GRAPHQL_VALIDATION_FAILED')] };
    const whole = `GRAPHQL_VALIDATION_FAILED: ${long}`;
    await expect(check()).resolves.toEqual({
      status: 'unexpected',
      statusCode: 200,
      message: `Prefect Cloud 1 answered the key check with ${whole.slice(0, 99)}…: check that graphql-url (${graphqlHref()}) is the Prefect Cloud 1 API.`,
      detail: `Prefect Cloud 1 said: ${whole}`,
    });
    script = { auth_info: [error(long, 'UNAUTHENTICATED')] };
    await expect(check()).resolves.toEqual({
      status: 'invalid-key',
      statusCode: 200,
      message: `Prefect Cloud 1 rejected the API key (${short}): it is wrong, expired or deleted. Create a new key and update the secret that holds it.`,
      detail: `Prefect Cloud 1 said: ${long}`,
    });
  });

  test('an error of the action itself, asking who the key is or listing its keys, is thrown as it is: not an outage, not an unknown expiry', async () => {
    const broken = new Error('the trace broke');
    for (const at of [1, 2]) {
      let traced = 0;
      const trace = () => {
        traced += 1;
        if (traced === at) throw broken;
      };
      script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [keyEntry()] })] };
      seen = [];
      await expect(checkCloud1Key({ ...graphql(), policy: { ...quickPolicy(), trace } }, rest(), none)).rejects.toBe(broken);
      expect(operations()).toEqual(['auth_info', 'auth_api_key'].slice(0, at));
    }
  });

  test("a proxy's 401 or 403 says nothing about the key, and keeps its status", async () => {
    for (const status of [401, 403]) {
      script = { auth_info: [[status, 'blocked']] };
      await expect(check()).resolves.toEqual({
        status: 'unexpected',
        statusCode: status,
        message: `Something between the runner and Prefect Cloud 1 (a proxy or a firewall) answered HTTP ${status} with a page that is not Prefect's answer: this says nothing about the key. Check the runner's proxy (HTTPS_PROXY) and firewall, and that graphql-url (${graphqlHref()}) is the Prefect Cloud 1 API.`,
      });
    }
  });

  test('an answer Prefect Cloud 1 would not give is unexpected, naming graphql-url', async () => {
    script = { auth_info: [data({ auth_info: null })] };
    await expect(check()).resolves.toEqual({
      status: 'unexpected',
      statusCode: 200,
      message: `Prefect Cloud 1 answered the key check with no auth_info: check that graphql-url (${graphqlHref()}) is the Prefect Cloud 1 API.`,
    });
    script = { auth_info: [error('Cannot query field', 'GRAPHQL_VALIDATION_FAILED')] };
    await expect(check()).resolves.toEqual({
      status: 'unexpected',
      statusCode: 200,
      message: `Prefect Cloud 1 answered the key check with GRAPHQL_VALIDATION_FAILED: Cannot query field: check that graphql-url (${graphqlHref()}) is the Prefect Cloud 1 API.`,
    });
    script = { auth_info: [data({ auth_info: { user_id: 'someone', tenant_id: TENANT } })] };
    await expect(check()).resolves.toEqual({
      status: 'unexpected',
      statusCode: 200,
      message: `Prefect Cloud 1 answered the key check with a value it does not send: auth_info.user_id is not a UUID. Check that graphql-url (${graphqlHref()}) is the Prefect Cloud 1 API.`,
    });
    expect(operations()).toEqual(['auth_info', 'auth_info', 'auth_info']);
  });

  test('an outage is unavailable, with the last status, after the retries', async () => {
    script = { auth_info: [[502, 'bad gateway']] };
    const result = await check(none, 1);
    expect(result).toMatchObject({ status: 'unavailable', statusCode: 502 });
    expect(result.message).toMatch(
      new RegExp(`^Prefect Cloud 1 at ${origin()} could not be reached: .+\\. This says nothing about the key; run the job again later\\.$`),
    );
    expect(operations()).toEqual(['auth_info', 'auth_info']);
  });

  test("a named workspace is then asked through /health: its answer decides, with the key's actor when valid", async () => {
    const target = { kind: 'ids', accountId: OTHER, workspaceId: TENANT } as const;
    const health = `/api/accounts/${OTHER}/workspaces/${TENANT}/health`;
    script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [] })], [health]: [[200, true]] };
    const valid = await check(target);
    expect(valid).toMatchObject({ status: 'valid', statusCode: 200, actorId: USER });
    expect(valid.message).not.toBe(VALID);
    expect(operations()).toEqual(['auth_info', 'auth_api_key', health]);
    script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [] })], [health]: [[403, { detail: 'no' }]] };
    const refused = await check(target);
    expect(refused).toMatchObject({ status: 'forbidden', statusCode: 403 });
    expect(refused).not.toHaveProperty('actorId');
    // A 200 that is not Prefect's `true` decides too: not valid, and no actor handed on.
    script = { auth_info: [WHO], auth_api_key: [data({ auth_api_key: [] })], [health]: [[200, {}]] };
    const notPrefect = await check(target);
    expect(notPrefect).toMatchObject({ status: 'unexpected', statusCode: 200 });
    expect(notPrefect).not.toHaveProperty('actorId');
  });
});
