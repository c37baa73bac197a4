// Switchable misbehaviour per route: which fault a request gets, and how the fault answers.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTML_TYPE, htmlErrorPage } from './html-pages.ts';
import type { Reply } from './http.ts';
import { JSON_TYPE, json, send } from './http.ts';
import type { Fault, RouteName } from './types.ts';

/** The body a fault cuts short when the real answer has none, or was never produced. */
const PLACEHOLDER = JSON.stringify({ detail: 'The rest of this response never arrives.' });

interface Armed {
  fault: Fault;
  remaining: number;
}

export class Faults {
  #armed = new Map<string, Armed[]>();

  add(route: RouteName, fault: Fault): void {
    if (fault.times !== undefined && fault.times <= 0) return;
    const queue = this.#armed.get(route) ?? [];
    queue.push({ fault, remaining: fault.times ?? Infinity });
    this.#armed.set(route, queue);
  }

  clear(): void {
    this.#armed.clear();
  }

  /**
   * The fault a request gets, counting it against `times`. Faults on one route apply in the order
   * they were added; a GraphQL operation's own faults ('graphql:create_api_key') come before 'graphql'.
   */
  take(route: RouteName, operation?: string): Fault | undefined {
    for (const name of operation ? [`${route}:${operation}`, route] : [route]) {
      const queue = this.#armed.get(name);
      const armed = queue?.[0];
      if (!queue || !armed) continue;
      armed.remaining -= 1;
      if (armed.remaining <= 0) queue.shift();
      return armed.fault;
    }
    return undefined;
  }
}

/** Answers `res` as `fault` says; `run` is the route's real handler. Rejects when `signal` aborts a delay. */
export async function misbehave(res: ServerResponse, fault: Fault, run: () => Reply | Promise<Reply>, signal: AbortSignal): Promise<void> {
  const real = fault.after ? await run() : undefined;
  if (fault.hold) await fault.hold(goneSignal(res));
  if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal });
  if (fault.hang) return;
  if (fault.reset || fault.stall) {
    const body = real?.body || fault.body || PLACEHOLDER;
    return sendHalf(res, { status: fault.status ?? 200, headers: withFaultHeaders(JSON_TYPE, fault), body }, Boolean(fault.reset));
  }
  const reply = replacement(fault, real) ?? real ?? (await run());
  send(res, { ...reply, headers: withFaultHeaders(reply.headers, fault) });
}

/** Aborts when the connection closes before `res` is sent: the client gave up on the request. */
function goneSignal(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** What the fault answers instead of the real reply; undefined when it only delays or adds headers. */
function replacement(fault: Fault, real: Reply | undefined): Reply | undefined {
  if (fault.malformed) {
    const body = real?.body || PLACEHOLDER;
    return { status: 200, headers: JSON_TYPE, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) };
  }
  if (fault.empty) return { status: 200, headers: JSON_TYPE, body: '' };
  if (fault.html) return { status: 502, headers: HTML_TYPE, body: htmlErrorPage(502) };
  if (fault.htmlStatus !== undefined) return { status: fault.htmlStatus, headers: HTML_TYPE, body: htmlErrorPage(fault.htmlStatus) };
  if (fault.graphqlError) {
    const { message, code } = fault.graphqlError;
    return json(200, { errors: [{ message, extensions: { code } }] });
  }
  if (fault.status === undefined) return undefined;
  if (fault.body === undefined) return json(fault.status, { detail: STATUS_CODES[fault.status] ?? 'Error' });
  return { status: fault.status, headers: JSON_TYPE, body: fault.body };
}

function withFaultHeaders(headers: Record<string, string>, fault: Fault): Record<string, string> {
  const merged = { ...headers };
  for (const [name, value] of Object.entries(fault.headers ?? {})) merged[name.toLowerCase()] = value;
  if (fault.retryAfter !== undefined) merged['retry-after'] = String(fault.retryAfter);
  return merged;
}

/** Promises the whole body and sends half of it; then drops the connection, or (a stall) sends nothing more. */
function sendHalf(res: ServerResponse, reply: Reply, drop: boolean): void {
  const body = Buffer.from(reply.body);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': body.length });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    if (drop) res.destroy();
  });
}
