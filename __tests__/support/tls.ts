// HTTPS for the emulator, made at test time: a throwaway certificate authority
// (trusted by the action through NODE_EXTRA_CA_CERTS) and a TLS front that
// passes each connection on to the emulator's plain-HTTP port.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { scratchDirectory } from './scratch.ts';

export interface Certificate {
  /** The file to name in NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: string;
  cert: string;
}

/** A CA and a server certificate for `hostnames` (and 127.0.0.1), valid for a day. */
export function makeCertificate(hostnames: string[]): Certificate {
  const dir = scratchDirectory('tls');
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Emulator test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${hostnames[0]}`, '-keyout', file('server.key'), '-out', file('server.csr'));
  const names = [...hostnames.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  const ext = file('server.ext');
  execFileSync('sh', ['-c', `printf 'subjectAltName=${names}\\n' > '${ext}'`]);
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    ext,
    '-out',
    file('server.pem'),
  );
  return { caFile: file('ca.pem'), key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.pem'), 'utf8') };
}

export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/** Terminates TLS on a free port and pipes each connection to 127.0.0.1:`targetPort`. */
export async function tlsFront(certificate: Certificate, targetPort: number): Promise<TlsFront> {
  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ConnectProxy {
  url: string;
  /** Every CONNECT request line it received, e.g. `CONNECT prefect.test:443`. */
  tunnels: string[];
  /** When set, CONNECT is answered with this status instead of a tunnel. */
  refuseWith?: number;
  /** When set, CONNECT is read and then the connection closed, or never answered (kept open until close()). */
  misbehave?: 'close' | 'stall';
  /** Connections accepted so far, to show that a failing proxy is not reconnected in a loop. */
  connections: number;
  /** Resolves once no client connection is open (the client gave up a stalled tunnel request). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP CONNECT proxy, as runners behind one use; `hosts` maps names it resolves (prefect.test) to 127.0.0.1. */
export async function connectProxy(hosts: string[]): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let waiting: (() => void)[] = [];
  const settle = () => {
    if (sockets.size > 0) return;
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  const idle = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      settle();
    });
  const proxy: ConnectProxy = { url: '', tunnels, connections: 0, idle, close: async () => undefined };
  const server = createTcpServer((client) => {
    proxy.connections += 1;
    sockets.add(client);
    client.once('close', () => {
      sockets.delete(client);
      settle();
    });
    client.on('error', () => undefined);
    client.once('data', (head) => {
      const [line = ''] = head.toString('latin1').split('\r\n');
      tunnels.push(line.replace(/ HTTP\/1\.[01]$/, ''));
      if (proxy.misbehave === 'close') {
        client.destroy();
        return;
      }
      if (proxy.misbehave === 'stall') return;
      const match = /^CONNECT ([^:\s]+):(\d+) HTTP\/1\.[01]$/.exec(line);
      if (proxy.refuseWith !== undefined || !match) {
        client.end(`HTTP/1.1 ${proxy.refuseWith ?? 400} Refused\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      const [, host = '', port = ''] = match;
      const upstream = connect(Number(port), hosts.includes(host) ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
