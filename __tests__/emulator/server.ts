// Prefect's HTTP server: records each request, then routes it to Prefect REST (/api) or Cloud 1 GraphQL (/graphql).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.ts';
import { misbehave } from './faults.ts';
import { graphqlRoutes, operationOf } from './graphql.ts';
import { HTML_TYPE, htmlErrorPage } from './html-pages.ts';
import type { Route } from './http.ts';
import { json, send } from './http.ts';
import type { Serve } from './listen.ts';
import { readBody } from './listen.ts';
import { restRoutes } from './rest.ts';

const routes = [...restRoutes, ...graphqlRoutes];

/** Methods whose requests carry a body: Prefect Cloud's load balancer answers 411 when they come without a Content-Length. */
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

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

async function serve(context: ServerContext, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const url = new URL(path, 'http://127.0.0.1');
  const pathname = url.pathname;
  const found = findRoute(method, pathname);
  const operation = found?.route.name === 'graphql' ? operationOf(body) : undefined;
  context.requests.push({
    at: Date.now(),
    service: 'prefect',
    method,
    path,
    route: found?.route.name ?? 'unknown',
    authorization: req.headers.authorization,
    headers: req.headers,
    body,
    operation,
    violations: [],
  });

  if (WITH_BODY.has(method) && req.headers['content-length'] === undefined) {
    return send(res, { status: 411, headers: HTML_TYPE, body: htmlErrorPage(411) });
  }
  if (!found) return send(res, json(404, { detail: 'Not Found' }));
  const { route, params } = found;
  const run = () => route.handle({ state: context.state, headers: req.headers, body, url }, ...params);
  const fault = context.faults.take(route.name, operation);
  if (fault) await misbehave(res, fault, run, signal);
  else send(res, await run());
}

export function servePrefect(context: ServerContext): Serve {
  return (req, res, signal) => serve(context, req, res, signal);
}
