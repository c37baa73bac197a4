// Prefect Cloud's REST API under /api: the workspace health check, the key's own actor (/me), and service accounts.
import { botRoutes } from './bots.ts';
import type { Call, Reply, Route } from './http.ts';
import { json, route } from './http.ts';
import { meRoutes } from './me.ts';
import { authenticated } from './rest-access.ts';
import type { Actor } from './state.ts';

/** `true` for an actor that may enter the workspace; 404 when it may not; 403 when its role there grants no scope at all. */
function health({ state }: Call, actor: Actor, accountId: string, workspaceId: string): Reply {
  const access = state.workspaceAccess(actor, workspaceId, accountId);
  if (!access) return json(404, { detail: 'Workspace not found' });
  if (access.scopes.length === 0) return json(403, { detail: `The workspace role '${access.role}' cannot read this workspace.` });
  return json(200, true);
}

export const restRoutes: Route[] = [
  route('GET', 'health', '/api/accounts/([^/]+)/workspaces/([^/]+)/health', authenticated(health)),
  ...meRoutes,
  ...botRoutes,
];
