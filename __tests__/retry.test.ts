// The retry loop, over real HTTP to a scripted loopback server, with the
// clock, sleep and jitter injected.

import { createServer, type Server, type ServerResponse } from 'node:http';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  AmbiguousOutcomeError,
  attemptShare,
  backoffMs,
  cleanupPolicy,
  CLEANUP_MS,
  isTransientStatus,
  MIN_ATTEMPT_MS,
  pause,
  retryAfterMs,
  sendOnce,
  sendWithRetries,
  UnavailableError,
  TransientAnswerError,
  type RetryPolicy,
} from '../src/http/retry.ts';
import { Deadline } from '../src/clock/deadline.ts';
import { timingsWith } from '../src/clock/timings.ts';
import { deadlineIn, noWaitClock, steppedClock } from './support/clock.ts';

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
  const { clock, sleeps } = steppedClock(1_000_000);
  const policy: RetryPolicy = { retries, clock, deadline: new Deadline(clock, clock.now() + budgetMs), random: () => 0.5 };
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

/** An answer that comes `ms` after the request: a client still waiting then takes it; one that gave up never sees it. */
const lateAnswer =
  (ms: number, status = 200): Script =>
  (response) =>
    void setTimeout(() => answer(status, '[]')(response), ms).unref();

test('a server that never answers in time is cut off at the deadline', async () => {
  // Its answer comes well after the 300 ms deadline: a client that waited past the deadline would take it.
  script = [lateAnswer(2_000)];
  const policy: RetryPolicy = { retries: 3, clock: noWaitClock, deadline: deadlineIn(300), random: () => 0 };
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow(/^timed out waiting for an answer \(\d attempts?\)$/);
});

test('an attempt given all the time left is the last, even when the clock has not reached the deadline when it times out', async () => {
  // A timer counts from the event loop's last tick, so on a loaded machine it fires before the clock shows the
  // deadline: a clock that stands still is that at its extreme.
  script = [() => undefined];
  const stopped = Date.now();
  // With 400 ms left and a first backoff of 250 ms, even a first attempt of four gets all of it (its share, 200 ms,
  // would leave less than the pause). The clock still shows all 400 ms when it times out, time enough for the pause:
  // only the attempt's own timeout says the deadline is met.
  const stood = steppedClock(stopped).clock;
  const policy: RetryPolicy = { retries: 3, clock: stood, deadline: new Deadline(stood, stopped + 400), random: () => 0 };
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow(/^timed out .* \(1 attempt\)$/);
  expect(hits).toBe(1);
});

test('a stalled first request leaves time for the retry that succeeds, however short the deadline', async () => {
  // As with timeout-seconds: 10, scaled down: the first attempt gets half, the retry is sent and answered.
  script = [() => undefined, answer(200)];
  const policy: RetryPolicy = { retries: 2, clock: noWaitClock, deadline: deadlineIn(1_000), random: () => 0 };
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(200);
  expect(hits).toBe(2);
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

test.each([408, 429, 500, 502, 504, 599])('%i is transient: retried', async (code) => {
  script = [answer(code), answer(200)];
  const { policy, sleeps } = fakePolicy(1);
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(200);
  expect(hits).toBe(2);
  expect(sleeps).toEqual([375]);
});

test.each([409, 422, 499])('%i is an answer: not retried', async (code) => {
  script = [answer(code)];
  const { policy } = fakePolicy(3);
  await expect(sendWithRetries(policy, request(), status)).resolves.toBe(code);
  expect(hits).toBe(1);
});

test('a deadline already reached sends nothing', async () => {
  script = [answer(200)];
  const { policy } = fakePolicy(3, 0);
  const error = await sendWithRetries(policy, request(), status).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnavailableError);
  expect((error as UnavailableError).message).toBe('no attempt was made (0 attempts)');
  expect((error as UnavailableError).attempts).toBe(0);
  expect(hits).toBe(0);
});

test('a cancelled exchange sends nothing more', async () => {
  script = [answer(200)];
  const { policy } = fakePolicy(3);
  const controller = new AbortController();
  controller.abort();
  await expect(sendWithRetries({ ...policy, cancel: controller.signal }, request(), status)).rejects.toThrow('no attempt was made (0 attempts)');
  expect(hits).toBe(0);
});

test('with retries: 0 one failure is the end, and the error keeps the last status and Retry-After', async () => {
  script = [answer(503, '{}', { 'retry-after': '1' })];
  const { policy, sleeps } = fakePolicy(0);
  const error = (await sendWithRetries(policy, request(), status).catch((e: unknown) => e)) as UnavailableError;
  expect(error.message).toBe('HTTP 503 (1 attempt)');
  expect([error.attempts, error.lastStatus, error.retryAfterMs]).toEqual([1, 503, 1000]);
  expect(hits).toBe(1);
  expect(sleeps).toEqual([]);
});

test('a backoff that ends exactly at the deadline is not slept either', async () => {
  script = [answer(503)];
  const { policy, sleeps } = fakePolicy(3, 375);
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow('HTTP 503 (1 attempt)');
  expect(sleeps).toEqual([]);
});

test('a TransientAnswerError that asks for a wait is retried after exactly that wait', async () => {
  script = [answer(200, '1'), answer(200, '2')];
  const { policy, sleeps } = fakePolicy(3);
  const accept = (response: { body: string }) => {
    if (response.body === '1') throw new TransientAnswerError('not yet', 1234);
    return response.body;
  };
  await expect(sendWithRetries(policy, request(), accept)).resolves.toBe('2');
  expect(sleeps).toEqual([1234]);
});

test('an error of accept that is not transient ends the exchange at once', async () => {
  script = [answer(200)];
  const { policy } = fakePolicy(3);
  await expect(
    sendWithRetries(policy, request(), () => {
      throw new RangeError('bad');
    }),
  ).rejects.toThrow(RangeError);
  expect(hits).toBe(1);
});

test('retryAfterMs takes only a whole value: seconds, optionally decimal, or a date', () => {
  expect(retryAfterMs(' 7 ', 0)).toBe(7000);
  expect(retryAfterMs(['4', '9'], 0)).toBe(4000);
  expect(retryAfterMs('2.0001', 0)).toBe(2001);
  expect(retryAfterMs('', 0)).toBeUndefined();
  expect(retryAfterMs('   ', 0)).toBeUndefined();
  expect(retryAfterMs('x5', 0)).toBeUndefined();
  expect(retryAfterMs('5x', 0)).toBeUndefined();
  expect(retryAfterMs('1.', 0)).toBeUndefined();
  expect(retryAfterMs('2026', 0)).toBe(2_026_000);
  expect(retryAfterMs(new Date(1_000).toUTCString(), 4_000)).toBe(0);
  // RFC 9110's obsolete forms, which a recipient must still read.
  expect(retryAfterMs('Thursday, 01-Jan-70 00:00:10 GMT', 4_000)).toBe(6000);
  expect(retryAfterMs('Thu Jan  1 00:00:10 1970', 4_000)).toBe(6000);
  expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 +0000', 0)).toBeUndefined();
});

test('pause waits the backoff or what the server asked, and refuses a wait that reaches the deadline', async () => {
  const { policy, sleeps } = fakePolicy(3, 1_000);
  await expect(pause(policy, 0)).resolves.toBe(true);
  await expect(pause(policy, 0, 200)).resolves.toBe(true);
  await expect(pause(policy, 0, 425)).resolves.toBe(false);
  expect(sleeps).toEqual([375, 200]);
});

test('cleanupPolicy gives at least CLEANUP_MS, and never shortens a later deadline', () => {
  const { policy } = fakePolicy(3, 0);
  expect(cleanupPolicy(policy).deadline.end - policy.clock.now()).toBe(CLEANUP_MS);
  const { policy: later } = fakePolicy(3, CLEANUP_MS * 3);
  expect(cleanupPolicy(later).deadline.end).toBe(later.deadline.end);
});

test('attemptShare: the last attempt gets all that is left; any other an equal share, raised towards MIN_ATTEMPT_MS but never past half', () => {
  expect(MIN_ATTEMPT_MS).toBe(10_000);
  expect(attemptShare(60_000, 0)).toBe(60_000);
  expect(attemptShare(4_000, 0)).toBe(4_000);
  expect(attemptShare(60_000, 2)).toBe(20_000);
  expect(attemptShare(30_001, 2)).toBe(10_001);
  expect(attemptShare(40_000, 5)).toBe(MIN_ATTEMPT_MS);
  // timeout-seconds: 10 with a stalled first request: half of it, so the retry has the other half.
  expect(attemptShare(10_000, 2)).toBe(5_000);
  expect(attemptShare(10_000, 1)).toBe(5_000);
  expect(attemptShare(15_000, 5)).toBe(7_500);
  expect(attemptShare(4_000, 5)).toBe(2_000);
  expect(attemptShare(1, 3)).toBe(1);
  // What a share would leave is shorter than the pause before the next try: no retry could follow, so all of it.
  expect(attemptShare(1_000, 2, 501)).toBe(1_000);
  expect(attemptShare(1_000, 2, 500)).toBe(500);
  expect(attemptShare(10_000, 2, 250)).toBe(5_000);
});

test('an attempt after which no retry would fit gets all the time left', async () => {
  // 1 s, three tries: the first gets 0.5 s; the second's equal share (0.25 s) would leave less than the 0.5 s pause
  // before a third, so it gets all the 0.5 s left.
  script = [() => undefined];
  const took: number[] = [];
  const policy: RetryPolicy = {
    retries: 2,
    clock: noWaitClock,
    deadline: deadlineIn(1_000),
    random: () => 0,
    trace: (line) => took.push(Number(/, (\d+) ms$/.exec(line)?.[1])),
  };
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow('timed out waiting for an answer (2 attempts)');
  expect(took).toHaveLength(2);
  expect(took[1]).toBeGreaterThanOrEqual(400);
});

test('sendOnce sends once, with half the time left, and calls a failure ambiguous', async () => {
  script = [answer(502, '{}', { 'retry-after': '3' })];
  const { policy, sleeps } = fakePolicy(5);
  const error = (await sendOnce(policy, request(), status).catch((e: unknown) => e)) as AmbiguousOutcomeError;
  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  expect([error.message, error.retryAfterMs, error.lastStatus]).toEqual(['HTTP 502 (1 attempt)', 3000, 502]);
  expect(hits).toBe(1);
  expect(sleeps).toEqual([]);
  script = [answer(201)];
  await expect(sendOnce(policy, request(), status)).resolves.toBe(201);
});

test('isTransientStatus: 408, 429 and 500 to 599, nothing else', () => {
  const statuses = [200, 400, 407, 408, 409, 428, 429, 430, 499, 500, 503, 599, 600];
  expect(statuses.filter(isTransientStatus)).toEqual([408, 429, 500, 503, 599]);
});

test('an HTTP date is taken only whole, in each of its three forms', () => {
  const forms = ['Thu, 01 Jan 1970 00:00:10 GMT', 'Thursday, 01-Jan-70 00:00:10 GMT', 'Thu Jan 10 00:00:10 1970'];
  expect(forms.map((form) => retryAfterMs(form, 0))).toEqual([10_000, 10_000, 9 * 86_400_000 + 10_000]);
  for (const form of forms) {
    expect(retryAfterMs(`x${form}`, 0)).toBeUndefined();
    expect(retryAfterMs(`${form}x`, 0)).toBeUndefined();
  }
});

test('an asctime date (no zone) is read as GMT, whatever the machine zone', () => {
  // In this process, not a spawned one: mutation testing activates a mutant only in jest's process. The zone is the
  // process's own: jest's process.env is a copy, which V8 never reads, so the real process is asked for through Node's
  // module loader; Node applies a TZ set on it at once. Restored before anything else can run.
  const real = (Module as unknown as { _load: (id: string) => NodeJS.Process })._load('process');
  const before = real.env.TZ;
  real.env.TZ = 'America/New_York';
  try {
    // The zone is in force: Date.parse reads the date as New York's time, five hours behind GMT.
    expect(Date.parse('Thu Jan  1 00:00:10 1970')).toBe(10_000 + 5 * 3_600_000);
    expect(retryAfterMs('Thu Jan  1 00:00:10 1970', 0)).toBe(10_000);
  } finally {
    if (before === undefined) delete real.env.TZ;
    else real.env.TZ = before;
  }
});

test('an HTTP date with anything after it is not one, though Date.parse would read it', () => {
  for (const text of [
    'Thu, 01 Jan 1970 00:00:10 GMT+0100',
    'Thursday, 01-Jan-70 00:00:10 GMT 2',
    'Thu Jan  1 00:00:10 19701',
    'Thu Jan  1 00:00:10 1970 PST',
  ]) {
    expect(retryAfterMs(text, 0)).toBeUndefined();
  }
});

test('the last try gets all the time left, not a share of retries it does not have', async () => {
  // Two tries in 4 s, with a floor of 1 s for an attempt (10 s in production): the first gets half; the second, after
  // a fast 503, all that is left (about 3.6 s), so an answer that takes 1.5 s arrives. A share among more tries would
  // be the 1 s floor, and it would time out.
  script = [
    answer(503),
    (response) => {
      setTimeout(() => answer(200)(response), 1_500);
    },
  ];
  const { policy } = fakePolicy(1, 4_000);
  const floored = { ...policy, deadline: new Deadline(policy.clock, policy.clock.now() + 4_000, timingsWith({ minAttemptMs: 1_000 })) };
  await expect(sendWithRetries(floored, request(), status)).resolves.toBe(200);
  expect(hits).toBe(2);
});

test('the errors say what they are', () => {
  expect([new UnavailableError('x', 1, undefined).name, new TransientAnswerError('x').name, new AmbiguousOutcomeError('x').name]).toEqual([
    'UnavailableError',
    'TransientAnswerError',
    'AmbiguousOutcomeError',
  ]);
});

test('one debug line per exchange: method, host and path, the outcome, the attempt, the time it took', async () => {
  script = [answer(503), answer(200)];
  const { policy } = fakePolicy(1);
  const lines: string[] = [];
  await sendWithRetries({ ...policy, trace: (line) => lines.push(line) }, request(), status);
  expect(lines).toEqual([`GET ${url.host}/x: HTTP 503, attempt 1, 0 ms`, `GET ${url.host}/x: HTTP 200, attempt 2, 0 ms`]);
  const closed = new URL('http://127.0.0.1:1/y');
  lines.length = 0;
  await sendWithRetries({ ...fakePolicy(0).policy, trace: (line) => lines.push(line) }, { method: 'GET', url: closed, headers: {} }, status).catch(
    () => undefined,
  );
  // (In jest's module realm undici's error is not an Error of this realm, so it reads "Error: connect ...".)
  expect(lines).toEqual([expect.stringMatching(/^GET 127\.0\.0\.1:1\/y: (Error: )?connect ECONNREFUSED 127\.0\.0\.1:1, attempt 1, 0 ms$/)]);
});

test('cancelling ends an exchange in flight at once', async () => {
  // The answer comes 1 s after the cancel, well within the attempt's share of 20 s: an exchange left in flight would take it.
  script = [lateAnswer(1_100)];
  const controller = new AbortController();
  const policy: RetryPolicy = {
    retries: 3,
    clock: noWaitClock,
    deadline: deadlineIn(20_000),
    random: () => 0,
    cancel: controller.signal,
  };
  setTimeout(() => controller.abort(), 100);
  await expect(sendWithRetries(policy, request(), status)).rejects.toThrow(UnavailableError);
  expect(hits).toBe(1);
});

test('sendOnce gives its one attempt half of the time left', async () => {
  // The answer comes at 700 ms: after half of the 1 s left, before all of it. An attempt given it all would take it.
  script = [lateAnswer(700)];
  const policy: RetryPolicy = { retries: 3, clock: noWaitClock, deadline: deadlineIn(1_000), random: () => 0 };
  const started = Date.now();
  await expect(sendOnce(policy, request(), status)).rejects.toThrow(AmbiguousOutcomeError);
  expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  expect(hits).toBe(1);
});

test('sendOnce lets an error of accept through as it is', async () => {
  script = [answer(200)];
  await expect(
    sendOnce(fakePolicy(3).policy, request(), () => {
      throw new RangeError('bad');
    }),
  ).rejects.toThrow(RangeError);
});
