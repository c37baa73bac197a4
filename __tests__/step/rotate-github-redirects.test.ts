// GitHub asks clients to follow 301, 302 and 307. The action follows them on
// GitHub's own origin, and refuses one that points at another host, as it does
// a paging link to another host: the github-token is never sent anywhere but
// GITHUB_API_URL.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { mutations, repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const PUBLIC_KEY = '/repos/octo/app/actions/secrets/public-key';

test.each([302, 307])('a %i for a read is followed on the same host', async (status) => {
  const emu = emulator();
  const byId = `/repositories/${emu.seed.github.repositoryIds['octo/app']}/actions/secrets/public-key`;
  emu.fault('gh-public-key', { status, headers: { location: `${emu.githubUrl}${byId}` }, times: 1 });
  const run = await rotateInProcess(emu, restInputs(emu));
  expect(run.exitCode).toBe(0);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  const github = emu.requests.filter((request) => request.service === 'github');
  expect(github.map((request) => `${request.method} ${request.path}`)).toEqual([
    `GET ${PUBLIC_KEY}`,
    `GET ${byId}`,
    'PUT /repos/octo/app/actions/secrets/PREFECT_API_KEY',
  ]);
  expect(github.every((request) => request.authorization === `token ${emu.seed.github.writeToken}`)).toBe(true);
  expectNoLeak(run, [emu.seed.bot.key, run.outputs['new-api-key']!, emu.seed.github.writeToken], ['new-api-key']);
});

test('a redirect to another host is refused in pre-flight: the token never leaves, and nothing is rotated', async () => {
  const emu = emulator();
  const elsewhere: IncomingMessage[] = [];
  const other = createServer((req, res) => {
    elsewhere.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const otherHost = `127.0.0.1:${(other.address() as AddressInfo).port}`;
    emu.fault('gh-public-key', { status: 307, headers: { location: `http://${otherHost}${PUBLIC_KEY}` } });
    const run = await rotateInProcess(emu, restInputs(emu));
    expect(run.exitCode).toBe(1);
    const githubHost = new URL(emu.githubUrl).host;
    expect(annotations(run)).toEqual([
      {
        level: 'error',
        title: 'Prefect Cloud key rotation failed',
        message: `Pre-flight failed, nothing was changed: The action refused GitHub's answer when asked to read the secrets public key of repository octo/app: GitHub redirected to another host (${otherHost}); github-token is sent only to ${githubHost}. It sent nothing further, so this request did not take effect.`,
      },
    ]);
    expect(elsewhere).toEqual([]);
    expect(emu.requests.filter((request) => request.service === 'github').map((request) => request.path)).toEqual([PUBLIC_KEY]);
    expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
    expect(run.outputs).toMatchObject({ rotation: 'failed' });
    expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test("an organization secret's selected repositories paged to another host: refused in pre-flight, nothing sent there, nothing written with part of the list", async () => {
  const emu = emulator();
  const { org } = emu.seed.github;
  const elsewhere: IncomingMessage[] = [];
  // Another host on the loopback, as a next-page link from a GitHub that lists more than 100 repositories would name.
  const other = createServer((req, res) => {
    elsewhere.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"total_count": 1, "repositories": [{"id": 9}]}');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
  try {
    const otherHost = `127.0.0.2:${(other.address() as AddressInfo).port}`;
    const next = `<http://${otherHost}/orgs/${org}/actions/secrets/PREFECT_API_KEY/repositories?per_page=100&page=2>; rel="next"`;
    emu.fault('gh-secret-repos', { headers: { link: next } });
    const run = await rotateInProcess(emu, restInputs(emu, { 'secret-organization': org }));
    expect(run.exitCode).toBe(1);
    const githubHost = new URL(emu.githubUrl).host;
    expect(annotations(run)).toEqual([
      {
        level: 'error',
        title: 'Prefect Cloud key rotation failed',
        message: `Pre-flight failed, nothing was changed: The action refused GitHub's answer when asked to read the selected repositories of organization ${org}: a link in GitHub's answer names another host (${otherHost}); github-token is sent only to ${githubHost}. It sent nothing further, so this request did not take effect.`,
      },
    ]);
    expect(elsewhere).toEqual([]);
    expect(mutations(emu)).toEqual([]);
    expect(emu.secret({ org, name: 'PREFECT_API_KEY' })?.selectedRepositoryIds).toEqual(emu.seed.github.orgSecret.selectedRepositoryIds);
    expect(run.outputs).toMatchObject({ rotation: 'failed' });
    expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});
