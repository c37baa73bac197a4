// GitHub's Actions secrets API, once a request matched an operation of GitHub's description: credentials, renamed repositories,
// fine-grained permissions, then public keys, secrets written as sealed boxes, and an org secret's repositories page by page.
import sodium from 'libsodium-wrappers';
import type { Match, Problem } from './github-description.ts';
import { githubError } from './github-errors.ts';
import type { Access, Destination, GithubSecret, Permission, Repository, Token } from './github-state.ts';
import type { Reply } from './http.ts';
import { json } from './http.ts';
import type { State } from './state.ts';
import type { GithubRouteName } from './types.ts';

export interface GithubCall {
  state: State;
  match: Match;
  /** The path without the server's /api/v3 prefix, and the query, both as received. */
  rawPath: string;
  rawQuery: string;
  /** The server's GitHub base URL: `githubUrl` or `ghesUrl`. */
  base: string;
  authorization: string | undefined;
  body: string;
  /** How the request departs from the description, for the answer GitHub gives after the permission check. */
  problems: Problem[];
}

interface Target {
  destination: Destination;
  repository?: Repository;
  org?: string;
}

const ROUTES: Record<string, GithubRouteName> = {
  'actions/get-repo-public-key': 'gh-public-key',
  'actions/get-environment-public-key': 'gh-public-key',
  'actions/get-org-public-key': 'gh-public-key',
  'actions/get-repo-secret': 'gh-secret-get',
  'actions/get-environment-secret': 'gh-secret-get',
  'actions/get-org-secret': 'gh-secret-get',
  'actions/create-or-update-repo-secret': 'gh-secret-put',
  'actions/create-or-update-environment-secret': 'gh-secret-put',
  'actions/create-or-update-org-secret': 'gh-secret-put',
  'actions/list-selected-repos-for-org-secret': 'gh-secret-repos',
};

/** The route (for faults and recorded requests) an operation is. */
export function routeOf(operationId: string): GithubRouteName {
  const route = ROUTES[operationId];
  if (!route) throw new Error(`the emulator does not serve ${operationId}`);
  return route;
}

/** The fine-grained permission each operation needs: environment secrets need "Environments", not "Secrets". */
function permissionOf(operationId: string): [Permission, Access] {
  const access: Access = operationId.startsWith('actions/create-or-update-') ? 'write' : 'read';
  if (operationId.includes('-org-') || operationId.includes('-for-org-')) return ['organization_secrets', access];
  if (operationId.includes('-environment-')) return ['environments', access];
  return ['secrets', access];
}

function allows(token: Token, [permission, access]: [Permission, Access]): boolean {
  const granted = token.permissions[permission];
  return granted === 'write' || granted === access;
}

const MOVED_DOCS = 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects';

/** `/repos/{owner}/{repo}/rest?query` for a renamed repository: 301 to `/repositories/{id}/rest?query`. */
function moved(call: GithubCall, repository: Repository): Reply {
  const rest = call.rawPath.split('/').slice(4).join('/');
  const location = `${call.base}/repositories/${repository.id}/${rest}${call.rawQuery ? `?${call.rawQuery}` : ''}`;
  const reply = json(301, { message: 'Moved Permanently', url: location, documentation_url: MOVED_DOCS });
  reply.headers = { ...reply.headers, location };
  return reply;
}

/** Where the request's secrets live, or GitHub's answer: 301 for a renamed repository, 404 for anything unknown. */
function targetOf(call: GithubCall, notFound: () => Reply): Target | Reply {
  const { params } = call.match;
  const { github } = call.state;
  if (params.org !== undefined) {
    const org = github.organization(params.org);
    return org ? { destination: org.destination, org: org.login } : notFound();
  }
  let repository: Repository | undefined;
  if (params.repository_id !== undefined) repository = github.repositoryById(Number(params.repository_id));
  else {
    const fullName = `${params.owner}/${params.repo}`;
    repository = github.repository(fullName);
    const renamed = repository ? undefined : github.renamedFrom(fullName);
    if (renamed) return moved(call, renamed);
  }
  if (!repository) return notFound();
  if (params.environment_name === undefined) return { destination: repository.actions, repository };
  const environment = repository.environments.get(params.environment_name.toLowerCase());
  return environment ? { destination: environment.destination, repository } : notFound();
}

/** The answer GitHub gives a request its description refuses: 415, 400 (unparseable JSON) or 422 with every reason. */
function refusal(problems: Problem[], documentationUrl: string): Reply | undefined {
  for (const status of [415, 400] as const) {
    const problem = problems.find((candidate) => candidate.status === status);
    if (problem) return githubError(status, status === 400 ? 'Problems parsing JSON' : problem.message, documentationUrl);
  }
  const invalid = problems.filter((problem) => problem.status === 422);
  if (invalid.length === 0) return undefined;
  return githubError(422, `Invalid request.\n\n${invalid.map((problem) => problem.message).join('\n')}`, documentationUrl);
}

export function handleGithub(call: GithubCall): Reply {
  const { operation } = call.match;
  const docs = operation.documentationUrl;
  const notFound = () => githubError(404, 'Not Found', docs);
  if (call.authorization === undefined) return githubError(401, 'Requires authentication', docs);
  const [scheme = '', credential = ''] = call.authorization.split(' ');
  const token = /^(token|bearer)$/i.test(scheme) ? call.state.github.tokens.get(credential) : undefined;
  if (!token) return githubError(401, 'Bad credentials', docs);

  const target = targetOf(call, notFound);
  if ('status' in target) return target;
  const needed = permissionOf(operation.operationId);
  if (!allows(token, needed)) {
    const reply = githubError(403, `Resource not accessible by ${token.actor}`, docs);
    reply.headers = { ...reply.headers, 'x-accepted-github-permissions': `${needed[0]}=${needed[1]}` };
    return reply;
  }
  const refused = refusal(call.problems, docs);
  if (refused) return refused;

  const name = call.match.params.secret_name?.toUpperCase() ?? '';
  switch (routeOf(operation.operationId)) {
    case 'gh-public-key':
      return json(200, { key_id: target.destination.keyId, key: sodium.to_base64(target.destination.publicKey, sodium.base64_variants.ORIGINAL) });
    case 'gh-secret-get':
      return readSecret(call, target, name, notFound);
    case 'gh-secret-repos':
      return listSelectedRepositories(call, target, name, notFound);
    case 'gh-secret-put':
      return writeSecret(call, target, name, docs);
  }
}

function readSecret(call: GithubCall, { destination, org }: Target, name: string, notFound: () => Reply): Reply {
  const secret = destination.secrets.get(name);
  if (!secret) return notFound();
  const metadata = { name, created_at: secret.createdAt, updated_at: secret.updatedAt };
  if (org === undefined) return json(200, metadata);
  if (secret.visibility !== 'selected') return json(200, { ...metadata, visibility: secret.visibility });
  const repositoriesUrl = `${call.base}/orgs/${org}/actions/secrets/${name}/repositories`;
  return json(200, { ...metadata, visibility: secret.visibility, selected_repositories_url: repositoriesUrl });
}

/** One page of an org secret's selected repositories, with GitHub's Link header when there are more pages. */
function listSelectedRepositories(call: GithubCall, { destination }: Target, name: string, notFound: () => Reply): Reply {
  const secret = destination.secrets.get(name);
  if (!secret?.selectedRepositoryIds) return notFound();
  const { github } = call.state;
  const repositories = secret.selectedRepositoryIds.map((id) => github.repositoryById(id)).filter((repository) => repository !== undefined);
  const query = new URLSearchParams(call.rawQuery);
  const perPage = positive(query.get('per_page')) ?? 30;
  const page = positive(query.get('page')) ?? 1;
  const last = Math.max(1, Math.ceil(repositories.length / perPage));
  const slice = repositories.slice((page - 1) * perPage, page * perPage);
  const reply = json(200, { total_count: repositories.length, repositories: slice.map((repository) => minimalRepository(call.base, repository)) });
  const link = linkHeader(call, page, last);
  if (link) reply.headers = { ...reply.headers, link };
  return reply;
}

function positive(text: string | null): number | undefined {
  const value = Number(text ?? undefined);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** GitHub's order: prev, next, last, first; none on a single page. */
function linkHeader(call: GithubCall, page: number, last: number): string | undefined {
  const url = (to: number) => {
    const query = new URLSearchParams(call.rawQuery);
    query.set('page', String(to));
    return `<${call.base}${call.rawPath}?${query.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${url(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) links.push(`${url(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function minimalRepository(base: string, { id, fullName }: Repository) {
  const [owner = '', name = ''] = fullName.split('/');
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: fullName,
    owner: { login: owner, type: 'Organization' },
    private: true,
    html_url: `https://github.com/${fullName}`,
    url: `${base}/repos/${fullName}`,
  };
}

/** The sealed box's plaintext, or undefined when it is not a box sealed to this destination's key. */
function unseal({ publicKey, privateKey }: Destination, encryptedValue: string): string | undefined {
  try {
    const box = sodium.from_base64(encryptedValue, sodium.base64_variants.ORIGINAL);
    return sodium.crypto_box_seal_open(box, publicKey, privateKey, 'text');
  } catch {
    return undefined;
  }
}

type Visibility = Pick<GithubSecret, 'visibility' | 'selectedRepositoryIds'>;

/** An org secret's visibility fields as written (the description already checked their types), or why GitHub refuses them. */
function visibilityOf(input: Record<string, unknown>, existing: GithubSecret | undefined): Visibility | string {
  const visibility = input.visibility as string;
  const ids = input.selected_repository_ids as Array<number | string> | undefined;
  if (visibility !== 'selected') {
    return ids === undefined ? { visibility } : 'selected_repository_ids can only be given when visibility is selected.';
  }
  if (ids === undefined) return { visibility, selectedRepositoryIds: existing?.selectedRepositoryIds ?? [] };
  const numbers = ids.map(Number);
  if (!numbers.every((id) => Number.isSafeInteger(id) && id > 0)) return 'selected_repository_ids must be repository ids.';
  return { visibility, selectedRepositoryIds: numbers };
}

function writeSecret(call: GithubCall, { destination, org }: Target, name: string, docs: string): Reply {
  const input = JSON.parse(call.body) as Record<string, unknown>;
  const invalid = (message: string) => githubError(422, `Invalid request.\n\n${message}`, docs);
  const encryptedValue = input.encrypted_value as string | undefined;
  const keyId = input.key_id as string | undefined;
  const existing = destination.secrets.get(name);
  let visibility: Visibility = {};
  if (org !== undefined) {
    const written = visibilityOf(input, existing);
    if (typeof written === 'string') return invalid(written);
    visibility = written;
  }
  let plaintext = existing?.plaintext;
  // An org secret's visibility may change alone; a value always comes with the key it is sealed to.
  if (encryptedValue !== undefined || keyId !== undefined || org === undefined) {
    if (encryptedValue === undefined) return invalid('"encrypted_value" wasn\'t supplied.');
    if (keyId === undefined) return invalid('"key_id" wasn\'t supplied.');
    if (keyId !== destination.keyId) return invalid(`key_id ${keyId} is not the key of this secret's public key.`);
    plaintext = unseal(destination, encryptedValue);
    if (plaintext === undefined) return invalid('encrypted_value is not a sealed box for this public key.');
  }
  if (plaintext === undefined) return invalid('"encrypted_value" wasn\'t supplied: a new secret needs a value.');

  const now = call.state.iso();
  destination.secrets.set(name, {
    plaintext,
    keyId: keyId ?? existing?.keyId ?? destination.keyId,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    ...visibility,
  });
  return existing ? { status: 204, headers: {}, body: '' } : json(201, {});
}
