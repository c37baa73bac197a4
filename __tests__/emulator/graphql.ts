// Prefect Cloud 1's GraphQL API at /graphql: who a key is, and a tenant's service-account keys, as each actor's role allows.
import type { FieldNode } from 'graphql';
import { buildSchema, getOperationAST, graphql, GraphQLError, Kind, parse } from 'graphql';
import { managesTenantKeys, mayWriteKeys } from './cloud1-roles.ts';
import type { Call, Reply, Route } from './http.ts';
import { credential, isObject, json, parseObject, route } from './http.ts';
import type { Actor, State } from './state.ts';
import { randomKeyValue } from './state.ts';
import type { KeyRecord } from './types.ts';

const schema = buildSchema(`
  scalar UUID
  scalar timestamptz

  type auth_info {
    user_id: UUID
    tenant_id: UUID
    role_id: UUID
  }

  type auth_api_key {
    id: UUID!
    name: String!
    created: timestamptz!
    expires_at: timestamptz
    user_id: UUID!
  }

  input create_api_key_input {
    user_id: UUID!
    name: String!
    expires_at: timestamptz
    default_tenant_id: UUID
  }

  type create_api_key_payload {
    id: UUID
    key: String
  }

  input delete_api_key_input {
    key_id: UUID!
  }

  type success_payload {
    success: Boolean
  }

  type Query {
    auth_info: auth_info
    auth_api_key: [auth_api_key!]!
  }

  type Mutation {
    create_api_key(input: create_api_key_input!): create_api_key_payload
    delete_api_key(input: delete_api_key_input!): success_payload
  }
`);

const UNAUTHENTICATED = { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] };

interface Context {
  state: State;
  actor: Actor;
  /** The credential is an old API token (not an API key): auth_info says `tenant_id: null`; every other operation is FORBIDDEN. */
  apiToken: boolean;
}

interface CreateApiKeyInput {
  user_id: string;
  name: string;
  expires_at?: string | null;
}

function fail(message: string, code: string): never {
  throw new GraphQLError(message, { extensions: { code } });
}

/** Old API tokens only say who they are; managing keys needs an API key. */
function refuseApiToken({ apiToken }: Context): void {
  if (apiToken) fail('Unauthorized: API tokens cannot manage API keys; use an API key.', 'FORBIDDEN');
}

/** The keys the actor may see: every undeleted key of its tenant for an ADMINISTRATOR, else those it created itself. */
function visibleKeys({ state, actor }: Context): KeyRecord[] {
  return state.keys.filter(
    (key) =>
      key.revokedAt === null && state.actors.get(key.actorId)?.account === actor.account && (managesTenantKeys(actor.cloud1Role) || key.createdBy === actor.id),
  );
}

function refuseReadOnly({ actor }: Context, action: string): void {
  if (!mayWriteKeys(actor.cloud1Role)) fail(`Unauthorized: the ${actor.cloud1Role} role may not ${action} API keys.`, 'FORBIDDEN');
}

const rootValue = {
  auth_info: (_args: unknown, { state, actor, apiToken }: Context) =>
    apiToken
      ? { user_id: actor.id, tenant_id: null, role_id: null }
      : { user_id: actor.id, tenant_id: actor.account.id, role_id: state.cloud1RoleIds[actor.cloud1Role] },

  auth_api_key: (_args: unknown, context: Context) => {
    refuseApiToken(context);
    return visibleKeys(context).map(({ id, name, created, expiration, actorId }) => ({
      id,
      name,
      created,
      expires_at: expiration,
      user_id: actorId,
    }));
  },

  create_api_key: ({ input }: { input: CreateApiKeyInput }, context: Context) => {
    const { state, actor } = context;
    refuseApiToken(context);
    refuseReadOnly(context, 'create');
    const owner = state.actors.get(input.user_id);
    if (owner?.account !== actor.account) fail('Unauthorized: user_id is not a member of this tenant.', 'FORBIDDEN');
    if (!managesTenantKeys(actor.cloud1Role) && owner !== actor)
      fail(`Unauthorized: the ${actor.cloud1Role} role may only create its own API keys.`, 'FORBIDDEN');
    const expiresAt = input.expires_at ? Date.parse(input.expires_at) : null;
    if (Number.isNaN(expiresAt)) fail(`invalid input syntax for type timestamptz: "${input.expires_at}"`, 'BAD_USER_INPUT');
    const expiration = expiresAt === null ? null : state.iso(expiresAt);
    const key = state.addKey(owner.id, input.name, randomKeyValue('', 40), expiration, actor.id);
    return { id: key.id, key: key.value };
  },

  delete_api_key: ({ input }: { input: { key_id: string } }, context: Context) => {
    const { state, actor } = context;
    refuseApiToken(context);
    refuseReadOnly(context, 'delete');
    const key = visibleKeys(context).find(({ id }) => id === input.key_id);
    const hidden =
      !key &&
      state.keys.some(({ id, revokedAt, actorId }) => id === input.key_id && revokedAt === null && state.actors.get(actorId)?.account === actor.account);
    if (hidden) fail(`Unauthorized: the ${actor.cloud1Role} role may only delete API keys it created.`, 'FORBIDDEN');
    if (key) key.revokedAt = state.iso();
    return { success: key !== undefined };
  },
};

/** The root field a request's operation asks for first, e.g. 'create_api_key'; undefined when unparseable. */
export function operationOf(body: string): string | undefined {
  const request = parseObject(body);
  if (typeof request?.query !== 'string') return undefined;
  try {
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = getOperationAST(parse(request.query), operationName);
    const field = operation?.selectionSet.selections.find((node): node is FieldNode => node.kind === Kind.FIELD);
    return field?.name.value;
  } catch {
    return undefined;
  }
}

async function execute({ state, headers, body }: Call): Promise<Reply> {
  const request = parseObject(body);
  if (typeof request?.query !== 'string') return json(400, { errors: [{ message: 'Must provide a query string.' }] });
  const token = credential(headers, 'Bearer');
  const legacy = token === undefined ? undefined : state.cloud1Tokens.get(token);
  const actor = legacy ?? state.actorForKey(token, 1);
  if (!actor) return json(200, UNAUTHENTICATED);
  const result = await graphql({
    schema,
    source: request.query,
    rootValue,
    contextValue: { state, actor, apiToken: legacy !== undefined } satisfies Context,
    variableValues: isObject(request.variables) ? request.variables : undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  // Without `data` the request never ran: a syntax, validation or variable error.
  return json('data' in result ? 200 : 400, result);
}

export const graphqlRoutes: Route[] = [route('POST', 'graphql', '/graphql', execute)];
