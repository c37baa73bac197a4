// An HTTP server on 127.0.0.1 for one of the emulator's services; closing it also ends hanging and delayed requests.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, send } from './http.ts';

/** Answers one request; `signal` aborts when the server closes. */
export type Serve = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>;

export interface RunningServer {
  url: string; // http://127.0.0.1:PORT
  close(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Listens on 127.0.0.1 (`port` 0 picks a free one); `close()` also ends hanging and delayed requests. */
export async function listen(port: number, serve: Serve): Promise<RunningServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    serve(req, res, closing.signal).catch((error: unknown) => {
      if (res.headersSent || closing.signal.aborted) res.destroy();
      else send(res, json(500, { detail: `Emulator error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
