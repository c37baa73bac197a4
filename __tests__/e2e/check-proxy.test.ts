// A runner behind a proxy: HTTPS_PROXY names an HTTP CONNECT proxy, NO_PROXY
// exempts hosts, and Prefect Cloud is reached over HTTPS with a certificate
// made for this test (trusted through NODE_EXTRA_CA_CERTS).

import { annotations, expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, withoutExpiry } from '../support/emulator.ts';
import { connectProxy, makeCertificate, tlsFront, type Certificate, type ConnectProxy, type TlsFront } from '../support/tls.ts';

const emulator = useEmulator();
let certificate: Certificate;
let front: TlsFront;
let proxy: ConnectProxy;

beforeAll(async () => {
  certificate = makeCertificate(['prefect.test', 'localhost']);
  front = await tlsFront(certificate, Number(new URL(emulator().url).port));
  proxy = await connectProxy(['prefect.test']);
}, 30_000);
afterAll(async () => {
  await proxy.close();
  await front.close();
});
beforeEach(() => {
  proxy.tunnels.length = 0;
  proxy.refuseWith = undefined;
});

/** The prod workspace's URL on the emulator, over HTTPS at `host`. */
function workspaceUrl(host: string): string {
  const { account, workspaces } = emulator().seed;
  return `https://${host}:${front.port}/api/accounts/${account.id}/workspaces/${workspaces.prod.id}`;
}

test('HTTPS_PROXY: the check tunnels through the proxy to a host only the proxy can resolve', async () => {
  const emu = emulator();
  const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('prefect.test') }, { env });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'valid', 'workspace-url': workspaceUrl('prefect.test') });
  expect([...new Set(proxy.tunnels)]).toEqual([`CONNECT prefect.test:${front.port}`]); // the check and the expiry lookup, each through the tunnel
  expect(withoutExpiry(emu.requests).map((request) => request.route)).toEqual(['health']);
  expect(run.stderr).toBe('');
  expectNoLeak(run, [emu.seed.user.key]);
});

test('lower-case https_proxy is honoured as the runner may set it', async () => {
  const emu = emulator();
  const env = { https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('prefect.test') }, { env });
  expect(run.exitCode).toBe(0);
  expect([...new Set(proxy.tunnels)]).toEqual([`CONNECT prefect.test:${front.port}`]); // the check and the expiry lookup, each through the tunnel
});

test('NO_PROXY covering the host: no proxy is used', async () => {
  const emu = emulator();
  const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,localhost', NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('localhost') }, { env });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('valid');
  expect(proxy.tunnels).toEqual([]);
  expect(withoutExpiry(emu.requests)).toHaveLength(1);
});

test('the same host without NO_PROXY does go through the proxy', async () => {
  const emu = emulator();
  const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('localhost') }, { env });
  expect(run.exitCode).toBe(0);
  expect([...new Set(proxy.tunnels)]).toEqual([`CONNECT localhost:${front.port}`]); // the check and the expiry lookup, each through the tunnel
});

test('a proxy that refuses the tunnel: unavailable, and the message names the proxy', async () => {
  const emu = emulator();
  proxy.refuseWith = 403;
  const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('prefect.test'), retries: '0' }, { env });
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'unavailable', 'status-code': '' });
  const [error] = annotations(run);
  expect(error?.title).toBe('Key check failed (unavailable)');
  expect(error?.message).toContain(`the proxy ${proxy.url} refused the connection`);
  expect(error?.message).toContain('This says nothing about the key');
  expect(withoutExpiry(emu.requests)).toEqual([]);
  expectNoLeak(run, [emu.seed.user.key]);
});

test('a proxy that cannot be reached: unavailable, naming the proxy, not a bad key', async () => {
  const emu = emulator();
  const env = { HTTPS_PROXY: 'http://user:hunter2-secret@127.0.0.1:1', NODE_EXTRA_CA_CERTS: certificate.caFile };
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrl('prefect.test'), retries: '0' }, { env });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('unavailable');
  const [error] = annotations(run);
  expect(error?.message).toContain('the proxy http://127.0.0.1:1 could not be reached');
  expect(run.stdout).not.toContain('hunter2');
  expect(withoutExpiry(emu.requests)).toEqual([]);
});
