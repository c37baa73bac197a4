// HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as runners behind a proxy set them.

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';

const emulator = useEmulator();
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];

beforeAll(async () => {
  // A forward proxy for plain-http targets: absolute-form request lines.
  proxy = createServer((incoming, outgoing) => {
    proxied.push(`${incoming.method} ${incoming.url}`);
    const upstream = request(incoming.url ?? '', { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
beforeEach(() => {
  proxied.length = 0;
});

test('requests go through HTTP_PROXY', async () => {
  const emu = emulator();
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': url }, { env: { HTTP_PROXY: proxyUrl } });
  expect(run.exitCode).toBe(0);
  expect(proxied).toEqual([`GET ${url}/health`]);
  expect(emu.requests).toHaveLength(1);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('NO_PROXY bypasses the proxy', async () => {
  const emu = emulator();
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': url }, { env: { http_proxy: proxyUrl, NO_PROXY: '127.0.0.1' } });
  expect(run.exitCode).toBe(0);
  expect(proxied).toEqual([]);
  expect(emu.requests).toHaveLength(1);
});

test('a proxy that cannot be reached is unavailable, not a bad key', async () => {
  const emu = emulator();
  const url = workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': url, retries: '0' }, { env: { HTTP_PROXY: 'http://127.0.0.1:1' } });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('unavailable');
  expect(emu.requests).toEqual([]);
  expectNoLeak(run, [emu.seed.user.key]);
});
