// The HTTP server: records each request, then routes it to Prefect REST, Cloud 1 GraphQL or GitHub.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults.ts';
import { misbehave } from './faults.ts';
import { githubRoutes } from './github.ts';
import { graphqlRoutes, operationOf } from './graphql.ts';
import type { Route } from './http.ts';
import { json, send } from './http.ts';
import { restRoutes } from './rest.ts';
import type { State } from './state.ts';
import type { RecordedRequest } from './types.ts';

/** What the server works on; `state` is replaced on reset. */
export interface ServerContext {
  state: State;
  faults: Faults;
  requests: RecordedRequest[];
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const routes = [...restRoutes, ...graphqlRoutes, ...githubRoutes];

const LENGTH_REQUIRED_PAGE = `<html>
<head><title>411 Length Required</title></head>
<body>
<center><h1>411 Length Required</h1></center>
</body>
</html>
`;

function findRoute(method: string, pathname: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const match = route.method === method ? route.pattern.exec(pathname) : null;
    if (!match) continue;
    try {
      return { route, params: match.slice(1).map((param) => decodeURIComponent(param)) };
    } catch {
      return undefined; // malformed percent-encoding
    }
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(context: ServerContext, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const pathname = new URL(path, 'http://127.0.0.1').pathname;
  const found = findRoute(method, pathname);
  const operation = found?.route.name === 'graphql' ? operationOf(body) : undefined;
  context.requests.push({
    at: Date.now(),
    method,
    path,
    route: found?.route.name ?? 'unknown',
    authorization: req.headers.authorization,
    headers: req.headers,
    body,
    operation,
  });

  if (method === 'POST' && req.headers['content-length'] === undefined) {
    return send(res, { status: 411, headers: { 'content-type': 'text/html' }, body: LENGTH_REQUIRED_PAGE });
  }
  if (!found) {
    return send(res, json(404, pathname.startsWith('/github/') ? { message: 'Not Found' } : { detail: 'Not Found' }));
  }
  const { route, params } = found;
  const run = () => route.handle({ state: context.state, headers: req.headers, body }, ...params);
  const fault = context.faults.take(route.name, operation);
  if (fault) await misbehave(res, fault, run, signal);
  else send(res, await run());
}

/** Listens on 127.0.0.1; `close()` also ends hanging and delayed requests. */
export async function listen(context: ServerContext, port: number): Promise<RunningServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    serve(context, req, res, closing.signal).catch((error: unknown) => {
      if (res.headersSent || closing.signal.aborted) res.destroy();
      else send(res, json(500, { detail: `Emulator error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
