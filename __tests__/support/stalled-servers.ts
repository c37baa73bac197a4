// Loopback servers that leave a client waiting where real networks do: a port
// whose TCP handshake never completes (as behind a firewall that drops
// packets), and a server that accepts TCP but never answers the TLS handshake.

import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface StalledServer {
  port: number;
  /** Resolves once no connection to it is open any more (only the TLS one counts them). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A port that never completes a TCP handshake. A listening socket whose
 * owner never accepts: its event loop is blocked in a worker thread. Once its
 * accept queue is full (backlog + 1 connections on Linux, filled here), the
 * kernel drops every further SYN, as a firewall would.
 */
export async function unansweredHandshake(): Promise<StalledServer> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const server = require('node:net').createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(workerData, 0, 0);
       server.close();
     });`,
    { eval: true, workerData: gate },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i += 1) {
    const filler = connect(port, '127.0.0.1');
    filler.on('error', () => undefined);
    fillers.push(filler);
    await new Promise((resolve) => filler.once('connect', resolve));
  }
  return {
    port,
    idle: async () => undefined,
    close: async () => {
      for (const filler of fillers) filler.destroy();
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      await worker.terminate();
    },
  };
}

/** Accepts TCP connections and never says a word: a TLS handshake to it never finishes. */
export async function silentServer(): Promise<StalledServer> {
  const sockets = new Set<Socket>();
  let waiting: (() => void)[] = [];
  const settle = () => {
    if (sockets.size > 0) return;
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume(); // reading, so that the client's closing is seen
    socket.once('close', () => {
      sockets.delete(socket);
      settle();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    idle: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        settle();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
