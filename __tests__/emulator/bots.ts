// Prefect Cloud's service accounts ("bots") under /api/accounts/{account_id}/bots: reading and listing them (`read:bot`),
// rotating a key and deleting a rotating one (`update:bot`), with the answers' shapes as the OpenAPI gives them.
import { apiKeyRead, existingKeys } from './api-keys.ts';
import type { Call, Reply, Route } from './http.ts';
import { isObject, json, route } from './http.ts';
import { unprocessable, withAccountPermission } from './rest-access.ts';
import type { Actor, State } from './state.ts';
import { randomKeyValue } from './state.ts';
import type { KeyRecord } from './types.ts';

const MAX_GRACE_SECONDS = 172_800;
const MAX_LIMIT = 200;
const BOT_NOT_FOUND = { detail: 'Bot not found' };

function findBot(state: State, accountId: string, botId: string): Actor | undefined {
  const actor = state.actors.get(botId);
  return actor?.kind === 'bot' && actor.account.id === accountId ? actor : undefined;
}

/** The bot's current key: the one no rotation has retired yet (expired or not). Every bot has one. */
function activeKey(state: State, bot: Actor): KeyRecord {
  const key = state.keys.find((candidate) => candidate.actorId === bot.id && candidate.revokedAt === null);
  if (!key) throw new Error(`bot ${bot.name} has no active key`);
  return key;
}

/** Retired keys still inside their grace period. */
function rotatingKeys(state: State, bot: Actor): KeyRecord[] {
  return existingKeys(state, bot.id).filter((key) => key.revokedAt !== null);
}

/** The fields BotReadResponse and BotCreateResponse share. */
function botFields({ id, actorId, name, account, accountRole, created, updated }: Actor) {
  return { id, created, updated, actor_id: actorId, account_id: account.id, name, account_role_name: accountRole };
}

/** BotReadResponse. */
function botRead(state: State, bot: Actor) {
  return { ...botFields(bot), api_key: apiKeyRead(activeKey(state, bot)) };
}

/** A JSON body, where `null` or nothing counts as `{}`; undefined when it is not an object. */
function objectBody(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (value === null) return {};
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function notADictionary(body: string): Reply {
  return unprocessable('model_attributes_type', ['body'], 'Input should be a valid dictionary or object to extract fields from', body);
}

/** A field of `allowed` names only (pydantic's `extra_forbidden`); undefined when every field is known. */
function extraField(input: Record<string, unknown>, allowed: string[], loc: string[]): Reply | undefined {
  const extra = Object.keys(input).find((name) => !allowed.includes(name));
  return extra === undefined ? undefined : unprocessable('extra_forbidden', [...loc, extra], 'Extra inputs are not permitted', input[extra]);
}

function readBot({ state }: Call, _actor: Actor, accountId: string, botId: string): Reply {
  const bot = findBot(state, accountId, botId);
  return bot ? json(200, botRead(state, bot)) : json(404, BOT_NOT_FOUND);
}

/** A whole number from `min` to `max` (pydantic's wording when not), else the value. */
function boundedInteger(value: unknown, name: string, min: number, max: number): Reply | number {
  if (typeof value !== 'number' || !Number.isInteger(value)) return unprocessable('int_type', ['body', name], 'Input should be a valid integer', value);
  if (value < min) return unprocessable('greater_than_equal', ['body', name], `Input should be greater than or equal to ${min}`, value);
  if (value > max) return unprocessable('less_than_equal', ['body', name], `Input should be less than or equal to ${max}`, value);
  return value;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** BotFilter and its BotFilterId and BotFilterName forbid fields they do not name (`additionalProperties: false`); each may be null. */
function botFilterRefusal(value: unknown): Reply | undefined {
  if (value === undefined || value === null) return undefined;
  const loc = ['body', 'service_accounts'];
  if (!isObject(value)) return unprocessable('model_attributes_type', loc, 'Input should be a valid dictionary or object to extract fields from', value);
  const parts: [string, string[]][] = [
    ['id', ['any_']],
    ['name', ['any_', 'like_']],
  ];
  for (const [part, allowed] of parts) {
    const field = value[part];
    if (field === undefined || field === null) continue;
    if (!isObject(field))
      return unprocessable('model_attributes_type', [...loc, part], 'Input should be a valid dictionary or object to extract fields from', field);
    const extra = extraField(field, allowed, [...loc, part]);
    if (extra) return extra;
  }
  return extraField(value, ['id', 'name'], loc);
}

function filterBots({ state, body }: Call, _actor: Actor, accountId: string): Reply {
  const filter = objectBody(body);
  if (!filter) return notADictionary(body);
  const limit = boundedInteger(filter.limit ?? MAX_LIMIT, 'limit', 0, MAX_LIMIT);
  if (typeof limit !== 'number') return limit;
  const offset = boundedInteger(filter.offset ?? 0, 'offset', 0, Number.MAX_SAFE_INTEGER);
  if (typeof offset !== 'number') return offset;
  const refused = botFilterRefusal(filter.service_accounts);
  if (refused) return refused;
  const serviceAccounts = isObject(filter.service_accounts) ? filter.service_accounts : {};
  const byName = isObject(serviceAccounts.name) ? serviceAccounts.name : {};
  const byId = isObject(serviceAccounts.id) ? serviceAccounts.id : {};
  const names = stringList(byName.any_);
  const ids = stringList(byId.any_);
  const like = typeof byName.like_ === 'string' ? byName.like_.toLowerCase() : undefined;
  const bots = [...state.actors.values()].filter(
    (actor) =>
      actor.kind === 'bot' &&
      actor.account.id === accountId &&
      (!names || names.includes(actor.name)) &&
      (!ids || ids.includes(actor.id)) &&
      (like === undefined || actor.name.toLowerCase().includes(like)),
  );
  return json(
    200,
    bots.slice(offset, offset + limit).map((bot) => botRead(state, bot)),
  );
}

/** BotRotateAPIKey: `{api_key_expiration?, old_key_expires_in_seconds?}`, or null. */
function rotateKey({ state, body }: Call, actor: Actor, accountId: string, botId: string): Reply {
  const input = objectBody(body);
  if (!input) return notADictionary(body);
  const extra = extraField(input, ['api_key_expiration', 'old_key_expires_in_seconds'], ['body']);
  if (extra) return extra;
  const requested = input.old_key_expires_in_seconds ?? null;
  const grace = requested === null ? null : boundedInteger(requested, 'old_key_expires_in_seconds', 0, MAX_GRACE_SECONDS);
  if (grace !== null && typeof grace !== 'number') return grace;
  const expiration = input.api_key_expiration ?? null;
  if (expiration !== null && !(typeof expiration === 'string' && Date.parse(expiration) > state.now())) {
    return unprocessable('value_error', ['body', 'api_key_expiration'], 'Value error, must be a datetime in the future', expiration);
  }
  const bot = findBot(state, accountId, botId);
  if (!bot) return json(404, BOT_NOT_FOUND);

  // Null or absent: the current key is deleted at once; a number: it keeps working that many seconds.
  activeKey(state, bot).revokedAt = state.iso(state.now() + (grace ?? 0) * 1000);
  const value = randomKeyValue('pnb_', 36);
  const expiresAt = expiration && new Date(expiration).toISOString();
  const { id, created, name } = state.addKey(bot.id, bot.name, value, expiresAt, actor.id);
  bot.updated = state.iso();
  return json(201, { ...botFields(bot), api_key: { id, created, name, expiration: expiresAt, key: value } });
}

/** BotAPIKeyReadResponse: `{active_key, rotating_keys[]}`; a rotating key's expiration is the end of its grace period. */
function readBotKeys({ state }: Call, _actor: Actor, accountId: string, botId: string): Reply {
  const bot = findBot(state, accountId, botId);
  if (!bot) return json(404, BOT_NOT_FOUND);
  return json(200, { active_key: apiKeyRead(activeKey(state, bot)), rotating_keys: rotatingKeys(state, bot).map(apiKeyRead) });
}

/** Deletes a rotating key before its grace ends: 200 with `null`. The active key cannot be deleted (rotate instead). */
function deleteBotKey({ state }: Call, _actor: Actor, accountId: string, botId: string, keyId: string): Reply {
  const bot = findBot(state, accountId, botId);
  if (!bot) return json(404, BOT_NOT_FOUND);
  if (activeKey(state, bot).id === keyId) return json(400, { detail: "A bot's active API key cannot be deleted; rotate it instead." });
  const key = rotatingKeys(state, bot).find(({ id }) => id === keyId);
  if (!key) return json(404, { detail: 'API key not found' });
  key.revokedAt = state.iso();
  return json(200, null);
}

const BOTS = '/api/accounts/([^/]+)/bots';

export const botRoutes: Route[] = [
  route('POST', 'bots-filter', `${BOTS}/filter`, withAccountPermission('read:bot', [], filterBots)),
  route('GET', 'bots-read', `${BOTS}/([^/]+)`, withAccountPermission('read:bot', ['id'], readBot)),
  route('POST', 'bots-rotate', `${BOTS}/([^/]+)/rotate_api_key`, withAccountPermission('update:bot', ['id'], rotateKey)),
  route('GET', 'bots-keys', `${BOTS}/([^/]+)/read_bot_api_keys`, withAccountPermission('read:bot', ['id'], readBotKeys)),
  route('DELETE', 'bots-delete-key', `${BOTS}/([^/]+)/delete_bot_api_key/([^/]+)`, withAccountPermission('update:bot', ['id', 'api_key_id'], deleteBotKey)),
];
