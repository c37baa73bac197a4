// GitHub's rate limits: the answers it sends (primary and secondary), and the rules it documents for integrations, kept
// per token: nothing at all while an announced limit is in force (answered with the limit again), and, as GitHub's best
// practices ask, one mutating request at a time with a second between them (breaches counted for tests to assert; GitHub
// documents these as guidance whose breach may trip a secondary limit, not as a refusal of each request).
import type { Reply } from './http.ts';
import { json } from './http.ts';
import type { GithubLimitBreach, GithubRateLimit } from './types.ts';

const QUOTA = 5000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** "If you are making a large number of POST, PATCH, PUT, or DELETE requests ..., wait at least one second between each request." */
const MUTATION_INTERVAL_MS = 1000;
const DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

interface Limited {
  limit: GithubRateLimit;
  reset: number; // x-ratelimit-reset, epoch seconds
  until: number; // ms: the reset, or the Retry-After, whichever is later
}

interface Book {
  used: number;
  reset: number; // epoch seconds: the end of the hourly window
  inFlight: number; // mutating requests
  lastMutationAt: number | undefined;
  limited: Limited | undefined;
}

export interface Arrival {
  /** The limit a breach is answered with; undefined when the request may go on. */
  breach: Reply | undefined;
  /** Call when the response has ended (or the connection closed). */
  done(): void;
  /** Call when the answer is a redirect: it changed nothing, so the next mutating request need not wait for it. */
  redirected(): void;
}

export class GithubRateLimits {
  readonly breaches: GithubLimitBreach[] = [];
  /** The most mutating requests in flight at once, all tokens together. */
  maxConcurrentMutations = 0;
  #mutationsInFlight = 0;
  readonly #books = new Map<string, Book>();

  /** Counts a request of `token` in on arrival; a breach of the rules is recorded, and one made while limited is answered with the limit. */
  arrive(token: string, method: string, path: string, requestId: string, now = Date.now()): Arrival {
    const book = this.#book(token, now);
    book.used += 1;
    const mutating = MUTATING.has(method);
    let reason: GithubLimitBreach['reason'] | undefined;
    if (book.limited && now < book.limited.until) reason = 'while-limited';
    else if (mutating && book.inFlight > 0) reason = 'concurrent';
    else if (mutating && book.lastMutationAt !== undefined && now - book.lastMutationAt < MUTATION_INTERVAL_MS) reason = 'too-soon';
    if (reason) this.breaches.push({ at: now, method, path, reason });

    let finished = !mutating;
    const previousMutationAt = book.lastMutationAt;
    if (mutating) {
      book.inFlight += 1;
      book.lastMutationAt = now;
      this.#mutationsInFlight += 1;
      this.maxConcurrentMutations = Math.max(this.maxConcurrentMutations, this.#mutationsInFlight);
    }
    const done = () => {
      if (finished) return;
      finished = true;
      book.inFlight -= 1;
      this.#mutationsInFlight -= 1;
    };
    const redirected = () => {
      if (mutating && book.lastMutationAt === now) book.lastMutationAt = previousMutationAt;
    };
    const limited = book.limited;
    if (reason !== 'while-limited' || !limited) return { breach: undefined, done, redirected };
    const retryAfterSeconds = limited.limit.retryAfterSeconds === undefined ? undefined : Math.ceil((limited.until - now) / 1000);
    return { breach: this.#answer(book, { ...limited.limit, retryAfterSeconds }, limited.reset, requestId), done, redirected };
  }

  /** GitHub's x-ratelimit-* headers for an ordinary answer to `token`. */
  headers(token: string, now = Date.now()): Record<string, string> {
    const book = this.#book(token, now);
    return quotaHeaders(book.used, book.reset);
  }

  /** GitHub's answer to a request that hits `limit`; `token` is then limited until the announced reset or Retry-After. */
  limit(token: string, limit: GithubRateLimit, requestId: string, now = Date.now()): Reply {
    const book = this.#book(token, now);
    const reset = limit.kind === 'primary' || limit.resetInSeconds !== undefined ? Math.ceil((now + (limit.resetInSeconds ?? 1) * 1000) / 1000) : book.reset;
    const retryUntil = limit.retryAfterSeconds === undefined ? 0 : now + limit.retryAfterSeconds * 1000;
    const until = Math.max(limit.kind === 'primary' ? reset * 1000 : 0, retryUntil);
    if (until > now) book.limited = { limit, reset, until };
    return this.#answer(book, limit, reset, requestId);
  }

  #answer(book: Book, limit: GithubRateLimit, reset: number, requestId: string): Reply {
    const status = limit.status ?? 403;
    const primary = limit.kind === 'primary';
    const message = primary
      ? 'API rate limit exceeded for user ID 1.'
      : `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
    const reply = json(status, { message, documentation_url: primary ? DOCS : `${DOCS}#about-secondary-rate-limits`, status: String(status) });
    const used = primary ? QUOTA : Math.min(book.used, QUOTA - 1);
    reply.headers = { ...reply.headers, ...quotaHeaders(used, reset) };
    if (limit.retryAfterSeconds !== undefined) reply.headers['retry-after'] = String(limit.retryAfterSeconds);
    return reply;
  }

  #book(token: string, now: number): Book {
    let book = this.#books.get(token);
    if (!book) {
      book = { used: 0, reset: Math.ceil(now / 1000) + 3600, inFlight: 0, lastMutationAt: undefined, limited: undefined };
      this.#books.set(token, book);
    }
    if (now >= book.reset * 1000) {
      book.used = 0;
      book.reset = Math.ceil(now / 1000) + 3600;
    }
    return book;
  }
}

function quotaHeaders(used: number, reset: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(QUOTA),
    'x-ratelimit-remaining': String(Math.max(0, QUOTA - used)),
    'x-ratelimit-used': String(Math.min(used, QUOTA)),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-resource': 'core',
  };
}
