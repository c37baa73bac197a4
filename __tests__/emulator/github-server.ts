// GitHub's HTTP server, at the root of its own port (api.github.com) or under /api/v3 (GitHub Enterprise Server): checks every
// request against GitHub's description, records it, enforces GitHub's rate-limit rules, then answers as GitHub does.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { ServerContext } from './context.ts';
import { misbehave } from './faults.ts';
import { handleGithub, routeOf } from './github.ts';
import type { Match, Problem } from './github-description.ts';
import { bodyProblems, headerProblems, matchOperation, queryProblems } from './github-description.ts';
import { githubError, NO_USER_AGENT, NOT_FOUND } from './github-errors.ts';
import type { Reply } from './http.ts';
import { send } from './http.ts';
import type { Serve } from './listen.ts';
import { readBody } from './listen.ts';
import type { Description } from './openapi.ts';
import type { Fault } from './types.ts';
import { recordValidation } from './violations.ts';

export interface GithubServer {
  /** '' for api.github.com, '/api/v3' for GitHub Enterprise Server: anything outside it is 404. */
  prefix: string;
  /** The descriptions a request must conform to; the first decides the answer. */
  descriptions: Description[];
  /** The server's base URL (with its prefix), known once it listens. */
  base: () => string;
}

interface Checked {
  match: Match | undefined;
  problems: Problem[];
}

/** A request against one description: its operation, and every way it departs from the description. */
function check(description: Description, method: string, rawPath: string, rawQuery: string, req: IncomingMessage, body: string): Checked {
  const match = matchOperation(description, method, rawPath);
  const problems = headerProblems(req.headers);
  if (!match) return { match, problems: [...problems, { status: 404, message: `${method} ${rawPath} is no operation of GitHub's REST API description.` }] };
  return { match, problems: [...problems, ...queryProblems(match, rawQuery), ...bodyProblems(match, req.headers, body)] };
}

/** Every description's problems once, in words; another description than the first is named when only it objects. */
function violationsOf(descriptions: Description[], checks: Checked[]): string[] {
  const first = new Set(checks[0]?.problems.map(({ message }) => message));
  const others = checks
    .slice(1)
    .flatMap(({ problems }, index) =>
      problems.filter(({ message }) => !first.has(message)).map(({ message }) => `${descriptions[index + 1]?.name}: ${message}`),
    );
  return [...first, ...new Set(others)];
}

/** GitHub's request ids look like 'E0C4:2A3B:1B2C3D:1C2D3E:65A1B2C3'. */
function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(3)}:${hex(4)}`;
}

async function serve(context: ServerContext, server: GithubServer, req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
  // When the request arrived, as GitHub counts it: before its body is read and it is checked against the description
  // (the first check of an operation compiles its schemas, which would make the request look later than it came).
  const arrived = Date.now();
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const queryAt = path.indexOf('?');
  const fullPath = queryAt === -1 ? path : path.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : path.slice(queryAt + 1);
  const inside = server.prefix === '' || fullPath.startsWith(`${server.prefix}/`);
  const rawPath = inside ? fullPath.slice(server.prefix.length) : fullPath;

  const checks = server.descriptions.map((description) => check(description, method, rawPath, rawQuery, req, body));
  const [{ match, problems } = { match: undefined, problems: [] }] = checks;
  const violations = inside ? violationsOf(server.descriptions, checks) : [`${method} ${fullPath} is outside ${server.prefix}/.`];
  const operationId = inside ? match?.operation.operationId : undefined;
  const route = operationId ? routeOf(operationId) : 'unknown';
  context.requests.push({
    at: arrived,
    service: 'github',
    method,
    path,
    route,
    authorization: req.headers.authorization,
    headers: req.headers,
    body,
    operationId,
    violations,
  });
  recordValidation({ emulator: context.id, method, path, operationId, violations, expected: context.violationsExpected });

  const id = requestId();
  const token = req.headers.authorization?.split(' ')[1] ?? '';
  const limits = context.githubLimits;
  const answer = (reply: Reply): Reply => {
    const headers: Record<string, string> = { 'x-github-request-id': id, 'x-github-media-type': 'github.v3; format=json', ...reply.headers };
    return { ...reply, headers: token && headers['x-ratelimit-limit'] === undefined ? { ...limits.headers(token), ...headers } : headers };
  };
  if (!inside) return send(res, answer(NOT_FOUND()));
  if (problems.some((problem) => problem.status === 403)) return send(res, answer(NO_USER_AGENT()));
  const arrival = limits.arrive(token || 'anonymous', method, path, id, arrived);
  res.once('finish', arrival.done).once('close', arrival.done);
  if (arrival.breach) return send(res, answer(arrival.breach));
  if (!match || route === 'unknown') return send(res, answer(NOT_FOUND()));

  const run = () => {
    const call = { state: context.state, match, rawPath, rawQuery, base: server.base(), authorization: req.headers.authorization, body, problems };
    const reply = answer(handleGithub(call));
    if (reply.status === 301) arrival.redirected();
    return reply;
  };
  const fault = context.faults.take(route);
  if (fault?.githubRateLimit) send(res, answer(limits.limit(token || 'anonymous', fault.githubRateLimit, id)));
  else if (fault) await misbehave(res, githubShaped(fault), run, signal);
  else send(res, run());
}

/** A fault's status without a body of its own gets GitHub's error body, not Prefect's `{"detail"}`. */
function githubShaped(fault: Fault): Fault {
  if (fault.status === undefined || fault.body !== undefined) return fault;
  return { ...fault, body: githubError(fault.status, STATUS_CODES[fault.status] ?? 'Error').body };
}

export function serveGithub(context: ServerContext, server: GithubServer): Serve {
  return (req, res, signal) => serve(context, server, req, res, signal);
}
