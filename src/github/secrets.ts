// GitHub's Actions secrets API: public keys, organisation secret settings,
// and writing a sealed value. Every failure names what the token needs.

import type { HttpResponse } from '../http/request.ts';
import { retryAfterMs, sendWithRetries, TransientAnswerError, type RetryPolicy } from '../http/retry.ts';

export type Destination = { kind: 'repo'; repo: string } | { kind: 'environment'; repo: string; environment: string } | { kind: 'org'; org: string };

export interface GithubApi {
  base: URL;
  token: string;
  policy: RetryPolicy;
}

export interface PublicKey {
  keyId: string;
  key: string;
}

/** What an organisation secret already is, kept when it is written again. */
export interface OrgSecretSettings {
  visibility: string;
  selectedRepositoryIds?: number[];
}

/** GitHub refused: the message says what to change. */
export class GithubError extends Error {
  override name = 'GithubError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export function describeDestination(destination: Destination): string {
  if (destination.kind === 'repo') return `repository ${destination.repo}`;
  if (destination.kind === 'environment') return `environment ${destination.environment} of ${destination.repo}`;
  return `organization ${destination.org}`;
}

function secretsPath(destination: Destination): string {
  if (destination.kind === 'repo') return `/repos/${destination.repo}/actions/secrets`;
  if (destination.kind === 'environment') return `/repos/${destination.repo}/environments/${encodeURIComponent(destination.environment)}/secrets`;
  return `/orgs/${destination.org}/actions/secrets`;
}

function permissionNeeded(destination: Destination): string {
  return destination.kind === 'org'
    ? 'the organization permission "Secrets: Read and write" (a GitHub App: organization_secrets: write)'
    : 'the repository permission "Secrets: Read and write" (a GitHub App: secrets: write)';
}

/** GitHub's own words, as ` (HTTP 403: message)`, or just the status. */
function statusText(response: HttpResponse): string {
  try {
    const message = (JSON.parse(response.body) as { message?: unknown }).message;
    if (typeof message === 'string') return `HTTP ${response.status}: ${message}`;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${response.status}`;
}

/** Rate limits arrive as 403 or 429 with Retry-After or an exhausted quota: wait, not fail. */
function rateLimitWait(response: HttpResponse, now: number): number | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const retryAfter = retryAfterMs(response.headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  if (response.headers['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(response.headers['x-ratelimit-reset']);
  return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : undefined;
}

function refusal(response: HttpResponse, destination: Destination, what: string): GithubError {
  const where = describeDestination(destination);
  const said = statusText(response);
  const { status } = response;
  if (status === 401) return new GithubError(`GitHub rejected github-token (${said}): it is wrong or expired.`, status);
  if (status === 403) {
    return new GithubError(
      `github-token may not ${what} of ${where} (${said}). It needs ${permissionNeeded(destination)}; the workflow's GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.`,
      status,
    );
  }
  if (status === 404) return new GithubError(`GitHub does not know ${where}, or github-token cannot see it (${said}).`, status);
  return new GithubError(`GitHub answered ${said} when asked to ${what} of ${where}.`, status);
}

function call<T>(api: GithubApi, method: 'GET' | 'PUT', path: string, body: unknown, accept: (response: HttpResponse) => T): Promise<T> {
  const url = new URL(`${api.base.href}${path}`);
  const headers: Record<string, string> = {
    authorization: `Bearer ${api.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'prefect-cloud-key-action',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  return sendWithRetries(api.policy, request, (response) => {
    const wait = rateLimitWait(response, api.policy.now());
    if (wait !== undefined) throw new TransientAnswerError(`GitHub rate limit (HTTP ${response.status})`, wait);
    return accept(response);
  });
}

function parsed(response: HttpResponse): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(response.body);
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new TransientAnswerError(`HTTP ${response.status} with a body that is not a JSON object`);
}

export function publicKey(api: GithubApi, destination: Destination): Promise<PublicKey> {
  return call(api, 'GET', `${secretsPath(destination)}/public-key`, undefined, (response) => {
    if (response.status !== 200) throw refusal(response, destination, 'read the secrets public key');
    const body = parsed(response);
    if (typeof body.key_id !== 'string' || typeof body.key !== 'string') throw new TransientAnswerError('a public key answer without key_id and key');
    return { keyId: body.key_id, key: body.key };
  });
}

/** An organisation secret's visibility (and its repositories when `selected`), to keep them when it is written. */
export async function orgSecretSettings(api: GithubApi, org: string, name: string): Promise<OrgSecretSettings> {
  const destination: Destination = { kind: 'org', org };
  const path = `${secretsPath(destination)}/${name}`;
  const visibility = await call(api, 'GET', path, undefined, (response) => {
    if (response.status === 404) {
      throw new GithubError(
        `Organization secret ${name} does not exist in ${org}, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.`,
      );
    }
    if (response.status !== 200) throw refusal(response, destination, 'read the secret settings');
    const value = parsed(response).visibility;
    if (typeof value !== 'string') throw new TransientAnswerError('an organization secret without visibility');
    return value;
  });
  if (visibility !== 'selected') return { visibility };
  const selectedRepositoryIds: number[] = [];
  for (let page = 1; ; page += 1) {
    const { ids, total } = await call(api, 'GET', `${path}/repositories?per_page=100&page=${page}`, undefined, (response) => {
      if (response.status !== 200) throw refusal(response, destination, 'read the selected repositories');
      const body = parsed(response);
      if (!Array.isArray(body.repositories)) throw new TransientAnswerError('a repository list without repositories');
      return { ids: body.repositories.map((repository: { id?: unknown }) => Number(repository.id)), total: Number(body.total_count) };
    });
    selectedRepositoryIds.push(...ids);
    // Every selected repository must be kept: writing a shorter list would drop the rest.
    if (ids.length === 0 || !(selectedRepositoryIds.length < total)) break;
  }
  return { visibility, selectedRepositoryIds };
}

export interface SecretWrite {
  destination: Destination;
  name: string;
  encryptedValue: string;
  keyId: string;
  org?: OrgSecretSettings;
}

/** PUT the sealed value: 201 created, 204 updated. */
export function putSecret(api: GithubApi, write: SecretWrite): Promise<void> {
  const body: Record<string, unknown> = { encrypted_value: write.encryptedValue, key_id: write.keyId };
  if (write.org) {
    body.visibility = write.org.visibility;
    if (write.org.selectedRepositoryIds) body.selected_repository_ids = write.org.selectedRepositoryIds;
  }
  return call(api, 'PUT', `${secretsPath(write.destination)}/${write.name}`, body, (response) => {
    if (response.status !== 201 && response.status !== 204) throw refusal(response, write.destination, `write secret ${write.name}`);
  });
}
