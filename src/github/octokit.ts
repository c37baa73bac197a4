// GitHub's REST API through @actions/github's Octokit, with the two plugins
// GitHub's best practices call for: throttling (mutating requests one at a
// time, a second apart; rate limits waited out as GitHub says) and retry
// (5xx and lost answers). What is written here is only what they leave open:
// waits that respect the step's deadline, redirects followed on GitHub's own
// host only, one debug line for each exchange.

import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { fetch as undiciFetch } from 'undici';
import { dispatcher } from '../http/client.ts';

export type Octokit = ReturnType<typeof getOctokit>;

export interface GithubClientOptions {
  /** GITHUB_API_URL without a trailing slash: https://api.github.com, https://api.TENANT.ghe.com, https://HOST/api/v3. */
  baseUrl: string;
  token: string;
  /** Retries of 5xx answers and lost answers (Octokit's retry plugin waits 1, 4, 9 … s), and rate limits waited out for one request. */
  retries: number;
  /** Epoch milliseconds: no request is sent, and no rate limit waited out, past it. Asked each time: the writes extend it. */
  deadline: () => number;
  /** Shown only in a debug run: one line for each exchange. */
  trace: (line: string) => void;
  /** Said in the log: a rate limit is being waited out. */
  log: (line: string) => void;
}

/** A rate limit that GitHub asked the client to wait out, past the deadline. */
export interface RateLimit {
  kind: 'primary' | 'secondary';
  /** Epoch milliseconds: when a request may be sent again. */
  until: number;
  /** Why the client stopped waiting: the limit outlasts the deadline, or the retries were spent on it. */
  stop: 'deadline' | 'retries';
}

/** GitHub's best practices: at least a second between mutating requests (POST, PATCH, PUT, DELETE). */
const MUTATION_SPACING_MS = 1_000;

/** Redirects GitHub may answer (a renamed repository: 301), followed on the same origin only. */
const REDIRECTS = new Set([301, 302, 307, 308]);

/** Named AbortError so that Octokit passes it on as it is and its retry plugin does not retry it. */
function abortError(message: string, refused = false): Error {
  return Object.assign(new Error(message), { name: 'AbortError', refused });
}

/**
 * fetch for Octokit: undici's, through the process's proxy-aware dispatcher,
 * with the step's deadline. Redirects are followed by hand because fetch's own
 * following would carry the request to any host; the token goes only to
 * GitHub's own origin.
 */
function fetchFor(deadline: () => number, trace: (line: string) => void): typeof globalThis.fetch {
  let lastMutationEnded = 0;
  const githubFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const method = (init.method ?? 'GET').toUpperCase();
    const mutating = method !== 'GET' && method !== 'HEAD';
    // The throttling plugin spaces the starts of writes a second apart; a write held up on its way
    // (sealing, a slow connection) could still reach GitHub sooner after the one before. GitHub counts
    // the second between requests, so it is kept here from the end of the previous write.
    const spacing = lastMutationEnded + MUTATION_SPACING_MS - Date.now();
    if (mutating && spacing > 0) await new Promise((resolve) => setTimeout(resolve, spacing));
    try {
      return await follow(url, init);
    } finally {
      if (mutating) lastMutationEnded = Date.now();
    }
  };
  const follow = async (start: URL, init: RequestInit): Promise<Response> => {
    let url = start;
    for (let hop = 0; ; hop += 1) {
      const remaining = deadline() - Date.now();
      if (remaining <= 0) throw abortError("timed out: the step's deadline passed");
      const timeout = AbortSignal.timeout(remaining);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      const started = Date.now();
      const line = (outcome: string) => `${init.method ?? 'GET'} ${url.host}${url.pathname}: ${outcome}, ${Date.now() - started} ms`;
      let response: Response;
      try {
        response = (await undiciFetch(url, { ...(init as object), signal, redirect: 'manual', dispatcher: dispatcher() })) as unknown as Response;
      } catch (error) {
        trace(line(`no answer (${error instanceof Error ? error.message : String(error)})`));
        throw error;
      }
      trace(line(`HTTP ${response.status}`));
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return whole(response, init.method ?? 'GET');
      const next = new URL(location, url);
      if (next.origin !== url.origin) throw abortError(`GitHub redirected to another host (${next.host}); github-token is sent only to ${url.host}`, true);
      if (hop >= 5) throw abortError('GitHub redirected more than 5 times', true);
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
async function whole(response: Response, method: string): Promise<Response> {
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw new Error(`answer cut short: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // 204, 205 and 304 have no body, whatever their content-type says.
  const empty = response.status === 204 || response.status === 205 || response.status === 304;
  const json = /json/i.test(response.headers.get('content-type') ?? '');
  if (method.toUpperCase() === 'GET' && response.ok && json && !empty) {
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

/** The rate limit an error reports, if it is one: GitHub's rules for primary and secondary limits. */
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

/**
 * What waitOut leaves on a request's `request` options when it stops waiting: the throttling plugin hands it the
 * same options object the request hook below was given.
 */
interface StopNote {
  rateLimitStop?: RateLimit['stop'];
}

/** What the throttling plugin waits out by itself: an exhausted quota, or a limit whose message names a secondary limit. */
function throttlingHandles(error: unknown): boolean {
  const { message, response } = error as { message?: string; response?: { headers?: Record<string, string | undefined> } };
  return /\bsecondary rate\b/i.test(message ?? '') || response?.headers?.['x-ratelimit-remaining'] === '0';
}

export function githubClient(options: GithubClientOptions): Octokit {
  const { deadline, log } = options;
  /**
   * Waits out a limit when the deadline allows; secondary limits back off further on each repeat. When it will
   * not, it leaves why on the request's options, which the hook below passed down: only this wait knows its back-off.
   */
  const waitOut =
    (kind: RateLimit['kind']) =>
    async (retryAfterSeconds: number, request: { method: string; url: string; request?: object }, _octokit: unknown, retryCount: number) => {
      const extraMs = kind === 'secondary' ? retryAfterSeconds * 1000 * (2 ** retryCount - 1) : 0;
      const until = Date.now() + retryAfterSeconds * 1000 + extraMs;
      const pastDeadline = until >= deadline();
      if (pastDeadline || retryCount >= options.retries) {
        if (request.request) (request.request as StopNote).rateLimitStop = pastDeadline ? 'deadline' : 'retries';
        return false;
      }
      log(`GitHub's ${kind} rate limit: waiting ${Math.ceil((until - Date.now()) / 1000)} s before ${request.method} ${request.url} is sent again.`);
      if (extraMs > 0) await new Promise((resolve) => setTimeout(resolve, extraMs));
      return true;
    };
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: 'prefect-cloud-key-action',
      request: { fetch: fetchFor(deadline, options.trace) },
      log: { debug: options.trace, info: options.trace, warn: options.trace, error: options.trace },
      throttle: { onRateLimit: waitOut('primary'), onSecondaryRateLimit: waitOut('secondary') },
      // 429 is the throttling plugin's: retried only as a rate limit, never on a guess.
      retry: { retries: options.retries, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    },
    throttling,
    retry,
  );
  // The throttling plugin knows a secondary limit only by its message; GitHub's rules also make any answer
  // carrying retry-after, and any 429 whose quota is not spent, a limit to wait out. Those are waited out here.
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let waits = 0; ; waits += 1) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const limit = rateLimitOf(error);
        if (!limit) throw error;
        // A limit that reaches this point is one the client stopped waiting out: say why, for the message. For the
        // limits the throttling plugin waits out, waitOut has said; for the others, this loop decides.
        const throttled = throttlingHandles(error);
        const pastDeadline = limit.until >= deadline();
        if (throttled || waits >= options.retries || pastDeadline) {
          const noted = throttled ? ((requestOptions as { request?: object }).request as StopNote | undefined)?.rateLimitStop : undefined;
          const stop = noted ?? (pastDeadline ? 'deadline' : 'retries');
          throw Object.assign(error as object, { rateLimitStop: stop });
        }
        const seconds = Math.ceil((limit.until - Date.now()) / 1000);
        log(`GitHub's ${limit.kind} rate limit: waiting ${seconds} s before ${requestOptions.method} ${requestOptions.url} is sent again.`);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, limit.until - Date.now())));
      }
    }
  });
  return octokit;
}
