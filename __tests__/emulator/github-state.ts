// GitHub's part of the emulator's world: repositories (renamed ones too) with their environments, organisations,
// each with its own sealed-box key pair and secrets, and the tokens with their fine-grained permissions.
import sodium from 'libsodium-wrappers';
import type { SecretScope, Seed, StoredSecret } from './types.ts';

export interface GithubSecret extends StoredSecret {
  createdAt: string;
}

/** Somewhere GitHub secrets live, with its own sealed-box key pair. Secrets are keyed by upper-case name (GitHub ignores case). */
export interface Destination {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
  secrets: Map<string, GithubSecret>;
}

export interface Environment {
  name: string;
  destination: Destination;
}

export interface Repository {
  id: number;
  fullName: string; // as last named: 'octo/app'
  actions: Destination;
  /** By lower-case name: GitHub's environment names ignore case. */
  environments: Map<string, Environment>;
}

export interface Organization {
  login: string;
  id: number;
  destination: Destination;
}

/** A GitHub App permission, as `x-accepted-github-permissions` names it; fine-grained tokens carry the same ones. */
export type Permission = 'secrets' | 'environments' | 'organization_secrets';
export type Access = 'read' | 'write';

export interface Token {
  /** Who GitHub says cannot do something: 'personal access token' (github_pat_...) or 'integration' (an App's ghs_...). */
  actor: 'personal access token' | 'integration';
  permissions: Partial<Record<Permission, Access>>;
}

/** Where secrets live: a scope without the secret's name. */
export type Place = { repo: string } | { repo: string; environment: string } | { org: string };

const ALL: Token['permissions'] = { secrets: 'write', environments: 'write', organization_secrets: 'write' };

export class GithubState {
  readonly tokens = new Map<string, Token>();
  readonly #repositories = new Map<number, Repository>();
  /** Lower-case full name → id, for the names repositories have now. */
  readonly #names = new Map<string, number>();
  /** Lower-case full name → id, for names repositories had before a rename. */
  readonly #formerNames = new Map<string, number>();
  readonly #orgs = new Map<string, Organization>();
  #nextKeyId = 568250167242549743n;
  #nextRepositoryId = 1;

  /** `createdAt` is when the seed's organisation secret was written. */
  constructor(seed: Seed, createdAt: string) {
    const { github } = seed;
    this.tokens.set(github.writeToken, { actor: 'personal access token', permissions: ALL });
    this.tokens.set(github.readOnlyToken, { actor: 'personal access token', permissions: {} });
    this.tokens.set(github.secretsOnlyToken, { actor: 'personal access token', permissions: { secrets: 'write' } });
    for (const [fullName, id] of Object.entries(github.repositoryIds)) this.addRepository(fullName, id);
    this.addEnvironment(github.repo, github.environment);
    const org = this.#addOrganization(github.org, 9_919_919);
    org.destination.secrets.set(github.orgSecret.name.toUpperCase(), {
      plaintext: seed.bot.key,
      keyId: org.destination.keyId,
      createdAt,
      updatedAt: createdAt,
      visibility: github.orgSecret.visibility,
      selectedRepositoryIds: [...github.orgSecret.selectedRepositoryIds],
    });
  }

  /** The repository named so now (any case). */
  repository(fullName: string): Repository | undefined {
    const id = this.#names.get(fullName.toLowerCase());
    return id === undefined ? undefined : this.#repositories.get(id);
  }

  /** The repository that was named so before a rename, unless another one has the name now. */
  renamedFrom(fullName: string): Repository | undefined {
    if (this.repository(fullName)) return undefined;
    const id = this.#formerNames.get(fullName.toLowerCase());
    return id === undefined ? undefined : this.#repositories.get(id);
  }

  repositoryById(id: number): Repository | undefined {
    return this.#repositories.get(id);
  }

  organization(login: string): Organization | undefined {
    return this.#orgs.get(login.toLowerCase());
  }

  addRepository(fullName: string, id = this.#freeRepositoryId()): Repository {
    if (!/^[^/]+\/[^/]+$/.test(fullName)) throw new Error(`a repository is 'owner/name', not '${fullName}'`);
    if (this.repository(fullName)) throw new Error(`repository ${fullName} exists already`);
    if (this.#repositories.has(id)) throw new Error(`repository id ${id} is taken`);
    const repository: Repository = { id, fullName, actions: this.#destination(), environments: new Map() };
    this.#repositories.set(id, repository);
    this.#names.set(fullName.toLowerCase(), id);
    this.#nextRepositoryId = Math.max(this.#nextRepositoryId, id + 1);
    return repository;
  }

  addEnvironment(repo: string, name: string): Environment {
    const repository = this.repository(repo);
    if (!repository) throw new Error(`no repository ${repo}`);
    if (name === '' || name.length > 255) throw new Error(`an environment name has 1 to 255 characters, not ${name.length}`);
    if (repository.environments.has(name.toLowerCase())) throw new Error(`environment ${name} of ${repo} exists already`);
    const environment = { name, destination: this.#destination() };
    repository.environments.set(name.toLowerCase(), environment);
    return environment;
  }

  rename(oldFullName: string, newFullName: string): void {
    const repository = this.repository(oldFullName);
    if (!repository) throw new Error(`no repository ${oldFullName}`);
    if (!/^[^/]+\/[^/]+$/.test(newFullName)) throw new Error(`a repository is 'owner/name', not '${newFullName}'`);
    const taken = this.repository(newFullName);
    if (taken && taken !== repository) throw new Error(`repository ${newFullName} exists already`);
    this.#names.delete(oldFullName.toLowerCase());
    this.#formerNames.set(oldFullName.toLowerCase(), repository.id);
    this.#formerNames.delete(newFullName.toLowerCase());
    this.#names.set(newFullName.toLowerCase(), repository.id);
    repository.fullName = newFullName;
  }

  /** Where a scope's secret lives; a repository may be named by a name it had before a rename. */
  destination(scope: Place): Destination | undefined {
    if ('org' in scope) return this.organization(scope.org)?.destination;
    const repository = this.repository(scope.repo) ?? this.renamedFrom(scope.repo);
    if (!repository) return undefined;
    return 'environment' in scope ? repository.environments.get(scope.environment.toLowerCase())?.destination : repository.actions;
  }

  secret(scope: SecretScope): GithubSecret | undefined {
    return this.destination(scope)?.secrets.get(scope.name.toUpperCase());
  }

  /** GitHub gives a place a new sealed-box key pair: a value sealed for the old key_id is refused (422) from now on. */
  replaceKeyPair(place: Place): void {
    const destination = this.destination(place);
    if (!destination) throw new Error(`the emulator's GitHub has no ${JSON.stringify(place)}`);
    const { keyId, publicKey, privateKey } = this.#destination();
    Object.assign(destination, { keyId, publicKey, privateKey });
  }

  #addOrganization(login: string, id: number): Organization {
    const org = { login, id, destination: this.#destination() };
    this.#orgs.set(login.toLowerCase(), org);
    return org;
  }

  #freeRepositoryId(): number {
    while (this.#repositories.has(this.#nextRepositoryId)) this.#nextRepositoryId += 1;
    return this.#nextRepositoryId;
  }

  #destination(): Destination {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    const keyId = String(this.#nextKeyId);
    this.#nextKeyId += 1n;
    return { keyId, publicKey, privateKey, secrets: new Map() };
  }
}
