// Prefect Cloud's `/api/me/...` routes: what the key's own actor is, may enter, holds and may do.
import { apiKeyRead, existingKeys } from './api-keys.ts';
import type { Call, Reply, Route } from './http.ts';
import { json, route } from './http.ts';
import { authenticated, withUuids } from './rest-access.ts';
import { ACCOUNT_ROLE_PERMISSIONS } from './roles.ts';
import type { Actor } from './state.ts';

const USERS_ONLY = { detail: 'Only users (not service accounts) can access this endpoint.' };

/** MeReadResponse: users only. */
function me(_call: Call, actor: Actor): Reply {
  if (actor.kind !== 'user' || !actor.profile) return json(403, USERS_ONLY);
  return json(200, {
    id: actor.id,
    handle: actor.name,
    ...actor.profile,
    location: null,
    personal_account_id: null,
    settings: { default_timezone: null, default_color_palette: null, tutorial_completed: true, feature_previews: [] },
  });
}

/** UserWorkspaceResponse[]: explicit memberships, and every workspace of the account for its Owners and Admins. */
function myWorkspaces({ state }: Call, actor: Actor): Reply {
  return json(
    200,
    state.accessibleWorkspaces(actor).map((workspace) => ({
      account_id: workspace.account.id,
      account_name: workspace.account.name,
      account_handle: workspace.account.handle,
      workspace_id: workspace.id,
      workspace_name: workspace.name,
      workspace_description: workspace.description,
      workspace_handle: workspace.handle,
    })),
  );
}

/** APIKeyReadResponse[]: the actor's own keys, expired ones and rotating ones included; `?name=` filters by name. */
function myApiKeys({ state, url }: Call, actor: Actor): Reply {
  if (actor.meApiKeys === 404) return json(404, { detail: 'Not Found' });
  if (actor.meApiKeys === 403) return json(403, actor.kind === 'user' ? { detail: 'Forbidden' } : USERS_ONLY);
  const name = url.searchParams.get('name');
  const keys = existingKeys(state, actor.id).filter((key) => name === null || key.name === name);
  return json(200, keys.map(apiKeyRead));
}

/** AccountPermission[] of the actor's account role; 404 for an account it is not in. */
function myAccountPermissions(_call: Call, actor: Actor, accountId: string): Reply {
  if (actor.account.id !== accountId) return json(404, { detail: 'Account not found' });
  return json(200, ACCOUNT_ROLE_PERMISSIONS[actor.accountRole]);
}

/** WorkspaceScopeName[] the actor's role in the workspace grants; 404 when it may not enter it. */
function myWorkspaceScopes({ state }: Call, actor: Actor, workspaceId: string): Reply {
  const access = state.workspaceAccess(actor, workspaceId);
  return access ? json(200, access.scopes) : json(404, { detail: 'Workspace not found' });
}

export const meRoutes: Route[] = [
  route('GET', 'me', '/api/me/?', authenticated(me)),
  route('GET', 'me-workspaces', '/api/me/workspaces/?', authenticated(myWorkspaces)),
  route('GET', 'me-api-keys', '/api/me/api_keys/?', authenticated(myApiKeys)),
  route('GET', 'me-permissions', '/api/me/accounts/([^/]+)/permissions', withUuids(['account_id'], myAccountPermissions)),
  route('GET', 'me-scopes', '/api/me/workspaces/([^/]+)/scopes', withUuids(['workspace_id'], myWorkspaceScopes)),
];
