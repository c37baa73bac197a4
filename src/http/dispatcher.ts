// The undici dispatchers of the process: one shared with the GitHub client for
// the whole step, and one of its own for each exchange of send(), so that the
// connections of an attempt that ran out of time can be destroyed with it.
// Proxies come from HTTPS_PROXY, HTTP_PROXY and NO_PROXY (upper or lower case,
// as the runner sets them) through undici's EnvHttpProxyAgent.

import { Socket } from 'node:net';
import { buildConnector, EnvHttpProxyAgent, Pool, type Dispatcher, type ProxyAgent } from 'undici';

/**
 * The proxy closed the connection instead of answering the tunnel request
 * (CONNECT). undici 6 counts a socket closed while a connection is set up
 * (UND_ERR_SOCKET) as recoverable and connects again at once, with no pause
 * and no limit (dispatcher/client.js, onError): a proxy that closes every
 * tunnel request is then reconnected thousands of times a second while the
 * request waits, and an abort signal does not end that wait. Failing the
 * request instead hands the failure to our retries, which pause and stop at
 * the deadline.
 */
export class TunnelClosedError extends Error {
  override name = 'TunnelClosedError';
  readonly code = 'TUNNEL_CLOSED';
}

type Connector = buildConnector.connector;

/** The tunnel's connector (a function only behind a proxy), with a closed tunnel made a failure of the request. */
function failingOnClosedTunnel(tunnel: Connector): Connector {
  return (options, callback) =>
    tunnel(options, (...[error, socket]: Parameters<buildConnector.Callback>) => {
      if (error === null) callback(null, socket);
      else callback((error as { code?: string }).code === 'UND_ERR_SOCKET' ? new TunnelClosedError(error.message, { cause: error }) : error, null);
    });
}

export interface DispatcherOptions {
  /** Connection set-up, to the server or to the proxy, ends after this long (undici's default is 10 s). */
  connectTimeoutMs?: number;
  /** Called when a connection is ready for the request: through the tunnel and TLS, when there are any. */
  onConnected?: () => void;
}

/** A dispatcher, and the end of everything it opened. */
export interface OwnedDispatcher {
  dispatcher: Dispatcher;
  /** Destroys the dispatcher and every socket it opened, whatever state undici left them in. */
  destroy(): void;
}

/**
 * undici's connector (the TCP connection, and TLS when the URL is https:),
 * with each socket it opens kept in `sockets`. Destroying a dispatcher does not
 * reach a socket whose set-up has not finished (a TLS handshake that never
 * ends, a TCP handshake the network drops): undici's client keeps no hold on
 * it until it is ready, and only undici's connect timeout ends it (10 s by
 * default, on a coarse timer that holds the socket weakly). Until then the
 * socket outlives its attempt and keeps the process alive.
 */
function recording(connect: Pool.Options['connect'], sockets: Set<Socket>): Connector {
  const open = typeof connect === 'function' ? connect : buildConnector({ ...connect });
  return (options, callback) => {
    const socket = (open as (...args: Parameters<Connector>) => unknown)(options, callback);
    if (socket instanceof Socket) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
  };
}

/**
 * The proxy (from the environment, as undici reads it) or a direct connection,
 * with a closed tunnel a failure and every socket kept for destroy().
 * undici 6 announces EnvHttpProxyAgent as experimental with a process warning
 * on its first construction; that line would only alarm a user reading the
 * step's log, so it is held back for that call.
 */
export function newDispatcher(options: DispatcherOptions = {}): OwnedDispatcher {
  const { connectTimeoutMs, onConnected } = options;
  const sockets = new Set<Socket>();
  // The pool of each origin: behind a proxy its connector is undici's tunnel (a function), else undici's own.
  const factory = (origin: string | URL, poolOptions: object) => {
    const { connect } = poolOptions as Pool.Options;
    const opened = typeof connect === 'function' ? failingOnClosedTunnel(connect) : recording(connect, sockets);
    const pool = new Pool(origin, { ...poolOptions, connect: opened });
    if (onConnected) pool.on('connect', onConnected);
    return pool;
  };
  // The pool of connections to the proxy itself, over which each tunnel (and its TLS) runs.
  const clientFactory = (origin: URL, poolOptions: object) => {
    const { connect } = poolOptions as Pool.Options;
    return new Pool(origin, { ...poolOptions, connect: recording(connect, sockets) });
  };
  // EnvHttpProxyAgent hands its options to each ProxyAgent it makes, clientFactory and proxyTls among them.
  const agentOptions: EnvHttpProxyAgent.Options & Pick<ProxyAgent.Options, 'clientFactory' | 'proxyTls'> = { factory, clientFactory };
  if (connectTimeoutMs !== undefined) Object.assign(agentOptions, { connect: { timeout: connectTimeoutMs }, proxyTls: { timeout: connectTimeoutMs } });
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  let dispatcher: Dispatcher;
  try {
    dispatcher = new EnvHttpProxyAgent(agentOptions);
  } finally {
    process.emitWarning = emitWarning;
  }
  return {
    dispatcher,
    destroy: () => {
      dispatcher.destroy().catch(() => undefined);
      for (const socket of sockets) socket.destroy();
    },
  };
}

let shared: OwnedDispatcher | undefined;

/** The dispatcher of the process, shared with the GitHub client: one pool of connections for the step. */
export function dispatcher(): Dispatcher {
  shared ??= newDispatcher();
  return shared.dispatcher;
}

/**
 * Ends every connection of the shared dispatcher, at the end of the step: a
 * stalled tunnel request or a connection undici keeps would otherwise hold the
 * process alive after its work is done (undici's own waits last up to 300 s).
 * Destroyed rather than closed: closing waits for the requests in flight.
 */
export function closeDispatcher(): void {
  const ending = shared;
  shared = undefined;
  ending?.destroy();
}
