// Starts a Prefect Cloud (REST and Cloud 1 GraphQL) emulator and a GitHub emulator on 127.0.0.1: Prefect on one port,
// GitHub at the root of a second (as api.github.com) and under /api/v3 on a third (as GitHub Enterprise Server).
import sodium from 'libsodium-wrappers';
import type { ServerContext } from './context.ts';
import { Faults } from './faults.ts';
import { description, ghesDescriptions } from './github-description.ts';
import { GithubRateLimits } from './github-rate-limits.ts';
import { serveGithub } from './github-server.ts';
import { listen } from './listen.ts';
import { seed } from './seed.ts';
import { servePrefect } from './server.ts';
import { State } from './state.ts';
import type { Emulator } from './types.ts';
import { nextEmulatorId } from './violations.ts';

export type * from './types.ts';
export { seed } from './seed.ts';
export { assertNoUnexpectedGithubViolations, githubViolations, validatedGithubRequests, type ViolationRecord } from './violations.ts';

const GHES_PREFIX = '/api/v3';

/** Cloud 1's transient server error, which Prefect's 1.x client retries. */
const CLOUD1_API_ERROR = { message: 'An unexpected error occurred. Please try again.', code: 'API_ERROR' };

/** Each port 0 (the default) picks a free one. */
export async function startEmulator(options: { port?: number; githubPort?: number; ghesPort?: number } = {}): Promise<Emulator> {
  await sodium.ready;
  const context: ServerContext = {
    id: nextEmulatorId(),
    state: new State(seed),
    faults: new Faults(),
    requests: [],
    githubLimits: new GithubRateLimits(),
    violationsExpected: false,
  };
  let githubUrl = '';
  let ghesUrl = '';
  const prefect = await listen(options.port ?? 0, servePrefect(context));
  const github = await listen(
    options.githubPort ?? 0,
    serveGithub(context, { prefix: '', descriptions: [description('api.github.com'), description('ghec')], base: () => githubUrl }),
  );
  const ghes = await listen(options.ghesPort ?? 0, serveGithub(context, { prefix: GHES_PREFIX, descriptions: ghesDescriptions(), base: () => ghesUrl }));
  githubUrl = github.url;
  ghesUrl = `${ghes.url}${GHES_PREFIX}`;

  return {
    url: prefect.url,
    apiUrl: `${prefect.url}/api`,
    graphqlUrl: `${prefect.url}/graphql`,
    githubUrl,
    ghesUrl,
    seed,
    requests: context.requests,
    fault: (route, fault) => context.faults.add(route, fault),
    clearFaults: () => context.faults.clear(),
    githubRateLimit: (route, limit) => context.faults.add(route, { githubRateLimit: limit, times: limit.times ?? 1 }),
    get githubLimitBreaches() {
      return context.githubLimits.breaches;
    },
    get maxConcurrentGithubMutations() {
      return context.githubLimits.maxConcurrentMutations;
    },
    renameRepository: (oldFullName, newFullName) => context.state.github.rename(oldFullName, newFullName),
    addRepository: (fullName) => context.state.github.addRepository(fullName).id,
    addEnvironment: (repo, name) => void context.state.github.addEnvironment(repo, name),
    replaceGithubKeyPair: (place) => context.state.github.replaceKeyPair(place),
    expectViolations: () => {
      context.violationsExpected = true;
    },
    reset: () => {
      context.state = new State(seed);
      context.faults.clear();
      context.requests.length = 0;
      context.githubLimits = new GithubRateLimits();
      context.violationsExpected = false;
    },
    advance: (ms) => context.state.advance(ms),
    liveKeys: (actorId) => context.state.liveKeys(actorId),
    setKeyExpiration: (key, expiration) => context.state.setKeyExpiration(key, expiration),
    addServiceAccount: (name, expiration = null) => {
      const { actor, key } = context.state.addBot(name, expiration === null ? null : new Date(expiration).toISOString());
      return { id: actor.id, keyId: key.id, key: key.value };
    },
    setAccountRole: (actorId, role) => {
      context.state.requireActor(actorId).accountRole = role;
    },
    setWorkspaceRole: (actorId, workspaceId, role, scopes) => context.state.setWorkspaceRole(actorId, workspaceId, role, scopes),
    setMeApiKeysAnswer: (actorId, answer) => {
      context.state.requireActor(actorId).meApiKeys = answer;
    },
    setCloud1Role: (actorId, role) => {
      const actor = context.state.requireActor(actorId);
      if (!actor.kind.startsWith('cloud1-')) throw new Error(`${actorId} is not a Prefect Cloud 1 actor`);
      actor.cloud1Role = role;
    },
    cloud1ApiError: (operation, times = 1) => context.faults.add(operation ? `graphql:${operation}` : 'graphql', { graphqlError: CLOUD1_API_ERROR, times }),
    isKeyLive: (value) => context.state.isKeyLive(value),
    secret: (scope) => context.state.secret(scope),
    close: async () => {
      await Promise.all([prefect.close(), github.close(), ghes.close()]);
    },
  };
}
