// The step's one deadline (src/clock/deadline.ts), on a clock that moves only
// when told: extended by the writes and never shortened, a reserve past it
// for undoing, half of it for a call sent once, and the attempt rule with the
// minimum attempt the timings give.

import { systemClock } from '../src/clock/clock.ts';
import { attemptShare, Deadline } from '../src/clock/deadline.ts';
import { DEFAULT_TIMINGS } from '../src/clock/timings.ts';
import { steppedClock } from './support/clock.ts';

const START = 1_000_000;

test('remaining and allows read the clock it was made on', async () => {
  const { clock } = steppedClock(START);
  const deadline = new Deadline(clock, START + 1_000);
  expect(deadline.remaining()).toBe(1_000);
  expect(deadline.allows(999)).toBe(true);
  expect(deadline.allows(1_000)).toBe(false);
  await clock.sleep(400);
  expect(deadline.remaining()).toBe(600);
  expect(Deadline.in(clock, 50).end).toBe(START + 450);
});

test('extendTo moves the end later, never earlier, and every holder of the deadline sees it', () => {
  const { clock } = steppedClock(START);
  const deadline = new Deadline(clock, START + 1_000);
  const held = deadline;
  deadline.extendTo(START + 5_000);
  expect(held.end).toBe(START + 5_000);
  deadline.extendTo(START + 2_000);
  expect(held.end).toBe(START + 5_000);
});

test("forUndoing gives the cleanup reserve from now when that is later, and leaves the step's deadline as it was", async () => {
  const { clock } = steppedClock(START);
  const deadline = new Deadline(clock, START + 1_000, { minAttemptMs: 10_000, cleanupReserveMs: 3_000 });
  await clock.sleep(2_000);
  expect(deadline.forUndoing().end).toBe(START + 5_000);
  expect(deadline.end).toBe(START + 1_000);
  const later = new Deadline(clock, START + 60_000);
  expect(later.forUndoing().end).toBe(START + 60_000);
  expect(new Deadline(clock, START).forUndoing().remaining()).toBe(DEFAULT_TIMINGS.cleanupReserveMs);
});

test('halved keeps half of the time left, and nothing once it has passed', () => {
  const { clock } = steppedClock(START);
  expect(new Deadline(clock, START + 1_001).halved().end).toBe(START + 500);
  expect(new Deadline(clock, START - 10).halved().end).toBe(START);
});

test("attempt is attemptShare of the time left, with the timings' minimum attempt", () => {
  const { clock } = steppedClock(START);
  expect(new Deadline(clock, START + 40_000).attempt(5)).toBe(attemptShare(40_000, 5));
  expect(new Deadline(clock, START + 40_000).attempt(5)).toBe(DEFAULT_TIMINGS.minAttemptMs);
  // A shorter minimum: the equal share among six.
  expect(new Deadline(clock, START + 40_000, { minAttemptMs: 1_000, cleanupReserveMs: 0 }).attempt(5)).toBe(6_667);
  expect(new Deadline(clock, START + 1_000).attempt(2, 501)).toBe(1_000);
});

test("the process clock's sleep ends when its signal aborts", async () => {
  const stop = new AbortController();
  const sleeping = systemClock.sleep(60_000, stop.signal);
  stop.abort();
  await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
});
