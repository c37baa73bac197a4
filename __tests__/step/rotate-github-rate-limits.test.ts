// GitHub's rate limits as GitHub documents them: a limit is waited out when
// the deadline allows, never retried early, and never reported as a missing
// permission; mutating requests go one at a time, a second apart.

import { annotationsWhole, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();
const puts = (emu: ReturnType<typeof emulator>) => emu.requests.filter((request) => request.route === 'gh-secret-put');

test('a secondary limit on one write in the middle of several: the rotation waits as GitHub asks, then completes', async () => {
  const emu = emulator();
  emu.addRepository('octo/web');
  emu.fault('gh-secret-put', { times: 1 }); // the first write goes through
  emu.githubRateLimit('gh-secret-put', { kind: 'secondary', status: 403, retryAfterSeconds: 1 });
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-repositories': 'octo/app, octo/lib, octo/web' }));
  expect(run.exitCode).toBe(0);
  const fresh = run.outputs['new-api-key']!;
  for (const repo of ['octo/app', 'octo/lib', 'octo/web']) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  const [first, limited, retried, third] = puts(emu);
  expect(limited!.path).toBe('/repos/octo/lib/actions/secrets/PREFECT_API_KEY');
  expect(retried!.path).toBe(limited!.path);
  expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
  expect(third!.at - retried!.at).toBeGreaterThanOrEqual(1000);
  expect(limited!.at - first!.at).toBeGreaterThanOrEqual(1000);
  expect(run.stdout).toMatch(
    /\nGitHub's secondary rate limit: waiting 1 s before PUT \/repos\/\{owner\}\/\{repo\}\/actions\/secrets\/\{secret_name\} is sent again\.\n/,
  );
  expect(emu.githubLimitBreaches).toEqual([]);
  expect(annotationsWhole(run)).toEqual([]);
  expectNoLeak(run, [emu.seed.bot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
});

test('a primary limit answered 429 with a reset: no request reaches GitHub before the reset', async () => {
  const emu = emulator();
  emu.githubRateLimit('gh-public-key', { kind: 'primary', status: 429, resetInSeconds: 2 });
  const run = await rotateInProcess(emu, restInputs(emu));
  expect(run.exitCode).toBe(0);
  const github = emu.requests.filter((request) => request.service === 'github');
  const [limited, ...after] = github;
  expect(after.map((request) => request.route)).toEqual(['gh-public-key', 'gh-secret-put']);
  expect(after[0]!.at - limited!.at).toBeGreaterThanOrEqual(1000);
  expect(emu.githubLimitBreaches).toEqual([]);
  expect(run.stdout).toMatch(/\nGitHub's primary rate limit: waiting \d+ s before GET /);
});

test('a secondary limit that outlasts the deadline: the step says it was rate limited and when to run again, never that a permission is missing', async () => {
  const emu = emulator();
  emu.githubRateLimit('gh-secret-put', { kind: 'secondary', status: 429 });
  const run = await rotateInProcess(emu, restInputs(emu, { 'timeout-seconds': '5' }));
  expect(run.exitCode).toBe(1);
  expect(puts(emu)).toHaveLength(1);
  const [error] = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(error?.message).toMatch(
    /^Writing secret PREFECT_API_KEY failed \(repository octo\/app: GitHub's secondary rate limit stopped the request to write secret PREFECT_API_KEY of repository octo\/app \(HTTP 429: You have exceeded a secondary rate limit\.[^)]*\); GitHub accepts requests again at \d{4}-\d\d-\d\dT[\d:.]+Z, after this step's deadline\. Run the workflow again after that time\)\. The new key is in this step's masked new-api-key output/,
  );
  expect(error?.message).not.toMatch(/may not|needs the|permission/);
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  expect(emu.isKeyLive(run.outputs['new-api-key']!)).toBe(true);
  expect(emu.githubLimitBreaches).toEqual([]);
});

test.each([
  ['a secondary limit answered 403 without retry-after', { kind: 'secondary', status: 403 }, /HTTP 403: You have exceeded a secondary rate limit\./],
  [
    'a primary limit answered 403 whose reset is past the deadline',
    { kind: 'primary', status: 403, resetInSeconds: 600 },
    /HTTP 403: API rate limit exceeded for user ID 1\./,
  ],
] as const)('%s, in pre-flight: nothing is rotated, and the step says it was rate limited, not that a permission is missing', async (_name, limit, said) => {
  const emu = emulator();
  emu.githubRateLimit('gh-public-key', limit);
  const run = await rotateInProcess(emu, restInputs(emu, { 'timeout-seconds': '5' }));
  expect(run.exitCode).toBe(1);
  const [error, ...others] = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(others).toEqual([]);
  expect(error?.message).toMatch(
    new RegExp(
      `^Pre-flight failed, nothing was changed: GitHub's ${limit.kind} rate limit stopped the request to read the secrets public key of repository octo/app \\(${said.source}[^)]*\\); GitHub accepts requests again at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, after this step's deadline\\. Run the workflow again after that time\\.`,
    ),
  );
  expect(error?.message).not.toMatch(/may not|needs the|permission/);
  expect(emu.requests.filter((request) => request.service === 'github').map((request) => request.route)).toEqual(['gh-public-key']);
  expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
  expect(run.outputs).toMatchObject({ rotation: 'failed' });
  expect(emu.isKeyLive(emu.seed.bot.key)).toBe(true);
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
});

test('a limit that keeps coming back after every wait the retries allow: the message says so, not that the deadline passed', async () => {
  const emu = emulator();
  emu.githubRateLimit('gh-public-key', { kind: 'secondary', status: 429, retryAfterSeconds: 1, times: 3 });
  const run = await rotateInProcess(emu, restInputs(emu, { retries: '1', 'timeout-seconds': '30' }));
  expect(run.exitCode).toBe(1);
  const [error] = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(error?.message).toMatch(
    /^Pre-flight failed, nothing was changed: GitHub's secondary rate limit stopped the request to read the secrets public key of repository octo\/app \(HTTP 429: You have exceeded a secondary rate limit\.[^)]*\); it was still limited after as many waits as retries allows; GitHub accepts requests again at \d{4}-\d\d-\d\dT[\d:.]+Z\. Run the workflow again after that time, or raise retries\./,
  );
  expect(emu.requests.filter((request) => request.route === 'gh-public-key')).toHaveLength(2); // the first, and the one wait retries: 1 allows
  expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
  expect(emu.githubLimitBreaches).toEqual([]);
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
});

test('a secondary limit whose growing back-off would pass the deadline before the retries run out: the message names the deadline', async () => {
  const emu = emulator();
  // Waits of 1 s, then 2 s (retry-after, backed off); the third would be 4 s, past a 5 s deadline, with retries still left.
  emu.githubRateLimit('gh-public-key', { kind: 'secondary', status: 403, retryAfterSeconds: 1, times: 10 });
  const run = await rotateInProcess(emu, restInputs(emu, { retries: '5', 'timeout-seconds': '5' }));
  expect(run.exitCode).toBe(1);
  const [error] = annotationsWhole(run).filter((annotation) => annotation.level === 'error');
  expect(error?.message).toMatch(
    /^Pre-flight failed, nothing was changed: GitHub's secondary rate limit stopped the request to read the secrets public key of repository octo\/app \(HTTP 403: You have exceeded a secondary rate limit\.[^)]*\); GitHub accepts requests again at \d{4}-\d\d-\d\dT[\d:.]+Z, after this step's deadline\. Run the workflow again after that time\./,
  );
  expect(emu.requests.filter((request) => request.route === 'gh-public-key')).toHaveLength(3);
  expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
  expect(emu.githubLimitBreaches).toEqual([]);
  expectNoLeak(run, [emu.seed.bot.key, emu.seed.github.writeToken]);
});
