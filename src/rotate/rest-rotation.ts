// Rotation through today's REST API: rotate_api_key replaces the key in one
// call and keeps the old one working for a grace period. It cannot be undone.

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
  keyExpiresInDays?: number;
  log: (line: string) => void;
}

/** How long a lost rotation is watched for before the action concludes it did not happen, and how often it looks. */
export const WATCH_MS = 5_000;
const WATCH_STEP_MS = 1_000;

export function restRotation(settings: RestRotationSettings): KeyRotation {
  const { api, accountId, workspaceId, botId, graceSeconds } = settings;
  let botName = botId;
  let currentKeyId: string | undefined;
  let currentKeyExpiration: string | null | undefined;
  let currentKeyCreated: number | undefined;
  let rotatedAt: number | undefined;

  const STOPPED = 'the old key stopped working at the rotation (old-key-grace-seconds: 0).';
  const looking = () => ({ ...api, policy: cleanupPolicy(api.policy) });

  /** Reads the service account until its key changes or `windowMs` pass: a rotation still in flight lands in that time. */
  async function watchForRotation(windowMs: number): Promise<{ changed: boolean; unknown?: string }> {
    const until = Date.now() + windowMs;
    for (;;) {
      let bot;
      try {
        bot = await readBot(looking(), accountId, botId);
      } catch (error) {
        return { changed: false, unknown: reasonOf(error) };
      }
      if (bot.keyId !== currentKeyId) return { changed: true };
      if (Date.now() + WATCH_STEP_MS >= until) return { changed: false };
      await new Promise((resolve) => setTimeout(resolve, WATCH_STEP_MS));
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
  const graceEnds = () => new Date((rotatedAt ?? Date.now()) + graceSeconds * 1000).toISOString();
  const standing = () => {
    if (rotatedAt === undefined) return 'the old key still works.';
    if (graceSeconds === 0) return STOPPED;
    return `the old key keeps working until ${graceEnds()}.`;
  };

  return {
    describe: () =>
      `rotate the key of service account ${botName} (${botId}) through the REST API, the old key ${graceSeconds === 0 ? 'stopping at once' : `working ${graceSeconds} s more`}`,

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
      const request = { accountId, botId, expiration: expiryFromDays(settings.keyExpiresInDays, Date.now()), oldKeyExpiresInSeconds: graceSeconds || null };
      for (let attempt = 0; ; attempt += 1) {
        try {
          const key = await rotateBotKey(api, request);
          mask(key.value);
          rotatedAt = Date.now();
          return { id: key.id, value: key.value, expiresAt: key.expiration };
        } catch (error) {
          if (error instanceof UnexpectedAnswerError) {
            rotatedAt = Date.now();
            throw new RotationError(
              `Prefect Cloud rotated the key but answered with a value it does not send (${error.message}), so the new key cannot be used; ${standing()}`,
            );
          }
          if (!(error instanceof AmbiguousOutcomeError)) throw error;
          // Never a second rotate_api_key while the first may still land: find out what Prefect holds first.
          // A 429 is Prefect's rate limit refusing the request before acting on it: one look confirms that.
          const refusedUnread = error.lastStatus === 429;
          const seen = await watchForRotation(refusedUnread ? 0 : WATCH_MS);
          if (seen.changed) {
            rotatedAt = Date.now();
            throw new RotationError(
              `the rotation happened, but its answer was lost (${error.message}): Prefect holds a new key that nobody has, and the secrets still hold the old key, so run the workflow again before it stops: ${await oldKeyEnd()}`,
            );
          }
          if (seen.unknown) {
            throw new RotationError(
              `the rotation did not answer (${error.message}) and Prefect could not be asked since (${seen.unknown}): it may have happened. If it did, ${graceSeconds === 0 ? 'the old key stopped working then' : `the old key stops working about ${graceEnds()}`}; the secrets still hold it. Run the workflow again before then.`,
            );
          }
          // A rate limit refused the request before Prefect acted on it: that, and only that, is tried again.
          if (!refusedUnread || attempt >= api.policy.retries || !(await pause(api.policy, attempt, error.retryAfterMs))) {
            throw new RotationError(
              `the rotation did not answer (${error.message}), and ${Math.round(WATCH_MS / 1000)} s later Prefect still shows the old key as active: it most likely did not happen, and it is not sent again while it might still land. If it lands, the old key stops working ${graceSeconds === 0 ? 'at once' : `${graceSeconds} s after that`}; the secrets hold the old key.`,
            );
          }
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
      return {
        revoked: false,
        expiresAt,
        detail: expiresAt
          ? `The old key keeps working until ${expiresAt}, as Prefect Cloud holds it; then it retires.`
          : 'The old key keeps working: Prefect Cloud gives it no end.',
      };
    },

    oldKeyStanding: standing,
    currentKeyExpiration: () => currentKeyExpiration,
    recentRotation() {
      if (currentKeyCreated === undefined || graceSeconds === 0) return undefined;
      const graceEnds = currentKeyCreated + graceSeconds * 1000;
      return Date.now() < graceEnds ? { at: currentKeyCreated, graceEnds } : undefined;
    },
  };
}
