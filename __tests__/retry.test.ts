// The retry loop, over real HTTP to a scripted loopback server, with the
// clock, sleep and jitter injected.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffMs, retryAfterMs, sendWithRetries, UnavailableError, TransientAnswerError, type RetryPolicy } from '../src/http/retry.ts';

type Script = (response: ServerResponse) => void;
let server: Server;
let url: URL;
let script: Script[] = [];
let hits = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    const step = script[Math.min(hits, script.length - 1)];
    hits += 1;
    step?.(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  hits = 0;
});

const answer =
  (status: number, body = '{}', headers: Record<string, string> = {}): Script =>
  (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };

/** A fake clock: sleeping moves it forward and is recorded. */
function fakePolicy(retries: number, budgetMs = 60_000) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    retries,
    deadline: now + budgetMs,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
  return { policy, sleeps };
}

const request = () => ({ method: 'GET' as const, url, headers: {} });
const status = (response: { status: number }) => response.status;

test('a 503 then a 200 is retried once, after a jittered backoff', async () => {
  script = [answer(503), answer(200)];
  const { policy, sleeps } = fakePolicy(3);
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(200);
  expect(hits).toBe(2);
  expect(sleeps).toEqual([375]);
});

test.each([401, 403, 404, 400])('%i is an answer, not a fault: no retry', async (code) => {
  script = [answer(code)];
  const { policy, sleeps } = fakePolicy(3);
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(code);
  expect(hits).toBe(1);
  expect(sleeps).toEqual([]);
});

test('after the last retry the error says how many attempts and what the last answer was', async () => {
  script = [answer(503)];
  const { policy, sleeps } = fakePolicy(3);
  const error = await sendWithRetries(policy, request(), status).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnavailableError);
  expect((error as UnavailableError).message).toBe('HTTP 503 (4 attempts)');
  expect((error as UnavailableError).lastStatus).toBe(503);
  expect(hits).toBe(4);
  expect(sleeps).toEqual([375, 750, 1500]);
});

test('Retry-After is honoured exactly', async () => {
  script = [answer(429, '{}', { 'retry-after': '2' }), answer(200)];
  const { policy, sleeps } = fakePolicy(3);
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(200);
  expect(sleeps).toEqual([2000]);
});

test('a Retry-After past the deadline ends the retries at once', async () => {
  script = [answer(429, '{}', { 'retry-after': '120' })];
  const { policy, sleeps } = fakePolicy(3, 30_000);
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow('HTTP 429; it asked to retry after 120 s, past the deadline (1 attempt)');
  expect(sleeps).toEqual([]);
});

test('a backoff that would pass the deadline is not slept', async () => {
  script = [answer(502, '<html><body>Bad gateway</body></html>')];
  const { policy, sleeps } = fakePolicy(10, 1_000);
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow('HTTP 502 (an HTML error page) (2 attempts)');
  expect(sleeps).toEqual([375]);
});

test('a malformed answer is retried like a gateway error', async () => {
  script = [answer(200, '{"trunc'), answer(200, '[]')];
  const { policy } = fakePolicy(3);
  const parse = (response: { body: string }) => {
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      throw new TransientAnswerError('not JSON');
    }
  };
  await expect(sendWithRetries(policy, request(), parse)).resolves.toEqual([]);
  expect(hits).toBe(2);
});

test('a server that never answers is cut off at the deadline', async () => {
  script = [() => undefined];
  const started = Date.now();
  const policy: RetryPolicy = { retries: 3, deadline: Date.now() + 300, now: Date.now, sleep: async () => undefined, random: () => 0 };
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow('timed out waiting for an answer (1 attempt)');
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('a refused connection is a network failure, retried', async () => {
  const closed = new URL('http://127.0.0.1:1/x');
  const { policy, sleeps } = fakePolicy(1);
  await expect(sendWithRetries(policy, { method: 'GET', url: closed, headers: {} }, status)).rejects.toThrow(/ECONNREFUSED.*\(2 attempts\)$/);
  expect(sleeps).toEqual([375]);
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  expect(retryAfterMs('3', 0)).toBe(3000);
  expect(retryAfterMs('0.5', 0)).toBe(500);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  expect(retryAfterMs('soon', 0)).toBeUndefined();
  expect(retryAfterMs(undefined, 0)).toBeUndefined();
});

test('backoff doubles up to a cap, with jitter in the upper half', () => {
  expect([0, 1, 2, 3, 4, 5].map((retry) => backoffMs(retry, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  expect([0, 1, 2].map((retry) => backoffMs(retry, () => 0.999999))).toEqual([500, 1000, 2000]);
});
