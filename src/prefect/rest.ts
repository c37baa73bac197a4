// Prefect Cloud's REST API: the calls the check makes.

import type { HttpResponse } from '../http/client.ts';
import { TransientAnswerError, sendWithRetries, type RetryPolicy } from '../http/retry.ts';
import { handle, object, uuid, UnexpectedAnswerError } from './values.ts';

export interface PrefectApi {
  base: URL;
  apiKey: string;
  policy: RetryPolicy;
  /** Where base came from (the api-url input, PREFECT_API_URL, the default), for messages that send the user to fix it. */
  urlFrom?: 'api-url' | 'PREFECT_API_URL' | 'default';
}

/** One entry of GET /me/workspaces. */
export interface WorkspaceInfo {
  account_id: string;
  account_handle: string;
  workspace_id: string;
  workspace_handle: string;
}

/** A path under the API base: the base's own path kept, never a doubled slash (a base at a host's root has href `https://host/`). */
export function under(base: URL, path: string): URL {
  return new URL(`${base.href.replace(/\/+$/, '')}${path}`);
}

export function workspaceUrl(base: URL, accountId: string, workspaceId: string): string {
  return under(base, `/accounts/${accountId}/workspaces/${workspaceId}`).href;
}

function headers(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
}

/** GET a path under the API base; answers other than transient ones come back as they are. */
export function get<T = HttpResponse>(api: PrefectApi, path: string, accept?: (response: HttpResponse) => T): Promise<T> {
  const url = under(api.base, path);
  return sendWithRetries(api.policy, { method: 'GET', url, headers: headers(api.apiKey) }, accept ?? ((response) => response as T));
}

/**
 * POST a JSON body under the API base, for a read Prefect serves as a POST (a
 * `/filter` query): it changes nothing, so it is retried like a GET.
 */
export function postQuery<T>(api: PrefectApi, path: string, body: unknown, accept: (response: HttpResponse) => T): Promise<T> {
  const url = under(api.base, path);
  const request = { method: 'POST' as const, url, headers: { ...headers(api.apiKey), 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return sendWithRetries(api.policy, request, accept);
}

export function parseJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new TransientAnswerError(`HTTP ${response.status} with a body that is not JSON`);
  }
}

/** One entry of /me/workspaces, every field the action uses checked. */
function workspaceInfo(value: unknown, index: number): WorkspaceInfo {
  const entry = object(value, `/me/workspaces entry ${index + 1}`);
  return {
    account_id: uuid(entry.account_id, 'account_id'),
    account_handle: handle(entry.account_handle, 'account_handle'),
    workspace_id: uuid(entry.workspace_id, 'workspace_id'),
    workspace_handle: handle(entry.workspace_handle, 'workspace_handle'),
  };
}

/**
 * Prefect's own answer to a refusal: JSON with a `detail`. A 401, 403 or 404
 * without it came from something between the runner and Prefect (a proxy, a
 * firewall, a web server at the wrong URL), and says nothing about the key.
 */
export function isPrefectRefusal(response: HttpResponse): boolean {
  try {
    const body: unknown = JSON.parse(response.body);
    return typeof body === 'object' && body !== null && 'detail' in body;
  } catch {
    return false;
  }
}

/** An answer's status, and whether a refusal came from Prefect itself. */
export interface Answer {
  status: number;
  fromPrefect: boolean;
}

export type MyWorkspaces = ({ status: 200; workspaces: WorkspaceInfo[] } | { status: number; workspaces?: undefined }) & { fromPrefect: boolean };

/** GET /me/workspaces: the workspaces the key's user or service account belongs to. */
export function myWorkspaces(api: PrefectApi): Promise<MyWorkspaces> {
  return get(api, '/me/workspaces', (response) => {
    if (response.status !== 200) return { status: response.status, fromPrefect: isPrefectRefusal(response) };
    return { status: 200, workspaces: workspacesOf(response), fromPrefect: true };
  });
}

/** The checked entries of a 200 answer to /me/workspaces. */
export function workspacesOf(response: HttpResponse): WorkspaceInfo[] {
  const list = parseJson(response);
  if (!Array.isArray(list)) throw new UnexpectedAnswerError('/me/workspaces is not a list');
  return list.map(workspaceInfo);
}

/** What answered /health with a 200 that is not Prefect's `true`: for a message, never the body itself. */
export type NotHealthBody = 'html' | 'false' | 'empty' | 'other';

/** A /health answer; `said` is set when a 200 was not Prefect's answer. */
export interface HealthAnswer extends Answer {
  said?: NotHealthBody;
}

/** Prefect's /health answers 200 with JSON `true`; any other 200 (an HTML page, `false`, nothing) came from something else. */
function notHealthBody(response: HttpResponse): NotHealthBody | undefined {
  const text = response.body.trim();
  if (text === '') return 'empty';
  const type = response.headers['content-type'];
  if (/html/i.test(String(type ?? '')) || text.startsWith('<')) return 'html';
  try {
    const value: unknown = JSON.parse(text);
    if (value === true) return undefined;
    return value === false ? 'false' : 'other';
  } catch {
    return 'other';
  }
}

/** GET /accounts/{a}/workspaces/{w}/health. */
export async function health(api: PrefectApi, accountId: string, workspaceId: string): Promise<HealthAnswer> {
  const response = await get(api, `/accounts/${accountId}/workspaces/${workspaceId}/health`);
  if (response.status !== 200) return { status: response.status, fromPrefect: isPrefectRefusal(response) };
  const said = notHealthBody(response);
  return said ? { status: 200, fromPrefect: false, said } : { status: 200, fromPrefect: true };
}
