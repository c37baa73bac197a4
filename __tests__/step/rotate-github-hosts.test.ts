// GitHub as the runner names it: GITHUB_API_URL with no path (github.com,
// GHE.com), with a trailing slash, and with GHES's /api/v3; a renamed
// repository (301); an environment whose name holds a `/`; and the permission
// GitHub's table lists for environment secrets.

import { annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test.each([
  ['exactly the origin, as on github.com', (url: string) => url],
  ['the origin with a trailing slash', (url: string) => `${url}/`],
])('GITHUB_API_URL %s: every request lands on a GitHub route', async (_name, form) => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu), { env: { GITHUB_API_URL: form(emu.githubUrl) } });
  expect(run.exitCode).toBe(0);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  const github = emu.requests.filter((request) => request.service === 'github');
  expect(github.map((request) => `${request.method} ${request.path}`)).toEqual([
    'GET /repos/octo/app/actions/secrets/public-key',
    'PUT /repos/octo/app/actions/secrets/PREFECT_API_KEY',
  ]);
  expect(github.flatMap((request) => request.violations)).toEqual([]);
  expectNoLeak(run, [emu.seed.bot.key, run.outputs['new-api-key']!, emu.seed.github.writeToken], ['new-api-key']);
});

test('GITHUB_API_URL of a GitHub Enterprise Server (…/api/v3): paths go below it', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu), { env: { GITHUB_API_URL: emu.ghesUrl } });
  expect(run.exitCode).toBe(0);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(run.outputs['new-api-key']);
  const github = emu.requests.filter((request) => request.service === 'github');
  expect(github.map((request) => request.path)).toEqual([
    '/api/v3/repos/octo/app/actions/secrets/public-key',
    '/api/v3/repos/octo/app/actions/secrets/PREFECT_API_KEY',
  ]);
});

test('a renamed repository answers 301: the action follows it on the same host, and the secret lands in the repository under its new name', async () => {
  const emu = emulator();
  emu.renameRepository('octo/lib', 'octo/lib-next');
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-repositories': 'octo/lib' }));
  expect(run.exitCode).toBe(0);
  expect(emu.secret({ repo: 'octo/lib-next', name: 'PREFECT_API_KEY' })?.plaintext).toBe(run.outputs['new-api-key']);
  const id = emu.seed.github.repositoryIds['octo/lib'];
  const github = emu.requests.filter((request) => request.service === 'github');
  expect(github.map((request) => `${request.method} ${request.path}`)).toEqual([
    'GET /repos/octo/lib/actions/secrets/public-key',
    `GET /repositories/${id}/actions/secrets/public-key`,
    'PUT /repos/octo/lib/actions/secrets/PREFECT_API_KEY',
    `PUT /repositories/${id}/actions/secrets/PREFECT_API_KEY`,
  ]);
  expect(github.every((request) => request.authorization === `token ${emu.seed.github.writeToken}`)).toBe(true);
  expect(run.summary).toContain('| repository octo/lib | ✅ |');
});

test('an environment named prod/eu is sent encoded, as GitHub allows', async () => {
  const emu = emulator();
  emu.addEnvironment('octo/app', 'prod/eu');
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-environment': 'prod/eu' }));
  expect(run.exitCode).toBe(0);
  expect(emu.secret({ repo: 'octo/app', environment: 'prod/eu', name: 'PREFECT_API_KEY' })?.plaintext).toBe(run.outputs['new-api-key']);
  expect(emu.requests.filter((request) => request.service === 'github').map((request) => request.path)).toEqual([
    '/repos/octo/app/environments/prod%2Feu/secrets/public-key',
    '/repos/octo/app/environments/prod%2Feu/secrets/PREFECT_API_KEY',
  ]);
  expect(run.stdout).toContain('Wrote secret PREFECT_API_KEY to environment prod/eu of octo/app.');
});

test('a token without "Environments" is told that permission, as GitHub lists it for environment secrets', async () => {
  const emu = emulator();
  const run = await rotateInProcess(
    emu,
    restInputs(emu, { 'secret-environment': emu.seed.github.environment, 'github-token': emu.seed.github.secretsOnlyToken }),
  );
  expect(run.exitCode).toBe(1);
  const [error] = annotationsWhole(run);
  expect(error?.message).toMatch(
    /^Pre-flight failed, nothing was changed: github-token may not read the secrets public key of environment production of octo\/app \(HTTP 403: [^)]+\)\. It needs the repository permission "Environments: Read and write" \(a GitHub App: environments: write\);/,
  );
  expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.secretsOnlyToken]);
});
