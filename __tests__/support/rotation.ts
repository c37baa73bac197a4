// Inputs and environment of a scheduled rotation workflow, against the emulator.

import type { Emulator, RecordedRequest, SecretScope } from '../emulator/index.ts';
import { runAction, type ActionRun } from './action.ts';
import { workspaceUrlOf } from './emulator.ts';

/** What the runner sets for every step: the repository and GitHub's API. */
export function runnerEnv(emu: Emulator): Record<string, string> {
  return { GITHUB_REPOSITORY: emu.seed.github.repo, GITHUB_API_URL: emu.githubUrl };
}

/**
 * REST rotation of the deploy service account's key (seed.bot, an account Member) by an admin's key
 * (seed.adminBot): the usual set-up, since a Member may not rotate keys. Into the repository secret PREFECT_API_KEY.
 */
export function restInputs(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  const { account, workspaces, bot, adminBot, github } = emu.seed;
  return {
    'api-key': adminBot.key,
    'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id),
    rotate: 'true',
    'service-account-id': bot.id,
    'github-token': github.writeToken,
    'secret-name': 'PREFECT_API_KEY',
    ...extra,
  };
}

/** GraphQL (Cloud 1) rotation of the seed service account's key, by itself. */
export function graphqlInputs(emu: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  const { cloud1, github } = emu.seed;
  return {
    'api-key': cloud1.key,
    'graphql-url': emu.graphqlUrl,
    rotate: 'true',
    'old-key-id': cloud1.keyId,
    'old-key-grace-seconds': '0',
    'prefect-api': 'graphql',
    'github-token': github.writeToken,
    'secret-name': 'PREFECT_API_KEY',
    ...extra,
  };
}

export function rotate(emu: Emulator, inputs: Record<string, string>, options: Parameters<typeof runAction>[1] = {}): Promise<ActionRun> {
  return runAction(inputs, { ...options, env: { ...runnerEnv(emu), ...options.env } });
}

export const repoSecret = (emu: Emulator, name = 'PREFECT_API_KEY'): SecretScope => ({ repo: emu.seed.github.repo, name });

/** The calls that change something on either server. */
export function mutations(emu: Emulator): string[] {
  const mutating = (request: RecordedRequest) =>
    request.route === 'bots-rotate' || request.route === 'gh-secret-put' || ['create_api_key', 'delete_api_key'].includes(request.operation ?? '');
  return emu.requests.filter(mutating).map((request) => request.operation ?? request.route);
}

/** Every secret this run printed a mask for, the new keys among them; not the base64 forms masked with them. */
export function maskedValues(run: ActionRun): string[] {
  const values = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
  return values.filter((value) => !values.some((other) => Buffer.from(other).toString('base64') === value));
}
