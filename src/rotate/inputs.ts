// The rotation's inputs, checked before anything is sent.

import type { Destination } from '../github/secrets.ts';
import {
  InputError,
  parseBoolean,
  parseNumber,
  parseServiceUrl,
  parseToken,
  parseUuid,
  readBounded,
  type CheckInputs,
  type ReadEnv,
  type ReadInput,
} from '../inputs.ts';
import { isPrintableLine, shortQuotedInput } from '../safe-text.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const MAX_GRACE_SECONDS = 172_800;

export interface RotationInputs {
  serviceAccountId?: string;
  keyName: string;
  newKeyExpiresInDays?: number;
  oldKeyId?: string;
  graceSeconds: number;
  githubToken: string;
  /** GITHUB_API_URL without a trailing slash: Octokit appends paths to it as they are. */
  githubApi: string;
  secretName: string;
  destinations: Destination[];
  dryRun: boolean;
  /** Rotate only when the key that would be rotated expires within this many days. */
  rotateIfExpiresWithinDays?: number;
}

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
// What GitHub accepts (up to 255 characters, `/` among them: it is sent encoded), less control
// and line-separator characters (isPrintableLine), and not `.` or `..`, which a path segment cannot carry.
const ENVIRONMENT = /^(?!\.{1,2}$).{1,255}$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_REPOSITORIES = 100;

function parseSecretName(value: string): string {
  if (value === '') throw new InputError('Input secret-name is required with rotate: true: name the GitHub secret that receives the new key.');
  if (!SECRET_NAME.test(value) || /^GITHUB_/i.test(value)) {
    throw new InputError(`Input secret-name must be letters, digits and underscores, not start with a digit or GITHUB_, got ${shortQuotedInput(value)}.`);
  }
  return value;
}

function parseRepositories(value: string, readEnv: ReadEnv): string[] {
  const listed = value
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const repositories = listed.length > 0 ? listed : [readEnv('GITHUB_REPOSITORY') ?? ''].filter(Boolean);
  if (repositories.length === 0) {
    throw new InputError('Input secret-repositories is required here: GITHUB_REPOSITORY is not set, so there is no current repository.');
  }
  if (repositories.length > MAX_REPOSITORIES)
    throw new InputError(`Input secret-repositories lists ${repositories.length} repositories; at most ${MAX_REPOSITORIES} are accepted.`);
  for (const repository of repositories) {
    if (!REPOSITORY.test(repository) || repository.endsWith('/.') || repository.endsWith('/..')) {
      throw new InputError(`Input secret-repositories must list owner/repo names, separated by commas or lines, got ${shortQuotedInput(repository)}.`);
    }
  }
  return [...new Set(repositories)];
}

function parseDestinations(read: ReadInput, readEnv: ReadEnv): Destination[] {
  const repositoriesText = read('secret-repositories');
  const environment = read('secret-environment');
  const organization = read('secret-organization');
  if (organization) {
    if (environment || repositoriesText) {
      throw new InputError('Input secret-organization writes an organization secret: leave secret-repositories and secret-environment empty with it.');
    }
    if (!ORGANIZATION.test(organization))
      throw new InputError(`Input secret-organization must be a GitHub organization name, got ${shortQuotedInput(organization)}.`);
    return [{ kind: 'org', org: organization }];
  }
  const repositories = parseRepositories(repositoriesText, readEnv);
  if (!environment) return repositories.map((repo) => ({ kind: 'repo', repo }));
  if (!ENVIRONMENT.test(environment) || !isPrintableLine(environment)) {
    throw new InputError(
      `Input secret-environment must be an environment name (1 to 255 characters without control characters, not . or ..), got ${shortQuotedInput(environment)}.`,
    );
  }
  return repositories.map((repo) => ({ kind: 'environment', repo, environment }));
}

function optionalDays(read: ReadInput, name: string): number | undefined {
  const text = readBounded(read, name);
  return text === '' ? undefined : parseNumber(name, text, 0, { min: 1, max: 3650, integer: true });
}

export function parseRotationInputs(read: ReadInput, readEnv: ReadEnv, check: CheckInputs): RotationInputs {
  const serviceAccountText = read('service-account-id');
  const oldKeyText = read('old-key-id');
  const keyName = read('key-name') || 'github-actions';
  const expiresText = read('new-key-expires-in-days');
  const githubToken = readBounded(read, 'github-token');
  const githubApiText = readEnv('GITHUB_API_URL') ?? '';

  if (!KEY_NAME.test(keyName)) {
    throw new InputError(`Input key-name must be 1 to 64 letters, digits, . _ or -, starting with a letter or digit, got ${shortQuotedInput(keyName)}.`);
  }
  if (check.api === 'rest') {
    if (!serviceAccountText)
      throw new InputError('Input service-account-id is required to rotate through the REST API: the id of the service account whose key is rotated.');
    if (check.workspace.kind === 'none') {
      throw new InputError('Rotating through the REST API needs the account: name the workspace with api-url (a workspace URL), or workspace (and account).');
    }
    if (oldKeyText)
      throw new InputError('Input old-key-id applies to prefect-api graphql only: the REST API retires the old key itself, after old-key-grace-seconds.');
  }
  if (!githubToken) {
    throw new InputError(
      'Input github-token is required with rotate: true: a fine-grained personal access token or GitHub App token that may write the secret.',
    );
  }
  parseToken('github-token', githubToken);

  return {
    serviceAccountId: serviceAccountText ? parseUuid('service-account-id', serviceAccountText) : undefined,
    keyName,
    newKeyExpiresInDays: expiresText === '' ? undefined : parseNumber('new-key-expires-in-days', expiresText, 0, { min: 1, max: 3650, integer: true }),
    oldKeyId: oldKeyText ? parseUuid('old-key-id', oldKeyText) : undefined,
    graceSeconds: parseNumber('old-key-grace-seconds', read('old-key-grace-seconds'), 3600, { min: 0, max: MAX_GRACE_SECONDS, integer: true }),
    githubToken,
    githubApi: parseServiceUrl('GITHUB_API_URL', githubApiText === '' ? DEFAULT_GITHUB_API_URL : githubApiText, DEFAULT_GITHUB_API_URL).href.replace(
      /\/+$/,
      '',
    ),
    secretName: parseSecretName(read('secret-name')),
    destinations: parseDestinations(read, readEnv),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
    rotateIfExpiresWithinDays: optionalDays(read, 'rotate-if-expires-within-days'),
  };
}
