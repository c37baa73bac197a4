// Everything the emulator remembers: accounts, workspaces, actors with their roles, keys, GitHub's world, and its own clock.
import { randomInt, randomUUID } from 'node:crypto';
import type { GithubSecret } from './github-state.ts';
import { GithubState } from './github-state.ts';
import { hasImplicitWorkspaceOwnership, isBuiltInWorkspaceRole, WORKSPACE_ROLE_SCOPES } from './roles.ts';
import type { AccountRoleName, Cloud1Role, KeyRecord, MeApiKeysAnswer, Seed, SecretScope } from './types.ts';

export interface Account {
  id: string; // a Prefect Cloud account, or a Cloud 1 tenant
  handle: string;
  name: string;
}

export interface Workspace {
  id: string;
  handle: string;
  name: string;
  description: string;
  account: Account;
}

/** An explicit workspace membership: a built-in role with its scopes, or a custom role with the scopes it was given. */
export interface Membership {
  workspace: Workspace;
  role: string;
  scopes: readonly string[];
}

export interface Actor {
  /** A user's id, a bot's id (what /bots/{id} takes), or a Cloud 1 user's or service account's id. */
  id: string;
  /** Prefect's actor id: a bot's differs from its id; for the others it is the id. */
  actorId: string;
  kind: 'user' | 'bot' | 'cloud1-user' | 'cloud1-service-account';
  name: string; // a user's handle, a service account's name
  account: Account;
  /** Prefect Cloud 2/3 account role; Cloud 1 actors have `cloud1Role` instead. */
  accountRole: AccountRoleName;
  cloud1Role: Cloud1Role;
  memberships: Membership[];
  created: string;
  updated: string;
  /** How GET /api/me/api_keys answers this actor. */
  meApiKeys: MeApiKeysAnswer;
  profile?: { first_name: string; last_name: string; email: string };
}

/** What an actor may do in one workspace, explicitly or through its account role. */
export interface WorkspaceAccess {
  workspace: Workspace;
  role: string;
  scopes: readonly string[];
}

const DAY_MS = 86_400_000;
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh key value: `prefix` and `length` random letters and digits. */
export function randomKeyValue(prefix: string, length: number): string {
  return prefix + Array.from({ length }, () => ALPHANUMERICS[randomInt(ALPHANUMERICS.length)]).join('');
}

/** A built-in workspace role's membership, or a custom role's with `scopes`. */
function membership(workspace: Workspace, role: string, scopes?: readonly string[]): Membership {
  if (scopes) return { workspace, role, scopes: [...scopes] };
  if (!isBuiltInWorkspaceRole(role)) throw new Error(`'${role}' is not a built-in workspace role: give its scopes`);
  return { workspace, role, scopes: WORKSPACE_ROLE_SCOPES[role] };
}

type SeededKey = Pick<KeyRecord, 'id' | 'value' | 'name' | 'expiration'> & { createdBy?: string };

/** The world as the seed describes it. Needs `await sodium.ready` first. */
export class State {
  private offsetMs = 0;
  readonly actors = new Map<string, Actor>();
  readonly keys: KeyRecord[] = [];
  readonly workspaces: Workspace[];
  /** Cloud 1's old API tokens, by value: whose they are. */
  readonly cloud1Tokens = new Map<string, Actor>();
  /** auth_info's `role_id` for each Cloud 1 role. */
  readonly cloud1RoleIds: Record<Cloud1Role, string>;
  readonly github: GithubState;

  constructor(seed: Seed) {
    const longAgo = this.iso(this.now() - 30 * DAY_MS);
    const acme: Account = { ...seed.account, name: 'Acme Corporation' };
    const globex: Account = { ...seed.otherAccount, name: 'Globex' };
    const tenant: Account = { id: seed.cloud1.tenantId, handle: 'acme-legacy', name: 'Acme (Cloud 1)' };
    const prod: Workspace = { ...seed.workspaces.prod, name: 'prod', description: 'Production deployments', account: acme };
    const staging: Workspace = { ...seed.workspaces.staging, name: 'staging', description: 'Pre-release checks', account: acme };
    // Nobody in the seed belongs to globex's sandbox: asking for it answers 404.
    const sandbox: Workspace = { id: seed.workspaces.sandbox.id, handle: 'sandbox', name: 'sandbox', description: 'Experiments', account: globex };
    this.workspaces = [prod, staging, sandbox];
    this.cloud1RoleIds = { ...seed.cloud1.roleIds };

    const actor = (fields: Omit<Actor, 'created' | 'updated' | 'actorId' | 'meApiKeys' | 'cloud1Role'> & Partial<Actor>, ...keys: SeededKey[]) => {
      const record: Actor = { actorId: fields.id, meApiKeys: 200, cloud1Role: 'ADMINISTRATOR', created: longAgo, updated: longAgo, ...fields };
      this.actors.set(record.id, record);
      for (const { createdBy = record.id, ...key } of keys) this.keys.push({ ...key, actorId: record.id, createdBy, created: longAgo, revokedAt: null });
      return record;
    };
    const bot = (fields: Seed['bot'], accountRole: AccountRoleName, memberships: Membership[]) =>
      actor(
        { id: fields.id, actorId: fields.actorId, kind: 'bot', name: fields.name, account: acme, accountRole, memberships },
        { id: fields.keyId, value: fields.key, name: fields.name, expiration: null },
      );
    const { user, cloud1 } = seed;

    actor(
      {
        id: user.id,
        kind: 'user',
        name: user.handle,
        account: acme,
        accountRole: 'Owner',
        memberships: [membership(prod, 'Owner'), membership(staging, 'Owner')],
        profile: { first_name: 'Wile E.', last_name: 'Coyote', email: 'wile.coyote@acme.example' },
      },
      { id: user.keyId, value: user.key, name: 'laptop', expiration: null },
      { id: seed.expiredKeyId, value: seed.expiredKey, name: 'old laptop', expiration: this.iso(this.now() - DAY_MS) },
      { id: user.expiringKeyId, value: user.expiringKey, name: 'ci', expiration: this.iso(this.now() + user.expiringKeyDays * DAY_MS) },
    );
    bot(seed.bot, 'Member', [membership(prod, 'Developer')]);
    bot(seed.adminBot, 'Admin', [membership(prod, 'Owner')]);
    bot(seed.outsideBot, 'Member', [membership(staging, 'Developer')]);
    bot(seed.viewerBot, 'Member', [membership(prod, 'No access', [])]);

    const cloud1Admin = actor({ id: cloud1.adminUserId, kind: 'cloud1-user', name: 'wile-legacy', account: tenant, accountRole: 'Member', memberships: [] });
    actor(
      { id: cloud1.serviceAccountId, kind: 'cloud1-service-account', name: 'ci', account: tenant, accountRole: 'Member', memberships: [] },
      { id: cloud1.keyId, value: cloud1.key, name: cloud1.keyName, expiration: null, createdBy: cloud1Admin.id },
    );
    this.cloud1Tokens.set(cloud1.apiToken, cloud1Admin);

    this.github = new GithubState(seed, longAgo);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  isLive(key: KeyRecord): boolean {
    const now = this.now();
    const ended = (at: string | null) => at !== null && Date.parse(at) <= now;
    return !ended(key.revokedAt) && !ended(key.expiration);
  }

  /** An actor by its id or, for a bot, its actor id. */
  actor(id: string): Actor | undefined {
    return this.actors.get(id) ?? [...this.actors.values()].find((candidate) => candidate.actorId === id);
  }

  /** Like `actor`, but throws for an unknown id (a helper called with a wrong id). */
  requireActor(id: string): Actor {
    const found = this.actor(id);
    if (!found) throw new Error(`No actor ${id} in the emulator`);
    return found;
  }

  liveKeys(actorId: string): KeyRecord[] {
    const owner = this.actor(actorId)?.id ?? actorId;
    return this.keys.filter((key) => key.actorId === owner && this.isLive(key));
  }

  isKeyLive(value: string): boolean {
    return this.keys.some((key) => key.value === value && this.isLive(key));
  }

  /** The owner of a live key; Cloud 1 keys authenticate only on Cloud 1, the others only on Cloud 2/3. */
  actorForKey(value: string | undefined, cloud: 1 | 2): Actor | undefined {
    const key = this.keys.find((candidate) => candidate.value === value && this.isLive(candidate));
    const actor = key && this.actors.get(key.actorId);
    return actor && actor.kind.startsWith('cloud1-') === (cloud === 1) ? actor : undefined;
  }

  addKey(actorId: string, name: string, value: string, expiration: string | null, createdBy = actorId): KeyRecord {
    const key = { id: randomUUID(), value, actorId, createdBy, name, created: this.iso(), expiration, revokedAt: null };
    this.keys.push(key);
    return key;
  }

  /** A new service account of the seed's first account (acme), a Member of no workspace, with one key expiring at `expiration` (null: never). */
  addBot(name: string, expiration: string | null, accountRole: AccountRoleName = 'Member'): { actor: Actor; key: KeyRecord } {
    const account = this.workspaces[0]!.account;
    const created = this.iso();
    const actor: Actor = {
      id: randomUUID(),
      actorId: randomUUID(),
      kind: 'bot',
      name,
      account,
      accountRole,
      cloud1Role: 'ADMINISTRATOR',
      memberships: [],
      created,
      updated: created,
      meApiKeys: 200,
    };
    this.actors.set(actor.id, actor);
    return { actor, key: this.addKey(actor.id, name, randomKeyValue('pnb_', 36), expiration) };
  }

  /** Sets a key's own expiry, by its id or value. */
  setKeyExpiration(idOrValue: string, expiration: string | Date | null): void {
    const key = this.keys.find((candidate) => candidate.id === idOrValue || candidate.value === idOrValue);
    if (!key) throw new Error(`No key ${idOrValue.slice(0, 8)}… in the emulator`);
    key.expiration = expiration === null ? null : new Date(expiration).toISOString();
  }

  /** Sets (or, with a null role, removes) an actor's explicit membership of a workspace. */
  setWorkspaceRole(actorId: string, workspaceId: string, role: string | null, scopes?: readonly string[]): void {
    const actor = this.requireActor(actorId);
    const workspace = this.workspaces.find(({ id }) => id === workspaceId);
    if (!workspace) throw new Error(`No workspace ${workspaceId} in the emulator`);
    actor.memberships = actor.memberships.filter((held) => held.workspace !== workspace);
    if (role !== null) actor.memberships.push(membership(workspace, role, scopes));
  }

  /** What an actor may do in a workspace (under `accountId` when given): its explicit role, or Owner through an Owner or Admin account role. */
  workspaceAccess(actor: Actor, workspaceId: string, accountId?: string): WorkspaceAccess | undefined {
    const workspace = this.workspaces.find(({ id, account }) => id === workspaceId && (accountId === undefined || account.id === accountId));
    if (!workspace || actor.kind.startsWith('cloud1-')) return undefined;
    if (workspace.account === actor.account && hasImplicitWorkspaceOwnership(actor.accountRole)) {
      return { workspace, role: 'Owner', scopes: WORKSPACE_ROLE_SCOPES.Owner };
    }
    return actor.memberships.find((held) => held.workspace === workspace);
  }

  /** The workspaces an actor may enter, explicitly or through its account role, in the seed's order. */
  accessibleWorkspaces(actor: Actor): Workspace[] {
    return this.workspaces.filter(({ id }) => this.workspaceAccess(actor, id) !== undefined);
  }

  secret(scope: SecretScope): GithubSecret | undefined {
    return this.github.secret(scope);
  }
}
