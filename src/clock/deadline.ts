// The step's deadline, one object for every module that sends or waits:
// Prefect's requests (RetryPolicy) and GitHub's client read the same one, the
// secret writes extend it, and undoing after a failure gets a reserve past it.
// It holds the clock it is read on, and the rule for how long one attempt may
// take, so that no caller does that arithmetic again.

import type { Clock } from './clock.ts';
import { DEFAULT_TIMINGS, type Timings } from './timings.ts';

/**
 * How long one attempt may take. The last gets all the time left. Any other
 * gets an equal share of it among this attempt and the retries after it, so
 * that one stalled request does not spend the whole deadline and forbid the
 * retry that would have succeeded; raised towards `minAttemptMs` for a slow
 * server, but never past half of the time left, so that a next try always
 * keeps as much time as this one had (with `timeout-seconds: 10`, 5 s each).
 * When what its share would leave is shorter than the pause before the next
 * try (`nextPauseMs`, its backoff), no retry could follow: it is the last, and
 * gets all the time left.
 */
export function attemptShare(remainingMs: number, retriesLeft: number, nextPauseMs = 0, minAttemptMs = DEFAULT_TIMINGS.minAttemptMs): number {
  if (retriesLeft <= 0) return Math.ceil(remainingMs);
  const share = Math.ceil(Math.max(remainingMs / (retriesLeft + 1), Math.min(minAttemptMs, remainingMs / 2)));
  return remainingMs - share < nextPauseMs ? Math.ceil(remainingMs) : share;
}

export class Deadline {
  readonly clock: Clock;
  private endsAt: number;
  private readonly timings: Pick<Timings, 'minAttemptMs' | 'cleanupReserveMs'>;

  /** `end`: epoch milliseconds on `clock`, after which no network work may go on. */
  constructor(clock: Clock, end: number, timings: Pick<Timings, 'minAttemptMs' | 'cleanupReserveMs'> = DEFAULT_TIMINGS) {
    this.clock = clock;
    this.endsAt = end;
    this.timings = { minAttemptMs: timings.minAttemptMs, cleanupReserveMs: timings.cleanupReserveMs };
  }

  /** `ms` from now on `clock`. */
  static in(clock: Clock, ms: number, timings?: Pick<Timings, 'minAttemptMs' | 'cleanupReserveMs'>): Deadline {
    return new Deadline(clock, clock.now() + ms, timings);
  }

  /** Epoch milliseconds. */
  get end(): number {
    return this.endsAt;
  }

  /** Milliseconds left; zero or less once it has passed. */
  remaining(): number {
    return this.endsAt - this.clock.now();
  }

  /** True when a wait of `ms` begun now would end before the deadline. */
  allows(ms: number): boolean {
    return this.clock.now() + ms < this.endsAt;
  }

  /** How long the next attempt may take, with `retriesLeft` after it and `nextPauseMs` before the next (attemptShare). */
  attempt(retriesLeft: number, nextPauseMs = 0): number {
    return attemptShare(this.remaining(), retriesLeft, nextPauseMs, this.timings.minAttemptMs);
  }

  /** Moves the end to `time` when that is later (the secret writes, which take time in proportion to the destinations). */
  extendTo(time: number): void {
    this.endsAt = Math.max(this.endsAt, time);
  }

  /** For undoing and tidying up: this deadline, or the cleanup reserve from now when that is later. */
  forUndoing(): Deadline {
    return new Deadline(this.clock, Math.max(this.endsAt, this.clock.now() + this.timings.cleanupReserveMs), this.timings);
  }

  /** Half of the time left: a call sent once keeps the other half to look whether it took effect. */
  halved(): Deadline {
    return new Deadline(this.clock, this.clock.now() + Math.floor(Math.max(0, this.remaining()) / 2), this.timings);
  }
}
