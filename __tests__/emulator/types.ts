// The contract between the Prefect Cloud / GitHub emulator and the tests that drive it.

/** Every route the action can call; faults are switched per route. */
export type RouteName =
  | 'health' // GET  /api/accounts/{a}/workspaces/{w}/health
  | 'me' // GET  /api/me/
  | 'me-workspaces' // GET  /api/me/workspaces
  | 'me-api-keys' // GET  /api/me/api_keys
  | 'me-permissions' // GET  /api/me/accounts/{a}/permissions
  | 'me-scopes' // GET  /api/me/workspaces/{w}/scopes
  | 'bots-read' // GET  /api/accounts/{a}/bots/{id}
  | 'bots-filter' // POST /api/accounts/{a}/bots/filter
  | 'bots-rotate' // POST /api/accounts/{a}/bots/{id}/rotate_api_key
  | 'bots-keys' // GET  /api/accounts/{a}/bots/{id}/read_bot_api_keys
  | 'bots-delete-key' // DELETE /api/accounts/{a}/bots/{id}/delete_bot_api_key/{api_key_id}
  | 'graphql' // POST /graphql (every operation)
  | 'graphql:auth_info'
  | 'graphql:auth_api_key'
  | 'graphql:create_api_key'
  | 'graphql:delete_api_key'
  | GithubRouteName;

/** GitHub's routes, on the GitHub servers (`githubUrl`, `ghesUrl`); `/repositories/{id}/...` serves the `/repos/o/r/...` ones too. */
export type GithubRouteName =
  | 'gh-public-key' // GET  {/repos/o/r|/repos/o/r/environments/e|/orgs/o}/actions/secrets/public-key
  | 'gh-secret-get' // GET  .../secrets/{name}
  | 'gh-secret-put' // PUT  .../secrets/{name}
  | 'gh-secret-repos'; // GET  /orgs/o/actions/secrets/{name}/repositories (an org secret's selected repositories)

/** One injected misbehaviour. Exactly one of the behaviour fields is normally set. */
export interface Fault {
  /** Answer with this status (and `body`, default a JSON `{"detail": ...}`). */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Sets the Retry-After header (seconds or an HTTP date). */
  retryAfter?: string | number;
  /** Wait this long before answering (normally, or with the fault's status). */
  delayMs?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /**
   * Hold the request until this settles (the test acts meanwhile: signals the step in-process), then answer as the other fields say.
   * `gone` aborts if the client closes the connection first (it gave up on the request).
   */
  hold?: (gone: AbortSignal) => Promise<void>;
  /** Send the status line, headers and half of a body, then destroy the socket. */
  reset?: boolean;
  /** Send the status line, headers and half of a body, then nothing more: the answer stalls mid-body. */
  stall?: boolean;
  /** 200 with a truncated JSON body. */
  malformed?: boolean;
  /** 200 with an empty body. */
  empty?: boolean;
  /** 502 with an HTML error page, as a load balancer sends. */
  html?: boolean;
  /** This status (401, 403, ...) with an HTML page (`content-type: text/html`), as a proxy or firewall in front of Prefect sends. */
  htmlStatus?: number;
  /** GraphQL routes: HTTP 200 with `{"errors":[{"message", "extensions":{"code"}}]}`. */
  graphqlError?: { message: string; code: string };
  /** How many matching requests get the fault; default every one until cleared. */
  times?: number;
  /** Apply the request's effect first (create the key, store the secret), then misbehave. */
  after?: boolean;
  /** GitHub routes: answer with GitHub's rate-limit response (see `Emulator.githubRateLimit`). */
  githubRateLimit?: GithubRateLimit;
}

/** A rate-limit answer exactly as GitHub sends it. */
export interface GithubRateLimit {
  /** 'primary': the hourly quota is spent (x-ratelimit-remaining 0); 'secondary': an abuse limit. */
  kind: 'primary' | 'secondary';
  /** Default 403; GitHub sends either. */
  status?: 403 | 429;
  /** Sends Retry-After; without it, none (a secondary limit then says only "wait a few minutes"). */
  retryAfterSeconds?: number;
  /** x-ratelimit-reset is this far ahead (primary: default 1 s; secondary: default the end of the token's hourly window). */
  resetInSeconds?: number;
  /** How many requests get it; default 1. */
  times?: number;
}

/** A request GitHub's documented rules forbid; real GitHub may ban an integration that makes them. */
export interface GithubLimitBreach {
  at: number; // Date.now() on arrival
  method: string;
  path: string;
  /**
   * 'concurrent': a mutating request while another of the same token was in flight;
   * 'too-soon': a mutating request less than 1000 ms after the previous one's arrival;
   * 'while-limited': any request while an announced rate limit (reset or Retry-After) was in force.
   */
  reason: 'concurrent' | 'too-soon' | 'while-limited';
}

export interface RecordedRequest {
  at: number; // Date.now() on arrival
  service: 'prefect' | 'github';
  method: string;
  path: string; // path and query as received (on the GHES server, with its /api/v3 prefix)
  route: RouteName | 'unknown';
  authorization: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** For GraphQL: the operation's root field, e.g. 'create_api_key'. */
  operation?: string;
  /** For GitHub: the operation of GitHub's OpenAPI description the request matched, e.g. 'actions/get-repo-public-key'. */
  operationId?: string;
  /** For GitHub: how the request departs from GitHub's description (empty when it conforms; always empty for Prefect). */
  violations: string[];
}

export interface KeyRecord {
  id: string;
  value: string;
  /** The owner's id: a user's, a bot's (its `id`, not its `actor_id`) or a Cloud 1 actor's. */
  actorId: string;
  /** Who created it: the owner, the actor that rotated it, or (Cloud 1) the actor that called create_api_key. */
  createdBy: string;
  name: string;
  created: string; // RFC 3339
  expiration: string | null; // the key's own expiry
  /** Set when a rotation's grace period ends (REST) or when deleted. */
  revokedAt: string | null;
}

/** Prefect Cloud's built-in account roles. */
export type AccountRoleName = 'Owner' | 'Admin' | 'Member';

/** Prefect Cloud's built-in workspace roles; any other name is a custom role, given with its scopes. */
export type WorkspaceRoleName = 'Viewer' | 'Runner' | 'Developer' | 'Owner' | 'Worker';

/** A Prefect Cloud 1 tenant role. */
export type Cloud1Role = 'ADMINISTRATOR' | 'USER' | 'READ_ONLY_USER';

/** How `GET /api/me/api_keys` answers an actor: its keys (200), 403 `{"detail": ...}`, or 404 as for a route that does not exist. */
export type MeApiKeysAnswer = 200 | 403 | 404;

/** The deterministic data every emulator starts with. All ids are UUIDs. */
export interface Seed {
  account: { id: string; handle: string };
  otherAccount: { id: string; handle: string };
  workspaces: {
    prod: { id: string; handle: string };
    staging: { id: string; handle: string };
    sandbox: { id: string; handle: string; accountId: string }; // in otherAccount
  };
  /**
   * A user: account Owner (so implicit workspace Owner everywhere in acme), explicit Owner of prod and staging.
   * Keys: `key` never expires; `expiringKey` expires `expiringKeyDays` days after the emulator starts or resets; `expiredKey` below.
   */
  user: { id: string; handle: string; key: string; keyId: string; expiringKey: string; expiringKeyId: string; expiringKeyDays: number };
  /**
   * The deploy service account, as usually set up: account Member (`read:bot`, not `update:bot`), Developer in prod only.
   * It may check its own key but not rotate it; `adminBot`'s key (or the user's) rotates it. `actorId` is its actor id (not `id`).
   */
  bot: { id: string; actorId: string; name: string; key: string; keyId: string };
  /** A service account with the account Admin role (`update:bot`): explicit Owner of prod, implicit Owner of staging. Its key rotates others. */
  adminBot: { id: string; actorId: string; name: string; key: string; keyId: string };
  /** A deploy service account (account Member) that belongs to staging only (Developer): not a member of prod. */
  outsideBot: { id: string; actorId: string; name: string; key: string; keyId: string };
  /** A service account (account Member) whose custom role in prod ('No access') grants no scope: /health answers 403. */
  viewerBot: { id: string; actorId: string; name: string; key: string; keyId: string };
  /** A well-formed key nobody owns: 401 everywhere. */
  unknownKey: string;
  /** A key of `user` that expired yesterday: 401. */
  expiredKey: string;
  expiredKeyId: string;
  /**
   * Prefect Cloud 1: a tenant; its service account (role ADMINISTRATOR unless changed) and that account's current key, which
   * the tenant's admin user `adminUserId` created; `apiToken`, an old API token (auth_info answers `tenant_id: null`);
   * the tenant's role ids as auth_info's `role_id` gives them.
   */
  cloud1: {
    tenantId: string;
    serviceAccountId: string;
    key: string;
    keyId: string;
    keyName: string;
    adminUserId: string;
    apiToken: string;
    roleIds: Record<Cloud1Role, string>;
  };
  github: {
    /** May read public keys and write secrets everywhere below. */
    writeToken: string;
    /** Valid, but has no Secrets permission: 403 "Resource not accessible by personal access token". */
    readOnlyToken: string;
    /** Repository "Secrets: Read and write" only: no "Environments" (environment secrets) and no organization secrets. */
    secretsOnlyToken: string;
    repo: string; // 'octo/app'
    otherRepo: string; // 'octo/lib'
    environment: string; // 'production' on repo
    org: string; // 'octo'
    /** Repository ids by full name, as `selected_repository_ids` holds them. */
    repositoryIds: Record<string, number>;
    /** An org secret that exists already, with visibility 'selected'. */
    orgSecret: { name: string; visibility: 'selected'; selectedRepositoryIds: number[] };
  };
}

/** Where a GitHub secret lives. */
export type SecretScope = { repo: string; name: string } | { repo: string; environment: string; name: string } | { org: string; name: string };

export interface StoredSecret {
  plaintext: string; // opened with the destination's private key
  keyId: string;
  updatedAt: string;
  visibility?: string; // org secrets
  selectedRepositoryIds?: number[];
}

export interface Emulator {
  url: string; // http://127.0.0.1:PORT, Prefect
  apiUrl: string; // `${url}/api`: the Prefect REST base
  graphqlUrl: string; // `${url}/graphql`: the Cloud 1 endpoint
  /** http://127.0.0.1:PORT2, no path and no trailing slash, as GITHUB_API_URL is on github.com. */
  githubUrl: string;
  /** http://127.0.0.1:PORT3/api/v3: the same GitHub as a GitHub Enterprise Server serves it (nothing outside /api/v3/). */
  ghesUrl: string;
  seed: Seed;
  /** Every request to every server, in arrival order. */
  requests: RecordedRequest[];
  fault(route: RouteName, fault: Fault): void;
  clearFaults(): void;
  /** Arms a rate-limit answer on a GitHub route; the token it answers is then limited until the announced reset or Retry-After. */
  githubRateLimit(route: GithubRouteName, limit: GithubRateLimit): void;
  /** Requests that break GitHub's documented rules, in arrival order; one made while limited was answered with the limit again. */
  readonly githubLimitBreaches: GithubLimitBreach[];
  /** The most mutating GitHub requests (PUT, POST, PATCH, DELETE) in flight at once, since the last reset(). */
  readonly maxConcurrentGithubMutations: number;
  /** Renames a repository: its secrets and environments move; the old name answers 301 to `/repositories/{id}/...`. */
  renameRepository(oldFullName: string, newFullName: string): void;
  /** Creates a repository with its own sealed-box key pair; returns its id. */
  addRepository(fullName: string): number;
  /** Creates an environment (any name GitHub allows, '/' included) with its own key pair. */
  addEnvironment(repo: string, name: string): void;
  /** Gives a repository, environment or organization a new sealed-box key pair, as GitHub may: the old key_id is refused from then on. */
  replaceGithubKeyPair(place: { repo: string } | { repo: string; environment: string } | { org: string }): void;
  /** Until the next reset(), GitHub requests that depart from GitHub's description do not fail the test file (see useEmulator). */
  expectViolations(): void;
  /** Back to the seed: keys, secrets, repositories, requests, faults, clock, rate-limit bookkeeping. */
  reset(): void;
  /** Moves the emulator's clock forward (key expiry, rotation grace). */
  advance(ms: number): void;
  /** Keys of an actor (user, bot by its id or actor id, or Cloud 1 actor) not revoked, expired or past grace. */
  liveKeys(actorId: string): KeyRecord[];
  /** Sets a key's own expiry (by key id or value): an RFC 3339 date, a Date, or null for never; a past date makes it expired. */
  setKeyExpiration(key: string, expiration: string | Date | null): void;
  /**
   * Creates a service account in the seed's account (acme), a Member of no workspace, with one key that expires at
   * `expiration` (a date, or null for never; default never). Listed by bots/filter after the seed's, in creation order.
   */
  addServiceAccount(name: string, expiration?: string | Date | null): { id: string; keyId: string; key: string };
  /** Sets an actor's account role (by user, bot or actor id): its account permissions follow from it. */
  setAccountRole(actorId: string, role: AccountRoleName): void;
  /** Makes an actor a member of a workspace with a built-in role, or a custom role with exactly `scopes`; null removes the membership. */
  setWorkspaceRole(actorId: string, workspaceId: string, role: WorkspaceRoleName | (string & Record<never, never>) | null, scopes?: readonly string[]): void;
  /** How `GET /api/me/api_keys` answers this actor from now on (default 200 for users and service accounts). */
  setMeApiKeysAnswer(actorId: string, answer: MeApiKeysAnswer): void;
  /** Sets a Cloud 1 actor's tenant role: USER and READ_ONLY_USER see only the keys they created; READ_ONLY_USER may not create or delete keys. */
  setCloud1Role(actorId: string, role: Cloud1Role): void;
  /** Arms Cloud 1's transient `API_ERROR` (HTTP 200, `extensions.code` 'API_ERROR') on one operation (default any), `times` times (default 1). */
  cloud1ApiError(operation?: 'auth_info' | 'auth_api_key' | 'create_api_key' | 'delete_api_key', times?: number): void;
  /** True when the value authenticates right now. */
  isKeyLive(value: string): boolean;
  secret(scope: SecretScope): StoredSecret | undefined;
  close(): Promise<void>;
}
