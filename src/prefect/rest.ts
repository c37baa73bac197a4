// Prefect Cloud's REST API: the calls the check makes.

import type { HttpResponse } from '../http/request.ts';
import { TransientAnswerError, sendWithRetries, type RetryPolicy } from '../http/retry.ts';

export interface PrefectApi {
  base: URL;
  apiKey: string;
  policy: RetryPolicy;
}

/** One entry of GET /me/workspaces. */
export interface WorkspaceInfo {
  account_id: string;
  account_handle: string;
  workspace_id: string;
  workspace_handle: string;
}

export function workspaceUrl(base: URL, accountId: string, workspaceId: string): string {
  return `${base.href}/accounts/${accountId}/workspaces/${workspaceId}`;
}

function headers(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
}

/** GET a path under the API base; answers other than transient ones come back as they are. */
export function get<T = HttpResponse>(api: PrefectApi, path: string, accept?: (response: HttpResponse) => T): Promise<T> {
  const url = new URL(`${api.base.href}${path}`);
  return sendWithRetries(api.policy, { method: 'GET', url, headers: headers(api.apiKey) }, accept ?? ((response) => response as T));
}

export function parseJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new TransientAnswerError(`HTTP ${response.status} with a body that is not JSON`);
  }
}

function isWorkspaceInfo(value: unknown): value is WorkspaceInfo {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return ['account_id', 'account_handle', 'workspace_id', 'workspace_handle'].every((field) => typeof entry[field] === 'string');
}

export type MyWorkspaces = { status: 200; workspaces: WorkspaceInfo[] } | { status: number; workspaces?: undefined };

/** GET /me/workspaces: the workspaces the key's user or service account belongs to. */
export function myWorkspaces(api: PrefectApi): Promise<MyWorkspaces> {
  return get(api, '/me/workspaces', (response) => {
    if (response.status !== 200) return { status: response.status };
    const list = parseJson(response);
    if (!Array.isArray(list) || !list.every(isWorkspaceInfo)) {
      throw new TransientAnswerError('HTTP 200 with a body that is not a list of workspaces');
    }
    return { status: 200, workspaces: list };
  });
}

/** GET /accounts/{a}/workspaces/{w}/health: any 200 is healthy. */
export async function health(api: PrefectApi, accountId: string, workspaceId: string): Promise<number> {
  const response = await get(api, `/accounts/${accountId}/workspaces/${workspaceId}/health`);
  return response.status;
}
