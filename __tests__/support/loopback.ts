// A loopback HTTP server for the unit tests of one module's requests: each
// request is read whole and handed to the test's script, which answers it.
// Started once per test file; the scripts are the tests' own.

import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetryPolicy } from '../../src/http/retry.ts';
import { deadlineIn, noWaitClock } from './clock.ts';

export interface Received {
  method: string;
  /** The path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Received, response: ServerResponse) => void;

/** status, body: a string is sent as text/html, anything else as JSON. */
export type Reply = [status: number, body: unknown];

export function answer(response: ServerResponse, [status, body]: Reply): void {
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The next of a script's replies, used in turn: the last one repeats. */
export function inTurn<T>(replies: T[]): T {
  return (replies.length > 1 ? replies.shift() : replies[0])!;
}

/** Starts the server for the file; the returned function gives its origin (`http://127.0.0.1:PORT`). */
export function useLoopback(handle: Handler): () => string {
  let server: Server;
  let origin = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => handle({ method: request.method!, url: request.url!, headers: request.headers, body }, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return () => origin;
}

/** A retry policy for unit tests: ten seconds, no waits, no jitter. */
export function quickPolicy(retries = 0): RetryPolicy {
  return { retries, clock: noWaitClock, deadline: deadlineIn(10_000), random: () => 0 };
}
