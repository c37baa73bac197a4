// Rotation, loaded only when rotate is true: it brings the GitHub client and
// libsodium, which a plain check never needs.

import { DEFAULT_TIMINGS, type Timings } from '../clock/timings.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { CheckInputs } from '../inputs.ts';
import type { Cloud1CheckResult } from '../prefect/cloud1-check.ts';
import type { Runner } from '../runner.ts';
import { githubClient } from '../github/octokit.ts';
import { SecretDestinations } from './destinations.ts';
import { graphqlRotation } from './graphql-rotation.ts';
import type { RotationInputs } from './inputs.ts';
import { runRotation, type KeyRotation, type RotationOutcome } from './plan.ts';
import { describeDestination } from '../github/secrets.ts';
import { reportRotation, rotationOutputs } from './report.ts';
import { restRotation } from './rest-rotation.ts';
import { annotationWithin, MAX_ANNOTATION_LENGTH, MAX_MESSAGE_LENGTH, mdText } from '../safe-text.ts';

export interface RotateContext {
  inputs: CheckInputs;
  rotation: RotationInputs;
  /** The check of the current key, valid. */
  check: Cloud1CheckResult;
  /** Its clock and deadline are the step's: GitHub's client keeps to the same deadline. */
  policy: RetryPolicy;
  runner: Runner;
  /** Today's values unless a test shrinks them. */
  timings?: Timings;
}

function strategy({ inputs, rotation, check, policy, runner, timings = DEFAULT_TIMINGS }: RotateContext): KeyRotation {
  const log = (line: string) => runner.info(line);
  if (inputs.api === 'graphql') {
    return graphqlRotation({
      api: { url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy },
      actorId: check.actorId ?? '',
      serviceAccountId: rotation.serviceAccountId,
      keyName: rotation.keyName,
      newKeyExpiresInDays: rotation.newKeyExpiresInDays,
      oldKeyId: rotation.oldKeyId,
      graceSeconds: rotation.graceSeconds,
      log,
    });
  }
  if (!check.accountId || !check.workspaceId || !rotation.serviceAccountId) {
    throw new Error('REST rotation needs the workspace ids and service-account-id, which the inputs guarantee');
  }
  return restRotation({
    api: { base: inputs.apiBase, apiKey: inputs.apiKey, policy },
    accountId: check.accountId,
    workspaceId: check.workspaceId,
    botId: rotation.serviceAccountId,
    graceSeconds: rotation.graceSeconds,
    newKeyExpiresInDays: rotation.newKeyExpiresInDays,
    log,
    watch: { windowMs: timings.lostRotationWatchMs, lookMs: timings.lostRotationLookMs },
  });
}

/**
 * A cancelled job (or one past timeout-minutes) gets SIGINT, then SIGTERM
 * about 7.5 s later, then is killed. At the first signal the rotation starts
 * no further step: the request under way finishes, and the step reports what
 * holds what. At the second, the outputs (new-api-key among them) and an
 * annotation are written at once, and the step ends.
 */
function watchCancellation(runner: Runner, rotation: KeyRotation) {
  let outcome: RotationOutcome | undefined;
  const state = {
    requested: false,
    track: (current: RotationOutcome) => {
      outcome = current;
    },
    stop: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (!state.requested) {
      state.requested = true;
      runner.warning(`${signal}: the job is being cancelled. The request under way finishes, no further step starts, and the step says what holds what.`, {
        title: 'Rotation cancelled',
      });
      return;
    }
    if (outcome) rotationOutputs(runner, outcome);
    const key = outcome?.newKeyLive
      ? ` The new key is in the masked new-api-key output; secret writes that finished: ${outcome.written.map(describeDestination).join(', ') || 'none'}.`
      : '';
    // No secret holds the new key: a rerun within the grace period may refuse, so the rotation says what to do.
    const next = outcome?.newKeyLive && outcome.written.length === 0 ? rotation.withoutHolders?.() : undefined;
    const message = `${signal} a second time: the step stops now.${key} The old key keeps working until its grace period ends (or until it is revoked)${next ? `. ${next}` : '; run the workflow again to finish.'}`;
    runner.error(annotationWithin(message), { title: 'Rotation cancelled' });
    const end = () => process.exit(1);
    // A shortened annotation says the job summary has the rest: written before the step ends.
    if (message.length > MAX_ANNOTATION_LENGTH)
      void runner.appendSummary(`### Rotation cancelled\n\n- **${mdText(message, MAX_MESSAGE_LENGTH)}**`).then(end, end);
    else end();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return state;
}

export interface RotateResult {
  exitCode: number;
  /** The new key, once every destination holds it: the key in use after the step. */
  newKey?: string;
  /** The key later steps may get as PREFECT_API_KEY: the rotated service account's, never another's. */
  keyToExport?: string;
  /** Why no key is handed on, when keyToExport is unset on success. */
  notExported?: string;
}

/**
 * The key later steps may get: the rotated service account's only. The key
 * given as api-key is usually an account Admin's or Owner's, there to rotate
 * another account's key; handed to every later step of the job, third-party
 * actions included, it would deploy with an administrator's rights.
 */
function keyToHandOn({ inputs, rotation, check }: RotateContext, outcome: RotationOutcome): Pick<RotateResult, 'keyToExport' | 'notExported'> {
  if (outcome.rotated && outcome.newKey) return { keyToExport: outcome.newKey.value };
  // Cloud 1 says whose the key is (auth_info.user_id); rotating without service-account-id rotates that very account's key.
  const rotatedAccount = rotation.serviceAccountId ?? check.actorId;
  if (inputs.api === 'graphql' && check.actorId !== undefined && check.actorId === rotatedAccount) return { keyToExport: inputs.apiKey };
  const why = outcome.dryRun ? 'this was a dry run, so no new key was written' : 'no new key was written';
  const whose =
    inputs.api === 'graphql'
      ? `belongs to another account than service account ${rotatedAccount ?? ''}`
      : `is not known to be service account ${rotatedAccount ?? ''}'s own (Prefect Cloud's REST API does not say whose a key is)`;
  return {
    notExported: `${why}, and the key given as api-key ${whose}, so it is not handed to later steps: they should read the service account's key from secret ${rotation.secretName}.`,
  };
}

export async function rotate(context: RotateContext): Promise<RotateResult> {
  const { inputs, rotation, policy, runner, timings = DEFAULT_TIMINGS } = context;
  // Warned in a dry run too: that is when the plan is read, before a rotation makes it true.
  if (inputs.api === 'rest' && rotation.graceSeconds === 0) {
    runner.warning(
      `old-key-grace-seconds is 0: the old key ${rotation.dryRun ? 'would stop' : 'stops'} working at the rotation, so if ${rotation.dryRun ? 'a real run' : 'this run'} dies before the secret is written, the new key is lost with no key left working.`,
      {
        title: 'No grace period for the old key',
      },
    );
  }
  const octokit = githubClient({
    baseUrl: rotation.githubApi,
    token: rotation.githubToken,
    retries: inputs.retries,
    // The step's deadline itself: the writes extend it for GitHub's requests and for what Prefect is asked after them.
    deadline: policy.deadline,
    trace: (line) => runner.debug(line),
    log: (line) => runner.info(line),
    waits: { retryBaseMs: timings.githubRetryBaseMs, rateLimitBaseMs: timings.githubRateLimitBaseMs, writeSpacingMs: timings.writeSpacingMs },
  });
  const secrets = new SecretDestinations(octokit, policy.deadline, rotation.destinations, rotation.secretName, timings.writeMsPerDestination);
  const keyRotation = strategy(context);
  const cancellation = watchCancellation(runner, keyRotation);
  let outcome: RotationOutcome;
  try {
    outcome = await runRotation(keyRotation, secrets, {
      cancelled: () => cancellation.requested,
      onOutcome: (current) => cancellation.track(current),
      secretName: rotation.secretName,
      dryRun: rotation.dryRun,
      rotateIfExpiresWithinDays: rotation.rotateIfExpiresWithinDays,
      mask: (value) => runner.setSecret(value),
      log: (line) => runner.info(line),
      now: () => policy.clock.now(),
    });
  } finally {
    // A rotation run in-process (a test, or a throw) must not leave the process's signal handlers behind.
    cancellation.stop();
  }
  await reportRotation(runner, outcome, rotation.secretName);
  if (outcome.retirement?.warning) runner.warning(outcome.retirement.warning, { title: 'Old key not revoked' });
  if (!outcome.error) return { exitCode: 0, newKey: outcome.rotated ? outcome.newKey?.value : undefined, ...keyToHandOn(context, outcome) };
  // The summary (reportRotation) holds the whole message; the annotation, its first sentences.
  runner.error(annotationWithin(outcome.error), { title: 'Prefect Cloud key rotation failed' });
  return { exitCode: 1 };
}
