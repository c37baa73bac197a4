// One HTTP exchange, through undici. Proxies come from HTTPS_PROXY, HTTP_PROXY
// and NO_PROXY (upper or lower case, as the runner sets them) through undici's
// EnvHttpProxyAgent; redirects are never followed here (a credential must not
// travel to a host it was not configured for); a body is read whole, up to a cap.

import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Ends the exchange: the deadline's share for this attempt. */
  signal: AbortSignal;
  /** undici's own header and body timeouts, the same share in milliseconds. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The request never got a complete answer: refused, reset, cut short or timed out. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

let agent: Dispatcher | undefined;

/**
 * The one dispatcher of the process, shared with the GitHub client. undici 6
 * announces EnvHttpProxyAgent as experimental with a process warning on
 * construction; that line would only alarm a user reading the step's log, so
 * it is held back for that one call.
 */
export function dispatcher(): Dispatcher {
  if (!agent) {
    const emitWarning = process.emitWarning;
    process.emitWarning = () => undefined;
    try {
      agent = new EnvHttpProxyAgent();
    } finally {
      process.emitWarning = emitWarning;
    }
  }
  return agent;
}

/** The proxy a URL would go through, for messages: credentials removed. */
export function proxyFor(url: URL): string | undefined {
  const env = process.env;
  const value = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? env.http_proxy ?? env.HTTP_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!value) return undefined;
  try {
    const proxy = new URL(value);
    return `${proxy.protocol}//${proxy.host}`;
  } catch {
    return 'the proxy';
  }
}

/** Why an exchange failed, in words; names the proxy when the failure was the proxy's. */
export function describeFailure(error: unknown, url: URL, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out waiting for an answer';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  const proxy = proxyFor(url);
  if (proxy && /proxy/i.test(message)) return `the proxy ${proxy} refused the connection (${message})`;
  const { address, port } = (cause ?? {}) as { address?: string; port?: number };
  if (proxy && address !== undefined && `${address}:${port}` !== `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`) {
    return `the proxy ${proxy} could not be reached (${message})`;
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timed out waiting for an answer';
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`answer larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function send(outgoing: HttpRequest): Promise<HttpResponse> {
  const { url, signal } = outgoing;
  if (signal.aborted) throw new NetworkError('timed out before the request was sent');
  let answer: Dispatcher.ResponseData;
  try {
    const timeout = outgoing.timeoutMs === undefined ? {} : { headersTimeout: outgoing.timeoutMs, bodyTimeout: outgoing.timeoutMs };
    answer = await request(url, { method: outgoing.method, headers: outgoing.headers, body: outgoing.body, signal, dispatcher: dispatcher(), ...timeout });
  } catch (error) {
    throw new NetworkError(describeFailure(error, url, signal));
  }
  try {
    const body = await readCapped(answer.body);
    return { status: answer.statusCode, headers: answer.headers, body };
  } catch (error) {
    answer.body.destroy();
    if (signal.aborted) throw new NetworkError('timed out reading the answer');
    throw new NetworkError(`answer cut short: ${describeFailure(error, url, signal)}`);
  }
}
