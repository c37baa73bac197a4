// How a GitHub failure is read (src/github/octokit.ts rateLimitOf,
// src/github/secrets.ts githubFailure): GitHub's rules for primary and
// secondary rate limits at their edges, and every failure Octokit can throw
// put in words that say what happened and what to change, for each kind of
// destination.

import { rateLimitOf } from '../src/github/octokit.ts';
import { describeDestination, githubFailure, GithubError, type Destination } from '../src/github/secrets.ts';

const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const answer = (status: number, headers: Record<string, string> = {}, message = 'API rate limit exceeded', data: unknown = { message }) => ({
  status,
  message,
  response: { headers, data },
});

describe('rateLimitOf', () => {
  test('only a 403 or 429 with an answer can be a rate limit', () => {
    expect(rateLimitOf(answer(500, { 'retry-after': '5' }), NOW)).toBeUndefined();
    expect(rateLimitOf(answer(404, { 'x-ratelimit-remaining': '0' }), NOW)).toBeUndefined();
    expect(rateLimitOf({ status: 403, message: 'secondary rate limit' }, NOW)).toBeUndefined();
    expect(rateLimitOf(undefined, NOW)).toBeUndefined();
    expect(rateLimitOf(answer(403, { 'x-ratelimit-remaining': '1' }, 'Resource not accessible'), NOW)).toBeUndefined();
    expect(rateLimitOf(answer(403, {}, 'Resource not accessible'), NOW)).toBeUndefined();
  });

  test('secondary: a message that names one (a minute), a retry-after (that long), a 429 with quota left', () => {
    expect(rateLimitOf(answer(403, {}, 'You have exceeded a Secondary Rate limit'), NOW)).toEqual({ kind: 'secondary', until: NOW + 60_000, stop: 'deadline' });
    expect(rateLimitOf(answer(403, {}, 'a nonsecondary rate limit'), NOW)).toBeUndefined();
    expect(rateLimitOf(answer(403, { 'retry-after': '30' }), NOW)).toEqual({ kind: 'secondary', until: NOW + 30_000, stop: 'deadline' });
    expect(rateLimitOf(answer(403, { 'retry-after': '0' }), NOW)).toEqual({ kind: 'secondary', until: NOW, stop: 'deadline' });
    expect(rateLimitOf(answer(429, {}), NOW)).toEqual({ kind: 'secondary', until: NOW + 60_000, stop: 'deadline' });
    expect(rateLimitOf(answer(429, { 'x-ratelimit-remaining': '3' }), NOW)).toEqual({ kind: 'secondary', until: NOW + 60_000, stop: 'deadline' });
    // A retry-after that is not a count of seconds is not GitHub's: a 403 with it is no limit.
    for (const value of ['-1', 'soon', 'Infinity']) expect(rateLimitOf(answer(403, { 'retry-after': value }), NOW)).toBeUndefined();
    // The stop the client noted on the error is kept.
    expect(rateLimitOf({ ...answer(429, { 'retry-after': '1' }), rateLimitStop: 'retries' }, NOW)).toEqual({
      kind: 'secondary',
      until: NOW + 1000,
      stop: 'retries',
    });
  });

  test('primary: the quota spent, until a second after the reset (never in the past), or a minute without one', () => {
    const reset = NOW / 1000 + 120;
    expect(rateLimitOf(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }), NOW)).toEqual({
      kind: 'primary',
      until: NOW + 121_000,
      stop: 'deadline',
    });
    expect(rateLimitOf(answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }), NOW)?.kind).toBe('primary');
    expect(rateLimitOf(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 60) }), NOW)?.until).toBe(NOW);
    expect(rateLimitOf(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'later' }), NOW)?.until).toBe(NOW + 60_000);
    expect(rateLimitOf(answer(403, { 'x-ratelimit-remaining': '0' }), NOW)?.until).toBe(NOW + 60_000);
    expect(rateLimitOf({ ...answer(403, { 'x-ratelimit-remaining': '0' }), rateLimitStop: 'retries' }, NOW)?.stop).toBe('retries');
    expect(rateLimitOf({ status: 403, message: 'x', response: {} }, NOW)).toBeUndefined();
  });
});

describe('githubFailure', () => {
  const repo: Destination = { kind: 'repo', repo: 'acme/flows' };
  const environment: Destination = { kind: 'environment', repo: 'acme/flows', environment: 'prod' };
  const org: Destination = { kind: 'org', org: 'acme' };
  const WHAT = 'write secret PREFECT_API_KEY';

  test('each destination in words', () => {
    expect(describeDestination(repo)).toBe('repository acme/flows');
    expect(describeDestination(environment)).toBe('environment prod of acme/flows');
    expect(describeDestination(org)).toBe('organization acme');
  });

  test('a GithubError is passed on as it is', () => {
    const error = new GithubError('said', 422);
    expect(githubFailure(error, repo, WHAT)).toBe(error);
    // Said to have landed only when the one who made it says so.
    expect(error).toMatchObject({ name: 'GithubError', status: 422, rateLimit: undefined, mayHaveLanded: false });
  });

  test('no answer: not answered, or an answer the action refused', () => {
    const lost = githubFailure(new Error('socket hang up'), repo, WHAT);
    expect(lost).toBeInstanceOf(GithubError);
    expect(lost).toMatchObject({ message: `GitHub did not answer when asked to ${WHAT} of repository acme/flows (socket hang up)`, status: undefined });
    expect(githubFailure('text', repo, WHAT).message).toBe(`GitHub did not answer when asked to ${WHAT} of repository acme/flows (text)`);
    expect(githubFailure(undefined, repo, WHAT).message).toBe(`GitHub did not answer when asked to ${WHAT} of repository acme/flows (undefined)`);
    expect(lost.mayHaveLanded).toBe(true);
    const refused = Object.assign(new Error('GitHub redirected to another host (evil.example)'), { refused: true, sent: false });
    expect(githubFailure(refused, org, WHAT)).toMatchObject({
      message: `The action refused GitHub's answer when asked to ${WHAT} of organization acme: GitHub redirected to another host (evil.example). It sent nothing further, so this request did not take effect.`,
      mayHaveLanded: false,
    });
  });

  test('what each attempt got: every answer counted, an attempt with none said, and whether a write may have landed', () => {
    const failed = (error: object, attempts: { status: number | undefined }[]) => githubFailure(Object.assign(error, { attempts }), repo, WHAT);
    const serverError = () => answer(500, {}, '', { message: 'Oops' });
    expect(failed(serverError(), [{ status: 500 }, { status: 500 }, { status: 500 }])).toMatchObject({
      message: `GitHub answered HTTP 500 ×3 when asked to ${WHAT} of repository acme/flows (the last: HTTP 500: Oops).`,
      status: 500,
      mayHaveLanded: false,
    });
    expect(failed({ status: 502, response: {} }, [{ status: 500 }, { status: 502 }]).message).toBe(
      `GitHub answered HTTP 500, then HTTP 502 when asked to ${WHAT} of repository acme/flows.`,
    );
    // An attempt that got no answer may have landed, whatever came after it.
    expect(failed(serverError(), [{ status: undefined }, { status: 500 }, { status: 500 }])).toMatchObject({
      message: `GitHub gave no answer, then HTTP 500 ×2 when asked to ${WHAT} of repository acme/flows (the last: HTTP 500: Oops).`,
      mayHaveLanded: true,
    });
    expect(failed(new Error('no answer within 10 s'), [{ status: 500 }, { status: undefined }])).toMatchObject({
      message: `When asked to ${WHAT} of repository acme/flows, GitHub gave HTTP 500, then no answer (the last: no answer within 10 s).`,
      mayHaveLanded: true,
    });
    // One attempt is not counted: only more than one are.
    expect(failed(new Error('no answer within 10 s'), [{ status: undefined }])).toMatchObject({
      message: `GitHub did not answer when asked to ${WHAT} of repository acme/flows (no answer within 10 s)`,
      mayHaveLanded: true,
    });
    expect(failed(new Error('no answer within 10 s'), [{ status: undefined }, { status: undefined }])).toMatchObject({
      message: `GitHub did not answer when asked to ${WHAT} of repository acme/flows (no answer within 10 s; 2 attempts)`,
      mayHaveLanded: true,
    });
    // Not sent at all: the deadline came before it, so it cannot have landed unless an attempt before it went unanswered.
    const unsent = () => Object.assign(new Error("timed out: the step's deadline passed"), { name: 'AbortError', sent: false });
    expect(failed(unsent(), [])).toMatchObject({
      message: `The request to ${WHAT} of repository acme/flows was not sent: timed out: the step's deadline passed.`,
      mayHaveLanded: false,
    });
    expect(failed(unsent(), [{ status: 502 }, { status: 502 }])).toMatchObject({
      message: `The request to ${WHAT} of repository acme/flows was not sent again (before, GitHub gave HTTP 502 ×2): timed out: the step's deadline passed.`,
      mayHaveLanded: false,
    });
  });

  test("GitHub's refusals, each with what to change; its words on one line", () => {
    const said = (status: number, message: unknown = 'Bad\ncredentials\u2028here ') => githubFailure(answer(status, {}, '', { message }), repo, WHAT);
    expect(said(401)).toMatchObject({ message: 'GitHub rejected github-token (HTTP 401: Bad credentials here): it is wrong or expired.', status: 401 });
    expect(said(401, 7).message).toBe('GitHub rejected github-token (HTTP 401): it is wrong or expired.');
    expect(said(401, 'Bad\r\n\tcredentials').message).toBe('GitHub rejected github-token (HTTP 401: Bad credentials): it is wrong or expired.');
    expect(said(401, ' ').message).toBe('GitHub rejected github-token (HTTP 401): it is wrong or expired.');
    expect(githubFailure({ status: 500, response: {} }, repo, WHAT).message).toBe(`GitHub answered HTTP 500 when asked to ${WHAT} of repository acme/flows.`);
    expect(said(404, 'Not Found')).toMatchObject({
      message: 'GitHub does not know repository acme/flows, or github-token cannot see it (HTTP 404: Not Found).',
      status: 404,
    });
    expect(said(422, 'Bad key')).toMatchObject({ message: `GitHub answered HTTP 422: Bad key when asked to ${WHAT} of repository acme/flows.`, status: 422 });
    const tail = "; the workflow's GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.";
    for (const [destination, permission] of [
      [repo, 'the repository permission "Secrets: Read and write" (a GitHub App: secrets: write)'],
      [environment, 'the repository permission "Environments: Read and write" (a GitHub App: environments: write)'],
      [org, 'the organization permission "Secrets: Read and write" (a GitHub App: organization_secrets: write)'],
    ] as [Destination, string][]) {
      const error = githubFailure(answer(403, {}, '', { message: 'Resource not accessible by integration' }), destination, WHAT);
      expect(error).toMatchObject({
        message: `github-token may not ${WHAT} of ${describeDestination(destination)} (HTTP 403: Resource not accessible by integration). It needs ${permission}${tail}`,
        status: 403,
      });
    }
  });

  test('a rate limit is never a refusal: when GitHub takes requests again (to the second), and what to do', () => {
    const now = Date.now();
    const limited = answer(403, { 'retry-after': '90' }, 'x', { message: 'You have exceeded a secondary rate limit' });
    const error = githubFailure(limited, repo, WHAT);
    expect(error.status).toBe(403);
    expect(error.rateLimit).toMatchObject({ kind: 'secondary', stop: 'deadline' });
    const again = new Date(Math.ceil(error.rateLimit!.until / 1000) * 1000).toISOString();
    expect(error.rateLimit!.until - now).toBeGreaterThanOrEqual(90_000);
    expect(again).toMatch(/:\d\d\.000Z$/);
    expect(error.message).toBe(
      `GitHub's secondary rate limit stopped the request to ${WHAT} of repository acme/flows (HTTP 403: You have exceeded a secondary rate limit); GitHub accepts requests again at ${again}, after this step's deadline. Run the workflow again after that time.`,
    );
    const spent = githubFailure({ ...answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2000000000' }), rateLimitStop: 'retries' }, org, WHAT);
    expect(spent.message).toBe(
      `GitHub's primary rate limit stopped the request to ${WHAT} of organization acme (HTTP 429: API rate limit exceeded); it was still limited after as many waits as retries allows; GitHub accepts requests again at 2033-05-18T03:33:21.000Z. Run the workflow again after that time, or raise retries.`,
    );
  });
});
