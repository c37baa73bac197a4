// Prefect Cloud's REST API under /api: key checks, and service accounts ("bots") with their keys.
import type { Call, Reply, Route } from './http.ts';
import { credential, isObject, json, parseObject, route } from './http.ts';
import type { Actor, State } from './state.ts';
import { randomKeyValue } from './state.ts';
import type { KeyRecord } from './types.ts';

const MAX_GRACE_SECONDS = 172_800;

type ActorHandler = (call: Call, actor: Actor, ...params: string[]) => Reply;

/** Runs `handler` for the owner of a live Cloud 2/3 key; anyone else gets 401. */
function authenticated(handler: ActorHandler) {
  return (call: Call, ...params: string[]): Reply => {
    const actor = call.state.actorForKey(credential(call.headers, 'Bearer'), 2);
    return actor ? handler(call, actor, ...params) : json(401, { detail: 'Invalid authentication credentials' });
  };
}

/** Like `authenticated`, and the actor must belong to the account named by the first path parameter. */
function inAccount(handler: ActorHandler) {
  return authenticated((call, actor, accountId = '', ...params) =>
    actor.account.id === accountId ? handler(call, actor, accountId, ...params) : json(404, { detail: 'Account not found' }),
  );
}

function health(_call: Call, actor: Actor, accountId: string, workspaceId: string): Reply {
  const membership = actor.memberships.find(({ workspace }) => workspace.id === workspaceId && workspace.account.id === accountId);
  if (!membership) return json(404, { detail: 'Workspace not found' });
  if (!membership.canRead) return json(403, { detail: `The workspace role '${membership.role}' cannot read this workspace.` });
  return json(200, true);
}

function me(_call: Call, actor: Actor): Reply {
  if (actor.kind !== 'user') return json(403, { detail: 'Only users (not service accounts) can access this endpoint.' });
  return json(200, { id: actor.id, handle: actor.name, ...actor.profile, created: actor.created });
}

function myWorkspaces(_call: Call, actor: Actor): Reply {
  return json(
    200,
    actor.memberships.map(({ workspace }) => ({
      account_id: workspace.account.id,
      account_name: workspace.account.name,
      account_handle: workspace.account.handle,
      workspace_id: workspace.id,
      workspace_name: workspace.name,
      workspace_description: workspace.description,
      workspace_handle: workspace.handle,
    })),
  );
}

function findBot(state: State, accountId: string, botId: string): Actor | undefined {
  const actor = state.actors.get(botId);
  return actor?.kind === 'bot' && actor.account.id === accountId ? actor : undefined;
}

const BOT_NOT_FOUND = { detail: 'Bot not found' };

/** The bot's current key: the one no rotation has retired yet. */
function activeKey(state: State, bot: Actor): KeyRecord | undefined {
  return state.keys.find((key) => key.actorId === bot.id && key.revokedAt === null);
}

function masked({ id, created, name, expiration, value }: KeyRecord) {
  return { id, created, name, expiration, masked_key: `${value.slice(0, 8)}********` };
}

function botJson(state: State, bot: Actor) {
  const { id, name, account, accountRole, created } = bot;
  const key = activeKey(state, bot);
  return {
    id,
    name,
    account_id: account.id,
    account_role_name: accountRole,
    created,
    updated: created,
    api_key: key ? masked(key) : null,
  };
}

function readBot({ state }: Call, _actor: Actor, accountId: string, botId: string): Reply {
  const bot = findBot(state, accountId, botId);
  return bot ? json(200, botJson(state, bot)) : json(404, BOT_NOT_FOUND);
}

function filterBots({ state, body }: Call, _actor: Actor, accountId: string): Reply {
  const filter = parseObject(body || '{}');
  if (!filter) return unprocessable(['body'], 'Input should be a valid dictionary');
  const serviceAccounts = isObject(filter.service_accounts) ? filter.service_accounts : {};
  const nameFilter = isObject(serviceAccounts.name) ? serviceAccounts.name : {};
  const names = Array.isArray(nameFilter.any_) ? nameFilter.any_ : undefined;
  const offset = typeof filter.offset === 'number' ? filter.offset : 0;
  const limit = typeof filter.limit === 'number' ? filter.limit : 200;
  const bots = [...state.actors.values()].filter((actor) => actor.kind === 'bot' && actor.account.id === accountId && (!names || names.includes(actor.name)));
  return json(
    200,
    bots.slice(offset, offset + limit).map((bot) => botJson(state, bot)),
  );
}

function unprocessable(loc: string[], msg: string): Reply {
  return json(422, { detail: [{ loc, msg, type: 'value_error' }] });
}

function rotateKey({ state, body }: Call, actor: Actor, accountId: string, botId: string): Reply {
  if (actor.accountRole === 'Member') {
    return json(403, { detail: 'Only account Owners and Admins can rotate service account keys.' });
  }
  const bot = findBot(state, accountId, botId);
  if (!bot) return json(404, BOT_NOT_FOUND);
  const input = parseObject(body);
  if (!input) return unprocessable(['body'], 'Input should be a valid dictionary');
  const grace = input.old_key_expires_in_seconds ?? 0;
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    const message = `Must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}`;
    return unprocessable(['body', 'old_key_expires_in_seconds'], message);
  }
  const expiration = input.api_key_expiration ?? null;
  if (expiration !== null && !(typeof expiration === 'string' && Date.parse(expiration) > state.now())) {
    return unprocessable(['body', 'api_key_expiration'], 'Must be an RFC 3339 date in the future');
  }

  const old = activeKey(state, bot);
  if (old) old.revokedAt = state.iso(state.now() + grace * 1000);
  const value = randomKeyValue('pnb_', 36);
  const expiresAt = expiration && new Date(expiration).toISOString();
  const { id, created, name } = state.addKey(bot.id, bot.name, value, expiresAt);
  return json(201, { ...botJson(state, bot), api_key: { id, created, name, expiration: expiresAt, key: value } });
}

function readBotKeys({ state }: Call, _actor: Actor, accountId: string, botId: string): Reply {
  const bot = findBot(state, accountId, botId);
  if (!bot) return json(404, BOT_NOT_FOUND);
  const key = activeKey(state, bot);
  const rotating = state.keys.filter((old) => old.actorId === bot.id && old.revokedAt !== null && state.isLive(old));
  return json(200, { active_key: key ? masked(key) : null, rotating_keys: rotating.map(masked) });
}

const BOTS = '/api/accounts/([^/]+)/bots';

export const restRoutes: Route[] = [
  route('GET', 'health', '/api/accounts/([^/]+)/workspaces/([^/]+)/health', authenticated(health)),
  route('GET', 'me', '/api/me/?', authenticated(me)),
  route('GET', 'me-workspaces', '/api/me/workspaces/?', authenticated(myWorkspaces)),
  route('POST', 'bots-filter', `${BOTS}/filter`, inAccount(filterBots)),
  route('GET', 'bots-read', `${BOTS}/([^/]+)`, inAccount(readBot)),
  route('POST', 'bots-rotate', `${BOTS}/([^/]+)/rotate_api_key`, inAccount(rotateKey)),
  route('GET', 'bots-keys', `${BOTS}/([^/]+)/read_bot_api_keys`, inAccount(readBotKeys)),
];
