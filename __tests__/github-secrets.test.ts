// The GitHub secrets the new key goes to (src/rotate/destinations.ts through
// src/github/secrets.ts and the real Octokit client), against the GitHub
// emulator at the root of its port, held to GitHub's description: each kind
// of destination read and written, a public key replaced between the two,
// an answer GitHub would not give refused, a cancelled or failed write kept
// apart from the others, and when each secret was last written; a link or a
// redirect to another host refused with nothing sent there, and a write GitHub
// failed on each attempt said so. The plugins' waits are made short here.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubClient } from '../src/github/octokit.ts';
import { GithubError, orgSecretSettings, publicKey, putSecret, secretUpdatedAt, type Destination } from '../src/github/secrets.ts';
import { Deadline } from '../src/clock/deadline.ts';
import { deadlineIn, noWaitClock } from './support/clock.ts';
import { SecretDestinations, WRITE_MS_PER_DESTINATION, WRITTEN_SINCE_TOLERANCE_MS } from '../src/rotate/destinations.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator } from './support/emulator.ts';
import { rejectionOf } from './support/rejection.ts';

const emulator = useEmulator();
const VALUE = 'pnb_0123456789abcdefghijklmnopqrstuvwxyz';

function client(emu: Emulator, retries = 0) {
  return githubClient({
    baseUrl: emu.githubUrl,
    token: emu.seed.github.writeToken,
    retries,
    deadline: deadlineIn(30_000),
    trace: () => undefined,
    log: () => undefined,
    waits: { retryBaseMs: 10, rateLimitBaseMs: 10, writeSpacingMs: 10 },
  });
}

/** Another host on the loopback (127.0.0.2), which must never hear from the client. */
const elsewhere = (() => {
  const heard: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    heard.push(request);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (heard.length = 0));
  return { heard, host: () => `127.0.0.2:${(server.address() as AddressInfo).port}` };
})();

function places(emu: Emulator): Destination[] {
  const { repo, otherRepo, environment, org } = emu.seed.github;
  return [
    { kind: 'repo', repo },
    { kind: 'repo', repo: otherRepo },
    { kind: 'environment', repo, environment },
    { kind: 'org', org },
  ];
}

const routes = (emu: Emulator) => emu.requests.filter((request) => request.service === 'github').map((request) => `${request.method} ${request.route}`);

describe('SecretDestinations', () => {
  test('every kind of destination: read first, one after another, then written; an organization secret keeps its settings', async () => {
    const emu = emulator();
    const { repo, otherRepo, environment, org, orgSecret } = emu.seed.github;
    const budget = deadlineIn(0);
    const secrets = new SecretDestinations(client(emu), budget, places(emu), 'PREFECT_API_KEY');
    await secrets.preflight();
    expect(routes(emu)).toEqual([
      'GET gh-public-key',
      'GET gh-public-key',
      'GET gh-public-key',
      'GET gh-public-key',
      'GET gh-secret-get',
      'GET gh-secret-repos',
    ]);
    const started = Date.now();
    const heard: Destination[] = [];
    const results = await secrets.write('PREFECT_API_KEY', VALUE, undefined, (destination) => heard.push(destination));
    expect(budget.end).toBeGreaterThanOrEqual(started + 4 * WRITE_MS_PER_DESTINATION);
    expect(results).toEqual({ written: places(emu), failed: [] });
    expect(heard).toEqual(places(emu));
    for (const scope of [{ repo }, { repo: otherRepo }, { repo, environment }])
      expect(emu.secret({ ...scope, name: 'PREFECT_API_KEY' })?.plaintext).toBe(VALUE);
    expect(emu.secret({ org, name: 'PREFECT_API_KEY' })).toMatchObject({
      plaintext: VALUE,
      visibility: 'selected',
      selectedRepositoryIds: orgSecret.selectedRepositoryIds,
    });
    // Sent with the write, not left to GitHub to keep.
    const orgWrite = emu.requests.find((request) => request.method === 'PUT' && request.path.startsWith(`/orgs/${org}/`));
    expect(JSON.parse(orgWrite!.body)).toMatchObject({ visibility: 'selected', selected_repository_ids: orgSecret.selectedRepositoryIds });
    expect(emu.maxConcurrentGithubMutations).toBe(1);
  });

  test('a budget already later than the writes need is kept', async () => {
    const emu = emulator();
    const later = Date.now() + 600_000;
    const budget = new Deadline(noWaitClock, later);
    const secrets = new SecretDestinations(client(emu), budget, places(emu).slice(0, 1), 'PREFECT_API_KEY');
    await secrets.preflight();
    await secrets.write('PREFECT_API_KEY', VALUE);
    expect(budget.end).toBe(later);
  });

  test("a public key replaced after pre-flight: GitHub's 422, then sealed again to the new key, once", async () => {
    const emu = emulator();
    const { repo } = emu.seed.github;
    const secrets = new SecretDestinations(client(emu), deadlineIn(0), [{ kind: 'repo', repo }], 'PREFECT_API_KEY');
    await secrets.preflight();
    emu.replaceGithubKeyPair({ repo });
    emu.requests.length = 0;
    await expect(secrets.write('PREFECT_API_KEY', VALUE)).resolves.toEqual({ written: [{ kind: 'repo', repo }], failed: [] });
    expect(routes(emu)).toEqual(['PUT gh-secret-put', 'GET gh-public-key', 'PUT gh-secret-put']);
    expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(VALUE);
  });

  test('a failed write does not stop the others; only a lost answer may have landed', async () => {
    const emu = emulator();
    const secrets = new SecretDestinations(client(emu), deadlineIn(0), places(emu).slice(0, 3), 'PREFECT_API_KEY');
    await secrets.preflight();
    emu.fault('gh-secret-put', { status: 403, times: 1 });
    const heard: Destination[] = [];
    const refused = await secrets.write('PREFECT_API_KEY', VALUE, undefined, (destination) => heard.push(destination));
    expect(refused.written).toEqual(places(emu).slice(1, 3));
    expect(heard).toEqual(places(emu).slice(1, 3));
    expect(refused.failed).toEqual([
      {
        destination: places(emu)[0],
        reason: expect.stringMatching(/^github-token may not write secret PREFECT_API_KEY of repository octo\/app \(HTTP 403/) as unknown,
        mayHaveLanded: false,
      },
    ]);
    expect(refused.failed[0]!.reason).not.toMatch(/\.$/);
    emu.fault('gh-secret-put', { reset: true, after: true, times: 1 });
    const lost = await secrets.write('PREFECT_API_KEY', VALUE);
    expect(lost.failed).toEqual([
      {
        destination: places(emu)[0],
        reason: expect.stringMatching(/^GitHub did not answer when asked to write secret PREFECT_API_KEY of repository octo\/app/) as unknown,
        mayHaveLanded: true,
      },
    ]);
  });

  test('cancelled: no write is started, and each is said not written', async () => {
    const emu = emulator();
    const secrets = new SecretDestinations(client(emu), deadlineIn(0), places(emu).slice(0, 2), 'PREFECT_API_KEY');
    await secrets.preflight();
    emu.requests.length = 0;
    let asked = 0;
    const results = await secrets.write('PREFECT_API_KEY', VALUE, () => (asked += 1) > 1);
    expect(results).toEqual({
      written: [places(emu)[0]],
      failed: [{ destination: places(emu)[1], reason: 'not written: the job was cancelled', mayHaveLanded: false }],
    });
    expect(routes(emu)).toEqual(['PUT gh-secret-put']);
  });

  test('writtenSince: the destinations whose secret was written at or after a time', async () => {
    const emu = emulator();
    const { repo, otherRepo } = emu.seed.github;
    const destinations: Destination[] = [
      { kind: 'repo', repo },
      { kind: 'repo', repo: otherRepo },
    ];
    const secrets = new SecretDestinations(client(emu), deadlineIn(0), destinations, 'NEVER_WRITTEN');
    await expect(secrets.writtenSince(0)).resolves.toEqual({ written: 0, of: 2 });
    const octokit = client(emu);
    const key = await publicKey(octokit, destinations[0]!);
    const { seal } = await import('../src/github/seal.ts');
    await putSecret(octokit, { destination: destinations[0]!, name: 'NEVER_WRITTEN', encryptedValue: await seal(VALUE, key.key), keyId: key.keyId });
    const at = Date.parse(emu.secret({ repo, name: 'NEVER_WRITTEN' })!.updatedAt);
    await expect(secrets.writtenSince(at)).resolves.toEqual({ written: 1, of: 2 });
    await expect(secrets.writtenSince(at + WRITTEN_SINCE_TOLERANCE_MS + 1000)).resolves.toEqual({ written: 0, of: 2 });
  });
});

describe('secrets', () => {
  test("a public key GitHub would not send is refused: key_id GitHub's form, key 32 bytes", async () => {
    const emu = emulator();
    const destination = places(emu)[0]!;
    const good = await publicKey(client(emu), destination);
    expect(good.keyId).toMatch(/^[A-Za-z0-9+/=_-]{1,100}$/);
    for (const body of [
      { key_id: 'id with space', key: good.key },
      { key_id: 'x'.repeat(101), key: good.key },
      { key_id: 7, key: good.key },
      { key_id: good.keyId, key: Buffer.alloc(31).toString('base64') },
      { key_id: good.keyId },
      // Forms Node's Buffer decodes to 32 bytes but libsodium, which seals, refuses: refused before any rotation.
      { key_id: good.keyId, key: Buffer.from(good.key, 'base64').toString('base64url') },
      { key_id: good.keyId, key: good.key.replace(/=+$/, '') },
      { key_id: good.keyId, key: `${good.key.slice(0, 20)}\n${good.key.slice(20)}` },
    ]) {
      emu.fault('gh-public-key', { status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, times: 1 });
      const error = await rejectionOf(publicKey(client(emu), destination));
      expect(error).toBeInstanceOf(GithubError);
      expect(error.message).toBe('GitHub answered with a public key that is not one (a key_id and 32 bytes of base64 were expected).');
    }
    emu.fault('gh-public-key', {
      status: 200,
      body: JSON.stringify({ key_id: 'x'.repeat(100), key: good.key }),
      headers: { 'content-type': 'application/json' },
    });
    await expect(publicKey(client(emu), destination)).resolves.toEqual({ keyId: 'x'.repeat(100), key: good.key });
  });

  test("an organization secret's settings: missing, a visibility GitHub does not have, a repository id that is not one", async () => {
    const emu = emulator();
    const { org } = emu.seed.github;
    expect((await rejectionOf(orgSecretSettings(client(emu), org, 'MISSING'))).message).toBe(
      'Organization secret MISSING does not exist in octo, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.',
    );
    const json = { 'content-type': 'application/json' };
    const secret = (visibility: string) =>
      JSON.stringify({ name: 'PREFECT_API_KEY', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', visibility });
    for (const visibility of ['all', 'private']) {
      emu.fault('gh-secret-get', { status: 200, body: secret(visibility), headers: json, times: 1 });
      await expect(orgSecretSettings(client(emu), org, 'PREFECT_API_KEY')).resolves.toEqual({ visibility });
    }
    emu.fault('gh-secret-get', { status: 200, body: secret('public'), headers: json, times: 1 });
    expect((await rejectionOf(orgSecretSettings(client(emu), org, 'PREFECT_API_KEY'))).message).toBe(
      'GitHub answered with an organization secret visibility that is not all, private or selected.',
    );
    for (const repositories of [[{ id: 0 }], [{ id: -1 }], [{ id: 1.5 }], [{ id: 7 }, { id: 0 }]]) {
      emu.fault('gh-secret-repos', { status: 200, body: JSON.stringify({ total_count: repositories.length, repositories }), headers: json, times: 1 });
      expect((await rejectionOf(orgSecretSettings(client(emu), org, 'PREFECT_API_KEY'))).message).toBe('GitHub answered with a repository id that is not one.');
    }
    emu.fault('gh-secret-repos', { status: 500, times: 1 });
    expect((await rejectionOf(orgSecretSettings(client(emu), org, 'PREFECT_API_KEY'))).message).toMatch(
      /^GitHub answered HTTP 500.* when asked to read the selected repositories of organization octo\.$/,
    );
    emu.fault('gh-secret-get', { status: 403, times: 1 });
    expect((await rejectionOf(orgSecretSettings(client(emu), org, 'PREFECT_API_KEY'))).message).toMatch(
      /^github-token may not read the secret settings of organization octo \(HTTP 403.*\)\. It needs the organization permission "Secrets: Read and write"/,
    );
  });

  test('an organization secret written without settings is private', async () => {
    const emu = emulator();
    const destination = places(emu)[3]!;
    const octokit = client(emu);
    const key = await publicKey(octokit, destination);
    const { seal } = await import('../src/github/seal.ts');
    await putSecret(octokit, { destination, name: 'PREFECT_API_KEY', encryptedValue: await seal(VALUE, key.key), keyId: key.keyId });
    expect(emu.secret({ org: emu.seed.github.org, name: 'PREFECT_API_KEY' })).toMatchObject({ plaintext: VALUE, visibility: 'private' });
    expect(emu.secret({ org: emu.seed.github.org, name: 'PREFECT_API_KEY' })?.selectedRepositoryIds ?? []).toEqual([]);
  });

  test('a secret write answered with a status GitHub does not send to one is a failure; a 2xx one that may have landed', async () => {
    const emu = emulator();
    const destination = places(emu)[2]!;
    const octokit = client(emu);
    const key = await publicKey(octokit, destination);
    const write = () => rejectionOf(putSecret(octokit, { destination, name: 'PREFECT_API_KEY', encryptedValue: 'c2VhbGVk', keyId: key.keyId }));
    emu.fault('gh-secret-put', { status: 200, body: '{}', headers: { 'content-type': 'application/json' }, times: 1 });
    // HTTP says a 2xx is a success: neither written (the old key is not retired on its word) nor not written.
    expect(await write()).toMatchObject({
      message:
        'GitHub answered HTTP 200, which it does not send to a secret write, when asked to write secret PREFECT_API_KEY of environment production of octo/app: the secret may have been written.',
      status: 200,
      mayHaveLanded: true,
    });
    // Not a 2xx, the first status past them included: not a success, so not a write that may have landed.
    for (const status of [300, 303]) {
      emu.fault('gh-secret-put', { status, body: '{}', headers: { 'content-type': 'application/json' }, times: 1 });
      expect(await write()).toMatchObject({
        message: `GitHub answered HTTP ${status}, which it does not send to a secret write, when asked to write secret PREFECT_API_KEY of environment production of octo/app.`,
        status,
        mayHaveLanded: false,
      });
    }
  });

  test('a write GitHub answers 500 each time: every answer counted, not "did not answer", and not written', async () => {
    const emu = emulator();
    const destination = places(emu)[0]!;
    const octokit = client(emu, 2);
    const key = await publicKey(octokit, destination);
    emu.fault('gh-secret-put', { status: 500 });
    const error = await rejectionOf(putSecret(octokit, { destination, name: 'PREFECT_API_KEY', encryptedValue: 'c2VhbGVk', keyId: key.keyId }));
    expect(error).toMatchObject({
      message: 'GitHub answered HTTP 500 ×3 when asked to write secret PREFECT_API_KEY of repository octo/app (the last: HTTP 500: Internal Server Error).',
      status: 500,
      mayHaveLanded: false,
    });
    expect(routes(emu).filter((route) => route === 'PUT gh-secret-put')).toHaveLength(3);
  });

  test('a write redirected to another host: nothing sent there, and said not written (not "may have landed")', async () => {
    const emu = emulator();
    const secrets = new SecretDestinations(client(emu, 2), deadlineIn(0), places(emu).slice(0, 1), 'PREFECT_API_KEY');
    await secrets.preflight();
    const location = `http://${elsewhere.host()}/repos/octo/app/actions/secrets/PREFECT_API_KEY`;
    emu.fault('gh-secret-put', { status: 307, headers: { location } });
    const results = await secrets.write('PREFECT_API_KEY', VALUE);
    expect(results).toEqual({
      written: [],
      failed: [
        {
          destination: places(emu)[0],
          reason: `The action refused GitHub's answer when asked to write secret PREFECT_API_KEY of repository octo/app: GitHub redirected to another host (${elsewhere.host()}); github-token is sent only to ${new URL(emu.githubUrl).host}. It sent nothing further, so this request did not take effect`,
          mayHaveLanded: false,
        },
      ],
    });
    expect(elsewhere.heard).toEqual([]);
    expect(routes(emu).filter((route) => route === 'PUT gh-secret-put')).toHaveLength(1);
  });

  test("an organization secret's selected repositories: a next page on another host is refused, nothing is sent there, and no list is kept", async () => {
    const emu = emulator();
    const { org } = emu.seed.github;
    const next = `<http://${elsewhere.host()}/orgs/${org}/actions/secrets/PREFECT_API_KEY/repositories?per_page=100&page=2>; rel="next"`;
    emu.fault('gh-secret-repos', { headers: { link: next } });
    const error = await rejectionOf(orgSecretSettings(client(emu, 2), org, 'PREFECT_API_KEY'));
    expect(error).toMatchObject({
      name: 'GithubError',
      message: `The action refused GitHub's answer when asked to read the selected repositories of organization octo: a link in GitHub's answer names another host (${elsewhere.host()}); github-token is sent only to ${new URL(emu.githubUrl).host}. It sent nothing further, so this request did not take effect.`,
    });
    expect(elsewhere.heard).toEqual([]);
    // Pre-flight stops there: nothing is written with a part of the list.
    const secrets = new SecretDestinations(client(emu, 2), deadlineIn(0), [places(emu)[3]!], 'PREFECT_API_KEY');
    await expect(secrets.preflight()).rejects.toThrow(/a link in GitHub's answer names another host/);
    expect(routes(emu)).not.toContain('PUT gh-secret-put');
    expect(elsewhere.heard).toEqual([]);
  });

  test('when a secret was written: its time, none when missing, a failure for a time that is not one', async () => {
    const emu = emulator();
    const octokit = client(emu);
    for (const destination of places(emu)) {
      const scope = {
        ...('repo' in destination ? { repo: destination.repo } : { org: destination.org }),
        ...('environment' in destination ? { environment: destination.environment } : {}),
      };
      const key = await publicKey(octokit, destination);
      const { seal } = await import('../src/github/seal.ts');
      await putSecret(octokit, { destination, name: 'WRITTEN', encryptedValue: await seal(VALUE, key.key), keyId: key.keyId });
      await expect(secretUpdatedAt(octokit, destination, 'WRITTEN')).resolves.toBe(Date.parse(emu.secret({ ...scope, name: 'WRITTEN' } as never)!.updatedAt));
      await expect(secretUpdatedAt(octokit, destination, 'ABSENT')).resolves.toBeUndefined();
    }
    emu.fault('gh-secret-get', {
      status: 200,
      body: JSON.stringify({ name: 'WRITTEN', created_at: 'x', updated_at: 'yesterday' }),
      headers: { 'content-type': 'application/json' },
      times: 1,
    });
    expect((await rejectionOf(secretUpdatedAt(octokit, places(emu)[0]!, 'WRITTEN'))).message).toBe(
      'GitHub answered with a secret whose updated_at is not a time.',
    );
    emu.fault('gh-secret-get', { status: 401, times: 1 });
    expect((await rejectionOf(secretUpdatedAt(octokit, places(emu)[0]!, 'WRITTEN'))).message).toMatch(/^GitHub rejected github-token \(HTTP 401/);
    emu.fault('gh-secret-get', { status: 422, times: 1 });
    expect((await rejectionOf(secretUpdatedAt(octokit, places(emu)[0]!, 'WRITTEN'))).message).toMatch(
      /^GitHub answered HTTP 422.* when asked to read secret WRITTEN of repository octo\/app\.$/,
    );
  });
});
