// Prefect Cloud 1 API keys: list (metadata only, never values), create, delete.

import { sendGraphql, sendGraphqlOnce, type GraphqlAnswer, type GraphqlApi } from './graphql.ts';
import { cloud1Key, name, object, optionalTimestamp, timestamp, UnexpectedAnswerError, uuid } from './values.ts';

export interface Cloud1Key {
  id: string;
  name: string;
  created: string;
  expires_at: string | null;
  user_id: string;
}

export interface CreatedKey {
  id: string;
  key: string;
}

const LIST = 'query { auth_api_key { id name created expires_at user_id } }';
const CREATE = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
const DELETE = 'mutation ($input: delete_api_key_input!) { delete_api_key(input: $input) { success } }';

/** For a service-account key: the metadata of every service-account key of the tenant. */
export async function listKeys(api: GraphqlApi): Promise<GraphqlAnswer<{ auth_api_key: Cloud1Key[] }>> {
  const answer = await sendGraphql<{ auth_api_key?: unknown }>(api, LIST);
  if (answer.problem) return answer;
  if (!Array.isArray(answer.data.auth_api_key)) throw new UnexpectedAnswerError('auth_api_key is not a list');
  return {
    data: {
      auth_api_key: answer.data.auth_api_key.map((value: unknown) => {
        const key = object(value, 'an auth_api_key entry');
        return {
          id: uuid(key.id, 'auth_api_key.id'),
          name: name(key.name, 'auth_api_key.name'),
          created: timestamp(key.created, 'auth_api_key.created'),
          expires_at: optionalTimestamp(key.expires_at, 'auth_api_key.expires_at'),
          user_id: uuid(key.user_id, 'auth_api_key.user_id'),
        };
      }),
    },
  };
}

/** Sent once: see sendGraphqlOnce. */
export async function createKey(
  api: GraphqlApi,
  input: { user_id: string; name: string; expires_at: string | null },
): Promise<GraphqlAnswer<{ create_api_key: CreatedKey | null }>> {
  const answer = await sendGraphqlOnce<{ create_api_key?: unknown }>(api, CREATE, { input });
  if (answer.problem) return answer;
  if (answer.data.create_api_key === null || answer.data.create_api_key === undefined) return { data: { create_api_key: null } };
  const created = object(answer.data.create_api_key, 'create_api_key');
  return { data: { create_api_key: { id: uuid(created.id, 'create_api_key.id'), key: cloud1Key(created.key, 'create_api_key.key') } } };
}

/** Deleting twice is harmless, so this is retried; success false means the key was not there. */
export function deleteKey(api: GraphqlApi, keyId: string): Promise<GraphqlAnswer<{ delete_api_key: { success: boolean } | null }>> {
  return sendGraphql(api, DELETE, { input: { key_id: keyId } });
}
