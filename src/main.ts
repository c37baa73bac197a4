// The action's work, given checked inputs and a runner to report to.

import { defaultPolicy, type RetryPolicy } from './http/retry.ts';
import type { CheckInputs } from './inputs.ts';
import { checkKey, keyType, type CheckStatus } from './prefect/check.ts';
import { reportCheck } from './report.ts';
import type { Runner } from './runner.ts';

export interface RunOptions {
  /** Replaces the real clock, sleep and jitter (unit tests). */
  policy?: RetryPolicy;
}

const TITLES: Record<Exclude<CheckStatus, 'valid'>, string> = {
  'invalid-key': 'Prefect Cloud API key rejected',
  forbidden: 'Prefect Cloud API key lacks access',
  'not-found': 'Prefect Cloud workspace not found',
  unavailable: 'Prefect Cloud unavailable',
  unexpected: 'Unexpected answer from Prefect Cloud',
};

/** Returns the step's exit code. */
export async function run(inputs: CheckInputs, runner: Runner, options: RunOptions = {}): Promise<number> {
  const started = Date.now();
  const policy = options.policy ?? defaultPolicy(inputs.retries, inputs.timeoutMs);
  const api = { base: inputs.apiBase, apiKey: inputs.apiKey, policy };
  const result = await checkKey(api, inputs.workspace);
  reportCheck(runner, { result, keyType: keyType(inputs.apiKey), apiBase: inputs.apiBase, durationMs: Date.now() - started });

  if (result.status === 'valid') {
    runner.info(result.message);
    return 0;
  }
  if (!inputs.failOnInvalid) {
    runner.warning(result.message, { title: TITLES[result.status] });
    return 0;
  }
  runner.error(result.message, { title: TITLES[result.status] });
  return 1;
}
