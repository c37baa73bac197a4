// Starts a Prefect Cloud (REST and Cloud 1 GraphQL) and GitHub secrets emulator on 127.0.0.1.
import sodium from 'libsodium-wrappers';
import { Faults } from './faults.ts';
import { seed } from './seed.ts';
import type { ServerContext } from './server.ts';
import { listen } from './server.ts';
import { State } from './state.ts';
import type { Emulator } from './types.ts';

export type * from './types.ts';
export { seed } from './seed.ts';

/** `port` 0 (the default) picks a free one. */
export async function startEmulator(options: { port?: number } = {}): Promise<Emulator> {
  await sodium.ready;
  const context: ServerContext = { state: new State(seed), faults: new Faults(), requests: [] };
  const server = await listen(context, options.port ?? 0);
  return {
    url: server.url,
    apiUrl: `${server.url}/api`,
    graphqlUrl: `${server.url}/graphql`,
    githubUrl: `${server.url}/github`,
    seed,
    requests: context.requests,
    fault: (route, fault) => context.faults.add(route, fault),
    clearFaults: () => context.faults.clear(),
    reset: () => {
      context.state = new State(seed);
      context.faults.clear();
      context.requests.length = 0;
    },
    advance: (ms) => context.state.advance(ms),
    liveKeys: (actorId) => context.state.liveKeys(actorId),
    isKeyLive: (value) => context.state.isKeyLive(value),
    secret: (scope) => context.state.secret(scope),
    close: () => server.close(),
  };
}
