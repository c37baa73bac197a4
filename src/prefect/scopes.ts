// What a key may do in a workspace: GET /me/workspaces/{workspace_id}/scopes.
// The scopes Prefect answers are checked for form only (Prefect may add scopes); the names a workflow requires, against scope-names.ts.

import { UnavailableError } from '../http/retry.ts';
import { isWorkspaceScopeName } from './scope-names.ts';
import { get, isPrefectRefusal, parseJson, type PrefectApi } from './rest.ts';
import { UnexpectedAnswerError } from './values.ts';

const SCOPE = /^[a-z][a-z_]{0,99}$/;

/**
 * The scopes, or why they are not known. Only Prefect's own refusal (403 or
 * 404 with its `detail`: a service account's key may not be allowed to read
 * its scopes) is an answer that the scopes cannot be known; an outage or an
 * answer Prefect does not send leaves the question open, which a gate asked
 * to check scopes must not pass.
 */
export type WorkspaceScopes =
  | { kind: 'read'; scopes: string[] }
  | { kind: 'refused'; why: string }
  | { kind: 'unavailable'; error: UnavailableError }
  | { kind: 'unexpected'; statusCode: number; why: string };

export async function workspaceScopes(api: PrefectApi, workspaceId: string): Promise<WorkspaceScopes> {
  try {
    return await get(api, `/me/workspaces/${workspaceId}/scopes`, (response): WorkspaceScopes => {
      const { status } = response;
      if ((status === 403 || status === 404) && isPrefectRefusal(response)) {
        return { kind: 'refused', why: `Prefect Cloud answered HTTP ${status} when asked for the key's scopes` };
      }
      if (status === 403 || status === 404) return { kind: 'unexpected', statusCode: status, why: `HTTP ${status} with a page that is not Prefect's answer` };
      if (status !== 200) return { kind: 'unexpected', statusCode: status, why: `HTTP ${status}, which Prefect Cloud does not send there` };
      const list = parseJson(response);
      if (!Array.isArray(list) || !list.every((scope) => typeof scope === 'string' && SCOPE.test(scope))) {
        throw new UnexpectedAnswerError('the workspace scopes are not a list of scope names');
      }
      return { kind: 'read', scopes: list as string[] };
    });
  } catch (error) {
    if (error instanceof UnavailableError) return { kind: 'unavailable', error };
    if (error instanceof UnexpectedAnswerError) return { kind: 'unexpected', statusCode: 200, why: error.message };
    throw error;
  }
}

/**
 * The built-in workspace role that first grants a scope, for a message: Prefect's roles grow from Viewer to Owner.
 * Undefined for a name Prefect does not know: no role grants it, and advice naming one would be invented.
 */
export function roleGranting(scope: string): string | undefined {
  if (!isWorkspaceScopeName(scope)) return undefined;
  if (scope.startsWith('see_')) return 'Viewer';
  if (scope === 'run_deployments') return 'Runner';
  if (/^(write|manage|create|delete|update)_/.test(scope)) return 'Developer';
  return 'Owner';
}
