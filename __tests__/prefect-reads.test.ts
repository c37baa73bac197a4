// The Prefect Cloud reads behind a check (src/prefect/rest.ts, scopes.ts,
// expiry.ts) over real HTTP to a scripted loopback server: every answer
// checked where it is parsed, each refusal told apart from a proxy's, every
// read that Prefect will not answer turned into a reason (the scopes: an outage
// kept apart from a refusal), never a crash.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnavailableError, type RetryPolicy } from '../src/http/retry.ts';
import { daysLeft, expiryOf, keyExpiry, masks } from '../src/prefect/expiry.ts';
import { get, health, isPrefectRefusal, myWorkspaces, parseJson, under, workspacesOf, workspaceUrl, type PrefectApi } from '../src/prefect/rest.ts';
import { roleGranting, workspaceScopes } from '../src/prefect/scopes.ts';
import { UnexpectedAnswerError } from '../src/prefect/values.ts';
import { deadlineIn, noWaitClock } from './support/clock.ts';

type Script = (response: ServerResponse) => void;
let server: Server;
let base: URL;
let script: Script = () => undefined;
let seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request);
    script(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const KEY = 'pnu_abcdefghijklmnopqrstuvwxyz0123456789';
const ACCOUNT = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const WORKSPACE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const answer =
  (status: number, body: unknown, type = 'application/json'): Script =>
  (response) => {
    response.writeHead(status, { 'content-type': type });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

function api(retries = 0): PrefectApi {
  const policy: RetryPolicy = { retries, clock: noWaitClock, deadline: deadlineIn(10_000), random: () => 0 };
  return { base, apiKey: KEY, policy };
}

const entry = (overrides: Record<string, unknown> = {}) => ({
  account_id: ACCOUNT,
  account_handle: 'acme',
  workspace_id: WORKSPACE,
  workspace_handle: 'prod',
  ...overrides,
});

describe('rest', () => {
  test('a path goes under the base, its path kept and no slash doubled', () => {
    expect(under(new URL('https://api.prefect.cloud/'), '/me/').href).toBe('https://api.prefect.cloud/me/');
    expect(under(new URL('https://h/api'), '/me').href).toBe('https://h/api/me');
    expect(under(new URL('https://h/api//'), '/me').href).toBe('https://h/api/me');
    expect(under(new URL('https://h/a/api/'), '/me').href).toBe('https://h/a/api/me');
    expect(workspaceUrl(new URL('https://h/api/'), 'a', 'w')).toBe('https://h/api/accounts/a/workspaces/w');
  });

  test('a GET carries the key as a bearer token and asks for JSON', async () => {
    script = answer(200, []);
    const response = await get(api(), '/me/workspaces');
    expect(response.status).toBe(200);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/api/me/workspaces');
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.headers.accept).toBe('application/json');
  });

  test('a body that is not JSON is a transient answer naming the status', () => {
    expect(() => parseJson({ status: 200, headers: {}, body: '<html>' })).toThrow(/^HTTP 200 with a body that is not JSON$/);
    expect(parseJson({ status: 200, headers: {}, body: '[1]' })).toEqual([1]);
  });

  test.each([
    ['{"detail":"no"}', true],
    ['{"detail":null}', true],
    ['{"other":1}', false],
    ['null', false],
    ['"detail"', false],
    ['[]', false],
    ['<html>detail</html>', false],
  ])('%s is a refusal from Prefect itself: %s', (body, expected) => {
    expect(isPrefectRefusal({ status: 401, headers: {}, body })).toBe(expected);
  });

  test('the workspaces of a 200 are checked, field by field, and numbered from 1', () => {
    const ok = (list: unknown) => workspacesOf({ status: 200, headers: {}, body: JSON.stringify(list) });
    expect(ok([entry({ account_id: ACCOUNT.toUpperCase() })])).toEqual([entry()]);
    expect(() => ok({})).toThrow(new UnexpectedAnswerError('/me/workspaces is not a list'));
    expect(() => ok([entry(), 3])).toThrow(/^\/me\/workspaces entry 2 is not /);
    expect(() => ok([entry({ account_id: 'x' })])).toThrow(/^account_id is not a UUID$/);
    expect(() => ok([entry({ workspace_id: 'x' })])).toThrow(/^workspace_id is not a UUID$/);
    expect(() => ok([entry({ account_handle: 'Acme' })])).toThrow(/^account_handle is not a handle/);
    expect(() => ok([entry({ workspace_handle: '' })])).toThrow(/^workspace_handle is not a handle/);
  });

  test('myWorkspaces: a 200 is Prefect; a refusal is Prefect only with its detail', async () => {
    script = answer(200, [entry()]);
    await expect(myWorkspaces(api())).resolves.toEqual({ status: 200, workspaces: [entry()], fromPrefect: true });
    script = answer(401, { detail: 'Invalid authentication credentials' });
    await expect(myWorkspaces(api())).resolves.toEqual({ status: 401, fromPrefect: true });
    script = answer(403, '<html>Forbidden</html>', 'text/html');
    await expect(myWorkspaces(api())).resolves.toEqual({ status: 403, fromPrefect: false });
  });

  test('health: a 200 is Prefect only with its `true`; what else answered is named; other answers are Prefect only with a detail', async () => {
    script = answer(200, true);
    await expect(health(api(), ACCOUNT, WORKSPACE)).resolves.toEqual({ status: 200, fromPrefect: true });
    expect(seen[0]!.url).toBe(`/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}/health`);
    for (const [body, type, said] of [
      ['<!doctype html><title>Sign in</title>', 'text/html', 'html'],
      ['Welcome', 'text/html; charset=utf-8', 'html'],
      ['<html></html>', 'text/plain', 'html'],
      ['false', 'application/json', 'false'],
      ['', 'application/json', 'empty'],
      ['  \n', 'application/json', 'empty'],
      ['"true"', 'application/json', 'other'],
      ['not json', 'text/plain', 'other'],
    ]) {
      script = answer(200, body, type);
      await expect(health(api(), ACCOUNT, WORKSPACE)).resolves.toEqual({ status: 200, fromPrefect: false, said });
    }
    script = answer(404, { detail: 'Not Found' });
    await expect(health(api(), ACCOUNT, WORKSPACE)).resolves.toEqual({ status: 404, fromPrefect: true });
    script = answer(404, 'nginx', 'text/plain');
    await expect(health(api(), ACCOUNT, WORKSPACE)).resolves.toEqual({ status: 404, fromPrefect: false });
  });
});

describe('scopes', () => {
  const read = () => workspaceScopes(api(), WORKSPACE);

  test('a list of scope names is the answer, asked at the workspace', async () => {
    script = answer(200, ['see_flows', 'run_deployments', 'write_flows']);
    await expect(read()).resolves.toEqual({ kind: 'read', scopes: ['see_flows', 'run_deployments', 'write_flows'] });
    expect(seen[0]!.url).toBe(`/api/me/workspaces/${WORKSPACE}/scopes`);
    script = answer(200, []);
    await expect(read()).resolves.toEqual({ kind: 'read', scopes: [] });
  });

  test.each([
    ['not a list', { scopes: [] }],
    ['a number in the list', ['see_flows', 1]],
    ['a null that reads as a name once made text', ['see_flows', null]],
    ['a boolean that reads as a name once made text', ['see_flows', true]],
    ['an upper-case name', ['see_flows', 'See_flows']],
    ['a name with a prefix', ['see_flows', '1see_flows']],
    ['a name with a suffix', ['see_flows', 'see_flows!']],
    ['a name too long', ['a'.repeat(101)]],
  ])('%s: an answer Prefect does not send', async (_name, body) => {
    script = answer(200, body);
    await expect(read()).resolves.toEqual({ kind: 'unexpected', statusCode: 200, why: 'the workspace scopes are not a list of scope names' });
  });

  test('a name at the length bound is a scope', async () => {
    script = answer(200, ['a'.repeat(100)]);
    await expect(read()).resolves.toEqual({ kind: 'read', scopes: ['a'.repeat(100)] });
  });

  test("Prefect's own 403 or 404 is a refusal to say; the same status from something else, or another status, is unexpected", async () => {
    for (const status of [403, 404]) {
      script = answer(status, { detail: 'no' });
      await expect(read()).resolves.toEqual({ kind: 'refused', why: `Prefect Cloud answered HTTP ${status} when asked for the key's scopes` });
      script = answer(status, '<html>Forbidden</html>', 'text/html');
      await expect(read()).resolves.toEqual({ kind: 'unexpected', statusCode: status, why: `HTTP ${status} with a page that is not Prefect's answer` });
    }
    script = answer(409, { detail: 'Conflict' });
    await expect(read()).resolves.toEqual({ kind: 'unexpected', statusCode: 409, why: 'HTTP 409, which Prefect Cloud does not send there' });
  });

  test('an outage is unavailable, with the error that says why', async () => {
    script = answer(503, {});
    const result = await read();
    expect(result.kind).toBe('unavailable');
    expect(result.kind === 'unavailable' && result.error.lastStatus).toBe(503);
  });

  test('an error of the action itself is not hidden', async () => {
    script = answer(200, []);
    const broken = api();
    broken.policy.clock = {
      ...broken.policy.clock,
      now: () => {
        throw new TypeError('clock broken');
      },
    };
    await expect(workspaceScopes(broken, WORKSPACE)).rejects.toThrow(new TypeError('clock broken'));
  });

  test.each([
    ['see_flows', 'Viewer'],
    ['run_deployments', 'Runner'],
    ['write_deployments', 'Developer'],
    ['manage_blocks', 'Developer'],
    ['manage_acls', 'Developer'],
    ['run_flows', 'Owner'],
    // Names Prefect Cloud does not know: no role grants them.
    ['run_deployment', undefined],
    ['write_flows', undefined],
    ['see_', undefined],
    ['administer_workspace', undefined],
  ])('%s is first granted to %s', (scope, role) => {
    expect(roleGranting(scope)).toBe(role);
  });
});

describe('expiry', () => {
  test.each([
    ['pnu_...6789', true],
    ['pnu_abc...6789', true],
    ['...6789', true],
    ['pnb_...6789', false],
    ['pnu_...6788', false],
    ['pnu_...789', false],
    ['pnu_...56789', false],
    ['pnu_...67...89', false],
    ['pnu_...6789...6789', false],
    ['pnu_6789', false],
  ])('%s masks the key: %s', (masked, expected) => {
    expect(masks(masked, KEY)).toBe(expected);
  });

  test('whole days left, rounded down, negative once passed', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(daysLeft('2026-01-02T00:00:00Z', now)).toBe(1);
    expect(daysLeft('2026-01-01T23:59:59Z', now)).toBe(0);
    expect(daysLeft('2025-12-31T23:59:59Z', now)).toBe(-1);
    expect(expiryOf(null)).toEqual({ kind: 'never' });
    expect(expiryOf('2026-01-02T00:00:00Z')).toEqual({ kind: 'expires', at: '2026-01-02T00:00:00Z' });
  });

  const listed = (entries: unknown) => {
    script = answer(200, entries);
    return keyExpiry(api());
  };

  test("the one entry whose mask fits is the key's own", async () => {
    await expect(
      listed([
        { masked_key: 'pnu_...0000', expiration: null },
        { masked_key: 'pnu_...6789', expiration: '2027-01-01T00:00:00+01:00' },
        { name: 'no mask', expiration: null },
      ]),
    ).resolves.toEqual({ kind: 'expires', at: '2026-12-31T23:00:00.000Z' });
    expect(seen[0]!.url).toBe('/api/me/api_keys');
    await expect(listed([{ masked_key: 'pnu_...6789', expiration: null }])).resolves.toEqual({ kind: 'never' });
  });

  test('no fit, or several, is unknown', async () => {
    await expect(listed([{ masked_key: 'pnu_...0000', expiration: null }])).resolves.toEqual({
      kind: 'unknown',
      why: 'no key Prefect lists looks like this one',
    });
    await expect(
      listed([
        { masked_key: 'pnu_...6789', expiration: null },
        { masked_key: 'pnu_a...6789', expiration: null },
      ]),
    ).resolves.toEqual({ kind: 'unknown', why: 'several keys Prefect lists look like this one' });
  });

  test('an answer that is not a list, or a bad entry, is unknown with why', async () => {
    await expect(listed({})).resolves.toEqual({ kind: 'unknown', why: 'its expiry could not be read (/me/api_keys is not a list)' });
    await expect(listed([3])).resolves.toEqual({ kind: 'unknown', why: 'its expiry could not be read (an /me/api_keys entry is not an object)' });
    await expect(listed([{ masked_key: 'pnu_...6789', expiration: 'soon' }])).resolves.toEqual({
      kind: 'unknown',
      why: 'its expiry could not be read (the key expiration is not an RFC 3339 timestamp)',
    });
  });

  test('another status, or an outage, is unknown with why', async () => {
    script = answer(404, { detail: 'Not Found' });
    await expect(keyExpiry(api())).resolves.toEqual({ kind: 'unknown', why: "Prefect Cloud answered HTTP 404 when asked for the key's expiry" });
    script = answer(503, {});
    const outage = await keyExpiry(api());
    expect(outage.kind).toBe('unknown');
    expect(outage.kind === 'unknown' && outage.why).toMatch(/^its expiry could not be read \(.+\)$/);
  });

  test('an error of the action itself is not hidden', async () => {
    script = answer(200, []);
    const broken = api();
    broken.policy.clock = {
      ...broken.policy.clock,
      now: () => {
        throw new TypeError('clock broken');
      },
    };
    await expect(keyExpiry(broken)).rejects.toThrow(new TypeError('clock broken'));
    await expect(keyExpiry(broken)).rejects.not.toBeInstanceOf(UnavailableError);
  });
});
