// Checks a key against Prefect Cloud and says exactly what is wrong: the key,
// the key's access to the workspace, the workspace named, or Prefect Cloud.

import { displayUrl } from '../display-url.ts';
import type { WorkspaceTarget } from '../inputs.ts';
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
  message: string;
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

function listOf(workspaces: WorkspaceInfo[]): string {
  if (workspaces.length === 0) return 'it is a member of no workspace';
  const shown = workspaces.slice(0, 10).map(handleOf).join(', ');
  return `it reaches ${shown}${workspaces.length > 10 ? ` and ${workspaces.length - 10} more` : ''}`;
}

/** Prefect's own 403: what really causes it. Every built-in workspace role can read a workspace, so a role is the last thing to check. */
function forbidden(label?: string): string {
  return `Prefect Cloud refused this request${label ? ` for workspace ${label}` : ''} (HTTP 403): the key is valid, but Prefect denies it access. Prefect answers 403 when the account's IP allowlist does not include the runner's address, when the account enforces PrivateLink and the request came over the public internet, or when the key's user or service account has no role in the workspace; check the IP allowlist and PrivateLink settings first.`;
}

const INVALID_KEY =
  'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it.';

/** `service` names what could not be reached, e.g. "Prefect Cloud at api.prefect.cloud". */
export function unavailable(service: string, error: UnavailableError): CheckResult {
  return {
    status: 'unavailable',
    statusCode: error.lastStatus,
    message: `${service} could not be reached: ${error.message}. This says nothing about the key; ${error.remedy ?? 'run the job again later'}.`,
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
async function explainNotFound(api: PrefectApi, accountId: string, label: string): Promise<string> {
  const base = `Workspace ${label} was not found for this key (HTTP 404)`;
  let reachable: WorkspaceInfo[] | undefined;
  try {
    reachable = (await myWorkspaces(api)).workspaces;
  } catch (error) {
    if (!(error instanceof UnavailableError || error instanceof UnexpectedAnswerError)) throw error;
  }
  if (!reachable) {
    return `${base}: either the ids (or the URL in api-url) are wrong, or the key's user or service account is not a member of that workspace.`;
  }
  const inAccount = reachable.some((info) => info.account_id === accountId);
  const why = inAccount
    ? "the key's account is right, so either workspace-id is wrong or the key's user or service account is not a member of that workspace"
    : "the key has no access to that account: check account-id (or the URL in api-url), or add the key's user or service account to it";
  return `${base}: ${why}; ${listOf(reachable)}.`;
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
  if (status === 403) return { ...result, status: 'forbidden', message: forbidden(label) };
  if (status === 404) return { ...result, status: 'not-found', message: await explainNotFound(api, accountId, label) };
  return { ...unexpected(api, status, 'the health check'), workspaceLabel: label, workspaceUrl: url };
}

/** /me/workspaces refused: Prefect's 401 is a bad key, its 403 a denial; a refusal that is not Prefect's says nothing about the key. */
function refusalOf(api: PrefectApi, answer: MyWorkspaces): CheckResult | undefined {
  if (![401, 403, 404].includes(answer.status)) return undefined;
  if (!answer.fromPrefect) return notPrefect(api, answer.status);
  if (answer.status === 401) return { status: 'invalid-key', statusCode: 401, message: INVALID_KEY };
  if (answer.status === 403) return { status: 'forbidden', statusCode: 403, message: forbidden() };
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
      message: `Workspace ${label} is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it; ${listOf(answer.workspaces)}.`,
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
    if (error instanceof UnavailableError) return unavailable(`Prefect Cloud at ${api.base.host}`, error);
    if (error instanceof UnexpectedAnswerError) return unexpectedValue(api, error);
    throw error;
  }
}
