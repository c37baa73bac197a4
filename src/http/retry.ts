// Retries of transient failures with jittered exponential backoff, honouring
// Retry-After, and never past one deadline shared by every call of the step.

import { NetworkError, send, type HttpRequest, type HttpResponse } from './request.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Epoch milliseconds after which no network work may go on. */
  deadline: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  random: () => number;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Request timeout, rate limit, and every server-side error. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

export function defaultPolicy(retries: number, timeoutMs: number): RetryPolicy {
  return {
    retries,
    deadline: Date.now() + timeoutMs,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Equal jitter: half the exponential step, plus a random share of the other half. */
export function backoffMs(retry: number, random: () => number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(step / 2 + (step / 2) * random());
}

/** Every try failed, or the deadline came first. Says nothing about the credential. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
  readonly attempts: number;
  readonly lastStatus: number | undefined;
  constructor(message: string, attempts: number, lastStatus: number | undefined) {
    super(message);
    this.attempts = attempts;
    this.lastStatus = lastStatus;
  }
}

/**
 * A 200 whose body the caller cannot use (a proxy's page, a truncated JSON):
 * throw this from `accept` to have the exchange retried like a 502.
 */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

function statusReason(response: HttpResponse): string {
  const server = /<html/i.test(response.body) ? ' (an HTML error page)' : '';
  return `HTTP ${response.status}${server}`;
}

/**
 * Sends the request until it gets an answer that is not transient, and
 * returns `accept(answer)`. Transient: network failures, 408, 429, 5xx, and
 * MalformedAnswerError from `accept`.
 */
export async function sendWithRetries<T>(
  policy: RetryPolicy,
  request: Omit<HttpRequest, 'signal'>,
  accept: (response: HttpResponse) => T,
): Promise<T> {
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastReason = 'no attempt was made';
  for (;;) {
    const remaining = policy.deadline - policy.now();
    if (remaining <= 0) break;
    attempts += 1;
    let waitMs: number | undefined;
    try {
      const response = await send({ ...request, signal: AbortSignal.timeout(remaining) });
      lastStatus = response.status;
      if (isTransientStatus(response.status)) {
        lastReason = statusReason(response);
        waitMs = retryAfterMs(response.headers['retry-after'], policy.now());
      } else {
        try {
          return accept(response);
        } catch (error) {
          if (!(error instanceof MalformedAnswerError)) throw error;
          lastReason = error.message;
        }
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      lastStatus = undefined;
      lastReason = error.message;
    }
    if (attempts > policy.retries) break;
    const delay = waitMs ?? backoffMs(attempts - 1, policy.random);
    if (policy.now() + delay >= policy.deadline) {
      if (waitMs !== undefined) lastReason += `; it asked to retry after ${Math.ceil(waitMs / 1000)} s, past the deadline`;
      break;
    }
    await policy.sleep(delay);
  }
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  throw new UnavailableError(`${lastReason} (${tries})`, attempts, lastStatus);
}
