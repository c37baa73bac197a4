// One emulator per test file, reset to its seed before every test. The file fails when any GitHub request departed from
// GitHub's OpenAPI description (real GitHub would refuse it), unless the test called `expectViolations()` first.

import { appendFileSync } from 'node:fs';
import { assertNoUnexpectedGithubViolations, githubViolations, startEmulator, validatedGithubRequests, type Emulator } from '../emulator/index.ts';

/**
 * The check every test file with an emulator ends with: no GitHub request departed from GitHub's description.
 * With GITHUB_VALIDATION_LOG set, the file's count of validated requests is added there (scripts/github-validation-count.sh).
 */
export function endOfFileChecks(): void {
  const log = process.env.GITHUB_VALIDATION_LOG;
  const testPath = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.().testPath ?? '';
  if (log) appendFileSync(log, `${validatedGithubRequests()} ${githubViolations().length} ${testPath.replace(/^.*?__tests__\//, '__tests__/')}\n`);
  assertNoUnexpectedGithubViolations();
}

export function useEmulator(): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
    endOfFileChecks();
  });
  beforeEach(() => {
    emulator?.reset();
  });
  return () => {
    if (!emulator) throw new Error('the emulator has not started');
    return emulator;
  };
}

/** The PREFECT_API_URL of a seeded workspace on the emulator. */
export function workspaceUrlOf(emulator: Emulator, accountId: string, workspaceId: string): string {
  return `${emulator.apiUrl}/accounts/${accountId}/workspaces/${workspaceId}`;
}

/**
 * The requests but the key's expiry lookup (GET /me/api_keys), which every check of today's keys
 * sends alongside the check itself (warn-if-expires-within-days): for tests about the check's own requests.
 */
export function withoutExpiry<T extends { route: string }>(requests: T[]): T[] {
  return requests.filter((request) => request.route !== 'me-api-keys');
}

/** The seed's prod workspace as one entry of Prefect's /me/workspaces answer, with `change` applied: for faults that alter a field. */
export function prodWorkspaceEntry(emulator: Emulator, change: Record<string, string> = {}): Record<string, string> {
  const { account, workspaces } = emulator.seed;
  return {
    account_id: account.id,
    account_name: 'Acme',
    account_handle: account.handle,
    workspace_id: workspaces.prod.id,
    workspace_name: 'prod',
    workspace_description: '',
    workspace_handle: workspaces.prod.handle,
    ...change,
  };
}
