// GitHub's Actions secrets API under /github: public keys, and secrets written as sealed boxes.
import sodium from 'libsodium-wrappers';
import type { Call, Handler, Reply, Route } from './http.ts';
import { credential, json, parseObject, route } from './http.ts';
import type { Destination, GithubSecret } from './state.ts';

const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
const VISIBILITIES = ['all', 'private', 'selected'];

type DestinationHandler = (call: Call, destination: Destination, name: string) => Reply;

/** Runs `handler` for a token allowed to manage secrets, on a destination that exists. */
function guarded(handler: DestinationHandler): Handler {
  return (call, destinationId = '', name = '') => {
    const token = credential(call.headers, 'Bearer', 'token');
    if (!token) return json(401, { message: 'Requires authentication' });
    const access = call.state.tokens.get(token);
    if (!access) return json(401, { message: 'Bad credentials' });
    if (access === 'read-only') return json(403, { message: 'Resource not accessible by integration' });
    const destination = call.state.destinations.get(destinationId);
    return destination ? handler(call, destination, name) : json(404, NOT_FOUND);
  };
}

function readPublicKey(_call: Call, { keyId, publicKey }: Destination): Reply {
  return json(200, { key_id: keyId, key: sodium.to_base64(publicKey, sodium.base64_variants.ORIGINAL) });
}

function readSecret({ headers }: Call, destination: Destination, name: string): Reply {
  const secret = destination.secrets.get(name);
  if (!secret) return json(404, NOT_FOUND);
  const metadata = { name, created_at: secret.createdAt, updated_at: secret.updatedAt };
  if (!destination.isOrg) return json(200, metadata);
  const repositoriesUrl = `http://${headers.host}/github/${destination.id}/secrets/${name}/repositories`;
  return json(200, { ...metadata, visibility: secret.visibility, selected_repositories_url: repositoriesUrl });
}

function readSelectedRepositories({ state }: Call, destination: Destination, name: string): Reply {
  const ids = destination.secrets.get(name)?.selectedRepositoryIds;
  if (!destination.isOrg || !ids) return json(404, NOT_FOUND);
  const repositories = [...state.repositoryIds].filter(([, id]) => ids.includes(id)).map(([fullName, id]) => ({ id, full_name: fullName }));
  return json(200, { total_count: repositories.length, repositories });
}

function invalid(message: string): Reply {
  return json(422, { message: `Invalid request.\n\n${message}`, documentation_url: 'https://docs.github.com/rest' });
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

/** An org secret's visibility fields, or undefined when the request's visibility is missing or unknown. */
function visibilityOf(input: Record<string, unknown>, existing: GithubSecret | undefined) {
  const { visibility, selected_repository_ids: ids } = input;
  if (typeof visibility !== 'string' || !VISIBILITIES.includes(visibility)) return undefined;
  if (visibility !== 'selected') return { visibility };
  return { visibility, selectedRepositoryIds: isIdList(ids) ? ids : (existing?.selectedRepositoryIds ?? []) };
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => typeof id === 'number');
}

function writeSecret({ state, body }: Call, destination: Destination, name: string): Reply {
  const input = parseObject(body) ?? {};
  const { encrypted_value: encryptedValue, key_id: keyId } = input;
  if (typeof encryptedValue !== 'string' || typeof keyId !== 'string') {
    return invalid('encrypted_value and key_id are required.');
  }
  if (keyId !== destination.keyId) return invalid(`key_id ${keyId} is not this destination's public key.`);
  const plaintext = unseal(destination, encryptedValue);
  if (plaintext === undefined) return invalid('encrypted_value could not be decrypted.');
  const existing = destination.secrets.get(name);
  const visibility = destination.isOrg ? visibilityOf(input, existing) : {};
  if (!visibility) return invalid(`visibility must be one of ${VISIBILITIES.join(', ')}.`);

  const now = state.iso();
  const createdAt = existing?.createdAt ?? now;
  destination.secrets.set(name, { plaintext, keyId, createdAt, updatedAt: now, ...visibility });
  return existing ? { status: 204, headers: {}, body: '' } : json(201, {});
}

/** Captures the destination's id (see `Destination.id`). */
const SECRETS = '/github/(repos/[^/]+/[^/]+/actions|repos/[^/]+/[^/]+/environments/[^/]+|orgs/[^/]+/actions)/secrets';

export const githubRoutes: Route[] = [
  route('GET', 'gh-public-key', `${SECRETS}/public-key`, guarded(readPublicKey)),
  route('GET', 'gh-secret-get', `${SECRETS}/([^/]+)`, guarded(readSecret)),
  route('PUT', 'gh-secret-put', `${SECRETS}/([^/]+)`, guarded(writeSecret)),
  route('GET', 'gh-secret-get', `${SECRETS}/([^/]+)/repositories`, guarded(readSelectedRepositories)),
];
