// How a check decides (src/prefect/check.ts), over real HTTP to a loopback
// server scripted per path: each status of each read, Prefect's refusals told
// from a proxy's, what a 404 is explained with, which handle a 403 names,
// errors of the action itself never taken for a failed read, and the messages
// whole where they carry a decision.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetryPolicy } from '../src/http/retry.ts';
import { checkKey, handleOf, keyType } from '../src/prefect/check.ts';
import type { PrefectApi, WorkspaceInfo } from '../src/prefect/rest.ts';
import { deadlineIn, noWaitClock } from './support/clock.ts';

type Reply = [status: number, body: unknown];
let server: Server;
let base: URL;
let routes: Record<string, Reply> = {};
let paths: string[] = [];

beforeAll(async () => {
  server = createServer((request, response: ServerResponse) => {
    const path = new URL(request.url!, 'http://x').pathname.replace(/^\/api/, '');
    paths.push(path);
    const [status, body] = routes[path] ?? [599, 'unscripted'];
    response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  routes = {};
  paths = [];
});

const api = (trace?: RetryPolicy['trace']): PrefectApi => {
  const policy: RetryPolicy = { retries: 0, clock: noWaitClock, deadline: deadlineIn(10_000), random: () => 0, trace };
  return { base, apiKey: 'pnu_abcdefghijklmnopqrstuvwxyz0123456789', policy };
};
/** An error of the action itself (here its trace), thrown at the read of /me/workspaces: never taken for an outage or a bad answer. */
const BROKEN = new Error('the trace broke');
const brokenAtList = () =>
  api((line) => {
    if (line.includes('/me/workspaces')) throw BROKEN;
  });

const A = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const W = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const OTHER = '11111111-2222-4333-8444-555555555555';
const ws = (n: number, account = A, handle = 'acme'): WorkspaceInfo => ({
  account_id: account,
  account_handle: handle,
  workspace_id: `9a8b7c6d-5e4f-4a3b-8c2d-${String(n).padStart(12, '0')}`,
  workspace_handle: `ws-${n}`,
});
const ids = { kind: 'ids', accountId: A, workspaceId: W } as const;
const HEALTH = `/accounts/${A}/workspaces/${W}/health`;
const PREFECT = { detail: 'from Prefect' };

test('the key type is read from its prefix', () => {
  expect(keyType('pnu_x')).toBe('user');
  expect(keyType('pnb_x')).toBe('service-account');
  expect(keyType('abc')).toBe('unknown');
  expect(keyType('xpnb_')).toBe('unknown');
  expect(handleOf(ws(1))).toBe('acme/ws-1');
});

describe('a workspace named by ids', () => {
  test("a 200 from health with Prefect's `true` is valid, with the URL", async () => {
    routes[HEALTH] = [200, true];
    await expect(checkKey(api(), ids)).resolves.toEqual({
      status: 'valid',
      statusCode: 200,
      accountId: A,
      workspaceId: W,
      workspaceLabel: `${A}/${W}`,
      workspaceUrl: `${base.href}accounts/${A}/workspaces/${W}`,
      message: `The API key is valid for workspace ${A}/${W}.`,
    });
  });

  test.each([
    ['an HTML page', '<!doctype html><title>Wi-Fi sign-in</title>'],
    ['`false`', false],
    ['an empty body', ''],
    ['a body other than `true`', { healthy: true }],
  ])("a 200 from health with %s is not Prefect's answer: unexpected, naming what answered and api-url, never the key", async (what, body) => {
    routes[HEALTH] = [200, body];
    const result = await checkKey(api(), ids);
    expect(result).toEqual({
      status: 'unexpected',
      statusCode: 200,
      workspaceLabel: `${A}/${W}`,
      workspaceUrl: `${base.href}accounts/${A}/workspaces/${W}`,
      message: `The workspace's health check answered HTTP 200 with ${what}, not Prefect Cloud's answer (\`true\`): something else answered (a captive portal, a proxy's page, or a web site at api-url), and this says nothing about the key. Check that api-url (${base.href}) points at the Prefect Cloud API, and the runner's proxy (HTTPS_PROXY) and network.`,
    });
  });

  test('a 403 from Prefect names the workspace', async () => {
    routes[HEALTH] = [403, PREFECT];
    const result = await checkKey(api(), ids);
    expect(result.status).toBe('forbidden');
    expect(result.message.startsWith(`Prefect Cloud denied this valid key access to workspace ${A}/${W} (HTTP 403).`)).toBe(true);
  });

  test("a 403 names the workspace by its handle when the key's list holds that account's workspace of that id, and no other", async () => {
    routes[HEALTH] = [403, PREFECT];
    const sameAccount = { account_id: A, account_handle: 'acme', workspace_id: OTHER, workspace_handle: 'staging' };
    const sameWorkspaceId = { account_id: OTHER, account_handle: 'globex', workspace_id: W, workspace_handle: 'copy' };
    const denied = (label: string) =>
      `Prefect Cloud denied this valid key access to workspace ${label} (HTTP 403). Check the account's IP allowlist and PrivateLink settings first, then the workspace role of the key's user or service account.`;
    routes['/me/workspaces'] = [200, [sameAccount, sameWorkspaceId]];
    expect(await checkKey(api(), ids)).toMatchObject({ status: 'forbidden', statusCode: 403, workspaceLabel: `${A}/${W}`, message: denied(`${A}/${W}`) });
    routes['/me/workspaces'] = [
      200,
      [sameAccount, sameWorkspaceId, { account_id: A, account_handle: 'acme', workspace_id: W, workspace_handle: 'production' }],
    ];
    expect(await checkKey(api(), ids)).toMatchObject({
      status: 'forbidden',
      statusCode: 403,
      accountId: A,
      workspaceId: W,
      workspaceLabel: 'acme/production',
      workspaceUrl: `${base.href}accounts/${A}/workspaces/${W}`,
      message: denied('acme/production'),
    });
  });

  test('a 403 whose list of workspaces fails (an outage, a bad value, a refusal) keeps the ids', async () => {
    routes[HEALTH] = [403, PREFECT];
    for (const reply of [[503, {}] as Reply, [200, [{ account_id: 'x' }]] as Reply, [401, PREFECT] as Reply]) {
      routes['/me/workspaces'] = reply;
      expect(await checkKey(api(), ids)).toMatchObject({
        status: 'forbidden',
        statusCode: 403,
        workspaceLabel: `${A}/${W}`,
        message: expect.stringMatching(new RegExp(`^Prefect Cloud denied this valid key access to workspace ${A}/${W} \\(HTTP 403\\)\\.`)),
      });
    }
  });

  test('an error of the action itself while a 403 or a 404 asks for the list is thrown as it is, not taken for a failed list', async () => {
    routes['/me/workspaces'] = [200, [ws(1)]];
    for (const status of [403, 404]) {
      routes[HEALTH] = [status, PREFECT];
      await expect(checkKey(brokenAtList(), ids)).rejects.toBe(BROKEN);
    }
  });

  test.each([401, 403, 404])('a %i that is not Prefect says nothing about the key', async (status) => {
    routes[HEALTH] = [status, '<html>proxy</html>'];
    const result = await checkKey(api(), ids);
    expect(result).toMatchObject({ status: 'unexpected', statusCode: status, workspaceLabel: `${A}/${W}` });
    expect(result.workspaceUrl).toBe(`${base.href}accounts/${A}/workspaces/${W}`);
    expect(result.message.startsWith(`Something between the runner and Prefect Cloud (a proxy or a firewall) answered HTTP ${status}`)).toBe(true);
  });

  test.each([400, 409, 302])('a %i from health is unexpected, naming the health check', async (status) => {
    routes[HEALTH] = [status, PREFECT];
    const result = await checkKey(api(), ids);
    expect(result).toMatchObject({ status: 'unexpected', statusCode: status, workspaceLabel: `${A}/${W}` });
    expect(result.workspaceUrl).toBe(`${base.href}accounts/${A}/workspaces/${W}`);
    expect(result.message).toBe(
      `Prefect Cloud answered HTTP ${status} to the health check, which a Prefect Cloud API does not send: check that api-url (${base.href}) points at the Prefect Cloud API.`,
    );
  });

  test('a 404 in the right account: the workspace id or membership', async () => {
    routes[HEALTH] = [404, PREFECT];
    routes['/me/workspaces'] = [200, [ws(1, OTHER, 'globex'), ws(2)]];
    const result = await checkKey(api(), ids);
    expect(result).toMatchObject({ status: 'not-found', statusCode: 404 });
    expect(result.message).toBe(
      `Workspace ${A}/${W} was not found for this key (HTTP 404): the key's account is right, so either the workspace id is wrong or the key's user or service account is not a member of that workspace.`,
    );
    expect(result.detail).toBe('The key reaches globex/ws-1, acme/ws-2.');
  });

  test('a 404 in another account: the account; ten listed, then a count', async () => {
    routes[HEALTH] = [404, PREFECT];
    routes['/me/workspaces'] = [200, Array.from({ length: 12 }, (_, n) => ws(n, OTHER, 'globex'))];
    const { message, detail } = await checkKey(api(), ids);
    expect(message).toContain(
      ": the key has no access to that account: check the account id (input account, or the URL in api-url), or add the key's user or service account to it.",
    );
    expect(detail?.startsWith('The key reaches globex/ws-0,')).toBe(true);
    expect(detail?.endsWith('globex/ws-9 and 2 more.')).toBe(true);
    routes['/me/workspaces'] = [200, Array.from({ length: 10 }, (_, n) => ws(n, OTHER, 'globex'))];
    expect((await checkKey(api(), ids)).detail?.endsWith('globex/ws-8, globex/ws-9.')).toBe(true);
  });

  test('a 404 for a key in no workspace, and one whose list fails', async () => {
    routes[HEALTH] = [404, PREFECT];
    routes['/me/workspaces'] = [200, []];
    expect((await checkKey(api(), ids)).detail).toBe('The key is a member of no workspace.');
    for (const reply of [[503, {}] as Reply, [200, [{ account_id: 'x' }]] as Reply, [401, PREFECT] as Reply]) {
      routes['/me/workspaces'] = reply;
      const result = await checkKey(api(), ids);
      expect(result.status).toBe('not-found');
      expect(result.message).toBe(
        `Workspace ${A}/${W} was not found for this key (HTTP 404): either the ids (or the URL in api-url) are wrong, or the key's user or service account is not a member of that workspace.`,
      );
    }
  });
});

describe('a workspace named by handle', () => {
  const target = { kind: 'handle', accountHandle: 'acme', workspaceHandle: 'ws-2' } as const;

  test('the handle resolves in its own account only', async () => {
    routes['/me/workspaces'] = [200, [ws(2, OTHER, 'globex'), { ...ws(2), account_handle: 'acme' }]];
    routes[`/accounts/${A}/workspaces/${ws(2).workspace_id}/health`] = [200, true];
    const result = await checkKey(api(), target);
    expect(result).toMatchObject({ status: 'valid', accountId: A, workspaceId: ws(2).workspace_id, workspaceLabel: 'acme/ws-2' });
  });

  test('a handle not listed is not-found, with the list', async () => {
    routes['/me/workspaces'] = [200, [ws(1)]];
    await expect(checkKey(api(), target)).resolves.toEqual({
      status: 'not-found',
      workspaceLabel: 'acme/ws-2',
      reachable: [ws(1)],
      message: "Workspace acme/ws-2 is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it.",
      detail: 'The key reaches acme/ws-1.',
    });
  });

  test('a 403 from health keeps the handle given, and the list is asked once', async () => {
    const health = `/accounts/${A}/workspaces/${ws(2).workspace_id}/health`;
    routes['/me/workspaces'] = [200, [ws(2)]];
    routes[health] = [403, PREFECT];
    expect(await checkKey(api(), target)).toMatchObject({ status: 'forbidden', statusCode: 403, workspaceLabel: 'acme/ws-2' });
    expect(paths).toEqual(['/me/workspaces', health]);
  });

  test("a status other than 401, 403 or 404 is unexpected even from a page that is not Prefect's", async () => {
    routes['/me/workspaces'] = [409, '<html>conflict</html>'];
    expect(await checkKey(api(), target)).toEqual({
      status: 'unexpected',
      statusCode: 409,
      workspaceLabel: 'acme/ws-2',
      message: `Prefect Cloud answered HTTP 409 to the list of workspaces, which a Prefect Cloud API does not send: check that api-url (${base.href}) points at the Prefect Cloud API.`,
    });
  });

  test("Prefect's 401 and 403 decide; a proxy's says nothing; another status is unexpected", async () => {
    routes['/me/workspaces'] = [401, PREFECT];
    expect(await checkKey(api(), target)).toMatchObject({ status: 'invalid-key', statusCode: 401, workspaceLabel: 'acme/ws-2' });
    routes['/me/workspaces'] = [403, PREFECT];
    const forbidden = await checkKey(api(), target);
    expect(forbidden).toMatchObject({ status: 'forbidden', statusCode: 403, workspaceLabel: 'acme/ws-2' });
    expect(forbidden.message.startsWith('Prefect Cloud denied this valid key access (HTTP 403).')).toBe(true);
    routes['/me/workspaces'] = [403, 'nginx'];
    expect(await checkKey(api(), target)).toMatchObject({ status: 'unexpected', statusCode: 403, workspaceLabel: 'acme/ws-2' });
    for (const status of [404, 409]) {
      routes['/me/workspaces'] = [status, PREFECT];
      const result = await checkKey(api(), target);
      expect(result).toMatchObject({ status: 'unexpected', statusCode: status, workspaceLabel: 'acme/ws-2' });
      expect(result.message.startsWith(`Prefect Cloud answered HTTP ${status} to the list of workspaces,`)).toBe(true);
    }
  });
});

describe('a key alone', () => {
  const alone = { kind: 'none' } as const;

  test('one workspace is named and linked; several are listed', async () => {
    routes['/me/workspaces'] = [200, [ws(1)]];
    expect(await checkKey(api(), alone)).toEqual({
      status: 'valid',
      statusCode: 200,
      reachable: [ws(1)],
      workspaceLabel: 'acme/ws-1',
      workspaceUrl: `${base.href}accounts/${A}/workspaces/${ws(1).workspace_id}`,
      message: 'The API key is valid; it reaches acme/ws-1.',
    });
    routes['/me/workspaces'] = [200, [ws(1), ws(2)]];
    const two = await checkKey(api(), alone);
    expect(two.workspaceLabel).toBeUndefined();
    expect(two.workspaceUrl).toBeUndefined();
  });

  test('a key in no workspace is valid, and says so', async () => {
    routes['/me/workspaces'] = [200, []];
    expect(await checkKey(api(), alone)).toEqual({
      status: 'valid',
      statusCode: 200,
      reachable: [],
      message: 'The API key is valid; it is a member of no workspace.',
    });
  });

  test('an outage names no workspace; an error of the action itself is thrown as it is', async () => {
    routes['/me/workspaces'] = [503, {}];
    expect(await checkKey(api(), alone)).toEqual({
      status: 'unavailable',
      statusCode: 503,
      message: `Prefect Cloud at ${base.host} could not be reached: HTTP 503 (1 attempt). This says nothing about the key; run the job again later.`,
    });
    await expect(checkKey(brokenAtList(), alone)).rejects.toBe(BROKEN);
  });

  test("Prefect's 401 is a bad key; its 404 or another status unexpected; an outage unavailable", async () => {
    routes['/me/workspaces'] = [401, PREFECT];
    expect(await checkKey(api(), alone)).toMatchObject({ status: 'invalid-key', statusCode: 401 });
    routes['/me/workspaces'] = [404, PREFECT];
    const notFound = await checkKey(api(), alone);
    expect(notFound).toMatchObject({ status: 'unexpected', statusCode: 404 });
    expect(notFound.message.startsWith('Prefect Cloud answered HTTP 404 to the list of workspaces,')).toBe(true);
    routes['/me/workspaces'] = [503, {}];
    const outage = await checkKey(api(), alone);
    expect(outage).toMatchObject({ status: 'unavailable', statusCode: 503 });
    expect(outage.message.startsWith(`Prefect Cloud at ${base.host} could not be reached: `)).toBe(true);
    routes['/me/workspaces'] = [200, [{ ...ws(1), account_id: 'nope' }]];
    expect(await checkKey(api(), alone)).toMatchObject({ status: 'unexpected', statusCode: 200 });
  });
});
