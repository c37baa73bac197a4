// Rotation through today's REST API: rotate_api_key replaces the key in one
// call and keeps the old one working for a grace period. It cannot be undone.

import { DEFAULT_TIMINGS } from '../clock/timings.ts';
import { AmbiguousOutcomeError, cleanupPolicy, pause, TransientAnswerError } from '../http/retry.ts';
import { myAccountPermissions, NEEDS_UPDATE_BOT, readBot, readBotKeys, rotateBotKey } from '../prefect/bots.ts';
import { get, workspacesOf, type PrefectApi } from '../prefect/rest.ts';
import { UnexpectedAnswerError } from '../prefect/values.ts';
import { expiryFromDays, reasonOf, RotationError, type KeyRotation, type NewKey, type Retirement } from './plan.ts';

export interface RestRotationSettings {
  api: PrefectApi;
  accountId: string;
  workspaceId: string;
  botId: string;
  graceSeconds: number;
  newKeyExpiresInDays?: number;
  log: (line: string) => void;
  /** How long a lost rotation is watched for, and how often it looks: Timings' defaults unless given. */
  watch?: { windowMs: number; lookMs: number };
}

/** How long a lost rotation is watched for before the action concludes it did not happen (the default of Timings.lostRotationWatchMs). */
export const WATCH_MS = DEFAULT_TIMINGS.lostRotationWatchMs;

/** A rotation whose answer was lost, and which Prefect shows happened: its active key is `keyId`, whose value nobody has. */
class LostRotation extends Error {
  override name = 'LostRotation';
  readonly keyId: string | undefined;
  constructor(reason: string, keyId: string | undefined) {
    super(reason);
    this.keyId = keyId;
  }
}

export function restRotation(settings: RestRotationSettings): KeyRotation {
  const { api, accountId, workspaceId, botId, graceSeconds } = settings;
  const { clock } = api.policy;
  const watch = settings.watch ?? { windowMs: WATCH_MS, lookMs: DEFAULT_TIMINGS.lostRotationLookMs };
  let botName = botId;
  let currentKeyId: string | undefined;
  let currentKeyExpiration: string | null | undefined;
  let currentKeyCreated: number | undefined;
  let rotatedAt: number | undefined;

  const STOPPED = 'the old key stopped working at the rotation (old-key-grace-seconds: 0).';
  const looking = () => ({ ...api, policy: cleanupPolicy(api.policy) });

  /**
   * Reads the service account until its active key is no longer `replacing`, or `windowMs` pass: a rotation
   * still in flight lands in that time. On the policy's clock, so that tests need not wait.
   */
  async function watchForRotation(replacing: string | undefined, windowMs: number): Promise<{ changed?: { keyId: string | undefined }; unknown?: string }> {
    const until = clock.now() + windowMs;
    for (;;) {
      let bot;
      try {
        bot = await readBot(looking(), accountId, botId);
      } catch (error) {
        return { unknown: reasonOf(error) };
      }
      if (bot.keyId !== replacing) return { changed: { keyId: bot.keyId } };
      if (clock.now() + watch.lookMs >= until) return {};
      await clock.sleep(watch.lookMs);
    }
  }

  /** When the old key stops, as Prefect holds it (read_bot_api_keys), else as computed from the grace period. */
  async function oldKeyEnd(): Promise<string> {
    try {
      const keys = await readBotKeys(looking(), accountId, botId);
      const old = keys.rotating.find((key) => key.id === currentKeyId);
      if (old?.expiration) return `the old key keeps working until ${old.expiration}.`;
    } catch {
      // Prefect would not say: the computed end serves.
    }
    return standing();
  }
  const graceEnds = () => new Date((rotatedAt ?? clock.now()) + graceSeconds * 1000).toISOString();
  const standing = () => {
    if (rotatedAt === undefined) return 'the old key still works.';
    if (graceSeconds === 0) return STOPPED;
    return `the old key keeps working until ${graceEnds()}.`;
  };

  /**
   * One rotation, replacing `replacing` (the active key before it), sent once. A lost answer is looked into:
   * LostRotation when Prefect shows that it happened, a RotationError when it cannot be known or most likely did
   * not happen; only a rate limit's refusal, read unacted-on, is sent again.
   */
  async function rotateOnce(mask: (value: string) => void, replacing: string | undefined): Promise<NewKey> {
    const request = { accountId, botId, expiration: expiryFromDays(settings.newKeyExpiresInDays, clock.now()), oldKeyExpiresInSeconds: graceSeconds || null };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const key = await rotateBotKey(api, request);
        mask(key.value);
        rotatedAt ??= clock.now();
        // A "new" key that is the one it replaces, or the key this run was given, cannot be the rotation's.
        const notNew =
          key.value === api.apiKey
            ? 'the key this run was given'
            : key.id === replacing || key.id === currentKeyId
              ? `key ${key.id}, which it replaces`
              : undefined;
        if (notNew) {
          throw new RotationError(
            `Prefect Cloud answered the rotation with ${notNew}, not a new key, so nothing was written; the answer is not one Prefect sends, so what it did is unknown: ${standing()}`,
          );
        }
        return { id: key.id, value: key.value, expiresAt: key.expiration };
      } catch (error) {
        if (error instanceof UnexpectedAnswerError) {
          rotatedAt ??= clock.now();
          throw new RotationError(
            `Prefect Cloud rotated the key but answered with a value it does not send (${error.message}), so the new key cannot be used; ${standing()}`,
          );
        }
        if (!(error instanceof AmbiguousOutcomeError)) throw error;
        // Never a second rotate_api_key while the first may still land: find out what Prefect holds first.
        // A 429 is Prefect's rate limit refusing the request before acting on it: one look confirms that.
        const refusedUnread = error.lastStatus === 429;
        const seen = await watchForRotation(replacing, refusedUnread ? 0 : watch.windowMs);
        if (seen.changed !== undefined) {
          rotatedAt ??= clock.now();
          throw new LostRotation(error.message, seen.changed.keyId);
        }
        if (seen.unknown) {
          const ifItDid =
            graceSeconds === 0
              ? 'if it did, the old key stopped working then and the secrets still hold it. Run the workflow again now, to rotate and write them.'
              : `if it did not, a run of the workflow rotates; if it did, Prefect holds a new key that nobody has, the old key the secrets hold stops working about ${graceEnds()}, and a run before then refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold.`;
          throw new RotationError(
            `the rotation did not answer (${error.message}) and Prefect could not be asked since (${seen.unknown}): it may have happened; ${ifItDid}`,
          );
        }
        // A rate limit refused the request before Prefect acted on it: that, and only that, is tried again.
        if (!refusedUnread || attempt >= api.policy.retries || !(await pause(api.policy, attempt, error.retryAfterMs))) {
          throw new RotationError(
            `the rotation did not answer (${error.message}), and ${Math.round(watch.windowMs / 1000)} s later Prefect still shows the old key as active: it most likely did not happen, and it is not sent again while it might still land. If it lands, the old key stops working ${graceSeconds === 0 ? 'at once' : `${graceSeconds} s after that`}; the secrets hold the old key.`,
          );
        }
      }
    }
  }

  return {
    // Prefect retires the old key itself, old-key-grace-seconds after the rotation: with 0, before any secret is written.
    describe: () => ({
      create: `rotate the key of service account ${botName} (${botId}) through the REST API${graceSeconds === 0 ? ', the old key stopping at once (no grace period)' : ''}`,
      retire: graceSeconds === 0 ? 'nothing is left to retire' : `let Prefect retire the old key ${graceSeconds} s after the rotation`,
    }),

    async preflight() {
      // Asked before anything changes: a key without update:bot would be refused only after the rotation was sent.
      const [bot, permissions] = await Promise.all([readBot(api, accountId, botId), myAccountPermissions(api, accountId)]);
      if (permissions && !permissions.includes('update:bot')) {
        throw new RotationError(`The API key's user or service account lacks the account permission update:bot: ${NEEDS_UPDATE_BOT}`);
      }
      botName = bot.name;
      currentKeyId = bot.keyId;
      currentKeyExpiration = bot.keyExpiration;
      currentKeyCreated = bot.keyCreated;
    },

    async create(mask) {
      try {
        return await rotateOnce(mask, currentKeyId);
      } catch (error) {
        if (!(error instanceof LostRotation)) throw error;
        // Prefect shows a new active key whose value never arrived: nobody can hold it, and a rerun within the
        // grace period could not tell it from a key another workflow holds, so it would refuse until the old key
        // the secrets hold had stopped working. This rotation is confirmed, not guessed: one more, replacing that
        // key, gives a key the secrets can hold now.
        settings.log(
          `The rotation happened, but its answer was lost (${error.message}): Prefect's active key is now ${error.keyId ?? 'none'}, whose value never arrived. Rotating once more, replacing that key, for a key the secrets can hold.`,
        );
        try {
          return await rotateOnce(mask, error.keyId);
        } catch (again) {
          const why = again instanceof LostRotation ? `its answer was lost too (${again.message})` : reasonOf(again);
          const next =
            graceSeconds === 0
              ? `${STOPPED.replace(/\.$/, '')}, so the secrets hold a key that no longer works: run the workflow again now, to rotate and write them.`
              : `${await oldKeyEnd()} A run before ${new Date(clock.now() + graceSeconds * 1000).toISOString()} refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold; a run after then rotates and writes the secrets, which from the old key's end until that run hold a key that no longer works. To close that gap, rotate the key in Prefect Cloud and write it to the secrets by hand.`;
          throw new RotationError(
            `the rotation happened, but its answer was lost (${error.message}), and rotating once more failed: ${why}. Prefect holds a new key that nobody has, and the secrets still hold the old key: ${next}`,
          );
        }
      }
    },

    async verify(key: NewKey) {
      // The new key must authenticate; /health is asked only where its service account is a member,
      // since the service account rotated need not belong to the workspace that was checked.
      const asNewKey = { ...api, apiKey: key.value };
      const workspaces = await get(asNewKey, '/me/workspaces', (response) => {
        // A key may take a moment to be known everywhere: a 401 is retried here.
        if (response.status === 401) throw new TransientAnswerError('the new key is not accepted yet (HTTP 401)', 1000);
        if (response.status !== 200) throw new RotationError(`Prefect Cloud answered HTTP ${response.status} to the new key`);
        return workspacesOf(response);
      });
      const member = workspaces.some((info) => info.account_id === accountId && info.workspace_id === workspaceId);
      if (!member) {
        settings.log(`The new key authenticates; service account ${botName} is not a member of the checked workspace, so its health check is not asked.`);
        return;
      }
      const health = await get(asNewKey, `/accounts/${accountId}/workspaces/${workspaceId}/health`, (response) => response.status);
      if (health !== 200) throw new RotationError(`the workspace's health check answered HTTP ${health} to the new key`);
    },

    rollback: async () => false,

    async retire(key: NewKey): Promise<Retirement> {
      // Proven, not assumed: the service account's active key is the key that was written, and the old
      // key's end is what Prefect says (a rerun or another rotation may have moved it).
      let keys;
      try {
        keys = await readBotKeys({ ...api, policy: cleanupPolicy(api.policy) }, accountId, botId);
      } catch (error) {
        const expiresAt = graceSeconds === 0 ? undefined : graceEnds();
        return {
          revoked: graceSeconds === 0,
          expiresAt,
          detail: `Prefect could not be asked which key is active (${reasonOf(error)}); ${standing()}`,
          warning: `The rotation could not be confirmed: Prefect did not say which key of service account ${botName} is active (${reasonOf(error)}). The secrets hold the key this run created; check in Prefect Cloud that it is the active one.`,
        };
      }
      if (keys.active?.id !== key.id) {
        const ours = keys.rotating.find((rotating) => rotating.id === key.id);
        const until = ours ? (ours.expiration ? `until ${ours.expiration}` : 'for now') : 'no longer';
        return {
          revoked: false,
          replaced: true,
          detail: `Another rotation replaced this run's key after it was written.`,
          failure: `Another rotation of service account ${botName} replaced this run's key after it was written (its active key is now ${keys.active?.id ?? 'none'}): the secrets hold key ${key.id}, which works ${until}. Every holder of this service account's key must be a destination of one rotation; run the workflow again to write the active key.`,
        };
      }
      const old = keys.rotating.find((rotating) => rotating.id === currentKeyId);
      if (!old) return { revoked: true, detail: graceSeconds === 0 ? `The old key: ${STOPPED}` : 'The old key no longer works.' };
      const expiresAt = old.expiration ?? undefined;
      if (expiresAt) {
        return { revoked: false, expiresAt, detail: `The old key keeps working until ${expiresAt}, as Prefect Cloud holds it; then it retires.` };
      }
      // A rotation ends with the old key retired or due to stop: one left working with no end is not a finished rotation.
      return {
        revoked: false,
        detail: 'The old key keeps working: Prefect Cloud gives it no end.',
        failure: `The secrets hold the new key, but Prefect Cloud gives old key ${old.id} no end, so it keeps working. Delete it in Prefect Cloud (service account ${botName}, API keys).`,
      };
    },

    oldKeyStanding: standing,
    withoutHolders() {
      // A run within the grace period finds no secret written since this key was made, and refuses (plan.ts).
      if (graceSeconds === 0 || rotatedAt === undefined) return undefined;
      return `Unless a secret holds it, a run of the workflow before ${graceEnds()} refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too.`;
    },
    currentKeyExpiration: () => currentKeyExpiration,
    recentRotation() {
      if (currentKeyCreated === undefined || graceSeconds === 0) return undefined;
      const graceEnds = currentKeyCreated + graceSeconds * 1000;
      return clock.now() < graceEnds ? { at: currentKeyCreated, graceEnds } : undefined;
    },
  };
}
