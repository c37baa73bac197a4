// GitHub's error answers: `{"message", "documentation_url", "status"}`, the status repeated as a string.
import type { Reply } from './http.ts';
import { json } from './http.ts';

export const REST_DOCS = 'https://docs.github.com/rest';

export function githubError(status: number, message: string, documentationUrl = REST_DOCS): Reply {
  return json(status, { message, documentation_url: documentationUrl, status: String(status) });
}

/** What GitHub answers a path no operation has: a double or trailing slash, a missing or extra segment, a wrong prefix. */
export const NOT_FOUND = (): Reply => githubError(404, 'Not Found');

/** What GitHub answers a request without a User-Agent header. */
export const NO_USER_AGENT = (): Reply =>
  githubError(
    403,
    'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.',
    'https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent',
  );
