// Which destinations a rerun counts as written since the rotation
// (SecretDestinations.writtenSince in src/rotate/destinations.ts), against a
// GitHub stand-in that gives updated_at as GitHub does, in whole seconds, from
// a clock of its own one second behind Prefect's; and that nothing is
// written before the pre-flight has prepared the destinations.

import { githubClient } from '../src/github/octokit.ts';
import type { Destination } from '../src/github/secrets.ts';
import { SecretDestinations, WRITTEN_SINCE_TOLERANCE_MS } from '../src/rotate/destinations.ts';
import { answer, useLoopback } from './support/loopback.ts';
import { deadlineIn } from './support/clock.ts';

/** When the service account's key was made, on Prefect's clock. */
const CREATED = Date.parse('2026-12-03T12:00:00.700Z');
const GITHUB_BEHIND_MS = 1_000;

/** When each repository's secret was written, on Prefect's clock; absent: never. */
let writtenAt: Record<string, number> = {};
/** updated_at as GitHub gives it: its own clock, whole seconds. */
const githubTime = (at: number) => new Date(Math.floor((at - GITHUB_BEHIND_MS) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const loopback = useLoopback((request, response) => {
  const repo = /^\/repos\/acme\/([^/]+)\/actions\/secrets\/PREFECT_API_KEY$/.exec(request.url)?.[1];
  const at = repo === undefined ? undefined : writtenAt[repo];
  if (at === undefined) return answer(response, [404, { message: 'Not Found' }]);
  answer(response, [200, { name: 'PREFECT_API_KEY', created_at: '2026-01-01T00:00:00Z', updated_at: githubTime(at) }]);
});

function destinations(...repos: string[]): SecretDestinations {
  const octokit = githubClient({
    baseUrl: loopback(),
    token: 'ghp_stand_in',
    retries: 0,
    deadline: deadlineIn(10_000),
    trace: () => undefined,
    log: () => undefined,
  });
  const places: Destination[] = repos.map((repo) => ({ kind: 'repo', repo: `acme/${repo}` }));
  return new SecretDestinations(octokit, deadlineIn(10_000), places, 'PREFECT_API_KEY');
}

beforeEach(() => {
  writtenAt = {};
});

test("a secret written in the key's second, read on a clock a second behind, was written since", async () => {
  writtenAt = { same: CREATED + 200, next: CREATED + 1_200 };
  // Written 0.2 s and 1.2 s after the key (12:00:00.700Z on Prefect's clock), GitHub says 11:59:59Z and 12:00:00Z.
  expect(githubTime(writtenAt.same!)).toBe('2026-12-03T11:59:59Z');
  expect(githubTime(writtenAt.next!)).toBe('2026-12-03T12:00:00Z');
  await expect(destinations('same', 'next').writtenSince(CREATED)).resolves.toEqual({ written: 2, of: 2 });
});

test('a secret written before the rotation, by more than the tolerance, or never, was not', async () => {
  writtenAt = { before: CREATED - WRITTEN_SINCE_TOLERANCE_MS - 2_000, fresh: CREATED + 500 };
  await expect(destinations('before', 'fresh', 'never').writtenSince(CREATED)).resolves.toEqual({ written: 1, of: 3 });
});

test('exactly the tolerance before the rotation counts as written; a millisecond more does not', async () => {
  // Written 0.3 s after the key: GitHub says 12:00:00Z.
  writtenAt = { edge: CREATED + 300 };
  const said = Date.parse('2026-12-03T12:00:00Z');
  await expect(destinations('edge').writtenSince(said + WRITTEN_SINCE_TOLERANCE_MS)).resolves.toEqual({ written: 1, of: 1 });
  await expect(destinations('edge').writtenSince(said + WRITTEN_SINCE_TOLERANCE_MS + 1)).resolves.toEqual({ written: 0, of: 1 });
});

test('before the pre-flight, nothing is prepared, so a write writes nothing', async () => {
  await expect(destinations('same').write('PREFECT_API_KEY', 'pnb_value')).resolves.toEqual({ written: [], failed: [] });
});

test('the tolerance covers whole seconds and a second or two of skew, and no more than a few seconds', () => {
  expect(WRITTEN_SINCE_TOLERANCE_MS).toBeGreaterThanOrEqual(1_000 + GITHUB_BEHIND_MS + 500);
  expect(WRITTEN_SINCE_TOLERANCE_MS).toBeLessThanOrEqual(5_000);
});
