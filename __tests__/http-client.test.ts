// One HTTP exchange (src/http/client.ts) against a loopback server: what is
// sent and returned, the 5 MiB body cap at its edge, each way an exchange
// fails put in words (a timeout before, during and after the headers, a cut,
// a refusal), a failure's message cut to its reason (OpenSSL's codes and
// source locations left out), and the proxy a message names, from the
// variables the runner sets.

import { getEventListeners } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { explain, MAX_BODY_BYTES, NetworkError, proxyFor, send } from '../src/http/client.ts';

/** Why an exchange failed, in words, as the messages put it. */
const describeFailure = (error: unknown, url: URL, signal: AbortSignal) => explain(error, url, signal).message;
import { useLoopback } from './support/loopback.ts';

let handle: (request: string, response: ServerResponse, headers: IncomingHttpHeaders) => void;
const loopback = useLoopback((request, response) => handle(`${request.method} ${request.url} ${request.body}`, response, request.headers));

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
function proxies(values: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
}

const open = () => new AbortController().signal;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the exchange succeeded');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).name).toBe('NetworkError');
      return (error as Error).message;
    },
  );

// Before any exchange of this file: the process's own warning function.
const emitWarning = process.emitWarning;

describe('send', () => {
  test("the dispatcher's construction leaves the process's warnings as they were", async () => {
    handle = (_request, response) => response.end('ok');
    await send({ method: 'GET', url: new URL(`${loopback()}/`), headers: {}, signal: open() });
    expect(process.emitWarning).toBe(emitWarning);
  });

  test('the method, headers and body go out; the status, headers and body come back', async () => {
    let seen = '';
    let token: unknown;
    handle = (request, response, headers) => {
      seen = request;
      token = headers.authorization;
      response.writeHead(201, { 'x-answer': 'yes', 'content-type': 'application/json' });
      response.end('{"ok":true}');
    };
    const answer = await send({ method: 'PUT', url: new URL(`${loopback()}/a/b`), headers: { authorization: 'Bearer t' }, body: 'payload', signal: open() });
    expect(seen).toBe('PUT /a/b payload');
    expect(token).toBe('Bearer t');
    expect(answer).toMatchObject({ status: 201, body: '{"ok":true}' });
    expect(answer.headers['x-answer']).toBe('yes');
  });

  test('a body of exactly 5 MiB is read; one byte more is refused', async () => {
    expect(MAX_BODY_BYTES).toBe(5 * 1024 * 1024);
    for (const size of [MAX_BODY_BYTES, MAX_BODY_BYTES + 1]) {
      handle = (_request, response) => {
        response.writeHead(200);
        // In chunks, as a real server streams it.
        for (let sent = 0; sent < size; sent += 65_536) response.write('x'.repeat(Math.min(65_536, size - sent)));
        response.end();
      };
      const exchange = send({ method: 'GET', url: new URL(`${loopback()}/big`), headers: {}, signal: open() });
      if (size === MAX_BODY_BYTES) expect((await exchange).body).toHaveLength(MAX_BODY_BYTES);
      else expect(await failure(exchange)).toBe(`answer cut short: answer larger than ${MAX_BODY_BYTES} bytes`);
    }
  });

  test('a signal already ended sends nothing', async () => {
    let asked = false;
    handle = (_request, response) => {
      asked = true;
      response.end();
    };
    const ended = AbortSignal.abort();
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/`), headers: {}, signal: ended }))).toBe('timed out before the request was sent');
    expect(asked).toBe(false);
  });

  test('no headers within the timeout, or the signal ending first: timed out waiting for an answer', async () => {
    handle = () => undefined; // never answers
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/hang`), headers: {}, signal: open(), timeoutMs: 300 }))).toBe(
      'timed out waiting for an answer',
    );
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/hang`), headers: {}, signal: AbortSignal.timeout(300) }))).toBe(
      'timed out waiting for an answer',
    );
  });

  test('a body that stalls: undici\'s body timeout and the signal ending mid-body are both "timed out reading the answer"', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('half');
    };
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/stall`), headers: {}, signal: open(), timeoutMs: 300 }))).toBe(
      'timed out reading the answer',
    );
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/stall`), headers: {}, signal: AbortSignal.timeout(300) }))).toBe(
      'timed out reading the answer',
    );
  });

  test('a body cut by the server is "cut short", with the cause', async () => {
    handle = (_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('half', () => response.destroy());
    };
    expect(await failure(send({ method: 'GET', url: new URL(`${loopback()}/cut`), headers: {}, signal: open() }))).toMatch(/^answer cut short: .+/);
  });

  test('a signal that outlives its exchanges keeps no listener of theirs, whether they succeed or fail', async () => {
    const signal = open();
    handle = (request, response) => {
      if (request.startsWith('GET /ok')) response.end('ok');
      else response.destroy();
    };
    for (const path of ['/ok', '/ok', '/reset']) {
      await send({ method: 'GET', url: new URL(`${loopback()}${path}`), headers: {}, signal }).catch(() => undefined);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    }
  });

  test('a refused connection names the cause and its code once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const message = await failure(send({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/`), headers: {}, signal: open() }));
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message.match(/ECONNREFUSED/g)).toHaveLength(1);
  });
});

describe('describeFailure', () => {
  const url = new URL('https://api.prefect.cloud/api/me');
  const withCause = (cause: unknown) => Object.assign(new Error('fetch failed'), { cause });
  const coded = (message: string, code?: string, more: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...more });

  test('the cause of a wrapped error, with its code when the message lacks it', () => {
    proxies({});
    expect(describeFailure(withCause(coded('socket hang up', 'ECONNRESET')), url, open())).toBe('socket hang up (ECONNRESET)');
    expect(describeFailure(withCause(coded('connect ECONNREFUSED 1.2.3.4:443', 'ECONNREFUSED')), url, open())).toBe('connect ECONNREFUSED 1.2.3.4:443');
    expect(describeFailure(coded('no cause', 'EPIPE'), url, open())).toBe('no cause (EPIPE)');
    expect(describeFailure(coded('no code'), url, open())).toBe('no code');
    expect(describeFailure(withCause('a string cause'), url, open())).toBe('fetch failed');
    expect(describeFailure('thrown text', url, open())).toBe('thrown text');
    expect(describeFailure(undefined, url, open())).toBe('undefined');
  });

  test('the first meaningful line: blank lines and an "Error:" prefix skipped, the line trimmed', () => {
    proxies({});
    expect(describeFailure(coded('first line\nsecond line'), url, open())).toBe('first line');
    expect(describeFailure(coded('first line\r\nsecond line'), url, open())).toBe('first line');
    expect(describeFailure(coded('  \n\n  the reason  \nmore'), url, open())).toBe('the reason');
    expect(describeFailure(coded('Error: the reason'), url, open())).toBe('the reason');
    expect(describeFailure(coded('Error:the reason'), url, open())).toBe('the reason');
    expect(describeFailure(coded('Error:\nthe reason'), url, open())).toBe('the reason');
    // Only a prefix: the word inside a line stays.
    expect(describeFailure(coded('Connect Error: refused'), url, open())).toBe('Connect Error: refused');
    // A message of blank lines leaves nothing to say.
    expect(describeFailure(coded(' \n \n'), url, open())).toBe('');
  });

  test("OpenSSL's error keeps its reason, after what came before it; a source location elsewhere is removed", () => {
    proxies({});
    const openssl = (reason: string) =>
      `40B8E2F7:error:0A000410:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40`;
    expect(describeFailure(coded(openssl('sslv3 alert handshake failure')), url, open())).toBe('sslv3 alert handshake failure');
    expect(describeFailure(coded(`write EPROTO ${openssl('wrong version number')}`), url, open())).toBe('write EPROTO: wrong version number');
    // The colon that ends what came before is the separator; one inside it stays.
    expect(describeFailure(coded(`SSL: handshake: ${openssl('sslv3 alert handshake failure')}`), url, open())).toBe(
      'SSL: handshake: sslv3 alert handshake failure',
    );
    // Not OpenSSL's format: only the source location (path, line, column) goes, with the spaces before it.
    expect(describeFailure(coded('unexpected eof while reading  ../deps/openssl/openssl/ssl/record/rec_layer_s3.cc:354:12'), url, open())).toBe(
      'unexpected eof while reading',
    );
    expect(describeFailure(coded('bad record mac ../deps/openssl/ssl/ssl_lib.c:7 in the record'), url, open())).toBe('bad record mac in the record');
    expect(describeFailure(coded('a version 1.2 header: h2.h'), url, open())).toBe('a version 1.2 header: h2.h');
  });

  test("a certificate Node could not verify, by each kind of code it gives, is the certificate's problem", () => {
    proxies({});
    const codes = [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_TLS_CERT_ALTNAME_FORMAT',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
      'CERT_NOT_YET_VALID',
      'HOSTNAME_MISMATCH',
      'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
      'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
      'ERROR_IN_CERT_NOT_BEFORE_FIELD',
      'ERROR_IN_CERT_NOT_AFTER_FIELD',
      'INVALID_CA',
      'INVALID_PURPOSE',
      'PATH_LENGTH_EXCEEDED',
    ];
    for (const code of codes) {
      expect(describeFailure(withCause(coded('the reason', code)), url, open())).toBe(
        'the certificate of api.prefect.cloud could not be verified (the reason)',
      );
    }
    expect(describeFailure(coded('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'), url, open())).toBe(
      'wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)',
    );
    // OpenSSL's protocol errors are not a failed verification, even those named after a certificate.
    expect(describeFailure(coded('cert length mismatch', 'ERR_SSL_CERT_LENGTH_MISMATCH'), url, open())).toBe(
      'cert length mismatch (ERR_SSL_CERT_LENGTH_MISMATCH)',
    );
  });

  test("undici's header and body timeouts, and an ended signal, are timeouts", () => {
    proxies({});
    expect(describeFailure(coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'), url, open())).toBe('timed out waiting for an answer');
    expect(describeFailure(withCause(coded('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT')), url, open())).toBe('timed out reading the answer');
    expect(describeFailure(coded('anything', 'ECONNRESET'), url, AbortSignal.abort())).toBe('timed out waiting for an answer');
  });

  test("with a proxy: a failure that says so is the proxy's; a connection to another address is the proxy not reached", () => {
    proxies({ HTTPS_PROXY: 'http://user:secret@proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' });
    expect(describeFailure(coded('Proxy response (407) !== 200 when HTTP Tunneling'), url, open())).toBe(
      'the proxy http://proxy.corp:3128 refused the connection (Proxy response (407) !== 200 when HTTP Tunneling)',
    );
    expect(describeFailure(withCause(coded('connect ECONNREFUSED 10.0.0.1:3128', 'ECONNREFUSED', { address: '10.0.0.1', port: 3128 })), url, open())).toBe(
      'the proxy http://proxy.corp:3128 could not be reached (connect ECONNREFUSED 10.0.0.1:3128)',
    );
    // The service's own address (its port defaulted from the scheme) is not the proxy's failure.
    // A failure with no address of its own (a reset) is the exchange's, not the proxy's.
    expect(describeFailure(coded('socket hang up', 'ECONNRESET'), url, open())).toBe('socket hang up (ECONNRESET)');
    const direct = coded('connect ECONNREFUSED', 'ECONNREFUSED', { address: 'api.prefect.cloud', port: 443 });
    expect(describeFailure(direct, url, open())).toBe('connect ECONNREFUSED');
    expect(describeFailure(coded('refused', 'ECONNREFUSED', { address: 'h', port: 80 }), new URL('http://h/x'), open())).toBe('refused (ECONNREFUSED)');
    expect(describeFailure(coded('refused', 'ECONNREFUSED', { address: 'h', port: 8080 }), new URL('https://h:8080/x'), open())).toBe('refused (ECONNREFUSED)');
    expect(describeFailure(coded('refused', 'ECONNREFUSED', { address: 'h', port: 443 }), new URL('http://h/x'), open())).toMatch(/^the proxy /);
    proxies({});
    expect(describeFailure(coded('proxy trouble'), url, open())).toBe('proxy trouble');
    expect(describeFailure(coded('refused', undefined, { address: '10.0.0.1', port: 1 }), url, open())).toBe('refused');
  });
});

describe('proxyFor', () => {
  const https = new URL('https://api.prefect.cloud/');
  const http = new URL('http://localhost:4200/');

  test('https: https_proxy, then HTTPS_PROXY, then http_proxy, then HTTP_PROXY', () => {
    const all = { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' };
    proxies(all);
    expect(proxyFor(https)).toBe('http://a:1');
    proxies({ ...all, https_proxy: undefined });
    expect(proxyFor(https)).toBe('http://b:2');
    proxies({ http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' });
    expect(proxyFor(https)).toBe('http://c:3');
    proxies({ HTTP_PROXY: 'http://d:4' });
    expect(proxyFor(https)).toBe('http://d:4');
    proxies({});
    expect(proxyFor(https)).toBeUndefined();
  });

  test('https: an empty https_proxy (or HTTPS_PROXY, when https_proxy is unset) is none, and the http proxy serves, as undici reads them', () => {
    proxies({ https_proxy: '', HTTPS_PROXY: 'http://b:2', HTTP_PROXY: 'http://d:4' });
    expect(proxyFor(https)).toBe('http://d:4');
    proxies({ HTTPS_PROXY: '', http_proxy: 'http://c:3' });
    expect(proxyFor(https)).toBe('http://c:3');
    proxies({ https_proxy: '', HTTP_PROXY: '' });
    expect(proxyFor(https)).toBeUndefined();
  });

  test('http: http_proxy, then HTTP_PROXY; never an https proxy', () => {
    proxies({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' });
    expect(proxyFor(http)).toBe('http://c:3');
    proxies({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', HTTP_PROXY: 'http://d:4' });
    expect(proxyFor(http)).toBe('http://d:4');
    proxies({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' });
    expect(proxyFor(http)).toBeUndefined();
  });

  test('NO_PROXY (or no_proxy, first) exempts a host as undici reads it: exact names, a leading dot or *., a port, * for all', () => {
    const exempt = (noProxy: string, url: string) => {
      proxies({ HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy });
      return proxyFor(new URL(url)) === undefined;
    };
    expect(exempt('api.prefect.cloud', 'https://api.prefect.cloud/api')).toBe(true);
    expect(exempt('example.com, API.Prefect.Cloud', 'https://api.prefect.cloud/')).toBe(true);
    expect(exempt('prefect.cloud', 'https://api.prefect.cloud/')).toBe(false);
    expect(exempt('.prefect.cloud', 'https://api.prefect.cloud/')).toBe(true);
    expect(exempt('*.prefect.cloud', 'https://api.prefect.cloud/')).toBe(true);
    expect(exempt('*', 'https://api.prefect.cloud/')).toBe(true);
    expect(exempt('api.prefect.cloud:443', 'https://api.prefect.cloud/')).toBe(true);
    expect(exempt('api.prefect.cloud:8443', 'https://api.prefect.cloud/')).toBe(false);
    expect(exempt('localhost:4200', 'http://localhost:4200/')).toBe(true);
    expect(exempt('localhost:80', 'http://localhost/')).toBe(true);
    expect(exempt('', 'https://api.prefect.cloud/')).toBe(false);
    // The port is that of the URL's host only: an IPv6 address keeps its brackets and colons.
    expect(exempt('[::1]', 'http://[::1]:4200/')).toBe(true);
    expect(exempt('[::1]:4200', 'http://[::1]:4200/')).toBe(true);
    expect(exempt('[::1]:4201', 'http://[::1]:4200/')).toBe(false);
    // An entry with more after its port is a name, as undici reads it: it matches no host.
    expect(exempt('localhost:4200/', 'http://localhost:4200/')).toBe(false);
    // Only a leading * is a wildcard: one further in is a character of the name.
    expect(exempt('.*prefect.cloud', 'https://api.prefect.cloud/')).toBe(false);
    proxies({ HTTPS_PROXY: 'http://proxy.corp:3128', no_proxy: 'api.prefect.cloud', NO_PROXY: 'other.host' });
    expect(proxyFor(new URL('https://api.prefect.cloud/'))).toBeUndefined();
    proxies({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'api.prefect.cloud' });
    const url = new URL('https://api.prefect.cloud/api/me');
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', address: '10.0.0.1', port: 443 });
    expect(describeFailure(refused, url, open())).toBe('connect ECONNREFUSED 10.0.0.1:443');
  });

  test('credentials and the path left out; an empty value is none; one that is not a URL is "the proxy"', () => {
    proxies({ HTTPS_PROXY: 'http://user:secret@proxy.corp:3128/path' });
    expect(proxyFor(https)).toBe('http://proxy.corp:3128');
    proxies({ HTTPS_PROXY: '' });
    expect(proxyFor(https)).toBeUndefined();
    proxies({ HTTPS_PROXY: 'not a URL' });
    expect(proxyFor(https)).toBe('the proxy');
  });
});
