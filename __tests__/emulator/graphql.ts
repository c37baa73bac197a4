// Prefect Cloud 1's GraphQL API at /graphql: who a key is, and a tenant's service-account keys.
import type { FieldNode } from 'graphql';
import { buildSchema, getOperationAST, graphql, GraphQLError, Kind, parse } from 'graphql';
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

/** Cloud 1 service accounts hold the tenant's Administrator role. */
const ADMINISTRATOR_ROLE_ID = 'c57d7bf3-6bfb-4e2d-9bb8-5bd86a2b3d0e';

const UNAUTHENTICATED = { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] };

interface Context {
  state: State;
  actor: Actor;
}

interface CreateApiKeyInput {
  user_id: string;
  name: string;
  expires_at?: string | null;
}

function fail(message: string, code: string): never {
  throw new GraphQLError(message, { extensions: { code } });
}

/** A tenant's key that has not been deleted (Cloud 1 deletes at once, without grace). */
function tenantKeys({ state, actor }: Context): KeyRecord[] {
  return state.keys.filter((key) => key.revokedAt === null && state.actors.get(key.actorId)?.account === actor.account);
}

const rootValue = {
  auth_info: (_args: unknown, { actor }: Context) => ({
    user_id: actor.id,
    tenant_id: actor.account.id,
    role_id: ADMINISTRATOR_ROLE_ID,
  }),

  auth_api_key: (_args: unknown, context: Context) =>
    tenantKeys(context).map(({ id, name, created, expiration, actorId }) => ({
      id,
      name,
      created,
      expires_at: expiration,
      user_id: actorId,
    })),

  create_api_key: ({ input }: { input: CreateApiKeyInput }, { state, actor }: Context) => {
    const owner = state.actors.get(input.user_id);
    if (owner?.account !== actor.account) fail('Unauthorized: user_id is not a member of this tenant.', 'FORBIDDEN');
    const expiresAt = input.expires_at ? Date.parse(input.expires_at) : null;
    if (Number.isNaN(expiresAt)) fail(`invalid input syntax for type timestamptz: "${input.expires_at}"`, 'BAD_USER_INPUT');
    const expiration = expiresAt === null ? null : state.iso(expiresAt);
    const key = state.addKey(owner.id, input.name, randomKeyValue('', 40), expiration);
    return { id: key.id, key: key.value };
  },

  delete_api_key: ({ input }: { input: { key_id: string } }, context: Context) => {
    const key = tenantKeys(context).find(({ id }) => id === input.key_id);
    if (key) key.revokedAt = context.state.iso();
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
  const actor = state.actorForKey(credential(headers, 'Bearer'), 1);
  if (!actor) return json(200, UNAUTHENTICATED);
  const result = await graphql({
    schema,
    source: request.query,
    rootValue,
    contextValue: { state, actor } satisfies Context,
    variableValues: isObject(request.variables) ? request.variables : undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  // Without `data` the request never ran: a syntax, validation or variable error.
  return json('data' in result ? 200 : 400, result);
}

export const graphqlRoutes: Route[] = [route('POST', 'graphql', '/graphql', execute)];
