// What a key may do in a workspace: GET /me/workspaces/{workspace_id}/scopes.
// Scope names are checked for form only; Prefect may add scopes.

import { UnavailableError } from '../http/retry.ts';
import { get, parseJson, type PrefectApi } from './rest.ts';
import { UnexpectedAnswerError } from './values.ts';

const SCOPE = /^[a-z][a-z_]{0,99}$/;

/** The key's scopes in the workspace; undefined, with why, when Prefect will not say. */
export async function workspaceScopes(api: PrefectApi, workspaceId: string): Promise<{ scopes?: string[]; why?: string }> {
  try {
    return await get(api, `/me/workspaces/${workspaceId}/scopes`, (response) => {
      if (response.status !== 200) return { why: `Prefect Cloud answered HTTP ${response.status} when asked for the key's scopes` };
      const list = parseJson(response);
      if (!Array.isArray(list) || !list.every((scope) => typeof scope === 'string' && SCOPE.test(scope))) {
        throw new UnexpectedAnswerError('the workspace scopes are not a list of scope names');
      }
      return { scopes: list as string[] };
    });
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof UnexpectedAnswerError) return { why: `its scopes could not be read (${error.message})` };
    throw error;
  }
}

/** The built-in workspace role that first grants a scope, for a message: Prefect's roles grow from Viewer to Owner. */
export function roleGranting(scope: string): string {
  if (scope.startsWith('see_')) return 'Viewer';
  if (scope === 'run_deployments') return 'Runner';
  if (/^(write|manage|create|delete|update)_/.test(scope)) return 'Developer';
  return 'Owner';
}
