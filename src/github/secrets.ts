// GitHub's Actions secrets API, through Octokit's endpoint methods: public
// keys, an organization secret's settings, and writing a sealed value. Every
// failure says what GitHub answered and, for a refusal, which permission
// GitHub's table lists for that endpoint; a rate limit is never mistaken for one.

import { rateLimitOf, type AttemptOutcome, type Octokit, type RateLimit } from './octokit.ts';
import { serverWords } from '../safe-text.ts';
import { sealingKey } from './seal.ts';

export type Destination = { kind: 'repo'; repo: string } | { kind: 'environment'; repo: string; environment: string } | { kind: 'org'; org: string };

export interface PublicKey {
  keyId: string;
  key: string;
}

/** What an organization secret already is, kept when it is written again. */
export interface OrgSecretSettings {
  visibility: 'all' | 'private' | 'selected';
  selectedRepositoryIds?: number[];
}

/** GitHub refused, or could not be asked: the message says what to change. */
export class GithubError extends Error {
  override name = 'GithubError';
  /** The answer's status; undefined when no answer came (the request may have landed). */
  readonly status: number | undefined;
  /** Set when GitHub's rate limit stopped the request. */
  readonly rateLimit: RateLimit | undefined;
  /** A write that failed this way may have taken effect: an attempt got no answer, or GitHub answered an unexpected 2xx. */
  readonly mayHaveLanded: boolean;
  constructor(message: string, status?: number, rateLimit?: RateLimit, mayHaveLanded = false) {
    super(message);
    this.status = status;
    this.rateLimit = rateLimit;
    this.mayHaveLanded = mayHaveLanded;
  }
}

export function describeDestination(destination: Destination): string {
  if (destination.kind === 'repo') return `repository ${destination.repo}`;
  if (destination.kind === 'environment') return `environment ${destination.environment} of ${destination.repo}`;
  return `organization ${destination.org}`;
}

/** The fine-grained permission GitHub's permission table lists for the destination's secrets endpoints. */
function permissionNeeded(destination: Destination): string {
  if (destination.kind === 'org') return 'the organization permission "Secrets: Read and write" (a GitHub App: organization_secrets: write)';
  if (destination.kind === 'environment') return 'the repository permission "Environments: Read and write" (a GitHub App: environments: write)';
  return 'the repository permission "Secrets: Read and write" (a GitHub App: secrets: write)';
}

/** GitHub's own words, on one line: they are quoted in a log line (which the runner layer redacts, then bounds). */
function githubSaid(error: unknown): string {
  const { status, response } = error as { status?: number; response?: { data?: unknown } };
  const data = response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? serverWords(data.message) : '';
  return message ? `HTTP ${status}: ${message}` : `HTTP ${status}`;
}

function timeOf(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString();
}

/** What the attempts got, in order, runs of the same counted: "HTTP 500 ×3", "no answer, then HTTP 502 ×2". */
function attemptsSaid(attempts: AttemptOutcome[]): string {
  const runs: { said: string; count: number }[] = [];
  for (const { status } of attempts) {
    const said = status === undefined ? 'no answer' : `HTTP ${status}`;
    const last = runs.at(-1);
    if (last?.said === said) last.count += 1;
    else runs.push({ said, count: 1 });
  }
  return runs.map(({ said, count }) => (count > 1 ? `${said} ×${count}` : said)).join(', then ');
}

/** Turns whatever Octokit threw into a GithubError that says what happened and what to do. */
export function githubFailure(error: unknown, destination: Destination, what: string): GithubError {
  if (error instanceof GithubError) return error;
  const where = describeDestination(destination);
  const {
    status,
    response,
    refused,
    sent,
    attempts = [],
  } = (error ?? {}) as {
    status?: number;
    response?: unknown;
    refused?: boolean;
    sent?: boolean;
    attempts?: AttemptOutcome[];
  };
  // Only an attempt that got no answer can have landed unseen: GitHub's answers say the write did not happen.
  const mayHaveLanded = attempts.some((attempt) => attempt.status === undefined);
  if (!response) {
    const reason = error instanceof Error ? error.message : String(error);
    if (refused) {
      return new GithubError(
        `The action refused GitHub's answer when asked to ${what} of ${where}: ${reason}. It sent nothing further, so this request did not take effect.`,
        undefined,
        undefined,
        mayHaveLanded,
      );
    }
    if (sent === false) {
      const before = attempts.length > 0 ? ` again (before, GitHub gave ${attemptsSaid(attempts)})` : '';
      return new GithubError(`The request to ${what} of ${where} was not sent${before}: ${reason}.`, undefined, undefined, mayHaveLanded);
    }
    if (attempts.some((attempt) => attempt.status !== undefined)) {
      return new GithubError(`When asked to ${what} of ${where}, GitHub gave ${attemptsSaid(attempts)} (the last: ${reason}).`, undefined, undefined, true);
    }
    const tries = attempts.length > 1 ? `; ${attempts.length} attempts` : '';
    return new GithubError(`GitHub did not answer when asked to ${what} of ${where} (${reason}${tries})`, undefined, undefined, true);
  }
  const limit = rateLimitOf(error);
  if (limit) {
    const again = timeOf(limit.until);
    const advice =
      limit.stop === 'retries'
        ? `it was still limited after as many waits as retries allows; GitHub accepts requests again at ${again}. Run the workflow again after that time, or raise retries.`
        : `GitHub accepts requests again at ${again}, after this step's deadline. Run the workflow again after that time.`;
    return new GithubError(
      `GitHub's ${limit.kind} rate limit stopped the request to ${what} of ${where} (${githubSaid(error)}); ${advice}`,
      status,
      limit,
      mayHaveLanded,
    );
  }
  const said = githubSaid(error);
  if (status === 401) return new GithubError(`GitHub rejected github-token (${said}): it is wrong or expired.`, status);
  if (status === 403) {
    return new GithubError(
      `github-token may not ${what} of ${where} (${said}). It needs ${permissionNeeded(destination)}; the workflow's GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.`,
      status,
      undefined,
      mayHaveLanded,
    );
  }
  if (status === 404) return new GithubError(`GitHub does not know ${where}, or github-token cannot see it (${said}).`, status, undefined, mayHaveLanded);
  if (attempts.length <= 1) return new GithubError(`GitHub answered ${said} when asked to ${what} of ${where}.`, status, undefined, mayHaveLanded);
  // Every attempt counted ("HTTP 500 ×3"): one answer said once would read as one try, and a lost one as none.
  const gave = mayHaveLanded ? `gave ${attemptsSaid(attempts)}` : `answered ${attemptsSaid(attempts)}`;
  const last = said === `HTTP ${status}` ? '' : ` (the last: ${said})`;
  return new GithubError(`GitHub ${gave} when asked to ${what} of ${where}${last}.`, status, undefined, mayHaveLanded);
}

function ownerAndRepo(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}

/** A public key as GitHub describes it: key_id a string, key 32 bytes of base64, read as the sealing will read it. */
async function checkedKey(data: { key_id?: unknown; key?: unknown }): Promise<PublicKey> {
  const { key_id: keyId, key } = data;
  if (typeof keyId !== 'string' || !/^[A-Za-z0-9+/=_-]{1,100}$/.test(keyId) || typeof key !== 'string' || !(await sealingKey(key))) {
    throw new GithubError('GitHub answered with a public key that is not one (a key_id and 32 bytes of base64 were expected).');
  }
  return { keyId, key };
}

export async function publicKey(octokit: Octokit, destination: Destination): Promise<PublicKey> {
  try {
    if (destination.kind === 'org') return await checkedKey((await octokit.rest.actions.getOrgPublicKey({ org: destination.org })).data);
    const { owner, repo } = ownerAndRepo(destination.repo);
    if (destination.kind === 'environment') {
      return await checkedKey((await octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: destination.environment })).data);
    }
    return await checkedKey((await octokit.rest.actions.getRepoPublicKey({ owner, repo })).data);
  } catch (error) {
    throw githubFailure(error, destination, 'read the secrets public key');
  }
}

const VISIBILITIES = new Set(['all', 'private', 'selected']);

/** An organization secret's visibility (and its repositories when `selected`), to keep them when it is written. */
export async function orgSecretSettings(octokit: Octokit, org: string, name: string): Promise<OrgSecretSettings> {
  const destination: Destination = { kind: 'org', org };
  let visibility: string;
  try {
    visibility = (await octokit.rest.actions.getOrgSecret({ org, secret_name: name })).data.visibility;
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      throw new GithubError(
        `Organization secret ${name} does not exist in ${org}, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.`,
        404,
      );
    }
    throw githubFailure(error, destination, 'read the secret settings');
  }
  if (!VISIBILITIES.has(visibility)) throw new GithubError(`GitHub answered with an organization secret visibility that is not all, private or selected.`);
  if (visibility !== 'selected') return { visibility: visibility as OrgSecretSettings['visibility'] };
  try {
    // Every selected repository must be kept: writing a shorter list would drop the rest.
    const repositories = await octokit.paginate(octokit.rest.actions.listSelectedReposForOrgSecret, { org, secret_name: name, per_page: 100 });
    const selectedRepositoryIds = repositories.map((repository) => repository.id);
    if (!selectedRepositoryIds.every((id) => Number.isSafeInteger(id) && id > 0))
      throw new GithubError('GitHub answered with a repository id that is not one.');
    return { visibility: 'selected', selectedRepositoryIds };
  } catch (error) {
    throw githubFailure(error, destination, 'read the selected repositories');
  }
}

export interface SecretWrite {
  destination: Destination;
  name: string;
  encryptedValue: string;
  keyId: string;
  org?: OrgSecretSettings;
}

/** PUT the sealed value: 201 created, 204 updated. */
export async function putSecret(octokit: Octokit, write: SecretWrite): Promise<void> {
  const { destination, name, encryptedValue, keyId } = write;
  const sealed = { secret_name: name, encrypted_value: encryptedValue, key_id: keyId };
  let status: number;
  try {
    if (destination.kind === 'org') {
      const { visibility, selectedRepositoryIds } = write.org ?? { visibility: 'private' as const };
      ({ status } = await octokit.rest.actions.createOrUpdateOrgSecret({
        org: destination.org,
        ...sealed,
        visibility,
        ...(selectedRepositoryIds ? { selected_repository_ids: selectedRepositoryIds } : {}),
      }));
    } else if (destination.kind === 'environment') {
      ({ status } = await octokit.rest.actions.createOrUpdateEnvironmentSecret({
        ...ownerAndRepo(destination.repo),
        environment_name: destination.environment,
        ...sealed,
      }));
    } else {
      ({ status } = await octokit.rest.actions.createOrUpdateRepoSecret({ ...ownerAndRepo(destination.repo), ...sealed }));
    }
  } catch (error) {
    throw githubFailure(error, destination, `write secret ${name}`);
  }
  // 201 created, 204 updated: anything else is not GitHub's answer to a secret write. Another 2xx (a proxy's,
  // another GitHub version's) says the write succeeded, but not as GitHub documents it: it is not counted as
  // written (the old key is not retired on its word), nor as not written (the new key is not deleted either).
  if (status !== 201 && status !== 204) {
    const success = status >= 200 && status < 300;
    const landed = success ? ': the secret may have been written' : '';
    throw new GithubError(
      `GitHub answered HTTP ${status}, which it does not send to a secret write, when asked to write secret ${name} of ${describeDestination(destination)}${landed}.`,
      status,
      undefined,
      success,
    );
  }
}

/** When the secret was last written (its updated_at); undefined when it does not exist. */
export async function secretUpdatedAt(octokit: Octokit, destination: Destination, name: string): Promise<number | undefined> {
  try {
    let updated: string;
    if (destination.kind === 'org') updated = (await octokit.rest.actions.getOrgSecret({ org: destination.org, secret_name: name })).data.updated_at;
    else if (destination.kind === 'environment') {
      const { owner, repo } = ownerAndRepo(destination.repo);
      updated = (await octokit.rest.actions.getEnvironmentSecret({ owner, repo, environment_name: destination.environment, secret_name: name })).data
        .updated_at;
    } else updated = (await octokit.rest.actions.getRepoSecret({ ...ownerAndRepo(destination.repo), secret_name: name })).data.updated_at;
    const at = Date.parse(updated);
    if (Number.isNaN(at)) throw new GithubError('GitHub answered with a secret whose updated_at is not a time.');
    return at;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw githubFailure(error, destination, `read secret ${name}`);
  }
}
