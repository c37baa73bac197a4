// What route handlers receive and return, and small helpers they share.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { State } from './state.ts';
import type { RouteName } from './types.ts';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Call {
  state: State;
  headers: IncomingHttpHeaders;
  body: string;
  /** The request's path and query, on a placeholder origin. */
  url: URL;
}

/** `params` are the route pattern's capture groups, URL-decoded. */
export type Handler = (call: Call, ...params: string[]) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  name: RouteName;
  pattern: RegExp; // matched against the path without its query
  handle: Handler;
}

/** `path` is a regular expression for the whole path, e.g. '/api/me/?'. */
export function route(method: string, name: RouteName, path: string, handle: Handler): Route {
  return { method, name, pattern: new RegExp(`^${path}$`), handle };
}

export const JSON_TYPE = { 'content-type': 'application/json' };

export function json(status: number, value: unknown): Reply {
  return { status, headers: JSON_TYPE, body: JSON.stringify(value) };
}

export function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

/** The token of an `Authorization: <scheme> <token>` header, for one of the accepted schemes. */
export function credential(headers: IncomingHttpHeaders, ...schemes: string[]): string | undefined {
  const [scheme = '', token] = headers.authorization?.split(' ') ?? [];
  return schemes.some((accepted) => accepted.toLowerCase() === scheme.toLowerCase()) ? token : undefined;
}

export function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
