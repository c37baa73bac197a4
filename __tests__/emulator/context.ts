// What the servers of one emulator share; reset() replaces the state, the rate-limit bookkeeping and the violation opt-out.
import type { Faults } from './faults.ts';
import type { GithubRateLimits } from './github-rate-limits.ts';
import type { State } from './state.ts';
import type { RecordedRequest } from './types.ts';

export interface ServerContext {
  /** This emulator's number, naming it in the violation registry. */
  id: number;
  state: State;
  faults: Faults;
  /** Every server's requests, in arrival order. */
  requests: RecordedRequest[];
  githubLimits: GithubRateLimits;
  /** Set by `Emulator.expectViolations()`: GitHub requests that depart from the description do not fail the test file. */
  violationsExpected: boolean;
}
