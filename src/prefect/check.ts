// Checks a key against Prefect Cloud and says exactly what is wrong: the key,
// the key's access to the workspace, the workspace named, or Prefect Cloud.

import { displayUrl } from '../display-url.ts';
import type { WorkspaceTarget } from '../inputs.ts';
import { isHostNotFound } from '../http/client.ts';
import { DEFAULT_API_URL } from '../inputs.ts';
import { UnavailableError } from '../http/retry.ts';
import { health, myWorkspaces, workspaceUrl, type MyWorkspaces, type NotHealthBody, type PrefectApi, type WorkspaceInfo } from './rest.ts';
import type { Expiry } from './expiry.ts';
import { UnexpectedAnswerError } from './values.ts';

export type CheckStatus = 'valid' | 'missing-key' | 'invalid-key' | 'forbidden' | 'not-found' | 'missing-scopes' | 'unavailable' | 'unexpected';
export type KeyType = 'user' | 'service-account' | 'unknown';

export interface CheckResult {
  status: CheckStatus;
  /** HTTP status of the answer that decided, when there was one. */
  statusCode?: number;
  /** How the workspace is shown to the user: its handle or its ids. */
  workspaceLabel?: string;
  workspaceUrl?: string;
  /** The workspace's ids, once known (named, or resolved from a handle). */
  accountId?: string;
  workspaceId?: string;
  /** The workspaces the key reaches, when it was asked (no workspace named, or a 404 explained). */
  reachable?: WorkspaceInfo[];
  /** What happened and what to do: the annotation, so one sentence of each (at most 400 characters). */
  message: string;
  /** Why, at length: the job summary only. */
  detail?: string;
  /** When the key expires, where the check itself learnt it (Prefect Cloud 1). */
  expiry?: Expiry;
}

export function keyType(apiKey: string): KeyType {
  if (apiKey.startsWith('pnu_')) return 'user';
  if (apiKey.startsWith('pnb_')) return 'service-account';
  return 'unknown';
}

export function handleOf(info: WorkspaceInfo): string {
  return `${info.account_handle}/${info.workspace_handle}`;
}

/** The workspaces the key reaches, as a sentence of the summary's detail. */
function reachDetail(workspaces: WorkspaceInfo[]): string {
  return workspaces.length === 0 ? 'The key is a member of no workspace.' : `The key reaches ${listOf(workspaces).replace(/^it reaches /, '')}.`;
}

function listOf(workspaces: WorkspaceInfo[]): string {
  if (workspaces.length === 0) return 'it is a member of no workspace';
  const shown = workspaces.slice(0, 10).map(handleOf).join(', ');
  return `it reaches ${shown}${workspaces.length > 10 ? ` and ${workspaces.length - 10} more` : ''}`;
}

/** Prefect's own 403: what really causes it. Every built-in workspace role can read a workspace, so a role is the last thing to check. */
function forbidden(label?: string): Pick<CheckResult, 'message' | 'detail'> {
  return {
    message: `Prefect Cloud denied this valid key access${label ? ` to workspace ${label}` : ''} (HTTP 403). Check the account's IP allowlist and PrivateLink settings first, then the workspace role of the key's user or service account.`,
    detail:
      "Prefect answers 403 when the account's IP allowlist does not include the runner's address, when the account enforces PrivateLink and the request came over the public internet, or when the key's user or service account has no role in the workspace. Every built-in workspace role can read a workspace, so a role is the last thing to check.",
  };
}

/** The workspace named by the inputs, for a result that got no further (an outage): the summary still says which. */
function labelled(target: WorkspaceTarget): Pick<CheckResult, 'workspaceLabel' | 'workspaceUrl'> {
  if (target.kind === 'handle') return { workspaceLabel: `${target.accountHandle}/${target.workspaceHandle}` };
  if (target.kind === 'ids') return { workspaceLabel: `${target.accountId}/${target.workspaceId}` };
  return {};
}

const INVALID_KEY =
  'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it.';

/** For a host nobody typed (the default api-url) that has no DNS record: there is no typo to look for. */
const RUNNER_DNS_REMEDY = "the runner's DNS has no record of a host Prefect Cloud serves: check the runner's network and DNS settings, then run the job again";

/** `service` names what could not be reached, e.g. "Prefect Cloud at api.prefect.cloud"; `remedy`, what to do, the error's own unless given. */
export function unavailable(service: string, error: UnavailableError, remedy = error.remedy): CheckResult {
  return {
    status: 'unavailable',
    statusCode: error.lastStatus,
    message: `${service} could not be reached: ${error.message}. This says nothing about the key; ${remedy ?? 'run the job again later'}.`,
  };
}

/**
 * A host name with no DNS record: a mistyped api-url, not an outage. Its
 * status is `unexpected`, the one for an api-url that does not lead to the
 * Prefect Cloud API: `unavailable` would tell a workflow to try again later,
 * and a later run meets the same missing name. Never `invalid-key`: the key
 * was not sent anywhere.
 */
function hostNotFound(api: PrefectApi): CheckResult {
  const where = api.urlFrom === 'PREFECT_API_URL' ? 'PREFECT_API_URL (api-url is empty)' : 'api-url';
  return {
    status: 'unexpected',
    message: `The host name ${api.base.hostname} does not exist, so Prefect Cloud was not reached and this says nothing about the key. Check the host name in ${where}, ${apiUrlShown(api)}; Prefect Cloud's API URL is ${DEFAULT_API_URL}.`,
  };
}

/** api-url as a message shows it (src/display-url.ts); the inputs let through only URLs it shows whole. */
function apiUrlShown(api: PrefectApi): string {
  return displayUrl(api.base) ?? 'as given';
}

const HEALTH_BODIES: Record<NotHealthBody, string> = {
  html: 'an HTML page',
  false: '`false`',
  empty: 'an empty body',
  other: 'a body other than `true`',
};

/** /health answered 200, but not Prefect's `true`: a captive portal, or an api-url at a site that answers every path. */
function notHealthy(api: PrefectApi, said: NotHealthBody): CheckResult {
  return {
    status: 'unexpected',
    statusCode: 200,
    message: `The workspace's health check answered HTTP 200 with ${HEALTH_BODIES[said]}, not Prefect Cloud's answer (\`true\`): something else answered (a captive portal, a proxy's page, or a web site at api-url), and this says nothing about the key. Check that api-url (${apiUrlShown(api)}) points at the Prefect Cloud API, and the runner's proxy (HTTPS_PROXY) and network.`,
  };
}

/** A 401, 403 or 404 that is not Prefect's answer: something in between spoke, and it says nothing about the key. */
function notPrefect(api: PrefectApi, status: number): CheckResult {
  return {
    status: 'unexpected',
    statusCode: status,
    message: `Something between the runner and Prefect Cloud (a proxy or a firewall) answered HTTP ${status} with a page that is not Prefect's answer: this says nothing about the key. Check the runner's proxy (HTTPS_PROXY) and firewall, and that api-url (${apiUrlShown(api)}) points at the Prefect Cloud API.`,
  };
}

function unexpected(api: PrefectApi, status: number, what: string): CheckResult {
  return {
    status: 'unexpected',
    statusCode: status,
    message: `Prefect Cloud answered HTTP ${status} to ${what}, which a Prefect Cloud API does not send: check that api-url (${apiUrlShown(api)}) points at the Prefect Cloud API.`,
  };
}

/** An answer that failed its checks (values.ts): the message names the field, never the value. */
export function unexpectedValue(api: PrefectApi, error: UnexpectedAnswerError): CheckResult {
  return {
    status: 'unexpected',
    statusCode: 200,
    message: `Prefect Cloud answered with a value it does not send: ${error.message}. Nothing from that answer was used; check that api-url (${apiUrlShown(api)}) points at the Prefect Cloud API.`,
  };
}

/** After a 404: ask which workspaces the key does reach, to tell a wrong id from missing access. */
async function explainNotFound(api: PrefectApi, accountId: string, label: string): Promise<Pick<CheckResult, 'message' | 'detail'>> {
  const base = `Workspace ${label} was not found for this key (HTTP 404)`;
  let reachable: WorkspaceInfo[] | undefined;
  try {
    reachable = (await myWorkspaces(api)).workspaces;
  } catch (error) {
    if (!(error instanceof UnavailableError || error instanceof UnexpectedAnswerError)) throw error;
  }
  if (!reachable) {
    return { message: `${base}: either the ids (or the URL in api-url) are wrong, or the key's user or service account is not a member of that workspace.` };
  }
  const inAccount = reachable.some((info) => info.account_id === accountId);
  const why = inAccount
    ? "the key's account is right, so either the workspace id is wrong or the key's user or service account is not a member of that workspace"
    : "the key has no access to that account: check the account id (input account, or the URL in api-url), or add the key's user or service account to it";
  return { message: `${base}: ${why}.`, detail: reachDetail(reachable) };
}

/**
 * After a 403 to a workspace named by ids: its handle (acme/production), as
 * users know it, when the key's list of workspaces has it. Asked only on this
 * failure, never on the plain check; any failure of its own leaves the ids.
 */
async function handleOf403(api: PrefectApi, accountId: string, workspaceId: string): Promise<string | undefined> {
  try {
    const listed = (await myWorkspaces(api)).workspaces?.find((info) => info.account_id === accountId && info.workspace_id === workspaceId);
    return listed && handleOf(listed);
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof UnexpectedAnswerError) return undefined;
    throw error;
  }
}

async function checkWorkspace(api: PrefectApi, accountId: string, workspaceId: string, label: string): Promise<CheckResult> {
  const url = workspaceUrl(api.base, accountId, workspaceId);
  const answer = await health(api, accountId, workspaceId);
  const { status } = answer;
  const result = { statusCode: status, workspaceLabel: label, workspaceUrl: url, accountId, workspaceId };
  if (status === 200 && answer.said) return { ...notHealthy(api, answer.said), workspaceLabel: label, workspaceUrl: url };
  if (status === 200) return { ...result, status: 'valid', message: `The API key is valid for workspace ${label}.` };
  if ([401, 403, 404].includes(status) && !answer.fromPrefect) return { ...notPrefect(api, status), workspaceLabel: label, workspaceUrl: url };
  if (status === 401) return { ...result, status: 'invalid-key', message: INVALID_KEY };
  if (status === 403) {
    const named = label === `${accountId}/${workspaceId}` ? ((await handleOf403(api, accountId, workspaceId)) ?? label) : label;
    return { ...result, workspaceLabel: named, status: 'forbidden', ...forbidden(named) };
  }
  if (status === 404) return { ...result, status: 'not-found', ...(await explainNotFound(api, accountId, label)) };
  return { ...unexpected(api, status, 'the health check'), workspaceLabel: label, workspaceUrl: url };
}

/** /me/workspaces refused: Prefect's 401 is a bad key, its 403 a denial; a refusal that is not Prefect's says nothing about the key. */
function refusalOf(api: PrefectApi, answer: MyWorkspaces): CheckResult | undefined {
  if (![401, 403, 404].includes(answer.status)) return undefined;
  if (!answer.fromPrefect) return notPrefect(api, answer.status);
  if (answer.status === 401) return { status: 'invalid-key', statusCode: 401, message: INVALID_KEY };
  if (answer.status === 403) return { status: 'forbidden', statusCode: 403, ...forbidden() };
  return undefined;
}

async function checkHandle(api: PrefectApi, accountHandle: string, workspaceHandle: string): Promise<CheckResult> {
  const label = `${accountHandle}/${workspaceHandle}`;
  const answer = await myWorkspaces(api);
  const refused = refusalOf(api, answer);
  if (refused) return { ...refused, workspaceLabel: label };
  if (!answer.workspaces) return { ...unexpected(api, answer.status, 'the list of workspaces'), workspaceLabel: label };
  const match = answer.workspaces.find(
    (info) => info.account_handle.toLowerCase() === accountHandle && info.workspace_handle.toLowerCase() === workspaceHandle,
  );
  if (!match) {
    return {
      status: 'not-found',
      workspaceLabel: label,
      reachable: answer.workspaces,
      message: `Workspace ${label} is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it.`,
      detail: reachDetail(answer.workspaces),
    };
  }
  return checkWorkspace(api, match.account_id, match.workspace_id, label);
}

async function checkKeyAlone(api: PrefectApi): Promise<CheckResult> {
  const answer = await myWorkspaces(api);
  const refused = refusalOf(api, answer);
  if (refused) return refused;
  if (!answer.workspaces) return unexpected(api, answer.status, 'the list of workspaces');
  const only = answer.workspaces.length === 1 ? answer.workspaces[0] : undefined;
  return {
    status: 'valid',
    statusCode: 200,
    reachable: answer.workspaces,
    workspaceLabel: only && handleOf(only),
    workspaceUrl: only && workspaceUrl(api.base, only.account_id, only.workspace_id),
    message: `The API key is valid; ${listOf(answer.workspaces)}.`,
  };
}

export async function checkKey(api: PrefectApi, target: WorkspaceTarget): Promise<CheckResult> {
  try {
    if (target.kind === 'ids') return await checkWorkspace(api, target.accountId, target.workspaceId, `${target.accountId}/${target.workspaceId}`);
    if (target.kind === 'handle') return await checkHandle(api, target.accountHandle, target.workspaceHandle);
    return await checkKeyAlone(api);
  } catch (error) {
    if (error instanceof UnavailableError) {
      const noSuchHost = isHostNotFound(error);
      if (noSuchHost && api.urlFrom !== 'default') return { ...hostNotFound(api), ...labelled(target) };
      // The default host without a DNS record is the runner's DNS failing, not a typo: an outage, with its own remedy.
      return { ...unavailable(`Prefect Cloud at ${api.base.host}`, error, noSuchHost ? RUNNER_DNS_REMEDY : undefined), ...labelled(target) };
    }
    if (error instanceof UnexpectedAnswerError) return { ...unexpectedValue(api, error), ...labelled(target) };
    throw error;
  }
}
