// The action's work, given checked inputs and a runner to report to. The
// check of today's keys loads nothing more; Cloud 1 and rotation code is
// loaded only when asked for.

import { defaultPolicy, type RetryPolicy } from './http/retry.ts';
import type { CheckInputs } from './inputs.ts';
import { checkKey, keyType, type CheckResult, type CheckStatus } from './prefect/check.ts';
import type { Cloud1CheckResult } from './prefect/cloud1-check.ts';
import { reportCheck } from './report.ts';
import type { RotationInputs } from './rotate/inputs.ts';
import type { Runner } from './runner.ts';

export interface RunOptions {
  /** Set when rotate is true: the rotation's checked inputs. */
  rotation?: RotationInputs;
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

async function check(inputs: CheckInputs, policy: RetryPolicy): Promise<Cloud1CheckResult> {
  const rest = { base: inputs.apiBase, apiKey: inputs.apiKey, policy };
  if (inputs.api === 'rest') return checkKey(rest, inputs.workspace);
  const { checkCloud1Key } = await import('./prefect/cloud1-check.ts');
  return checkCloud1Key({ url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy }, rest, inputs.workspace);
}

function reportFailure(result: CheckResult, inputs: CheckInputs, runner: Runner, rotating: boolean): number {
  const status = result.status as Exclude<CheckStatus, 'valid'>;
  const message = rotating ? `${result.message} No key was rotated.` : result.message;
  if (!inputs.failOnInvalid) {
    runner.warning(message, { title: TITLES[status] });
    return 0;
  }
  runner.error(message, { title: TITLES[status] });
  return 1;
}

/** Returns the step's exit code. */
export async function run(inputs: CheckInputs, runner: Runner, options: RunOptions = {}): Promise<number> {
  const started = Date.now();
  const policy = options.policy ?? { ...defaultPolicy(inputs.retries, inputs.timeoutMs), trace: (line: string) => runner.debug(line) };
  const result = await check(inputs, policy);
  await reportCheck(runner, { result, keyType: keyType(inputs.apiKey), apiBase: inputs.apiBase, durationMs: Date.now() - started });
  if (result.status !== 'valid') return reportFailure(result, inputs, runner, options.rotation !== undefined);
  runner.info(result.message);
  if (!options.rotation) return 0;

  const { rotate } = await import('./rotate/index.ts');
  return rotate({ inputs, rotation: options.rotation, check: result, policy, runner });
}
