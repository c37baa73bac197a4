// GitHub's client (src/github/octokit.ts githubClient) against a loopback
// server: what it sends and the answer Octokit gets, redirects and paging links
// followed on GitHub's origin only, the step's deadline before every request
// and during it, each attempt's share of the time left, an answer cut short,
// the spacing of writes, and each rate limit waited out or
// stopped, with why it stopped, as GitHub's rules and the two plugins say. The
// plugins' waits are made short here (GithubClientOptions.waits).

import { jest } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubClient, type GithubClientOptions } from '../src/github/octokit.ts';
import { useLoopback, type Received } from './support/loopback.ts';
import { systemClock } from '../src/clock/clock.ts';
import { Deadline } from '../src/clock/deadline.ts';
import { deadlineIn, skippingClock, steppedClock } from './support/clock.ts';

interface Arrival extends Received {
  at: number;
}
let arrivals: Arrival[] = [];
/** Each request's end: when its answer was written whole. */
let ends: number[] = [];
let script: (request: Arrival, response: ServerResponse, index: number) => void;
const origin = useLoopback((request, response) => {
  const arrival = { ...request, at: Date.now() };
  arrivals.push(arrival);
  const index = arrivals.length - 1;
  response.on('finish', () => (ends[index] = Date.now()));
  script(arrival, response, index);
});
const host = () => new URL(origin()).host;

let traced: string[];
let logged: string[];
beforeEach(() => {
  arrivals = [];
  ends = [];
  traced = [];
  logged = [];
});

function client(options: Partial<GithubClientOptions> = {}) {
  return githubClient({
    baseUrl: origin(),
    token: 'ghp_test',
    retries: 0,
    deadline: deadlineIn(30_000, systemClock),
    trace: (line) => traced.push(line),
    log: (line) => logged.push(line),
    ...options,
    waits: { retryBaseMs: 50, rateLimitBaseMs: 50, writeSpacingMs: 200, ...options.waits },
  });
}

function reply(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

/** Answers in turn, one per request; the last repeats. */
function replies(...steps: ((response: ServerResponse, request: Arrival) => void)[]): void {
  script = (request, response, index) => steps[Math.min(index, steps.length - 1)]!(response, request);
}

const REPO = { owner: 'acme', repo: 'flows' };
const readRepo = (octokit: ReturnType<typeof client>, request: object = {}) => octokit.request('GET /repos/{owner}/{repo}', { ...REPO, request });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as Error & Record<string, unknown>,
  );
const exchange = (method: string, path: string, status: number | string) => new RegExp(`^${method} ${host()}${path}: ${status}, \\d+ ms$`);

describe('a request', () => {
  test("sent under the base URL's path with the token and the action's name; GitHub's answer whole, its URL and headers kept", async () => {
    const started = Date.now();
    replies((response) => reply(response, 200, { full_name: 'acme/flows' }, { 'x-github-request-id': 'ABCD:1' }));
    const answer = await readRepo(client({ baseUrl: `${origin()}/api/v3` }));
    expect(answer).toMatchObject({ status: 200, data: { full_name: 'acme/flows' }, url: `${origin()}/api/v3/repos/acme/flows` });
    expect(answer.headers['x-github-request-id']).toBe('ABCD:1');
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ method: 'GET', url: '/api/v3/repos/acme/flows' });
    expect(arrivals[0]!.headers.authorization).toBe('token ghp_test');
    expect(arrivals[0]!.headers['user-agent']).toMatch(/^prefect-cloud-key-action /);
    expect(traced).toHaveLength(1);
    expect(traced[0]).toMatch(exchange('GET', '/api/v3/repos/acme/flows', 'HTTP 200'));
    // The exchange's duration, not a time of day: no more than the whole test has taken.
    expect(Number(/(\d+) ms$/.exec(traced[0]!)![1])).toBeLessThanOrEqual(Date.now() - started);
    expect(logged).toEqual([]);
  });

  test('no answer: one trace line that says so, and the failure passed on', async () => {
    replies((response) => response.socket?.destroy());
    const error = await failure(readRepo(client()));
    expect(error.status).toBe(500);
    expect(arrivals).toHaveLength(1);
    expect(traced).toHaveLength(1);
    expect(traced[0]).toMatch(new RegExp(`^GET ${host()}/repos/acme/flows: no answer \\(fetch failed\\), \\d+ ms$`));
  });

  test('a 5xx is retried as many times as retries allows; a refusal is not', async () => {
    replies(
      (response) => reply(response, 502, { message: 'Bad gateway' }),
      (response) => reply(response, 200, { ok: true }),
    );
    expect((await readRepo(client({ retries: 1 }))).data).toEqual({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - ends[0]!).toBeGreaterThanOrEqual(45);

    arrivals = [];
    replies((response) => reply(response, 502, { message: 'Bad gateway' }));
    expect((await failure(readRepo(client()))).status).toBe(502);
    expect(arrivals).toHaveLength(1);

    for (const status of [404, 422]) {
      arrivals = [];
      replies((response) => reply(response, status, { message: 'No' }));
      expect((await failure(readRepo(client({ retries: 1 })))).status).toBe(status);
      expect(arrivals).toHaveLength(1);
    }
  });
});

describe("Octokit's own log", () => {
  test('its warnings (a method GitHub has renamed) go to the trace, not to the console', async () => {
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      replies((response) => reply(response, 200, { enabled: true }));
      expect((await client().rest.actions.getRepoPermissions(REPO)).data).toEqual({ enabled: true });
      expect(traced[0]).toBe('octokit.actions.getRepoPermissions() has been renamed to octokit.actions.getGithubActionsPermissionsRepository()');
      expect(traced[1]).toMatch(exchange('GET', '/repos/acme/flows/actions/permissions', 'HTTP 200'));
      expect(traced).toHaveLength(2);
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });
});

describe('retries', () => {
  test("a retry the plugin would send past the deadline is not made: the failure is GitHub's answer", async () => {
    replies((response) => reply(response, 502, { message: 'Bad gateway' }));
    const error = await failure(readRepo(client({ retries: 3, deadline: deadlineIn(500, systemClock), waits: { retryBaseMs: 1000 } })));
    expect(error).toMatchObject({ status: 502, attempts: [{ status: 502 }] });
    expect(arrivals).toHaveLength(1);
  });

  test('each call counts its own retries: a call after a retried one waits the first wait, not the next', async () => {
    const octokit = client({ retries: 2, waits: { retryBaseMs: 200 } });
    const bad = (response: ServerResponse) => reply(response, 502, { message: 'Bad gateway' });
    replies(
      bad,
      bad,
      (response) => reply(response, 200, { ok: 1 }),
      bad,
      (response) => reply(response, 200, { ok: 2 }),
    );
    expect((await octokit.request('GET /repos/{owner}/{repo}', REPO)).data).toEqual({ ok: 1 });
    expect(arrivals[2]!.at - ends[1]!).toBeGreaterThanOrEqual(4 * 200 - 10);
    expect((await octokit.request('GET /repos/{owner}/{repo}', REPO)).data).toEqual({ ok: 2 });
    // The plugin waits 1, 4, 9 … units, counted on the `request` options Octokit gives every call that brings none
    // of its own (as here): carried over to this call, the count would make this wait 9 units.
    expect(arrivals[4]!.at - ends[3]!).toBeGreaterThanOrEqual(200 - 10);
    expect(arrivals[4]!.at - ends[3]!).toBeLessThan(9 * 200);
  });

  test("what each attempt got is kept on the failure: GitHub's answers, and the attempts with none", async () => {
    replies(
      (response) => response.socket?.destroy(),
      (response) => reply(response, 500, { message: 'Oops' }),
    );
    const error = await failure(readRepo(client({ retries: 2 })));
    expect(error).toMatchObject({ status: 500, attempts: [{ status: undefined }, { status: 500 }, { status: 500 }] });
  });
});

describe('redirects', () => {
  test("301, 302, 307 and 308 followed on GitHub's own origin, a relative location from the URL it answers", async () => {
    for (const status of [301, 302, 307, 308]) {
      arrivals = [];
      traced = [];
      replies(
        (response) => reply(response, status, undefined, { location: '/repositories/7' }),
        (response) => reply(response, 200, { id: 7 }),
      );
      const answer = await readRepo(client());
      expect(answer).toMatchObject({ status: 200, data: { id: 7 }, url: `${origin()}/repositories/7` });
      expect(arrivals.map((request) => request.url)).toEqual(['/repos/acme/flows', '/repositories/7']);
      expect(arrivals[1]!.headers.authorization).toBe('token ghp_test');
      expect(traced).toHaveLength(2);
      expect(traced[0]).toMatch(exchange('GET', '/repos/acme/flows', `HTTP ${status}`));
      expect(traced[1]).toMatch(exchange('GET', '/repositories/7', 'HTTP 200'));
    }
  });

  test('a write redirected with 308 is sent again whole, method and body, to the new address', async () => {
    replies(
      (response) => reply(response, 308, undefined, { location: `${origin()}/repositories/7/actions/secrets/KEY` }),
      (response) => reply(response, 201, { created: true }),
    );
    const answer = await client().request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
      ...REPO,
      secret_name: 'KEY',
      encrypted_value: 'c2VhbGVk',
      key_id: '1',
    });
    expect(answer.status).toBe(201);
    expect(arrivals.map(({ method, url, body }) => ({ method, url, body: JSON.parse(body) as unknown }))).toEqual([
      { method: 'PUT', url: '/repos/acme/flows/actions/secrets/KEY', body: { encrypted_value: 'c2VhbGVk', key_id: '1' } },
      { method: 'PUT', url: '/repositories/7/actions/secrets/KEY', body: { encrypted_value: 'c2VhbGVk', key_id: '1' } },
    ]);
    expect(traced[0]).toMatch(exchange('PUT', '/repos/acme/flows/actions/secrets/KEY', 'HTTP 308'));
    expect(traced[1]).toMatch(exchange('PUT', '/repositories/7/actions/secrets/KEY', 'HTTP 201'));
    // A HEAD's redirect has no body to discard.
    arrivals = [];
    replies(
      (response) => reply(response, 301, undefined, { location: '/repositories/7' }),
      (response) => reply(response, 200),
    );
    expect((await client().request('HEAD /repos/{owner}/{repo}', REPO)).status).toBe(200);
    expect(arrivals.map(({ method, url }) => `${method} ${url}`)).toEqual(['HEAD /repos/acme/flows', 'HEAD /repositories/7']);
  });

  test('an answer that is not a redirect, or a redirect with no location, is what Octokit gets', async () => {
    replies((response) => reply(response, 303, { seeOther: true }, { location: '/elsewhere' }));
    expect(await readRepo(client())).toMatchObject({ status: 303, data: { seeOther: true } });
    arrivals = [];
    replies((response) => reply(response, 301, { moved: 'nowhere' }));
    expect(await readRepo(client())).toMatchObject({ status: 301, data: { moved: 'nowhere' } });
    expect(arrivals).toHaveLength(1);
  });

  test('to another host: refused, and the token is not sent there', async () => {
    const elsewhere = `http://localhost:${new URL(origin()).port}`;
    replies((response) => reply(response, 301, undefined, { location: `${elsewhere}/repos/acme/flows` }));
    const error = await failure(readRepo(client()));
    expect(error).toMatchObject({
      name: 'AbortError',
      refused: true,
      sent: false,
      message: `GitHub redirected to another host (localhost:${new URL(origin()).port}); github-token is sent only to ${host()}`,
    });
    expect(arrivals).toHaveLength(1);
  });

  test('five redirects are followed; a sixth is refused', async () => {
    const hops = (count: number) =>
      replies((response, request) => {
        const hop = Number(request.url.split('/').pop()) || 0;
        if (hop < count) reply(response, 302, undefined, { location: `/hop/${hop + 1}` });
        else reply(response, 200, { hop });
      });
    hops(5);
    expect((await readRepo(client())).data).toEqual({ hop: 5 });
    expect(arrivals).toHaveLength(6);
    arrivals = [];
    hops(6);
    expect(await failure(readRepo(client()))).toMatchObject({
      name: 'AbortError',
      refused: true,
      sent: false,
      message: 'GitHub redirected more than 5 times',
    });
    expect(arrivals).toHaveLength(6);
  });
});

describe('paging links', () => {
  // Another host on the loopback: 127.0.0.2, which must never hear from the client.
  let elsewhere: IncomingMessage[] = [];
  const other = createServer((request, response) => {
    elsewhere.push(request);
    reply(response, 200, [{ id: 3 }]);
  });
  beforeAll(() => new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve)));
  afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));
  beforeEach(() => (elsewhere = []));
  const otherHost = () => `127.0.0.2:${(other.address() as AddressInfo).port}`;
  const list = (octokit: ReturnType<typeof client>) => octokit.paginate('GET /repos/{owner}/{repo}/forks', { ...REPO, per_page: 1 });

  test("followed on GitHub's origin, with the token", async () => {
    replies(
      (response) => reply(response, 200, [{ id: 1 }], { link: `<${origin()}/repositories/7/forks?page=2>; rel="next"` }),
      (response) => reply(response, 200, [{ id: 2 }]),
    );
    expect(await list(client())).toEqual([{ id: 1 }, { id: 2 }]);
    expect(arrivals.map((request) => request.url)).toEqual(['/repos/acme/flows/forks?per_page=1', '/repositories/7/forks?page=2']);
    expect(arrivals[1]!.headers.authorization).toBe('token ghp_test');
  });

  test('to another host: refused before anything is sent there, and the list fails whole', async () => {
    replies((response) => reply(response, 200, [{ id: 1 }], { link: `<http://${otherHost()}/repositories/7/forks?page=2>; rel="next"` }));
    const error = await failure(list(client({ retries: 2 })));
    expect(error).toMatchObject({
      name: 'AbortError',
      refused: true,
      sent: false,
      message: `a link in GitHub's answer names another host (${otherHost()}); github-token is sent only to ${host()}`,
    });
    expect(elsewhere).toEqual([]);
    expect(arrivals).toHaveLength(1);
    // The origin is GITHUB_API_URL's, not the host's name: another port on the same address is another origin.
    const samePlaceOtherPort = `http://127.0.0.1:${(other.address() as AddressInfo).port}/repositories/7/forks?page=2`;
    replies((response) => reply(response, 200, [{ id: 1 }], { link: `<${samePlaceOtherPort}>; rel="next"` }));
    expect(await failure(list(client()))).toMatchObject({ refused: true, sent: false });
  });
});

describe("the step's deadline", () => {
  test('past or reached: nothing is sent', async () => {
    for (const offset of [-1000, 0]) {
      replies((response) => reply(response, 200, {}));
      const error = await failure(readRepo(client({ deadline: deadlineIn(offset, systemClock) })));
      expect(error).toMatchObject({ name: 'AbortError', refused: false, message: "timed out: the step's deadline passed" });
      expect(arrivals).toHaveLength(0);
      expect(traced).toEqual([]);
    }
  });

  test('reached to the millisecond (a clock standing at the deadline): nothing sent, no attempt timed, and said not sent', async () => {
    const { clock } = steppedClock();
    const asked: number[] = [];
    const attemptTimeout = (remaining: number) => {
      asked.push(remaining);
      return remaining;
    };
    replies((response) => reply(response, 200, {}));
    for (const offset of [0, -1]) {
      const error = await failure(readRepo(client({ retries: 2, attemptTimeout, deadline: deadlineIn(offset, clock) })));
      expect(error).toMatchObject({ name: 'AbortError', refused: false, sent: false, message: "timed out: the step's deadline passed", attempts: [] });
    }
    expect(asked).toEqual([]);
    expect(arrivals).toHaveLength(0);
    expect(traced).toEqual([]);
  });

  test('asked before each request: a deadline the step extends lets the next one go', async () => {
    replies((response) => reply(response, 200, {}));
    const deadline = new Deadline(systemClock, Date.now() - 1);
    const octokit = client({ deadline });
    await failure(readRepo(octokit));
    deadline.extendTo(Date.now() + 10_000);
    expect((await readRepo(octokit)).status).toBe(200);
    expect(arrivals).toHaveLength(1);
  });

  test('an answer that does not come: the first attempt gets its share, the retry the rest, and nothing is sent after the deadline', async () => {
    replies(() => undefined);
    const started = Date.now();
    const error = await failure(readRepo(client({ retries: 2, deadline: new Deadline(systemClock, started + 400) })));
    expect(error).toMatchObject({ name: 'AbortError', message: "timed out: the step's deadline passed" });
    // 400 ms with two retries: the first attempt half (200 ms), then a 50 ms pause; the second is the last, as a
    // pause of 200 ms would not fit after it, and gets what is left.
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - started).toBeGreaterThanOrEqual(200);
    expect(arrivals.every((arrival) => arrival.at < started + 400)).toBe(true);
    expect(traced).toHaveLength(2);
    expect(traced[1]).toMatch(/: no answer \(.+\), \d+ ms$/);
  });

  test("the caller's own abort still ends a request", async () => {
    // GitHub answers 1.5 s after the abort: a request the abort did not end would get that answer.
    replies((response) => void setTimeout(() => reply(response, 200, { full_name: 'acme/flows' }), 1_600).unref());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await failure(readRepo(client(), { signal: controller.signal }));
    expect(arrivals).toHaveLength(1);
  });
});

describe('an answer read whole', () => {
  const cut = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    response.write('{"full_name": "ac');
    setTimeout(() => response.socket?.destroy(), 20);
  };

  test('cut short: a failure, not an empty answer, and retried like a lost one', async () => {
    replies(cut);
    const error = await failure(readRepo(client()));
    expect(error.message).toMatch(/^answer cut short: \S/);
    expect(error.status).toBe(500);
    // What ended the read is kept, for a debug run to show.
    expect(error.cause).toMatchObject({ message: error.message, cause: { name: 'TypeError', message: 'terminated' } });
    arrivals = [];
    replies(cut, (response) => reply(response, 200, { full_name: 'acme/flows' }));
    expect((await readRepo(client({ retries: 1 }))).data).toEqual({ full_name: 'acme/flows' });
    expect(arrivals).toHaveLength(2);
  });

  test("a read's 2xx JSON that does not parse is an answer cut short; other answers are passed on", async () => {
    replies((response) => reply(response, 200, '{"full_name": ', { 'content-type': 'Application/JSON; charset=utf-8' }));
    expect((await failure(readRepo(client()))).message).toBe('answer cut short: HTTP 200 with a body that is not JSON');
    replies((response) => reply(response, 404, '{"message": ', { 'content-type': 'application/json' }));
    expect((await failure(readRepo(client()))).status).toBe(404);
    replies((response) => reply(response, 200, 'plain words'));
    expect((await readRepo(client())).data).toBe('plain words');
    replies((response) => reply(response, 201, '{"id": ', { 'content-type': 'application/json' }));
    const written = await client().request('POST /repos/{owner}/{repo}/environments', REPO);
    expect(written).toMatchObject({ status: 201, data: '{"id": ' });
  });

  test('204, 205 and 304 carry no body, whatever their content-type says', async () => {
    for (const status of [204, 205]) {
      replies((response) => reply(response, status, undefined, { 'x-github-request-id': String(status) }));
      const answer = await readRepo(client());
      expect(answer.status).toBe(status);
      expect(answer.headers['x-github-request-id']).toBe(String(status));
    }
    replies((response) => reply(response, 304));
    expect((await failure(readRepo(client()))).status).toBe(304);
  });
});

describe("each attempt's share of the time left", () => {
  const putSecret = (octokit: ReturnType<typeof client>) =>
    octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', { ...REPO, secret_name: 'KEY', encrypted_value: 'c2VhbGVk', key_id: '1' });

  test("a stalled write is abandoned at its share and sent again, within the deadline: the second answer is the write's", async () => {
    replies(
      () => undefined,
      (response) => reply(response, 201, {}),
    );
    const asked: { remaining: number; retriesLeft: number }[] = [];
    const attemptTimeout = (remaining: number, retriesLeft: number) => {
      asked.push({ remaining, retriesLeft });
      return retriesLeft > 0 ? 300 : remaining;
    };
    const started = Date.now();
    const answer = await putSecret(client({ retries: 1, attemptTimeout, deadline: new Deadline(systemClock, started + 30_000) }));
    expect(answer.status).toBe(201);
    expect(arrivals.map(({ method, url, body }) => `${method} ${url} ${body}`)).toEqual([
      'PUT /repos/acme/flows/actions/secrets/KEY {"encrypted_value":"c2VhbGVk","key_id":"1"}',
      'PUT /repos/acme/flows/actions/secrets/KEY {"encrypted_value":"c2VhbGVk","key_id":"1"}',
    ]);
    expect(asked.map(({ retriesLeft }) => retriesLeft)).toEqual([1, 0]);
    expect(asked[0]!.remaining).toBeGreaterThan(29_000);
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(300);
    expect(traced[0]).toMatch(exchange('PUT', '/repos/acme/flows/actions/secrets/KEY', 'no answer \\(no answer within 1 s\\)'));
    expect(traced[1]).toMatch(exchange('PUT', '/repos/acme/flows/actions/secrets/KEY', 'HTTP 201'));
  });

  test('an attempt abandoned at its share: the failure Octokit passes on says so, and keeps what ended the wait', async () => {
    replies(() => undefined);
    const error = await failure(readRepo(client({ attemptTimeout: () => 100 })));
    expect(error.status).toBe(500);
    const cause = error.cause as Error & { cause?: unknown };
    expect(cause.message).toBe('no answer within 1 s');
    expect(cause.cause).toMatchObject({ name: 'TimeoutError' });
    expect(arrivals).toHaveLength(1);
  });

  test('an attempt given all the time left that runs out of it is the deadline: not retried', async () => {
    replies(() => undefined);
    const error = await failure(putSecret(client({ retries: 2, attemptTimeout: () => 300, deadline: deadlineIn(300, systemClock) })));
    expect(error).toMatchObject({ name: 'AbortError', sent: true, message: "timed out: the step's deadline passed" });
    expect(arrivals).toHaveLength(1);
  });
});

describe('the spacing of writes', () => {
  test('a write starts a spacing after the previous one ended, also when that one was slow to answer, and asked at once they go one at a time', async () => {
    const spacing = 400;
    // The first write is answered 300 ms after it arrives: spaced from its start, the second would reach GitHub 100 ms after it ended.
    replies(
      (response) => setTimeout(() => reply(response, 204), 300),
      (response) => reply(response, 204),
    );
    const octokit = client({ waits: { writeSpacingMs: spacing } });
    const put = () => octokit.request('PUT /repos/{owner}/{repo}/environments/{environment_name}', { ...REPO, environment_name: 'prod' });
    await Promise.all([put(), put()]);
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - ends[0]!).toBeGreaterThanOrEqual(spacing - 5);
  });

  test('on the clock: a write waits exactly the spacing after the previous write; a read (GET, HEAD) neither waits nor counts as one', async () => {
    replies((response) => reply(response, 204));
    const { clock, sleeps } = steppedClock();
    const octokit = client({ deadline: deadlineIn(30_000, clock), waits: { writeSpacingMs: 1000 } });
    const environment = { ...REPO, environment_name: 'prod' };
    const get = () => octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}', environment);
    const head = () => octokit.request('HEAD /repos/{owner}/{repo}/environments/{environment_name}', environment);
    const put = () => octokit.request('PUT /repos/{owner}/{repo}/environments/{environment_name}', environment);
    const remove = () => octokit.request('DELETE /repos/{owner}/{repo}/environments/{environment_name}', environment);
    await get();
    await head();
    await put();
    expect(sleeps).toEqual([]);
    // The clock stands still during an exchange: the second write waits the whole spacing, and only it.
    await put();
    expect(sleeps).toEqual([1000]);
    await get();
    await head();
    expect(sleeps).toEqual([1000]);
    await remove();
    expect(sleeps).toEqual([1000, 1000]);
    expect(arrivals.map(({ method }) => method)).toEqual(['GET', 'HEAD', 'PUT', 'PUT', 'GET', 'HEAD', 'DELETE']);
  });

  test("each client has its own spacing: another client's write is not held by this one's", async () => {
    replies((response) => reply(response, 204));
    const spacing = 800;
    const put = (on: ReturnType<typeof client>, environment: string) =>
      on.request('PUT /repos/{owner}/{repo}/environments/{environment_name}', { ...REPO, environment_name: environment });
    const octokit = client({ waits: { writeSpacingMs: spacing } });
    await put(octokit, 'prod');
    const held = put(octokit, 'prod');
    // Sent while the second write is held: held too, it would arrive after it.
    await put(client({ waits: { writeSpacingMs: spacing } }), 'other');
    await held;
    expect(arrivals.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'PUT /repos/acme/flows/environments/prod',
      'PUT /repos/acme/flows/environments/other',
      'PUT /repos/acme/flows/environments/prod',
    ]);
    expect(arrivals[2]!.at - ends[0]!).toBeGreaterThanOrEqual(spacing - 5);
  });
});

describe('rate limits', () => {
  const secondary = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };
  const ok = (response: ServerResponse) => reply(response, 200, { ok: true });
  const waiting = (kind: string, seconds: number) => `GitHub's ${kind} rate limit: waiting ${seconds} s before GET /repos/{owner}/{repo} is sent again.`;

  test('a retry-after on a refusal that names no limit: waited out (by the retry plugin, as long as GitHub asked), as many times as retries allows', async () => {
    const limited = (response: ServerResponse) => reply(response, 403, { message: 'Resource not accessible' }, { 'retry-after': '2' });
    replies(limited, ok);
    expect((await readRepo(client({ retries: 1 }))).data).toEqual({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - ends[0]!).toBeGreaterThanOrEqual(95);
    expect(logged).toEqual([waiting('secondary', 2)]);

    arrivals = [];
    logged = [];
    replies(limited);
    expect(await failure(readRepo(client({ retries: 1 })))).toMatchObject({
      status: 403,
      rateLimitStop: 'retries',
      attempts: [{ status: 403 }, { status: 403 }],
    });
    expect(arrivals).toHaveLength(2);
    expect(logged).toEqual([waiting('secondary', 2)]);

    // A refusal without one is not retried.
    arrivals = [];
    logged = [];
    replies((response) => reply(response, 403, { message: 'Resource not accessible' }), ok);
    expect(await failure(readRepo(client({ retries: 1 })))).toMatchObject({ status: 403 });
    expect(arrivals).toHaveLength(1);
  });

  test('a 429 with quota left is a secondary limit (a minute): past the deadline, stopped at once', async () => {
    replies((response) => reply(response, 429, { message: 'Too many requests' }, { 'x-ratelimit-remaining': '12' }));
    // With one retry allowed and one attempt made, the retries are not what stopped it.
    for (const retries of [3, 1]) {
      arrivals = [];
      const octokit = client({ retries, waits: { rateLimitBaseMs: 1000 }, deadline: deadlineIn(20_000, systemClock) });
      expect(await failure(readRepo(octokit))).toMatchObject({ status: 429, rateLimitStop: 'deadline', attempts: [{ status: 429 }] });
      expect(arrivals).toHaveLength(1);
    }
    expect(logged).toEqual([]);
  });

  test('a secondary limit GitHub names: waited out, longer each time it repeats', async () => {
    const limited = (response: ServerResponse) => reply(response, 403, secondary, { 'retry-after': '1' });
    replies(limited, limited, ok);
    expect((await readRepo(client({ retries: 2 }))).data).toEqual({ ok: true });
    expect(logged).toEqual([waiting('secondary', 1), waiting('secondary', 2)]);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]!.at - ends[0]!).toBeGreaterThanOrEqual(45);
    expect(arrivals[2]!.at - ends[1]!).toBeGreaterThanOrEqual(95);
  });

  test("a secondary limit GitHub names: its back-off slept on the deadline's clock, only when one is due", async () => {
    const limited = (response: ServerResponse) => reply(response, 403, secondary, { 'retry-after': '1' });
    replies(limited, limited, ok);
    const { clock, sleeps } = skippingClock();
    expect((await readRepo(client({ retries: 2, deadline: deadlineIn(30_000, clock) }))).data).toEqual({ ok: true });
    // The first wait has no back-off (the plugin waits retry-after); the second adds one retry-after more.
    expect(sleeps).toEqual([50]);
    expect(arrivals).toHaveLength(3);
  });

  test('a secondary limit GitHub names after a retried 5xx: stopped by the deadline, and said so, though the attempts reach the retries', async () => {
    replies(
      (response) => reply(response, 502, { message: 'Bad gateway' }),
      (response) => reply(response, 403, secondary, { 'retry-after': '60' }),
    );
    const octokit = client({ retries: 1, waits: { rateLimitBaseMs: 1000 }, deadline: deadlineIn(20_000, systemClock) });
    expect(await failure(readRepo(octokit))).toMatchObject({ status: 403, rateLimitStop: 'deadline', attempts: [{ status: 502 }, { status: 403 }] });
    expect(arrivals).toHaveLength(2);
    expect(logged).toEqual([]);
  });

  test('a secondary limit GitHub names: stopped by the retries, or at once by the deadline, and why is kept', async () => {
    replies((response) => reply(response, 403, secondary, { 'retry-after': '1' }));
    expect(await failure(readRepo(client({ retries: 1 })))).toMatchObject({ status: 403, rateLimitStop: 'retries' });
    expect(arrivals).toHaveLength(2);
    expect(logged).toEqual([waiting('secondary', 1)]);

    arrivals = [];
    logged = [];
    replies((response) => reply(response, 403, secondary, { 'retry-after': '60' }));
    const waits = { rateLimitBaseMs: 1000 };
    expect(await failure(readRepo(client({ retries: 3, waits, deadline: deadlineIn(20_000, systemClock) })))).toMatchObject({
      status: 403,
      rateLimitStop: 'deadline',
    });
    expect(arrivals).toHaveLength(1);
    expect(logged).toEqual([]);
  });

  test('the primary limit: waited out until a second after its reset (at once when it has passed); stopped by the retries', async () => {
    const resetIn = (seconds: number) => (response: ServerResponse) =>
      reply(
        response,
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + seconds) },
      );
    replies(resetIn(-10), resetIn(1), ok);
    expect((await readRepo(client({ retries: 2 }))).data).toEqual({ ok: true });
    expect(logged[0]).toBe(waiting('primary', 0));
    expect(logged[1]).toMatch(/^GitHub's primary rate limit: waiting [12] s before GET /);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]!.at - ends[1]!).toBeGreaterThanOrEqual(45);

    arrivals = [];
    logged = [];
    replies(resetIn(-10));
    expect(await failure(readRepo(client({ retries: 1 })))).toMatchObject({ status: 403, rateLimitStop: 'retries' });
    expect(arrivals).toHaveLength(2);
    expect(logged).toEqual([waiting('primary', 0)]);
  });
});
