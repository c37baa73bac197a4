// Rotation through Prefect Cloud 1's GraphQL API: create_api_key for the
// service account, and delete_api_key for the old key once the secrets hold
// the new one. A create can be undone, so every failure before the end
// deletes the new key again.

import { AmbiguousOutcomeError, cleanupPolicy, pause } from '../http/retry.ts';
import { createKey, deleteKey, listKeys, type Cloud1Key } from '../prefect/cloud1-keys.ts';
import { authInfo, type GraphqlApi } from '../prefect/graphql.ts';
import { UnexpectedAnswerError } from '../prefect/values.ts';
import { expiryFromDays, reasonOf, RotationError, type KeyRotation, type NewKey, type Retirement } from './plan.ts';

export interface GraphqlRotationSettings {
  api: GraphqlApi;
  /** Whose key this run holds: auth_info.user_id. */
  actorId: string;
  serviceAccountId?: string;
  keyName: string;
  newKeyExpiresInDays?: number;
  oldKeyId?: string;
  graceSeconds: number;
  log: (line: string) => void;
}

/** 2026-11-23T17:45:00.123Z -> 20261123T174500Z */
export function keyStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

export function graphqlRotation(settings: GraphqlRotationSettings): KeyRotation {
  const { api, keyName, oldKeyId, graceSeconds } = settings;
  const serviceAccount = settings.serviceAccountId ?? settings.actorId;
  const { clock } = api.policy;
  const prefix = `${keyName}-`;
  // Only names this action gives, exactly: key-name, a dash, the UTC time. A prefix match would
  // reach keys of another key-name that starts the same (deploy and deploy-staging).
  let currentExpiration: string | null | undefined;
  /** The name this run gives its key, and the keys that existed before it created any. */
  let createdName: string | undefined;
  let knownBefore = new Set<string>();
  const ours = (name: string) => name.startsWith(prefix) && /^\d{8}T\d{6}Z$/.test(name.slice(prefix.length));
  // Looking, undoing and revoking must get their chance even when the deadline is near.
  const cleanupApi = (): GraphqlApi => ({ ...api, policy: cleanupPolicy(api.policy) });

  async function serviceAccountKeys(from: GraphqlApi): Promise<Cloud1Key[]> {
    const answer = await listKeys(from);
    if (answer.problem) {
      throw new RotationError(
        `Prefect Cloud 1 would not list API keys (${answer.problem.code}: ${answer.problem.message}); listing needs the Administrator role, which service accounts have`,
      );
    }
    return answer.data.auth_api_key.filter((key) => key.user_id === serviceAccount);
  }

  async function remove(keyId: string, as: GraphqlApi = cleanupApi()): Promise<boolean> {
    const answer = await deleteKey(as, keyId);
    return !answer.problem;
  }

  /** After a create whose answer cannot be used: the key it made (named `name`, not there before) must not stay live with nobody holding it. */
  async function tidy(name: string): Promise<string> {
    const made = await serviceAccountKeys(cleanupApi()).then(
      (keys) => keys.find((key) => key.name === name && !knownBefore.has(key.id)),
      () => undefined,
    );
    if (!made) return 'no key of that name is live';
    return (await remove(made.id).catch(() => false)) ? `key ${made.id} was deleted again` : `deleting key ${made.id} failed, so the next run deletes it`;
  }

  return {
    describe: () => ({
      create: `create a key named ${prefix}<UTC time> for service account ${serviceAccount} through the Prefect Cloud 1 GraphQL API`,
      retire: `delete ${oldKeyId ? `key ${oldKeyId} and ` : ''}older keys named ${prefix}<UTC time>${graceSeconds ? ` created more than ${graceSeconds} s before it` : ''}`,
    }),

    async preflight() {
      const keys = await serviceAccountKeys(api);
      knownBefore = new Set(keys.map((key) => key.id));
      // The key that would be rotated: old-key-id, else the newest key this action made.
      const current =
        keys.find((key) => key.id === oldKeyId) ?? keys.filter((key) => ours(key.name)).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
      currentExpiration = current ? current.expires_at : undefined;
      // An earlier run revoked it already: the same workflow runs on every schedule, so this is no error.
      if (oldKeyId && !keys.some((key) => key.id === oldKeyId))
        settings.log(`old-key-id ${oldKeyId} is not a live key of service account ${serviceAccount}: nothing to revoke there.`);
    },

    async create(mask) {
      const name = `${prefix}${keyStamp(new Date(clock.now()))}`;
      createdName = name;
      const input = { user_id: serviceAccount, name, expires_at: expiryFromDays(settings.newKeyExpiresInDays, clock.now()) };
      for (let attempt = 0; ; attempt += 1) {
        let answer;
        try {
          answer = await createKey(api, input);
        } catch (error) {
          if (error instanceof UnexpectedAnswerError) {
            throw new RotationError(
              `Prefect Cloud 1 answered the create with a value it does not send (${error.message}); ${await tidy(name)}; the old key still works`,
            );
          }
          if (!(error instanceof AmbiguousOutcomeError)) throw error;
          // Look before trying again: a key created without its answer is useless (its value is gone), so delete it.
          const unknown = `creating the key did not answer (${error.message}); if key ${name} was created, the next run deletes it, as its name is ${prefix}<UTC time>`;
          let orphan: Cloud1Key | undefined;
          try {
            orphan = (await serviceAccountKeys(cleanupApi())).find((key) => key.name === name);
          } catch (listing) {
            throw new RotationError(`${unknown} (listing keys to look failed: ${reasonOf(listing)})`);
          }
          if (orphan) {
            if (!(await remove(orphan.id).catch(() => false))) throw new RotationError(`${unknown} (it was, and deleting it failed)`);
            settings.log(`Deleted key ${orphan.id}: it was created, but its value never arrived (${error.message}).`);
          }
          if (attempt >= api.policy.retries || !(await pause(api.policy, attempt, error.retryAfterMs))) {
            throw new RotationError(`creating the key did not answer (${error.message}); the old key still works`);
          }
          continue;
        }
        const created = answer.data?.create_api_key;
        if (!created) {
          const why = answer.problem ? `${answer.problem.code}: ${answer.problem.message}` : 'no key in the answer';
          throw new RotationError(`Prefect Cloud 1 refused to create a key for service account ${serviceAccount} (${why})`);
        }
        mask(created.key);
        // A "new" key that existed before the create, or is the key this run was given, cannot be the create's: it
        // is refused, and never deleted as a rollback would, since it may be the key the secrets hold.
        const notNew =
          created.key === api.apiKey
            ? 'the key this run was given'
            : created.id === oldKeyId || knownBefore.has(created.id)
              ? `key ${created.id}, which existed before it`
              : undefined;
        if (notNew)
          throw new RotationError(
            `Prefect Cloud 1 answered the create with ${notNew}, not a new key, so nothing was written; ${await tidy(name)}; the old key still works`,
          );
        return { id: created.id, value: created.key, expiresAt: input.expires_at };
      }
    },

    async verify(key: NewKey) {
      const newKeyApi = { ...api, apiKey: key.value };
      for (let attempt = 0; ; attempt += 1) {
        const answer = await authInfo(newKeyApi);
        const info = answer.data?.auth_info;
        if (info) {
          if (info.user_id !== serviceAccount) throw new RotationError(`the new key belongs to ${info.user_id}, not to service account ${serviceAccount}`);
          return;
        }
        // A new key may take a moment to be known everywhere.
        if (answer.problem?.code !== 'UNAUTHENTICATED' || attempt >= api.policy.retries || !(await pause(api.policy, attempt))) {
          throw new RotationError(`Prefect Cloud 1 does not accept the new key (${answer.problem?.code ?? 'no auth_info'})`);
        }
      }
    },

    async rollback(key) {
      return remove(key.id).catch(() => false);
    },

    async retire(key): Promise<Retirement> {
      // The key this run was given may be among those revoked: speak as the new key, which the secrets hold now.
      const asNewKey = { ...cleanupApi(), apiKey: key.value };
      let keys: Cloud1Key[];
      try {
        keys = await serviceAccountKeys(asNewKey);
      } catch (error) {
        const reason = reasonOf(error);
        return {
          revoked: false,
          detail: `Listing keys to revoke the old key failed (${reason}).`,
          failure: `The secrets hold the new key, but the old key was not revoked: listing keys failed (${reason}). Run the workflow again to revoke it.`,
        };
      }
      // Ages are measured on Prefect's clock: the new key's creation time against the others'.
      const newCreated = Date.parse(keys.find((candidate) => candidate.id === key.id)?.created ?? '') || clock.now();
      const candidates = keys.filter((candidate) => candidate.id !== key.id && (candidate.id === oldKeyId || ours(candidate.name)));
      if (candidates.length === 0) {
        const detail = `No old key to revoke: none is named ${prefix}<UTC time> and old-key-id was not given.`;
        return { revoked: false, detail, warning: `${detail} A key this action did not create stays live until it is deleted: give its id as old-key-id.` };
      }
      // This run's own lost creates (its key's name, made during this run, another id) are held by nobody: revoked now, whatever the grace.
      const lostCreate = (candidate: Cloud1Key) => candidate.name === createdName && !knownBefore.has(candidate.id);
      const due = candidates.filter((candidate) => lostCreate(candidate) || newCreated - Date.parse(candidate.created) >= graceSeconds * 1000);
      const kept = candidates.filter((candidate) => !due.includes(candidate));
      const results = await Promise.all(due.map((candidate) => remove(candidate.id, asNewKey).catch(() => false)));
      let failed = due.filter((_, index) => !results[index]);
      if (failed.length > 0) {
        // A delete whose answer was lost may have been carried out: look again before calling it failed.
        const live = await serviceAccountKeys(asNewKey).then(
          (now) => new Set(now.map((candidate) => candidate.id)),
          () => undefined,
        );
        if (live) failed = failed.filter((candidate) => live.has(candidate.id));
      }
      const revokedIds = due.filter((candidate) => !failed.includes(candidate)).map((candidate) => candidate.id);
      const parts = [revokedIds.length > 0 ? `Revoked old key ${revokedIds.join(', ')}.` : 'Revoked no old key.'];
      if (kept.length > 0)
        parts.push(
          `Kept ${kept.map((candidate) => candidate.id).join(', ')}: younger than old-key-grace-seconds (${graceSeconds} s), for a later run to revoke.`,
        );
      const failure =
        failed.length > 0
          ? `The secrets hold the new key, but old key ${failed.map((candidate) => candidate.id).join(', ')} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`
          : undefined;
      return { revoked: failed.length === 0 && kept.length === 0, detail: parts.join(' '), failure };
    },

    oldKeyStanding: () => 'the old key still works.',
    currentKeyExpiration: () => currentExpiration,
  };
}
