// The attempt's deadline reaches every wait of an exchange (src/http/client.ts
// with src/http/retry.ts), against loopback servers that misbehave as real
// networks do: a proxy that closes, stalls or refuses the tunnel request, a
// proxy or a port whose TCP handshake never completes, a TLS handshake that
// never ends, a certificate the runner does not trust. Each ends with the
// attempt's share, in words that say which wait ran out, with its connections
// closed and without reconnecting in a loop.

import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { request } from 'undici';
import { CERTIFICATE_REMEDY, closeDispatcher, dispatcher, NetworkError, send } from '../src/http/client.ts';
import { newDispatcher } from '../src/http/dispatcher.ts';
import { sendWithRetries, UnavailableError, type RetryPolicy } from '../src/http/retry.ts';
import { unavailable } from '../src/prefect/check.ts';
import { silentServer, unansweredHandshake, type StalledServer } from './support/stalled-servers.ts';
import { connectProxy, makeCertificate, type ConnectProxy } from './support/tls.ts';
import { deadlineIn, noWaitClock } from './support/clock.ts';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
function proxies(values: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** The real clock (the waits under test are undici's), retries without sleeping (a backoff of 250 ms counted, not slept). */
function policy(retries: number, budgetMs: number): RetryPolicy {
  return { retries, clock: noWaitClock, deadline: deadlineIn(budgetMs), random: () => 0 };
}
const status = (response: { status: number }) => response.status;
const get = (url: string) => ({ method: 'GET' as const, url: new URL(url), headers: {} });

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the exchange succeeded');
    },
    (error: unknown) => error as Error,
  );
}

describe('behind a proxy', () => {
  let proxy: ConnectProxy;
  beforeAll(async () => {
    proxy = await connectProxy(['prefect.test']);
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.connections = 0;
    proxy.tunnels.length = 0;
    proxy.misbehave = undefined;
    proxy.refuseWith = undefined;
    proxies({ HTTPS_PROXY: proxy.url });
  });

  test('a tunnel the proxy opens carries the exchange, to an http: URL too', async () => {
    const server = createHttpServer((_request, response) => response.end('through the tunnel'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      proxies({ HTTP_PROXY: proxy.url });
      const answer = await send({ ...get(`http://prefect.test:${port}/`), signal: new AbortController().signal, timeoutMs: 5_000 });
      expect(answer).toMatchObject({ status: 200, body: 'through the tunnel' });
      expect(proxy.tunnels).toEqual([`CONNECT prefect.test:${port}`]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a proxy that closes the tunnel request: one connection per attempt, not a reconnect loop; the message says the proxy closed it', async () => {
    proxy.misbehave = 'close';
    const error = await failure(sendWithRetries(policy(2, 1_500), get('https://prefect.test/api/health'), status));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(`the proxy ${proxy.url} closed the connection instead of opening a tunnel to prefect.test (3 attempts)`);
    expect(proxy.connections).toBe(3);
    expect(proxy.tunnels).toEqual(Array(3).fill('CONNECT prefect.test:443'));
  });

  test('an empty https_proxy: the request goes through HTTP_PROXY, as undici reads them, and the message names that proxy', async () => {
    proxies({ https_proxy: '', HTTP_PROXY: proxy.url });
    proxy.misbehave = 'close';
    const error = await failure(sendWithRetries(policy(0, 1_500), get('https://prefect.test/api/health'), status));
    expect(error.message).toBe(`the proxy ${proxy.url} closed the connection instead of opening a tunnel to prefect.test (1 attempt)`);
    expect(proxy.tunnels).toEqual(['CONNECT prefect.test:443']);
  });

  test('the same through the shared dispatcher (the GitHub client): the request fails after one connection', async () => {
    proxy.misbehave = 'close';
    try {
      const error = await failure(request('https://prefect.test/api/health', { dispatcher: dispatcher() }));
      expect(error.name).toBe('TunnelClosedError');
      // undici's own error for the closed socket stays with it, as its cause.
      expect(error.cause).toMatchObject({ code: 'UND_ERR_SOCKET' });
      expect(proxy.connections).toBe(1);
    } finally {
      closeDispatcher();
    }
  });

  test('closeDispatcher ends a tunnel request the shared dispatcher still waits for (undici would wait 300 s), and the next call gets a new one', async () => {
    proxy.misbehave = 'stall';
    const shared = dispatcher();
    const pending = failure(request('https://prefect.test/api/health', { dispatcher: shared }));
    while (proxy.tunnels.length === 0) await new Promise((resolve) => setImmediate(resolve));
    closeDispatcher();
    await proxy.idle();
    expect((await pending).name).toBe('ClientDestroyedError');
    expect(dispatcher()).not.toBe(shared);
    closeDispatcher();
    // With no shared dispatcher left (or none made yet) there is nothing to end.
    expect(() => closeDispatcher()).not.toThrow();
  });

  test('a proxy that never answers the tunnel request: each attempt ends with its share, its connection closed', async () => {
    proxy.misbehave = 'stall';
    const error = await failure(sendWithRetries(policy(1, 1_200), get('https://prefect.test/api/health'), status));
    expect(error.message).toBe(`timed out setting up the connection to prefect.test through the proxy ${proxy.url} (2 attempts)`);
    expect(proxy.connections).toBe(2);
    await proxy.idle(); // both attempts' connections closed by the client
  });

  test('a proxy that refuses the tunnel: named, once, no retry storm', async () => {
    proxy.refuseWith = 403;
    const error = await failure(sendWithRetries(policy(0, 1_500), get('https://prefect.test/api/health'), status));
    expect(error.message).toBe(`the proxy ${proxy.url} refused the connection (Proxy response (403) !== 200 when HTTP Tunneling) (1 attempt)`);
    expect(proxy.connections).toBe(1);
  });

  test('NO_PROXY covering the host: a failure is not blamed on the proxy', async () => {
    const silent = await silentServer();
    try {
      proxies({ HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' });
      const error = await failure(send({ ...get(`https://127.0.0.1:${silent.port}/`), signal: AbortSignal.timeout(300) }));
      expect(error.message).toBe(`timed out connecting to 127.0.0.1:${silent.port}`);
      expect(proxy.connections).toBe(0);
    } finally {
      await silent.close();
    }
  });
});

describe('a proxy whose TCP handshake never completes', () => {
  let unanswered: StalledServer;
  beforeAll(async () => {
    unanswered = await unansweredHandshake();
  });
  afterAll(() => unanswered.close());

  test("the connection to it ends with the dispatcher's connect timeout, as one to the server does (undici's default is 10 s)", async () => {
    proxies({ HTTPS_PROXY: `http://127.0.0.1:${unanswered.port}` });
    const { dispatcher: attempt, destroy } = newDispatcher({ connectTimeoutMs: 300 });
    try {
      const error = await failure(request('https://prefect.test/api/health', { dispatcher: attempt }));
      expect(error).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
      expect(error.message).toContain(`attempted address: 127.0.0.1:${unanswered.port}, timeout: 300ms`);
    } finally {
      destroy();
    }
  });
});

describe('without a proxy', () => {
  beforeEach(() => proxies({}));

  let unanswered: StalledServer;
  let silent: StalledServer;
  beforeAll(async () => {
    unanswered = await unansweredHandshake();
    silent = await silentServer();
  });
  afterAll(async () => {
    await unanswered.close();
    await silent.close();
  });

  test('a TCP handshake that never completes ends with the signal, within the share', async () => {
    const error = await failure(send({ ...get(`http://127.0.0.1:${unanswered.port}/`), signal: AbortSignal.timeout(300), timeoutMs: 300 }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`timed out connecting to 127.0.0.1:${unanswered.port}`);
  });

  test("a TCP handshake that never completes, with only undici's connect timeout set to the share", async () => {
    const error = await failure(send({ ...get(`http://127.0.0.1:${unanswered.port}/`), signal: new AbortController().signal, timeoutMs: 300 }));
    expect(error.message).toBe(`timed out connecting to 127.0.0.1:${unanswered.port}`);
  });

  test("a TLS handshake that never finishes: the connection is closed when the attempt ends, though undici's own connect timeout (10 s) has not", async () => {
    const error = await failure(send({ ...get(`https://127.0.0.1:${silent.port}/`), signal: AbortSignal.timeout(300) }));
    expect(error.message).toBe(`timed out connecting to 127.0.0.1:${silent.port}`);
    await silent.idle();
  });

  test('a TLS handshake that never finishes: each attempt ends with its share, its connection closed', async () => {
    const error = await failure(sendWithRetries(policy(1, 1_200), get(`https://127.0.0.1:${silent.port}/`), status));
    expect(error.message).toBe(`timed out connecting to 127.0.0.1:${silent.port} (2 attempts)`);
    await silent.idle();
  });
});

describe('TLS failures', () => {
  let server: Server;
  let plain: Server;
  let port: number;
  let plainPort: number;
  beforeAll(async () => {
    proxies({});
    // A certificate signed by an authority the process does not trust.
    const certificate = makeCertificate(['localhost']);
    server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (socket) => socket.end()) as unknown as Server;
    plain = createHttpServer((_request, response) => response.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    plainPort = (plain.address() as AddressInfo).port;
  }, 30_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => plain.close(resolve));
  });

  test('a certificate the runner does not trust is not retried, and says what to do: NODE_EXTRA_CA_CERTS', async () => {
    const error = (await failure(sendWithRetries(policy(3, 5_000), get(`https://127.0.0.1:${port}/`), status))) as UnavailableError;
    expect(error.message).toMatch(
      new RegExp(`^the certificate of 127\\.0\\.0\\.1:${port} could not be verified \\(unable to verify the first certificate[^)]*\\) \\(1 attempt\\)$`),
    );
    expect(error.remedy).toBe(CERTIFICATE_REMEDY);
    expect(error.remedy).toContain('NODE_EXTRA_CA_CERTS');
    expect(error.remedy).toContain('does not pass by itself');
    // The step's annotation says what to do instead of "run the job again later".
    const { message } = unavailable('Prefect Cloud at 127.0.0.1', error);
    expect(message).toContain('This says nothing about the key; a certificate problem does not pass by itself');
    expect(message).toContain('NODE_EXTRA_CA_CERTS');
    expect(message).not.toContain('again later');
  });

  test("OpenSSL's error keeps its first meaningful line: no source path, no newline", async () => {
    const error = await failure(send({ ...get(`https://127.0.0.1:${plainPort}/`), signal: AbortSignal.timeout(2_000) }));
    expect(error.message).toBe('wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)');
  });
});
