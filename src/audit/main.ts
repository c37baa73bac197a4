// The audit's work, given checked inputs and a runner: find the account,
// list its service accounts, then warn of and (with fail-within-days) fail on
// the keys due soon. A failure to list says why and nothing about the keys.

import { systemClock } from '../clock/clock.ts';
import { defaultPolicy, UnavailableError, type RetryPolicy } from '../http/retry.ts';
import type { PrefectApi } from '../prefect/rest.ts';
import { ListingRefusal, listServiceAccounts, type ServiceAccountListing } from '../prefect/service-accounts.ts';
import { UnexpectedAnswerError } from '../prefect/values.ts';
import type { Runner } from '../runner.ts';
import { resolveAccount, type ResolvedAccount } from './account.ts';
import { dueWithin, keyRows, neverExpiring, whenDue, type DueRow } from './expiries.ts';
import type { AuditInputs } from './inputs.ts';
import { reportFailure, reportListing, type AuditStatus } from './report.ts';

export interface AuditOptions {
  /** Replaces the real clock, sleep and jitter (unit tests). */
  policy?: RetryPolicy;
  /** The clock days-left counts from (unit tests); default the real one. */
  now?: () => number;
}

/** GitHub shows at most ten warning annotations of a step: past that, the tenth stands for the rest. */
export const MAX_WARNINGS = 10;
/** The most keys an error names; the summary and the keys output list them all. */
const MAX_NAMED = 20;

const TITLES: Record<Exclude<AuditStatus, 'listed'>, string> = {
  'invalid-key': 'Prefect Cloud API key rejected',
  forbidden: 'Prefect Cloud API key may not read service accounts',
  'not-found': 'Prefect Cloud account not found',
  unavailable: 'Prefect Cloud unavailable',
  unexpected: 'Unexpected answer from Prefect Cloud',
};

/** "1 key", "2 keys". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function named(row: DueRow): string {
  return `${row['service-account']} (${row['expires-at']})`;
}

function warnOfDue(due: DueRow[], warnWithinDays: number, runner: Runner): void {
  const shown = due.length > MAX_WARNINGS ? due.slice(0, MAX_WARNINGS - 1) : due;
  for (const row of shown) {
    runner.warning(
      `The key of service account ${row['service-account']} ${whenDue(row)} (${row['expires-at']}): rotate it, or create a new key and update the secrets that hold it, before then.`,
      { title: 'Service account key expires soon' },
    );
  }
  const rest = due.length - shown.length;
  if (rest > 0) {
    runner.warning(`${rest} more service account keys expire within ${warnWithinDays} days: the job summary and the keys output list them all.`, {
      title: 'Service account keys expire soon',
    });
  }
}

function failOnDue(due: DueRow[], failWithinDays: number, runner: Runner): void {
  const list = due.slice(0, MAX_NAMED).map(named).join(', ');
  const more = due.length > MAX_NAMED ? ` and ${due.length - MAX_NAMED} more` : '';
  const what = due.length === 1 ? '1 service account key expires' : `${due.length} service account keys expire`;
  runner.error(
    `${what} within ${counted(failWithinDays, 'day')} (fail-within-days), expired ones included: ${list}${more}. Rotate ${due.length === 1 ? 'it' : 'them'} before then.`,
    {
      title: 'Service account keys expire too soon',
    },
  );
}

function failureOf(error: unknown, api: PrefectApi): { status: Exclude<AuditStatus, 'listed'>; message: string } {
  if (error instanceof ListingRefusal) return { status: error.kind, message: error.message };
  if (error instanceof UnavailableError) {
    return {
      status: 'unavailable',
      message: `Prefect Cloud at ${api.base.host} could not be reached: ${error.message}. This says nothing about the keys; run the job again later.`,
    };
  }
  if (error instanceof UnexpectedAnswerError) {
    return {
      status: 'unexpected',
      message: `Prefect Cloud answered with a value it does not send: ${error.message}. Nothing from that answer was used; check that api-url (${api.base.href}) points at the Prefect Cloud API.`,
    };
  }
  throw error;
}

/** Returns the step's exit code. */
export async function runAudit(inputs: AuditInputs, runner: Runner, options: AuditOptions = {}): Promise<number> {
  const now = options.now ?? Date.now;
  const started = now();
  const policy = options.policy ?? { ...defaultPolicy(inputs.retries, inputs.timeoutMs, systemClock), trace: (line: string) => runner.debug(line) };
  const api: PrefectApi = { base: inputs.apiBase, apiKey: inputs.apiKey, policy };
  let account: ResolvedAccount;
  let listing: ServiceAccountListing;
  try {
    account = await resolveAccount(api, inputs.account);
    listing = await listServiceAccounts(api, account.accountId, account.label);
  } catch (error) {
    const { status, message } = failureOf(error, api);
    await reportFailure(runner, status, message);
    runner.error(message, { title: TITLES[status] });
    return 1;
  }

  const rows = keyRows(listing.serviceAccounts, now());
  const expiring = dueWithin(rows, inputs.warnWithinDays);
  await reportListing(runner, {
    rows,
    accountLabel: account.label,
    warnWithinDays: inputs.warnWithinDays,
    expiring: expiring.length,
    neverExpiring: neverExpiring(rows).length,
    requests: listing.requests,
    durationMs: now() - started,
  });
  runner.info(
    `Listed ${counted(rows.length, 'service account')} of account ${account.label} in ${counted(listing.requests, 'request')}; ${counted(expiring.length, 'key')} due within ${counted(inputs.warnWithinDays, 'day')}.`,
  );
  if (inputs.warnWithinDays > 0) warnOfDue(expiring, inputs.warnWithinDays, runner);
  if (inputs.failWithinDays === undefined) return 0;
  const failing = dueWithin(rows, inputs.failWithinDays);
  if (failing.length === 0) return 0;
  failOnDue(failing, inputs.failWithinDays, runner);
  return 1;
}
