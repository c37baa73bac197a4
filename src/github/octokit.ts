// GitHub's REST API through @actions/github's Octokit, with the two plugins
// GitHub's best practices call for: throttling (writes spaced a second apart,
// rate limits waited out as GitHub says) and retry (5xx and lost answers).
// What is written here is only what they leave open: the step's deadline (no
// request sent and no wait begun that would end past it), a time limit on
// each attempt that leaves room for the next one, the limits GitHub signals
// without naming them (waited out through the retry plugin), and one rule:
// github-token goes to GITHUB_API_URL's origin and nowhere else, redirects and
// paging links included.

import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { fetch as undiciFetch } from 'undici';
import type { Deadline } from '../clock/deadline.ts';
import { DEFAULT_TIMINGS } from '../clock/timings.ts';
import { dispatcher } from '../http/client.ts';

export type Octokit = ReturnType<typeof getOctokit>;

/** The plugins' waits, in milliseconds: GitHub's values unless a test makes them short. */
export interface GithubWaits {
  /** The retry plugin waits this times 1, 4, 9 … before each retry. */
  retryBaseMs: number;
  /** The throttling plugin waits this times GitHub's retry-after (or reset) seconds. */
  rateLimitBaseMs: number;
  /** From the end of one write to the start of the next (GitHub asks for a second; see Timings.writeSpacingMs). */
  writeSpacingMs: number;
}

export interface GithubClientOptions {
  /** GITHUB_API_URL without a trailing slash: https://api.github.com, https://api.TENANT.ghe.com, https://HOST/api/v3. */
  baseUrl: string;
  token: string;
  /** Retries of 5xx answers and lost answers, and rate limits waited out for one request. */
  retries: number;
  /** The step's: no request is sent, and no wait begun that would end, past it. Read each time: the writes extend it. */
  deadline: Deadline;
  /** Shown only in a debug run: one line for each exchange. */
  trace: (line: string) => void;
  /** Said in the log: a rate limit is being waited out. */
  log: (line: string) => void;
  waits?: Partial<GithubWaits>;
  /** How long one attempt may take, from the time left and the retries left after it; the deadline's rule unless a test replaces it. */
  attemptTimeout?: (remainingMs: number, retriesLeft: number, nextPauseMs: number) => number;
}

/** A rate limit that stopped a request. */
export interface RateLimit {
  kind: 'primary' | 'secondary';
  /** Epoch milliseconds: when a request may be sent again. */
  until: number;
  /** Why the client stopped waiting: the limit outlasts the deadline, or the retries were spent on it. */
  stop: 'deadline' | 'retries';
}

/** What a request's attempts got, kept on the error Octokit throws (`attempts`). */
export type AttemptOutcome = { status: number } | { status: undefined };

/** Redirects GitHub may answer (a renamed repository: 301), followed on GitHub's origin only. */
const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 5;

/** GitHub's refusals, never retried. 403 and 429 are left to retryRequest below: only a rate limit is retried. */
const DO_NOT_RETRY = [400, 401, 404, 410, 422, 451];

/** What the throttling plugin waits out by itself: an exhausted quota, or a limit whose message names a secondary limit. */
function throttlingHandles(error: unknown): boolean {
  const { message, response } = error as { message?: string; response?: { headers?: Record<string, string | undefined> } };
  return /\bsecondary rate\b/i.test(message ?? '') || response?.headers?.['x-ratelimit-remaining'] === '0';
}

/**
 * Named AbortError so that Octokit passes it on as it is and its retry plugin does not retry it. `sent: false`:
 * the request was not sent (or, for a refused redirect, not sent on), so it cannot have taken effect.
 */
function abortError(message: string, details: { refused: boolean; sent: boolean }): Error {
  return Object.assign(new Error(message), { name: 'AbortError', ...details });
}

const deadlinePassed = (sent: boolean) => abortError("timed out: the step's deadline passed", { refused: false, sent });

/**
 * fetch for Octokit: undici's, through the process's proxy-aware dispatcher, within the step's deadline and the
 * attempt's time limit. It sends nothing to an origin other than `origin`: a paging link Octokit follows comes
 * here as the URL, and redirects are followed here by hand (fetch's own following would send the request to any
 * host before anything could look at it).
 */
function githubFetch(origin: URL, deadline: Deadline, trace: (line: string) => void, attemptMs = Infinity): typeof globalThis.fetch {
  const githubFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(String(input instanceof Request ? input.url : input));
    const method = (init.method ?? 'GET').toUpperCase();
    if (url.origin !== origin.origin) {
      throw abortError(`a link in GitHub's answer names another host (${url.host}); github-token is sent only to ${origin.host}`, {
        refused: true,
        sent: false,
      });
    }
    const remaining = deadline.remaining();
    if (remaining <= 0) throw deadlinePassed(false);
    // One time limit for the attempt, redirects and body included; when it is all the time left, it is the deadline.
    const limitMs = Math.min(remaining, attemptMs);
    // A real timer: what it ends is undici's wait on the socket, which runs on the process's timers.
    const timer = AbortSignal.timeout(limitMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    const timedOut = (cause: unknown): Error | undefined => {
      if (!timer.aborted) return undefined;
      if (limitMs >= remaining) return deadlinePassed(true);
      // Not an AbortError: Octokit makes it a failure with no answer, which the retry plugin retries.
      return new Error(`no answer within ${Math.ceil(limitMs / 1000)} s`, { cause });
    };
    for (let hop = 0; ; hop += 1) {
      const started = deadline.clock.now();
      const line = (outcome: string) => `${method} ${url.host}${url.pathname}: ${outcome}, ${deadline.clock.now() - started} ms`;
      let response: Response;
      try {
        response = (await undiciFetch(url, { ...(init as object), signal, redirect: 'manual', dispatcher: dispatcher() })) as unknown as Response;
      } catch (error) {
        const failure = timedOut(error) ?? error;
        trace(line(`no answer (${failure instanceof Error ? failure.message : String(failure)})`));
        throw failure;
      }
      trace(line(`HTTP ${response.status}`));
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return whole(response, method, timedOut);
      const next = new URL(location, url);
      if (next.origin !== origin.origin) {
        throw abortError(`GitHub redirected to another host (${next.host}); github-token is sent only to ${origin.host}`, { refused: true, sent: false });
      }
      if (hop >= MAX_REDIRECTS) throw abortError(`GitHub redirected more than ${MAX_REDIRECTS} times`, { refused: true, sent: false });
      await response.body?.cancel();
      url = next;
    }
  };
  return githubFetch as typeof globalThis.fetch;
}

/**
 * The answer read whole before Octokit sees it. Octokit reads a body that is
 * cut short as an empty one; here it is what it is, a failure with no
 * complete answer, which the retry plugin retries (and which, after a write,
 * means the write may have landed). A read's 2xx JSON that does not parse is
 * the same: an answer cut short.
 */
async function whole(response: Response, method: string, timedOut: (cause: unknown) => Error | undefined): Promise<Response> {
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw timedOut(error) ?? new Error(`answer cut short: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // 204, 205 and 304 have no body, whatever their content-type says.
  const empty = response.status === 204 || response.status === 205 || response.status === 304;
  const json = /json/i.test(response.headers.get('content-type') ?? '');
  if (method === 'GET' && response.ok && json && !empty) {
    try {
      JSON.parse(body);
    } catch {
      throw new Error(`answer cut short: HTTP ${response.status} with a body that is not JSON`);
    }
  }
  const copy = new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Octokit's pagination reads the answer's URL; a Response made here has none of its own.
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

/**
 * The rate limit an error reports, if it is one: GitHub's rules for primary and secondary limits. The client passes
 * its clock's time; a caller that only words a message from the error may leave the process's.
 */
export function rateLimitOf(error: unknown, now = Date.now()): RateLimit | undefined {
  const { status, message, response, rateLimitStop } = (error ?? {}) as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined> };
    rateLimitStop?: RateLimit['stop'];
  };
  if ((status !== 403 && status !== 429) || !response) return undefined;
  const stop = rateLimitStop ?? 'deadline';
  const headers = response.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  const hasRetryAfter = headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0;
  // GitHub: retry-after means wait that long; a 429 without an exhausted quota is a secondary limit (wait at least a minute).
  if (/\bsecondary rate\b/i.test(message ?? '') || hasRetryAfter || (status === 429 && headers['x-ratelimit-remaining'] !== '0')) {
    return { kind: 'secondary', until: now + (hasRetryAfter ? retryAfter : 60) * 1000, stop };
  }
  if (headers['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  return { kind: 'primary', until: Number.isFinite(reset) ? Math.max(now, reset * 1000 + 1000) : now + 60_000, stop };
}

/** One call of octokit.request, across its attempts: what they got, and why a rate limit was not waited out. */
interface Call {
  /** As the log names a request: the method and the route's template (PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}). */
  route: string;
  attempts: AttemptOutcome[];
  rateLimitStop?: RateLimit['stop'];
}

interface RateLimitHandlerOptions {
  method: string;
  url: string;
}

export function githubClient(options: GithubClientOptions): Octokit {
  const { deadline, log, retries } = options;
  const { clock } = deadline;
  const waits: GithubWaits = {
    retryBaseMs: DEFAULT_TIMINGS.githubRetryBaseMs,
    rateLimitBaseMs: DEFAULT_TIMINGS.githubRateLimitBaseMs,
    writeSpacingMs: DEFAULT_TIMINGS.writeSpacingMs,
    ...options.waits,
  };
  const attemptTimeout =
    options.attemptTimeout ?? ((_remainingMs: number, retriesLeft: number, nextPauseMs: number) => deadline.attempt(retriesLeft, nextPauseMs));
  const origin = new URL(options.baseUrl);
  // Keyed by the options object each call's attempts share (see the outer hook below), and by each error an attempt threw.
  const calls = new WeakMap<object, Call>();

  /**
   * The throttling plugin's handlers: true to wait out the limit (the plugin then waits `retryAfter`), when the
   * retries and the deadline allow. A secondary limit that repeats is backed off further, as GitHub asks.
   */
  const waitOut =
    (kind: RateLimit['kind']) =>
    async (retryAfterSeconds: number, request: RateLimitHandlerOptions, _octokit: unknown, retryCount: number): Promise<boolean> => {
      const backOffMs = kind === 'secondary' ? retryAfterSeconds * waits.rateLimitBaseMs * (2 ** retryCount - 1) : 0;
      const waitMs = retryAfterSeconds * waits.rateLimitBaseMs + backOffMs;
      const stop = !deadline.allows(waitMs) ? 'deadline' : retryCount >= retries ? 'retries' : undefined;
      if (stop) {
        const call = calls.get(request);
        if (call) call.rateLimitStop = stop;
        return false;
      }
      log(`GitHub's ${kind} rate limit: waiting ${Math.ceil(waitMs / waits.rateLimitBaseMs)} s before ${request.method} ${request.url} is sent again.`);
      if (backOffMs > 0) await clock.sleep(backOffMs);
      return true;
    };

  /**
   * Inside both plugins, so it sees every attempt they make: each gets a share of the time left that leaves room for
   * the retries after it, and what it got is kept for the message.
   */
  let lastWriteEnded = -Infinity;
  const attempts = (octokit: { hook: Octokit['hook'] }) => {
    octokit.hook.wrap('request', async (request, requestOptions) => {
      const call = calls.get(requestOptions) ?? { route: '', attempts: [] };
      const writing = requestOptions.method !== 'GET' && requestOptions.method !== 'HEAD';
      const spacing = writing ? lastWriteEnded + waits.writeSpacingMs - clock.now() : 0;
      if (spacing > 0) await clock.sleep(spacing);
      const remaining = deadline.remaining();
      // The retry plugin waits (retry number)² × its base before a retry: an attempt after which that wait would not
      // fit is the last, and gets all the time left (attemptShare).
      const nextPauseMs = (call.attempts.length + 1) ** 2 * waits.retryBaseMs;
      const limitMs = remaining > 0 ? attemptTimeout(remaining, Math.max(0, retries - call.attempts.length), nextPauseMs) : 0;
      // The hooks further in (Octokit's token) read the call's options, not any passed to `request`: the attempt's
      // fetch is set on the call's own `request` object (see the outer hook), which its attempts share one at a time.
      requestOptions.request.fetch = githubFetch(origin, deadline, options.trace, limitMs);
      try {
        return await request(requestOptions);
      } catch (error) {
        const { response, sent } = error as { response?: { status: number }; sent?: boolean };
        if (sent !== false) call.attempts.push({ status: response?.status });
        if (typeof error === 'object' && error !== null) calls.set(error, call);
        throw error;
      } finally {
        if (writing) lastWriteEnded = clock.now();
      }
    });
  };

  // The plugins' own waits (Bottleneck's spacing, the retry and throttling plugins' pauses) run on the process's
  // timers, which neither plugin lets a caller replace: they are shortened through `waits` (Timings), and every
  // decision about them (the deadline, the retries) is taken here on the deadline's clock.
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: 'prefect-cloud-key-action',
      request: { fetch: githubFetch(origin, deadline, options.trace) },
      log: { debug: options.trace, info: options.trace, warn: options.trace, error: options.trace },
      throttle: {
        onRateLimit: waitOut('primary'),
        onSecondaryRateLimit: waitOut('secondary'),
        retryAfterBaseValue: waits.rateLimitBaseMs,
        // This client's own queues (the plugin's defaults are the whole process's). Its requests one at a time, as
        // GitHub asks of a token's requests: the plugin runs each request inside its global queue. Its write
        // queue only spaces the starts of writes (it schedules an empty job), so it is given no spacing: the
        // second between writes is counted by the attempts hook above, inside that queue, from the end of the
        // previous write (Timings.writeSpacingMs).
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
        // The plugin takes `global` from these options as it takes `write` (its state is these options); its types omit it.
        ...({ global: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }) } as object),
      },
      retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: waits.retryBaseMs },
    },
    attempts,
    throttling,
    retry,
  );

  // The retry plugin asks retryRequest (its documented way to retry a request) how many retries a failure may have,
  // and after how long. Two answers are changed here. A 403 or 429: a refusal is not retried, nor is a limit the
  // throttling plugin has already decided on; GitHub's other limits (a retry-after on a refusal that names no limit,
  // a 429 with quota left) are retried after as long as GitHub asked, which the throttling plugin does not know to
  // do. And whatever the failure, a retry that would be sent past the deadline is not made, so that the failure
  // GitHub answered is the one the caller gets.
  const plugin = (octokit as unknown as { retry: { retryRequest: (error: unknown, retries: number, retryAfter: number) => unknown } }).retry;
  const retryRequest = plugin.retryRequest;
  plugin.retryRequest = (error, allowed, retryAfter) => {
    const { status } = error as { status?: number };
    let waitMs = retryAfter * waits.retryBaseMs;
    const pastDeadline = () => !deadline.allows(waitMs);
    if (status === 403 || status === 429) {
      const limit = rateLimitOf(error, clock.now());
      if (!limit || throttlingHandles(error)) return retryRequest(error, 0, retryAfter);
      waitMs = Math.max(0, limit.until - clock.now()) * (waits.rateLimitBaseMs / 1000);
      const call = calls.get(error as object);
      const retried = (call?.attempts.length ?? 1) - 1;
      if (!pastDeadline() && retried < allowed) {
        log(`GitHub's ${limit.kind} rate limit: waiting ${Math.ceil((limit.until - clock.now()) / 1000)} s before ${call?.route} is sent again.`);
      }
    }
    return retryRequest(error, pastDeadline() ? 0 : allowed, Math.ceil(waitMs / waits.retryBaseMs));
  };

  // Outermost. Every hook sees one call's options object, and so does the throttling plugin's handler: what the
  // call's attempts got is kept under it. Octokit hands every call the same `request` object, on which both
  // plugins keep their retry count: each call gets a copy, or one call's retries would lengthen the next one's waits.
  octokit.hook.wrap('request', async (request, requestOptions) => {
    requestOptions.request = { ...requestOptions.request };
    const call: Call = { route: `${requestOptions.method} ${requestOptions.url}`, attempts: [] };
    calls.set(requestOptions, call);
    try {
      return await request(requestOptions);
    } catch (error) {
      if (typeof error !== 'object' || error === null) throw error;
      const limit = rateLimitOf(error, clock.now());
      // The throttling plugin's handler said why it stopped; for the limits retried above, the attempts say it.
      const rateLimitStop = limit ? (call.rateLimitStop ?? (call.attempts.length > retries ? 'retries' : 'deadline')) : undefined;
      throw Object.assign(error, { attempts: call.attempts }, rateLimitStop ? { rateLimitStop } : {});
    }
  });
  return octokit;
}
