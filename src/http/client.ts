// One HTTP exchange, through undici. Redirects are never followed here (a
// credential must not travel to a host it was not configured for); a body is
// read whole, up to a cap; every wait of the exchange (connection set-up, the
// proxy's tunnel, TLS, headers, body) ends when its signal does.

import { request, type Dispatcher } from 'undici';
import { newDispatcher, TunnelClosedError } from './dispatcher.ts';

export { closeDispatcher, dispatcher } from './dispatcher.ts';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Ends the exchange: the deadline's share for this attempt. */
  signal: AbortSignal;
  /** undici's own connect, header and body timeouts, the same share in milliseconds. */
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
  /** What to do about a failure that does not pass by itself (a certificate problem); undefined when trying later may help. */
  readonly remedy: string | undefined;
  constructor(message: string, remedy?: string) {
    super(message);
    this.remedy = remedy;
  }
}

/** NO_PROXY's entries as undici's EnvHttpProxyAgent reads them (it keeps its own decision private). */
function exemptFromProxy(url: URL): boolean {
  const entries = (process.env.no_proxy ?? process.env.NO_PROXY ?? '').split(/[,\s]/).filter(Boolean);
  if (entries.length === 0) return false;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || (url.protocol === 'https:' ? 443 : 80);
  return entries.some((entry) => {
    const [, name = entry, entryPort] = /^(.+):(\d+)$/.exec(entry) ?? [];
    if (entryPort && Number.parseInt(entryPort, 10) !== port) return false;
    const lower = name.toLowerCase();
    return /^[.*]/.test(lower) ? hostname.endsWith(lower.replace(/^\*/, '')) : hostname === lower;
  });
}

/** The proxy a URL goes through, for messages: credentials removed; undefined when none, or NO_PROXY exempts the host. */
export function proxyFor(url: URL): string | undefined {
  const env = process.env;
  const value = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) || (env.http_proxy ?? env.HTTP_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!value || exemptFromProxy(url)) return undefined;
  try {
    const proxy = new URL(value);
    return `${proxy.protocol}//${proxy.host}`;
  } catch {
    return 'the proxy';
  }
}

/** How far an exchange got, for saying which wait ran out. */
type Phase = 'connecting' | 'waiting' | 'reading';

function timedOut(phase: Phase, url: URL): string {
  if (phase === 'reading') return 'timed out reading the answer';
  if (phase === 'waiting') return 'timed out waiting for an answer';
  const proxy = proxyFor(url);
  return proxy ? `timed out setting up the connection to ${url.host} through the proxy ${proxy}` : `timed out connecting to ${url.host}`;
}

/** Node's codes for a certificate it could not verify (OpenSSL's X509 verify results, and a name mismatch). */
const CERTIFICATE_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_DECRYPT_CERT_SIGNATURE|UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY|ERROR_IN_CERT_NOT_(BEFORE|AFTER)_FIELD|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|CERT_[A-Z_]+|ERR_TLS_CERT_[A-Z_]+|HOSTNAME_MISMATCH)$/;

export const CERTIFICATE_REMEDY =
  'a certificate problem does not pass by itself: when a proxy or a private certificate authority signs the traffic of the runner, name the certificate (PEM) of that authority in NODE_EXTRA_CA_CERTS';

/**
 * NXDOMAIN: the name has no DNS record, a mistyped host (EAI_AGAIN, a
 * resolver that did not answer, is an outage and stays one). Trying again
 * cannot help, so it has a remedy, which also ends the retries.
 */
export const HOST_NOT_FOUND_REMEDY = 'a host name that does not exist does not pass by itself: check it for a typo';

/** True for a failure whose cause is a host name with no DNS record (see HOST_NOT_FOUND_REMEDY). */
export function isHostNotFound(error: { remedy?: string }): boolean {
  return error.remedy === HOST_NOT_FOUND_REMEDY;
}

/**
 * The first meaningful line of an error's message. OpenSSL's
 * (`40B8…:error:0A00010B:SSL routines:tls_validate_record_header:wrong version
 * number:../deps/openssl/…/tlsany_meth.c:77:` and a newline) keeps only its
 * reason: no source path, no code of OpenSSL's own.
 */
function firstLine(message: string): string {
  const line =
    message
      .split(/\r?\n/)
      .map((part) => part.replace(/^Error:\s*/, '').trim())
      .find(Boolean) ?? '';
  const openssl = /^(.*?)\s*[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(line);
  if (openssl) return openssl[1] ? `${openssl[1].replace(/:$/, '')}: ${openssl[2]}` : openssl[2]!;
  return line.replace(/\s*\S*\.(c|cc|h):\d+\S*/g, '');
}

export function explain(error: unknown, url: URL, signal: AbortSignal, phase: Phase = 'waiting'): { message: string; remedy?: string } {
  if (signal.aborted) return { message: timedOut(phase, url) };
  // undici wraps a cause (fetch's "fetch failed"); a closed tunnel is ours, its cause undici's words for it.
  const cause = error instanceof Error && !(error instanceof TunnelClosedError) && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = firstLine(cause instanceof Error ? cause.message : String(cause));
  const proxy = proxyFor(url);
  if (code && CERTIFICATE_CODES.test(code)) {
    return { message: `the certificate of ${url.host} could not be verified (${message})`, remedy: CERTIFICATE_REMEDY };
  }
  if (code === 'TUNNEL_CLOSED') return { message: `the proxy ${proxy ?? 'the proxy'} closed the connection instead of opening a tunnel to ${url.host}` };
  if (proxy && /proxy/i.test(message)) return { message: `the proxy ${proxy} refused the connection (${message})` };
  const { address, port } = (cause ?? {}) as { address?: string; port?: number };
  if (proxy && address !== undefined && `${address}:${port}` !== `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`) {
    return { message: `the proxy ${proxy} could not be reached (${message})` };
  }
  // Behind a proxy the proxy resolves the name (and answers for it); only a direct connection's lookup is the host's.
  if (code === 'ENOTFOUND' && !proxy) return { message: `the host name ${url.hostname} does not exist (ENOTFOUND)`, remedy: HOST_NOT_FOUND_REMEDY };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { message: timedOut('connecting', url) };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { message: timedOut('waiting', url) };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { message: timedOut('reading', url) };
  return { message: code && !message.includes(code) ? `${message} (${code})` : message };
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

/** The exchange itself, on the attempt's own dispatcher; `progress` follows how far it got. */
async function exchange(outgoing: HttpRequest, attempt: Dispatcher, progress: { phase: Phase }): Promise<HttpResponse> {
  const { url, signal } = outgoing;
  let answer: Dispatcher.ResponseData;
  try {
    const timeout = outgoing.timeoutMs === undefined ? {} : { headersTimeout: outgoing.timeoutMs, bodyTimeout: outgoing.timeoutMs };
    answer = await request(url, { method: outgoing.method, headers: outgoing.headers, body: outgoing.body, signal, dispatcher: attempt, ...timeout });
  } catch (error) {
    const { message, remedy } = explain(error, url, signal, progress.phase);
    throw new NetworkError(message, remedy);
  }
  progress.phase = 'reading';
  try {
    const body = await readCapped(answer.body);
    return { status: answer.statusCode, headers: answer.headers, body };
  } catch (error) {
    answer.body.destroy();
    // Out of time (the attempt's signal, or undici's body timeout) is a timeout; anything else cut the answer short.
    const { message } = explain(error, url, signal, 'reading');
    throw new NetworkError(message === timedOut('reading', url) ? message : `answer cut short: ${message}`);
  }
}

/**
 * Sends one request and reads its answer. The exchange gets a dispatcher of
 * its own, destroyed when it ends, and the caller gets control back when the
 * signal ends whatever undici is doing: undici's request ignores its abort
 * signal until a connection is ready, so a proxy that never answers the tunnel
 * request, or a TLS handshake that never finishes, would otherwise hold the
 * attempt for undici's own timeouts (up to 300 s), past the step's deadline.
 */
export async function send(outgoing: HttpRequest): Promise<HttpResponse> {
  const { url, signal } = outgoing;
  if (signal.aborted) throw new NetworkError('timed out before the request was sent');
  const progress: { phase: Phase } = { phase: 'connecting' };
  const { dispatcher: attempt, destroy } = newDispatcher({
    connectTimeoutMs: outgoing.timeoutMs,
    onConnected: () => {
      if (progress.phase === 'connecting') progress.phase = 'waiting';
    },
  });
  let stop: () => void = () => undefined;
  const ended = new Promise<never>((_resolve, reject) => {
    stop = () => reject(new NetworkError(timedOut(progress.phase, url)));
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([exchange(outgoing, attempt, progress), ended]);
  } finally {
    signal.removeEventListener('abort', stop);
    destroy();
  }
}
