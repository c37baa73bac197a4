// Prefect Cloud's service accounts ("bots") over REST: read one, and rotate
// its key. A rotation is sent once: after an ambiguous failure the caller
// reads the bot to learn whether it happened.

import type { HttpResponse } from '../http/client.ts';
import { sendOnce } from '../http/retry.ts';
import { serverWords } from '../safe-text.ts';
import { get, parseJson, under, type PrefectApi } from './rest.ts';
import { cloudKey, name, object, optionalTimestamp, timestamp, UnexpectedAnswerError, uuid } from './values.ts';

export interface Bot {
  id: string;
  name: string;
  /** The id of the bot's current key, if it has one. */
  keyId: string | undefined;
  /** When that key expires: null, never; undefined, no key. */
  keyExpiration: string | null | undefined;
  /** When that key was made (epoch ms); undefined, no key or Prefect did not say. */
  keyCreated: number | undefined;
}

export interface RotatedKey {
  id: string;
  value: string;
  expiration: string | null;
}

/** Why a rotation was refused, and the usual set-up that works. */
export const NEEDS_UPDATE_BOT =
  "rotating a service account's key needs the account permission update:bot, which only the Owner and Admin account roles have. A deploy service account is usually a Member: give an Owner's or Admin's key as api-key, and the deploy service account's id as service-account-id.";

/** Prefect Cloud refused the call: the message says why and what to do. */
export class BotRefusal extends Error {
  override name = 'BotRefusal';
}

/** Prefect's own words from a refusal, bounded and on one line. */
function detailOf(response: HttpResponse): string {
  try {
    const detail = (JSON.parse(response.body) as { detail?: unknown }).detail;
    if (detail !== undefined) return serverWords(detail);
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

function refusal(response: HttpResponse, botId: string, what: string): BotRefusal {
  const detail = detailOf(response);
  if (response.status === 401) return new BotRefusal(`Prefect Cloud rejected the API key when asked to ${what} (HTTP 401: ${detail}).`);
  if (response.status === 403) return new BotRefusal(`The API key may not ${what} (HTTP 403: ${detail}): ${NEEDS_UPDATE_BOT}`);
  if (response.status === 404) return new BotRefusal(`Service account ${botId} was not found in the account (HTTP 404: ${detail}): check service-account-id.`);
  return new BotRefusal(`Prefect Cloud answered HTTP ${response.status} (${detail}) when asked to ${what}.`);
}

/** A BotReadResponse, every field the action uses checked; `what` names it in an error (e.g. "the service account"). */
export function botOf(value: unknown, what: string): Bot {
  const body = object(value, what);
  const key = body.api_key === null || body.api_key === undefined ? undefined : object(body.api_key, `${what} api_key`);
  return {
    id: uuid(body.id, `${what} id`),
    name: name(body.name, `${what} name`),
    keyId: key ? uuid(key.id, `${what} api_key.id`) : undefined,
    keyExpiration: key ? optionalTimestamp(key.expiration, `${what} api_key.expiration`) : undefined,
    keyCreated: key?.created === undefined || key.created === null ? undefined : Date.parse(timestamp(key.created, `${what} api_key.created`)),
  };
}

export function readBot(api: PrefectApi, accountId: string, botId: string): Promise<Bot> {
  return get(api, `/accounts/${accountId}/bots/${botId}`, (response) => {
    if (response.status !== 200) throw refusal(response, botId, `read service account ${botId}`);
    return botOf(parseJson(response), 'the service account');
  });
}

export interface RotateRequest {
  accountId: string;
  botId: string;
  /** RFC 3339, or null: the new key never expires. */
  expiration: string | null;
  /** null: the old key stops working at once. */
  oldKeyExpiresInSeconds: number | null;
}

/**
 * POST /bots/{id}/rotate_api_key, once (see sendOnce): 201 carries the only
 * copy of the new key. A failure short of an answer throws AmbiguousOutcomeError.
 */
export function rotateBotKey(api: PrefectApi, request: RotateRequest): Promise<RotatedKey> {
  const url = under(api.base, `/accounts/${request.accountId}/bots/${request.botId}/rotate_api_key`);
  const body = JSON.stringify({ api_key_expiration: request.expiration, old_key_expires_in_seconds: request.oldKeyExpiresInSeconds });
  const headers = { authorization: `Bearer ${api.apiKey}`, accept: 'application/json', 'content-type': 'application/json' };
  return sendOnce(api.policy, { method: 'POST', url, headers, body }, (response) => {
    if (response.status !== 201 && response.status !== 200) throw refusal(response, request.botId, `rotate the key of service account ${request.botId}`);
    const key = object(object(parseJson(response), 'the rotation answer').api_key, 'the rotation answer api_key');
    return {
      id: uuid(key.id, 'the new key id'),
      value: cloudKey(key.key, 'the new key'),
      expiration: optionalTimestamp(key.expiration, 'the new key expiration'),
    };
  });
}

/** An account permission as Prefect writes one, e.g. update:bot. */
const PERMISSION = /^[a-z_-]{1,50}:[a-z_-]{1,50}$/;

/**
 * GET /me/accounts/{account_id}/permissions: what the key's actor may do in
 * the account. undefined when Prefect will not say (403, 404): the caller goes
 * on, and a refusal later says the same as a missing permission would.
 */
export function myAccountPermissions(api: PrefectApi, accountId: string): Promise<string[] | undefined> {
  return get(api, `/me/accounts/${accountId}/permissions`, (response) => {
    if (response.status === 403 || response.status === 404) return undefined;
    if (response.status !== 200) throw refusal(response, '', `read its own account permissions`);
    const list = parseJson(response);
    if (!Array.isArray(list)) throw new UnexpectedAnswerError('the account permissions are not a list');
    return list.map((value: unknown) => {
      if (typeof value !== 'string' || !PERMISSION.test(value)) throw new UnexpectedAnswerError('an account permission is not one');
      return value;
    });
  });
}

/** A stored key as read_bot_api_keys shows it: its value never. */
export interface StoredKey {
  id: string;
  /** When it stops working: its own expiry, or the end of a rotation's grace; null, never. */
  expiration: string | null;
}

export interface BotKeys {
  active: StoredKey | undefined;
  /** Keys a rotation retired that still work until their expiration. */
  rotating: StoredKey[];
}

function storedKey(value: unknown, field: string): StoredKey {
  const key = object(value, field);
  return { id: uuid(key.id, `${field}.id`), expiration: optionalTimestamp(key.expiration, `${field}.expiration`) };
}

/** GET /bots/{id}/read_bot_api_keys: the active key and the rotating ones, as Prefect holds them now. */
export function readBotKeys(api: PrefectApi, accountId: string, botId: string): Promise<BotKeys> {
  return get(api, `/accounts/${accountId}/bots/${botId}/read_bot_api_keys`, (response) => {
    if (response.status !== 200) throw refusal(response, botId, `read the keys of service account ${botId}`);
    const body = object(parseJson(response), 'the service account keys');
    const rotating = body.rotating_keys ?? [];
    if (!Array.isArray(rotating)) throw new UnexpectedAnswerError('rotating_keys is not a list');
    return {
      active: body.active_key === null || body.active_key === undefined ? undefined : storedKey(body.active_key, 'active_key'),
      rotating: rotating.map((value: unknown, index: number) => storedKey(value, `rotating_keys[${index}]`)),
    };
  });
}
