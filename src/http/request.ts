// One HTTP exchange over node:http / node:https. Proxies come from the
// environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) through Node's own agent
// support, redirects are never followed (a credential must not travel to a
// host it was not configured for), and a body is read whole, up to a cap.

import type { Agent, IncomingHttpHeaders } from 'node:http';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The request never got a complete answer: refused, reset, cut short or timed out. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

type Transport = typeof import('node:http') | typeof import('node:https');
const transports = new Map<string, { module: Transport; agent: Agent }>();

/** node:https (and TLS with it) is loaded only when a URL needs it: most of a check's start-up cost is module loading. */
function transportFor(url: URL) {
  let transport = transports.get(url.protocol);
  if (!transport) {
    const module: Transport = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    transport = { module, agent: new module.Agent({ proxyEnv: process.env }) };
    transports.set(url.protocol, transport);
  }
  return transport;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

export function send(request: HttpRequest): Promise<HttpResponse> {
  const { url, signal } = request;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const transport = transportFor(url);

  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new NetworkError('timed out before the request was sent'));
      return;
    }
    const outgoing = transport.module.request(url, { method: request.method, headers, agent: transport.agent, signal });
    outgoing.on('error', (error) => {
      reject(new NetworkError(signal.aborted ? 'timed out waiting for an answer' : describe(error)));
    });
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          incoming.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('error', (error) => {
        reject(new NetworkError(signal.aborted ? 'timed out reading the answer' : `answer cut short: ${describe(error)}`));
      });
      incoming.on('end', () => {
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      // Settles nothing after 'end'; catches a close that neither ended nor errored.
      incoming.on('close', () => reject(new NetworkError('answer cut short: the connection closed mid-body')));
    });
    outgoing.end(request.body);
  });
}
