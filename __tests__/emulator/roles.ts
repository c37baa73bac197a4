// Prefect Cloud's built-in roles and what each grants: account roles give account permissions (the OpenAPI `AccountPermission`
// names), workspace roles give workspace scopes (`WorkspaceScopeName`). Written by hand from Prefect's docs `manage-roles`;
// the exact sets Prefect assigns are not published, so each is a plausible reading of the docs' tables.
import type { AccountRoleName, WorkspaceRoleName } from './types.ts';

/** Every account permission Prefect Cloud names, in the OpenAPI's order. */
export const ACCOUNT_PERMISSIONS = [
  'read:account',
  'update:account',
  'delete:account',
  'read:account_membership',
  'update:account_membership',
  'delete:account_membership',
  'create:account_role',
  'read:account_role',
  'update:account_role',
  'delete:account_role',
  'add:account_member',
  'read:sso',
  'administrate:sso',
  'bypass:sso',
  'read:billing',
  'update:billing',
  'create:bot',
  'read:bot',
  'update:bot',
  'delete:bot',
  'create:team',
  'read:team',
  'update:team',
  'delete:team',
  'create:invitation',
  'read:invitation',
  'update:invitation',
  'create:workspace_invitation',
  'read:workspace_invitation',
  'update:workspace_invitation',
  'administrate:workspace',
  'create:workspace',
  'read:workspace',
  'delete:workspace',
  'create:workspace_role',
  'read:workspace_role',
  'update:workspace_role',
  'delete:workspace_role',
  'create:audit_event',
  'read:audit_event',
  'update:ip_allowlist',
  'read:ip_allowlist',
  'read:mex-storage',
  'update:mex-storage',
  'delete:mex-storage',
  'read:integrations',
  'update:integrations',
] as const;

export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];

/** Member: view the account, its members and roles, the workspaces it may enter, and service accounts; change nothing. */
const MEMBER: readonly AccountPermission[] = [
  'read:account',
  'read:account_membership',
  'read:account_role',
  'read:bot',
  'read:team',
  'read:workspace',
  'read:workspace_role',
];

/** Admin: everything an Owner may, but bypass SSO (and delete the account). */
const ADMIN = ACCOUNT_PERMISSIONS.filter((permission) => permission !== 'bypass:sso' && permission !== 'delete:account');

export const ACCOUNT_ROLE_PERMISSIONS: Record<AccountRoleName, readonly AccountPermission[]> = {
  Member: MEMBER,
  Admin: ADMIN,
  Owner: ACCOUNT_PERMISSIONS,
};

/** Account Owners and Admins have implicit Owner access to every workspace of their account. */
export function hasImplicitWorkspaceOwnership(role: AccountRoleName): boolean {
  return role === 'Owner' || role === 'Admin';
}

/** Every workspace scope Prefect Cloud names, in the OpenAPI's order. */
export const WORKSPACE_SCOPES = [
  'see_flows',
  'manage_saved_search',
  'run_flows',
  'manage_flows',
  'run_tasks',
  'see_blocks',
  'see_secret_blocks',
  'manage_blocks',
  'see_deployments',
  'run_deployments',
  'write_deployments',
  'manage_deployments',
  'see_notifications',
  'write_notifications',
  'manage_notifications',
  'see_workspace_settings',
  'write_workspace_settings',
  'manage_workspace_settings',
  'see_workspace_users',
  'manage_workspace_users',
  'see_workspace_service_accounts',
  'manage_workspace_service_accounts',
  'manage_workspace_teams',
  'see_work_queues',
  'write_work_queues',
  'manage_work_queues',
  'see_concurrency_limits',
  'manage_concurrency_limits',
  'see_events',
  'manage_events',
  'see_event_publications',
  'manage_event_publications',
  'see_event_subscriptions',
  'manage_event_subscriptions',
  'see_automations',
  'manage_automations',
  'see_work_pools',
  'write_work_pools',
  'manage_work_pools',
  'see_workers',
  'write_workers',
  'manage_workers',
  'see_artifacts',
  'write_artifacts',
  'manage_artifacts',
  'see_variables',
  'write_variables',
  'manage_variables',
  'manage_acls',
  'see_incidents',
  'write_incidents',
  'manage_incidents',
  'manage_mex_storage',
  'manage_mex_deploy',
  'see_tags',
  'manage_tags',
  'see_assets',
  'write_assets',
  'manage_assets',
  'see_webhooks',
  'manage_webhooks',
] as const;

export type WorkspaceScope = (typeof WORKSPACE_SCOPES)[number];

/** Viewer: the `see_*` scopes of what a workspace runs, not its settings, users or secrets. */
const VIEWER = WORKSPACE_SCOPES.filter(
  (scope) =>
    scope.startsWith('see_') &&
    ![
      'see_secret_blocks',
      'see_workspace_settings',
      'see_workspace_users',
      'see_workspace_service_accounts',
      'see_event_publications',
      'see_event_subscriptions',
    ].includes(scope),
);

/** Runner: a Viewer that may run deployments. */
const RUNNER: readonly WorkspaceScope[] = [...VIEWER, 'run_deployments'];

/** Developer: a Runner that creates, edits and deletes what runs in the workspace, and sees its settings. */
const DEVELOPER: readonly WorkspaceScope[] = [
  ...RUNNER,
  'manage_saved_search',
  'run_flows',
  'manage_flows',
  'run_tasks',
  'see_secret_blocks',
  'manage_blocks',
  'write_deployments',
  'manage_deployments',
  'write_notifications',
  'manage_notifications',
  'see_workspace_settings',
  'write_work_queues',
  'manage_work_queues',
  'manage_concurrency_limits',
  'manage_automations',
  'write_work_pools',
  'manage_work_pools',
  'write_workers',
  'manage_workers',
  'write_artifacts',
  'manage_artifacts',
  'write_variables',
  'manage_variables',
  'write_incidents',
  'write_assets',
];

/** Worker: the least a worker needs to poll for and submit work. */
const WORKER: readonly WorkspaceScope[] = [
  'see_flows',
  'run_flows',
  'run_tasks',
  'see_blocks',
  'see_secret_blocks',
  'see_deployments',
  'see_work_queues',
  'see_concurrency_limits',
  'see_work_pools',
  'see_workers',
  'write_workers',
  'see_variables',
  'write_artifacts',
];

export const WORKSPACE_ROLE_SCOPES: Record<WorkspaceRoleName, readonly WorkspaceScope[]> = {
  Viewer: VIEWER,
  Runner: RUNNER,
  Developer: DEVELOPER,
  Owner: WORKSPACE_SCOPES,
  Worker: WORKER,
};

export function isBuiltInWorkspaceRole(role: string): role is WorkspaceRoleName {
  return Object.hasOwn(WORKSPACE_ROLE_SCOPES, role);
}
