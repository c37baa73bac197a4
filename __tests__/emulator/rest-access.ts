// Who may call a Prefect REST route, in the order Prefect checks: the key (401, from the ext-authz gateway), the path's
// UUIDs (422, FastAPI's validation), the account (404), then the account permission the route needs (403).
import type { Call, Reply } from './http.ts';
import { credential, json } from './http.ts';
import type { AccountPermission } from './roles.ts';
import { ACCOUNT_ROLE_PERMISSIONS } from './roles.ts';
import type { Actor } from './state.ts';

export type ActorHandler = (call: Call, actor: Actor, ...params: string[]) => Reply;

/** Prefect's 401, as its gateway sends it (47 bytes, `x-deny: ext-authz`). */
export function unauthenticated(): Reply {
  const reply = json(401, { detail: 'Invalid authentication credentials' });
  return { ...reply, headers: { ...reply.headers, 'x-deny': 'ext-authz' } };
}

/** Runs `handler` for the owner of a live Cloud 2/3 key; anyone else gets 401. */
export function authenticated(handler: ActorHandler) {
  return (call: Call, ...params: string[]): Reply => {
    const actor = call.state.actorForKey(credential(call.headers, 'Bearer'), 2);
    return actor ? handler(call, actor, ...params) : unauthenticated();
  };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** FastAPI's 422 for request data that does not validate: `{"detail": [{type, loc, msg, input}]}`. */
export function unprocessable(type: string, loc: Array<string | number>, msg: string, input: unknown): Reply {
  return json(422, { detail: [{ type, loc, msg, input }] });
}

/** Like `authenticated`, and each path parameter named in `names` (in order) must be a UUID. */
export function withUuids(names: string[], handler: ActorHandler) {
  return authenticated((call, actor, ...params) => {
    const index = params.findIndex((param, at) => at < names.length && !UUID.test(param));
    if (index >= 0) {
      const msg = 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]';
      return unprocessable('uuid_parsing', ['path', names[index] ?? ''], msg, params[index]);
    }
    return handler(call, actor, ...params);
  });
}

/** Like `withUuids` (the first parameter the account id), and the actor must belong to that account and hold `permission`. */
export function withAccountPermission(permission: AccountPermission, names: string[], handler: ActorHandler) {
  return withUuids(['account_id', ...names], (call, actor, accountId = '', ...params) => {
    if (actor.account.id !== accountId) return json(404, { detail: 'Account not found' });
    if (!ACCOUNT_ROLE_PERMISSIONS[actor.accountRole].includes(permission)) return forbiddenWithout(permission);
    return handler(call, actor, accountId, ...params);
  });
}

/** Prefect's 403 for an actor whose account role lacks a permission. The wording is the emulator's (Prefect's is unpublished). */
export function forbiddenWithout(permission: AccountPermission): Reply {
  return json(403, { detail: `Forbidden: the account role of this actor does not grant the '${permission}' permission.` });
}
