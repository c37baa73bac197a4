// The time every module that waits reads and waits on. Passed down rather
// than read from the global timers, so that a test can drive it: a wait of
// seconds then takes none, and what the action decides at a given time can be
// checked at that time.

import { setTimeout as wait } from 'node:timers/promises';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The process's own clock and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => wait(ms, undefined, signal ? { signal } : undefined),
};
