// Rotation through today's REST API: rotate_api_key replaces the key in one
// call and keeps the old one working for a grace period. It cannot be undone.

import { AmbiguousOutcomeError, cleanupPolicy, pause, TransientAnswerError } from '../http/retry.ts';
import { myAccountPermissions, NEEDS_UPDATE_BOT, readBot, rotateBotKey } from '../prefect/bots.ts';
import { get, workspacesOf, type PrefectApi } from '../prefect/rest.ts';
import { UnexpectedAnswerError } from '../prefect/values.ts';
import { expiryFromDays, RotationError, type KeyRotation, type NewKey, type Retirement } from './plan.ts';

export interface RestRotationSettings {
  api: PrefectApi;
  accountId: string;
  workspaceId: string;
  botId: string;
  graceSeconds: number;
  keyExpiresInDays?: number;
  log: (line: string) => void;
}

export function restRotation(settings: RestRotationSettings): KeyRotation {
  const { api, accountId, workspaceId, botId, graceSeconds } = settings;
  let botName = botId;
  let currentKeyId: string | undefined;
  let currentKeyExpiration: string | null | undefined;
  let rotatedAt: number | undefined;

  const STOPPED = 'the old key stopped working at the rotation (old-key-grace-seconds: 0).';
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
          // Look before trying again: did the lost answer carry a rotation?
          const bot = await readBot({ ...api, policy: cleanupPolicy(api.policy) }, accountId, botId);
          if (bot.keyId !== currentKeyId) {
            settings.log(`The rotation happened but its answer was lost (${error.message}); rotating again so that the new key is known.`);
            currentKeyId = bot.keyId;
            rotatedAt = Date.now();
          }
          if (attempt >= api.policy.retries || !(await pause(api.policy, attempt, error.retryAfterMs))) {
            throw new RotationError(`the rotation did not answer (${error.message}); ${standing()}`);
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

    async retire(): Promise<Retirement> {
      if (graceSeconds === 0) return { revoked: true, detail: `The old key: ${STOPPED}` };
      const expiresAt = graceEnds();
      return { revoked: false, expiresAt, detail: `The old key keeps working until ${expiresAt}; then Prefect Cloud retires it.` };
    },

    oldKeyStanding: standing,
    currentKeyExpiration: () => currentKeyExpiration,
  };
}
