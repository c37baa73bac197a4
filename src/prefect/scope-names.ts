// The workspace scope names Prefect Cloud knows (its API's WorkspaceScopeName,
// a closed list). required-scopes is checked against it, so that a mistyped
// name is bad input that names the closest real ones, not a scope the key
// "lacks" with advice about a role that grants nothing of the kind.

export const WORKSPACE_SCOPE_NAMES: readonly string[] = [
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
];

export function isWorkspaceScopeName(name: string): boolean {
  return WORKSPACE_SCOPE_NAMES.includes(name);
}

/**
 * Edit distance (insertions, deletions, substitutions). Written here rather
 * than taken from a package: a dozen lines, used on short names for one
 * message, not worth a runtime dependency in the action's bundle.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known names nearest to a mistyped one (at most `count`, nearest first), for the message that refuses it. */
export function closestScopeNames(name: string, count = 3): string[] {
  return WORKSPACE_SCOPE_NAMES.map((known) => ({ known, distance: editDistance(name, known) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map(({ known }) => known);
}
