// Everything the emulator remembers: accounts, actors, keys, GitHub's world, and its own clock.
import { randomInt, randomUUID } from 'node:crypto';
import type { GithubSecret } from './github-state.ts';
import { GithubState } from './github-state.ts';
import type { KeyRecord, Seed, SecretScope } from './types.ts';

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

export interface Membership {
  workspace: Workspace;
  role: string;
  canRead: boolean;
}

export interface Actor {
  id: string;
  kind: 'user' | 'bot' | 'cloud1-service-account';
  name: string; // a user's handle, a service account's name
  account: Account;
  accountRole: 'Owner' | 'Admin' | 'Member';
  memberships: Membership[];
  created: string;
  profile?: { first_name: string; last_name: string; email: string };
}

const DAY_MS = 86_400_000;
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh key value: `prefix` and `length` random letters and digits. */
export function randomKeyValue(prefix: string, length: number): string {
  return prefix + Array.from({ length }, () => ALPHANUMERICS[randomInt(ALPHANUMERICS.length)]).join('');
}

/** The world as the seed describes it. Needs `await sodium.ready` first. */
export class State {
  private offsetMs = 0;
  readonly actors = new Map<string, Actor>();
  readonly keys: KeyRecord[] = [];
  readonly github: GithubState;

  constructor(seed: Seed) {
    const longAgo = this.iso(this.now() - 30 * DAY_MS);
    const acme: Account = { ...seed.account, name: 'Acme Corporation' };
    const prod: Workspace = { ...seed.workspaces.prod, name: 'prod', description: 'Production deployments', account: acme };
    const staging: Workspace = { ...seed.workspaces.staging, name: 'staging', description: 'Pre-release checks', account: acme };
    // Nobody in the seed belongs to globex's sandbox: asking for it answers 404.

    const actor = (fields: Omit<Actor, 'created'>, ...keys: Array<Pick<KeyRecord, 'id' | 'value' | 'name' | 'expiration'>>) => {
      this.actors.set(fields.id, { ...fields, created: longAgo });
      for (const key of keys) this.keys.push({ ...key, actorId: fields.id, created: longAgo, revokedAt: null });
    };
    const { user, bot, viewerBot, cloud1 } = seed;
    actor(
      {
        id: user.id,
        kind: 'user',
        name: user.handle,
        account: acme,
        accountRole: 'Owner',
        memberships: [
          { workspace: prod, role: 'Owner', canRead: true },
          { workspace: staging, role: 'Owner', canRead: true },
        ],
        profile: { first_name: 'Wile E.', last_name: 'Coyote', email: 'wile.coyote@acme.example' },
      },
      { id: 'e087c109-7407-4cb4-a96c-804c454f8b27', value: user.key, name: 'laptop', expiration: null },
      {
        id: '2473c980-de99-4ac9-ab3a-2c4bc098c16d',
        value: seed.expiredKey,
        name: 'old laptop',
        expiration: this.iso(this.now() - DAY_MS),
      },
    );
    actor(
      {
        id: bot.id,
        kind: 'bot',
        name: bot.name,
        account: acme,
        accountRole: 'Admin',
        memberships: [{ workspace: prod, role: 'Developer', canRead: true }],
      },
      { id: bot.keyId, value: bot.key, name: bot.name, expiration: null },
    );
    actor(
      {
        id: viewerBot.id,
        kind: 'bot',
        name: viewerBot.name,
        account: acme,
        accountRole: 'Member',
        memberships: [{ workspace: prod, role: 'No access', canRead: false }],
      },
      { id: '6399f5e4-3ec2-4890-adcd-3e5033e2b1fc', value: viewerBot.key, name: viewerBot.name, expiration: null },
    );
    actor(
      {
        id: cloud1.serviceAccountId,
        kind: 'cloud1-service-account',
        name: 'ci',
        account: { id: cloud1.tenantId, handle: 'acme-legacy', name: 'Acme (Cloud 1)' },
        accountRole: 'Admin',
        memberships: [],
      },
      { id: cloud1.keyId, value: cloud1.key, name: cloud1.keyName, expiration: null },
    );

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

  liveKeys(actorId: string): KeyRecord[] {
    return this.keys.filter((key) => key.actorId === actorId && this.isLive(key));
  }

  isKeyLive(value: string): boolean {
    return this.keys.some((key) => key.value === value && this.isLive(key));
  }

  /** The owner of a live key; Cloud 1 keys authenticate only on Cloud 1, the others only on Cloud 2/3. */
  actorForKey(value: string | undefined, cloud: 1 | 2): Actor | undefined {
    const key = this.keys.find((candidate) => candidate.value === value && this.isLive(candidate));
    const actor = key && this.actors.get(key.actorId);
    return actor && (actor.kind === 'cloud1-service-account') === (cloud === 1) ? actor : undefined;
  }

  addKey(actorId: string, name: string, value: string, expiration: string | null): KeyRecord {
    const key = { id: randomUUID(), value, actorId, name, created: this.iso(), expiration, revokedAt: null };
    this.keys.push(key);
    return key;
  }

  secret(scope: SecretScope): GithubSecret | undefined {
    return this.github.secret(scope);
  }
}
