// The action's timing constants, as one settings object with today's values
// as defaults: production never changes them, and a test shrinks them (a
// rotation of many repositories with no spacing between writes) instead of
// waiting on them.

export interface Timings {
  /**
   * GitHub asks for a second between writes, and counts it between the requests it receives. The throttling
   * plugin spaces the starts of its queue's turns; a write slow to leave on its turn or to be answered (sealing, a
   * busy runner, a slow connection) then reaches GitHub less than a second before the next one. So the second is
   * counted from the end of the previous write — after GitHub received it — to the start of the next.
   */
  writeSpacingMs: number;
  /** An attempt that is not the last is given at least this long, when half of the time left allows it (attemptShare). */
  minAttemptMs: number;
  /** Undoing or tidying up after a failure may run past the deadline, by this much at most. */
  cleanupReserveMs: number;
  /** How long a rotation whose answer was lost is watched for before the action concludes it did not happen. */
  lostRotationWatchMs: number;
  /** How often that watch looks. */
  lostRotationLookMs: number;
  /** How long the expiry lookup may keep a finished check waiting: it is information, not the verdict. */
  expiryWaitMs: number;
  /**
   * GitHub asks for a second between mutating requests, so the writes take time in proportion to the destinations:
   * once they start, GitHub's part of the rotation may run until this much per destination from then, when that is
   * later than timeout-seconds (100 destinations: 200 s).
   */
  writeMsPerDestination: number;
  /** Octokit's retry plugin waits this times 1, 4, 9 … before each retry. */
  githubRetryBaseMs: number;
  /** Octokit's throttling plugin waits this times GitHub's retry-after (or reset) seconds. */
  githubRateLimitBaseMs: number;
}

export const DEFAULT_TIMINGS: Readonly<Timings> = Object.freeze({
  writeSpacingMs: 1_000,
  minAttemptMs: 10_000,
  cleanupReserveMs: 10_000,
  lostRotationWatchMs: 5_000,
  lostRotationLookMs: 1_000,
  expiryWaitMs: 2_000,
  writeMsPerDestination: 2_000,
  githubRetryBaseMs: 1_000,
  githubRateLimitBaseMs: 1_000,
});

/** The defaults, with any setting a caller gives in their place. */
export function timingsWith(settings: Partial<Timings> = {}): Timings {
  return { ...DEFAULT_TIMINGS, ...settings };
}
