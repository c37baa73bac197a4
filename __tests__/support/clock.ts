// Clocks for tests (src/clock/clock.ts): the process's time with waits that
// take none (counted or not), and a clock that moves only when something
// sleeps on it.

import type { Clock } from '../../src/clock/clock.ts';
import { Deadline } from '../../src/clock/deadline.ts';

/** The process's time; a sleep returns at once (a backoff counted, not slept). */
export const noWaitClock: Clock = { now: () => Date.now(), sleep: async () => undefined };

/** Stands still until something sleeps on it, then moves by that sleep: a wait of seconds takes none. */
export function steppedClock(start = Date.now()): { clock: Clock; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps };
}

/** The process's time plus every sleep so far, each taken at once: real exchanges take their time, waits take none. */
export function skippingClock(): { clock: Clock; sleeps: number[] } {
  let skipped = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => Date.now() + skipped,
    sleep: async (ms) => {
      sleeps.push(ms);
      skipped += ms;
    },
  };
  return { clock, sleeps };
}

/** `ms` from now on the process's clock, as GitHub's client and the secret destinations read a deadline. */
export function deadlineIn(ms: number, clock: Clock = noWaitClock): Deadline {
  return Deadline.in(clock, ms);
}
