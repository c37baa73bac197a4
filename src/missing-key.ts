// The verdict on a step that got no key at all. It is not bad input: a
// workflow that passes the secret correctly still gets an empty string for a
// pull request from a fork or from Dependabot, so the step answers it as it
// answers a rejected key (outputs, fail-on-invalid) and says why it happens.

import type { CheckResult } from './prefect/check.ts';

export const MISSING_KEY_MESSAGE =
  'No Prefect Cloud API key reached the step: input api-key is empty and PREFECT_API_KEY is not set, so nothing was sent to Prefect Cloud. ' +
  "Check the secret's name (a mistyped one reads as empty) and the job's environment; for a pull request from a fork or by Dependabot, which gets no secrets, skip the step or set fail-on-invalid: false.";

/** The causes at length, for the job summary: the annotation stays within 400 characters. */
export const MISSING_KEY_DETAIL =
  'The usual causes: the run is for a pull request from a fork or by Dependabot, which GitHub gives no secrets (Dependabot only its own, set under Settings > Secrets and variables > Dependabot); ' +
  'the secret name in secrets.<NAME> is mistyped (an unknown name reads as empty); ' +
  "or the secret is an environment's and the job does not name that environment (environment:). " +
  'Check the name and the job against Settings > Secrets and variables > Actions; for pull requests from forks, skip the step (if: github.event.pull_request.head.repo.fork != true) or set fail-on-invalid: false.';

export function missingKey(): CheckResult {
  return { status: 'missing-key', message: MISSING_KEY_MESSAGE, detail: MISSING_KEY_DETAIL };
}
