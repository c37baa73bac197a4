// Retries of transient failures with jittered exponential backoff, honouring
// Retry-After, and never past one deadline shared by every call of the step.

import { systemClock, type Clock } from '../clock/clock.ts';
import { Deadline } from '../clock/deadline.ts';
import { DEFAULT_TIMINGS, type Timings } from '../clock/timings.ts';
import { NetworkError, send, type HttpRequest, type HttpResponse } from './client.ts';

export { attemptShare } from '../clock/deadline.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** The clock the waits are slept on. */
  clock: Clock;
  /** The step's deadline, shared with every other call of the step: no network work goes on past it. */
  deadline: Deadline;
  /** In [0, 1): the jitter source. */
  random: () => number;
  /** One line for each exchange (the runner's debug log): method, host and path, status, attempt, time. */
  trace?: (line: string) => void;
  /** Ends the exchange and its retries early: the answer is no longer wanted. */
  cancel?: AbortSignal;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Request timeout, rate limit, and every server-side error. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** `timeoutMs` from now on `clock` (the process's unless given), with Math.random's jitter. */
export function defaultPolicy(
  retries: number,
  timeoutMs: number,
  clock: Clock = systemClock,
  timings?: Pick<Timings, 'minAttemptMs' | 'cleanupReserveMs'>,
): RetryPolicy {
  return { retries, clock, deadline: Deadline.in(clock, timeoutMs, timings), random: Math.random };
}

/** RFC 9110's HTTP-date forms: IMF-fixdate, and the obsolete RFC 850 and asctime forms. Date.parse alone takes far more ("1." is 2001). */
const HTTP_DATE = [
  /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  // Absent or empty, it matches neither form.
  const text = (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  if (!HTTP_DATE.some((form) => form.test(text))) return undefined;
  const date = Date.parse(text.endsWith('GMT') ? text : `${text} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Equal jitter: half the exponential step, plus a random share of the other half. */
export function backoffMs(retry: number, random: () => number): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(step / 2 + (step / 2) * random());
}

/** Half of the time left, and no retry: see sendOnce. */
function halfTheTimeLeft(policy: RetryPolicy): RetryPolicy {
  return { ...policy, retries: 0, deadline: policy.deadline.halved() };
}

/** Undoing or tidying up after a failure may run past the deadline, by this much at most (the default of Timings.cleanupReserveMs). */
export const CLEANUP_MS = DEFAULT_TIMINGS.cleanupReserveMs;

/** For undoing and tidying up: at least the cleanup reserve, even when the deadline is near or past. */
export function cleanupPolicy(policy: RetryPolicy): RetryPolicy {
  return { ...policy, deadline: policy.deadline.forUndoing() };
}

/**
 * Waits before another try of a step the caller repeats itself: as long as
 * the server asked (Retry-After), else a backoff. False when the deadline
 * would pass first.
 */
export async function pause(policy: RetryPolicy, retry: number, retryAfter?: number): Promise<boolean> {
  const delay = retryAfter ?? backoffMs(retry, policy.random);
  if (!policy.deadline.allows(delay)) return false;
  await policy.clock.sleep(delay);
  return true;
}

/** Every try failed, or the deadline came first. Says nothing about the credential. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
  readonly attempts: number;
  /** The last answer's status; undefined when the last try got no answer at all. */
  readonly lastStatus: number | undefined;
  /** How long the last answer asked to wait (Retry-After), if it did. */
  readonly retryAfterMs: number | undefined;
  /** What to do about a failure that does not pass by itself (NetworkError's); undefined when trying later may help. */
  readonly remedy: string | undefined;
  constructor(message: string, attempts: number, lastStatus: number | undefined, retryAfterMs?: number, remedy?: string) {
    super(message);
    this.attempts = attempts;
    this.lastStatus = lastStatus;
    this.retryAfterMs = retryAfterMs;
    this.remedy = remedy;
  }
}

/**
 * An answer the caller judges transient (a truncated JSON body, a rate-limit
 * 403, a key not valid yet): throw this from `accept` to have the exchange
 * retried like a 502, after `waitMs` if given.
 */
export class TransientAnswerError extends Error {
  override name = 'TransientAnswerError';
  readonly waitMs: number | undefined;
  constructor(message: string, waitMs?: number) {
    super(message);
    this.waitMs = waitMs;
  }
}

function statusReason(response: HttpResponse): string {
  const server = /<html/i.test(response.body) ? ' (an HTML error page)' : '';
  return `HTTP ${response.status}${server}`;
}

/** An attempt that is not the last is given at least this long, when half of the time left allows it (the default of Timings.minAttemptMs). */
export const MIN_ATTEMPT_MS = DEFAULT_TIMINGS.minAttemptMs;

/** The exchange's debug line: no header, body or query, so no secret. */
function trace(policy: RetryPolicy, request: Omit<HttpRequest, 'signal'>, attempt: number, started: number, outcome: string): void {
  policy.trace?.(
    `${request.method} ${request.url.host}${request.url.pathname}: ${outcome}, attempt ${attempt}, ${Math.round(policy.clock.now() - started)} ms`,
  );
}

/**
 * Sends the request until it gets an answer that is not transient, and
 * returns `accept(answer)`. Transient: network failures, 408, 429, 5xx, and
 * TransientAnswerError from `accept`.
 */
export async function sendWithRetries<T>(policy: RetryPolicy, request: Omit<HttpRequest, 'signal'>, accept: (response: HttpResponse) => T): Promise<T> {
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastWaitMs: number | undefined;
  let lastReason = 'no attempt was made';
  let remedy: string | undefined;
  for (;;) {
    const remaining = policy.deadline.remaining();
    if (remaining <= 0 || policy.cancel?.aborted) break;
    attempts += 1;
    let waitMs: number | undefined;
    const started = policy.clock.now();
    // The pause before the next try, drawn now so that this try's share leaves room for it.
    const backoff = backoffMs(attempts - 1, policy.random);
    const timeoutMs = policy.deadline.attempt(policy.retries - (attempts - 1), backoff);
    // The attempt's own time limit is a real timer: undici's waits it ends run on the process's timers, not on the clock.
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const signal = policy.cancel ? AbortSignal.any([timeout, policy.cancel]) : timeout;
      const response = await send({ ...request, signal, timeoutMs }).catch((error: unknown) => {
        trace(policy, request, attempts, started, error instanceof Error ? error.message : String(error));
        throw error;
      });
      trace(policy, request, attempts, started, `HTTP ${response.status}`);
      lastStatus = response.status;
      if (isTransientStatus(response.status)) {
        lastReason = statusReason(response);
        waitMs = retryAfterMs(response.headers['retry-after'], policy.clock.now());
      } else {
        try {
          return accept(response);
        } catch (error) {
          if (!(error instanceof TransientAnswerError)) throw error;
          lastReason = error.message;
          waitMs = error.waitMs;
        }
      }
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      lastStatus = undefined;
      lastReason = error.message;
      remedy = error.remedy;
    }
    lastWaitMs = waitMs;
    // An attempt given all the time left that ran out of it has met the deadline, whatever the clock reads: a
    // timer counts from the event loop's last tick, so it may fire before the clock reaches the deadline.
    const deadlineMet = timeout.aborted && timeoutMs >= remaining;
    // A failure that does not pass by itself (a certificate the runner does not trust) is not tried again.
    // A cancelled exchange ends here, without the pause before a try that would not be made.
    if (attempts > policy.retries || deadlineMet || remedy !== undefined || policy.cancel?.aborted) break;
    const delay = waitMs ?? backoff;
    if (!policy.deadline.allows(delay)) {
      if (waitMs !== undefined) lastReason += `; it asked to retry after ${Math.ceil(waitMs / 1000)} s, past the deadline`;
      break;
    }
    await policy.clock.sleep(delay);
  }
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  throw new UnavailableError(`${lastReason} (${tries})`, attempts, lastStatus, lastWaitMs, remedy);
}

/** A call sent once may or may not have taken effect: the caller must look before trying again. */
export class AmbiguousOutcomeError extends Error {
  override name = 'AmbiguousOutcomeError';
  /** Retry-After of the last answer, if it asked for a wait. */
  readonly retryAfterMs: number | undefined;
  /** The last answer's status; undefined when no answer came. */
  readonly lastStatus: number | undefined;
  constructor(message: string, retryAfterMs?: number, lastStatus?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
    this.lastStatus = lastStatus;
  }
}

/**
 * For a call that must not be repeated blindly (a create, a rotation): sent
 * once, with half of the time left, so that an ambiguous failure leaves time
 * to look. A failure short of an answer `accept` takes throws AmbiguousOutcomeError.
 */
export async function sendOnce<T>(policy: RetryPolicy, request: Omit<HttpRequest, 'signal'>, accept: (response: HttpResponse) => T): Promise<T> {
  try {
    return await sendWithRetries(halfTheTimeLeft(policy), request, accept);
  } catch (error) {
    if (error instanceof UnavailableError) throw new AmbiguousOutcomeError(error.message, error.retryAfterMs, error.lastStatus);
    throw error;
  }
}
