// The action's work, given checked inputs and a runner to report to. The
// check of today's keys loads nothing more; Cloud 1 and rotation code is
// loaded only when asked for. The key's expiry and scopes are asked at the
// same time as the check, so they cost no extra round trip.

import { systemClock, type Clock } from './clock/clock.ts';
import { timingsWith, type Timings } from './clock/timings.ts';
import { defaultPolicy, type RetryPolicy } from './http/retry.ts';
import type { CheckInputs } from './inputs.ts';
import { displayUrl } from './display-url.ts';
import { missingKey } from './missing-key.ts';
import { checkKey, keyType, unavailable, type CheckResult, type CheckStatus } from './prefect/check.ts';
import type { Cloud1CheckResult } from './prefect/cloud1-check.ts';
import { keyExpiry, type Expiry } from './prefect/expiry.ts';
import type { PrefectApi } from './prefect/rest.ts';
import { roleGranting, workspaceScopes, type WorkspaceScopes } from './prefect/scopes.ts';
import { reportCheck, reportExport, type CountedExpiry } from './report.ts';
import type { RotationInputs } from './rotate/inputs.ts';
import type { Runner } from './runner.ts';

export interface RunOptions {
  /** Set when rotate is true: the rotation's checked inputs. */
  rotation?: RotationInputs;
  /** Replaces the retries, their clock, the deadline and the jitter (unit tests). */
  policy?: RetryPolicy;
  /**
   * The step's clock: the process's unless a test drives it. The policy is built on it when none is given. Given
   * a policy alone, the expiry wait stays on the process's clock: that wait is for an answer from the network, which
   * a clock whose sleeps return at once would never let arrive.
   */
  clock?: Clock;
  /** The timing settings: today's values for any not given (a test shrinks them). */
  timings?: Partial<Timings>;
}

/** The annotation's title: what kind of failure, in the status's own word; the message says the rest, so the title does not repeat it. No colon: the runner would show it escaped in the raw log. */
function titleOf(status: Exclude<CheckStatus, 'valid'>, rotating: boolean): string {
  return `Key check failed${rotating ? ' before rotation' : ''} (${status})`;
}

async function check(inputs: CheckInputs, rest: PrefectApi): Promise<Cloud1CheckResult> {
  if (inputs.api === 'rest') return checkKey(rest, inputs.workspace);
  const { checkCloud1Key } = await import('./prefect/cloud1-check.ts');
  return checkCloud1Key({ url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy: rest.policy }, rest, inputs.workspace);
}

function reportFailure(result: CheckResult, inputs: CheckInputs, runner: Runner, rotating: boolean): number {
  const status = result.status as Exclude<CheckStatus, 'valid'>;
  const message = rotating ? `${result.message} No key was rotated.` : result.message;
  if (!inputs.failOnInvalid) {
    runner.warning(message, { title: titleOf(status, rotating) });
    return 0;
  }
  runner.error(message, { title: titleOf(status, rotating) });
  return 1;
}

/**
 * The scopes verdict on a valid check: the required scopes the key lacks, as
 * a failed result. Prefect's own refusal to say them is a warning (a service
 * account's key may not be allowed to read its scopes); an outage or an answer
 * Prefect does not send fails the check as unavailable or unexpected: a gate
 * asked to check scopes that could not has not passed.
 */
async function scopesVerdict(
  inputs: CheckInputs,
  rest: PrefectApi,
  result: CheckResult,
  asked: Promise<WorkspaceScopes>,
  runner: Runner,
): Promise<{ result: CheckResult; scopes?: string[] }> {
  const answer = await asked;
  const notVerified = "The key's workspace scopes could not be read, so required-scopes was not verified";
  if (answer.kind === 'refused') {
    runner.warning(`The key's workspace scopes were not checked: ${answer.why}. required-scopes could not be verified.`, { title: 'Scopes unknown' });
    return { result };
  }
  if (answer.kind === 'unavailable') {
    const failed = unavailable(`Prefect Cloud at ${rest.base.host}`, answer.error);
    return { result: { ...result, ...failed, message: `${notVerified}: ${failed.message}` } };
  }
  if (answer.kind === 'unexpected') {
    const message = `${notVerified}: Prefect Cloud answered the request for them with ${answer.why}. Check that api-url (${displayUrl(rest.base) ?? 'as given'}) points at the Prefect Cloud API.`;
    return { result: { ...result, status: 'unexpected', statusCode: answer.statusCode, message } };
  }
  const { scopes } = answer;
  const missing = inputs.requiredScopes.filter((scope) => !scopes.includes(scope));
  if (missing.length === 0) return { result, scopes };
  const granted = missing
    .map((scope) => {
      const role = roleGranting(scope);
      return role ? `${scope} (the ${role} role grants it)` : scope;
    })
    .join(', ');
  const message = `The API key is valid, but lacks ${missing.length === 1 ? 'the scope' : 'scopes'} ${granted} in workspace ${result.workspaceLabel ?? ''}: give its user or service account a workspace role that grants ${missing.length === 1 ? 'it' : 'them'}.`;
  return { result: { ...result, status: 'missing-scopes', message }, scopes };
}

/** Warned from the days the outputs and the summary give (counted once, in reportCheck). */
function warnOfExpiry(expiry: CountedExpiry | undefined, warningDays: number, runner: Runner): void {
  if (expiry?.kind !== 'expires' || warningDays === 0) return;
  const { days } = expiry;
  if (days > warningDays) return;
  const when = days < 0 ? 'has expired' : days === 0 ? 'expires within a day' : `expires in ${days} days`;
  runner.warning(`The Prefect Cloud API key ${when} (${expiry.at}): rotate it, or create a new key and update the secret that holds it, before then.`, {
    title: 'Prefect Cloud API key expires soon',
  });
}

/**
 * A gate that names no workspace passes on the key alone: it says so, since a deploy needs a workspace and
 * an empty api-url is often a PREFECT_API_URL kept as a secret but read as a variable (or the reverse).
 * Prefect Cloud 1 has no workspaces to name: its check is the key's by design.
 */
const NO_WORKSPACE_CHECKED =
  'No workspace was named, so only the key itself was checked, not its access to a workspace. To check one, set api-url to its workspace URL (what PREFECT_API_URL holds), or workspace: <account-handle>/<workspace-handle>, or account and workspace. If api-url reads PREFECT_API_URL, check that it is set where it is read (vars. for a variable, secrets. for a secret).';

function noWorkspaceNamed(inputs: CheckInputs): boolean {
  return inputs.api === 'rest' && inputs.workspace.kind === 'none';
}

/** The rotation outputs of a rotation that did not start: the check failed, so the rotation did. */
const NOT_ROTATED = {
  rotation: 'failed',
  'new-key-id': '',
  'new-key-expires-at': '',
  'old-key-expires-at': '',
};

/** The expiry, if it arrives within `waitMs` of the check (Timings.expiryWaitMs); else unknown, and the lookup is stopped. */
async function settledSoon(asked: Promise<Expiry>, stop: AbortController, clock: Clock, waitMs: number): Promise<Expiry> {
  const waited = new AbortController();
  const late = clock.sleep(waitMs, waited.signal).then(
    (): Expiry => ({ kind: 'unknown', why: 'Prefect Cloud did not say in time' }),
    // Ended early because the expiry came first: the race is already decided.
    (): Expiry => ({ kind: 'unknown', why: 'not waited for' }),
  );
  const expiry = await Promise.race([asked, late]);
  waited.abort();
  stop.abort();
  return expiry;
}

/** A step given no key: the missing-key verdict, with every output a failed check writes, and nothing sent. */
async function reportNoKey(inputs: CheckInputs, runner: Runner): Promise<number> {
  const result = missingKey();
  await reportCheck(runner, { result, keyType: keyType(''), apiBase: inputs.apiBase, durationMs: 0 });
  // rotate: true, read from the inputs: the rotation's own inputs are not parsed without a key (their secrets are missing too).
  if (inputs.rotate) runner.setOutputs(NOT_ROTATED);
  return reportFailure(result, inputs, runner, inputs.rotate);
}

/** Returns the step's exit code. */
export async function run(inputs: CheckInputs, runner: Runner, options: RunOptions = {}): Promise<number> {
  const ignored = inputs.ignoredRotationInputs ?? [];
  if (ignored.length > 0) {
    runner.warning(
      `${ignored.length === 1 ? 'Input' : 'Inputs'} ${ignored.join(', ')} only ${ignored.length === 1 ? 'applies' : 'apply'} to a rotation, and rotate is not true: ${ignored.length === 1 ? 'it was' : 'they were'} ignored and only the key was checked. To rotate (or rehearse a rotation with dry-run: true), set rotate: true.`,
      { title: 'Rotation inputs ignored' },
    );
  }
  if (inputs.apiKey === '') return reportNoKey(inputs, runner);
  const timings = timingsWith(options.timings);
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const policy = options.policy ?? { ...defaultPolicy(inputs.retries, inputs.timeoutMs, clock, timings), trace: (line: string) => runner.debug(line) };
  const rest: PrefectApi = { base: inputs.apiBase, apiKey: inputs.apiKey, policy, urlFrom: inputs.apiUrlFrom };
  if (inputs.apiUrlCorrected) runner.notice(inputs.apiUrlCorrected, { title: 'api-url corrected' });
  if (inputs.workspaceNotice) runner.notice(inputs.workspaceNotice, { title: 'Workspace from the inputs' });
  const asksScopes = inputs.requiredScopes.length > 0;
  // Asked alongside the check: the expiry always (unless turned off), the scopes when the workspace's id is already known.
  const stopExpiry = new AbortController();
  const expiryAsked =
    inputs.api === 'rest' && inputs.warnIfExpiresWithinDays > 0 ? keyExpiry({ ...rest, policy: { ...policy, cancel: stopExpiry.signal } }) : undefined;
  let scopesAsked = asksScopes && inputs.workspace.kind === 'ids' ? workspaceScopes(rest, inputs.workspace.workspaceId) : undefined;
  let result: Cloud1CheckResult = await check(inputs, rest);
  const expiry = (expiryAsked && (await settledSoon(expiryAsked, stopExpiry, clock, timings.expiryWaitMs))) ?? result.expiry;
  let scopes: string[] | undefined;
  if (result.status === 'valid' && asksScopes && result.workspaceId) {
    scopesAsked ??= workspaceScopes(rest, result.workspaceId);
    ({ result, scopes } = await scopesVerdict(inputs, rest, result, scopesAsked, runner));
  } else if (scopesAsked) {
    await scopesAsked.catch(() => undefined);
  }

  const countedExpiry = await reportCheck(runner, {
    result,
    keyType: keyType(inputs.apiKey),
    apiBase: inputs.apiBase,
    durationMs: clock.now() - started,
    expiry,
    scopes: asksScopes ? scopes : undefined,
    noWorkspaceNamed: noWorkspaceNamed(inputs),
  });
  if (result.status !== 'valid') {
    // A rotation that never started still answers every rotation output, so that a workflow reading them
    // (with fail-on-invalid: false) sees that nothing was rotated.
    if (options.rotation) runner.setOutputs(NOT_ROTATED);
    return reportFailure(result, inputs, runner, options.rotation !== undefined);
  }
  runner.info(result.message);
  if (noWorkspaceNamed(inputs)) runner.warning(NO_WORKSPACE_CHECKED, { title: 'No workspace checked' });
  warnOfExpiry(countedExpiry, inputs.warnIfExpiresWithinDays, runner);

  let exitCode = 0;
  let exported: { key?: string; rotatedKey: boolean; withheld?: string } = { key: inputs.apiKey, rotatedKey: false };
  if (options.rotation) {
    const { rotate } = await import('./rotate/index.ts');
    const rotated = await rotate({ inputs, rotation: options.rotation, check: result, policy, runner, timings });
    exitCode = rotated.exitCode;
    exported = { key: rotated.keyToExport, rotatedKey: rotated.newKey !== undefined, withheld: rotated.notExported };
  }
  if (exitCode === 0 && inputs.exportEnv) {
    if (exported.key) runner.exportVariable('PREFECT_API_KEY', exported.key, true);
    else runner.info(`PREFECT_API_KEY was not exported: ${exported.withheld ?? ''}`);
    if (result.workspaceUrl) runner.exportVariable('PREFECT_API_URL', result.workspaceUrl);
    await reportExport(runner, {
      rotatedKey: exported.rotatedKey,
      workspaceUrl: result.workspaceUrl,
      keyWithheld: exported.key ? undefined : exported.withheld,
    });
  }
  return exitCode;
}
