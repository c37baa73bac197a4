// Prefect Cloud 1 API keys: list (metadata only, never values), create, delete.

import { sendGraphql, sendGraphqlOnce, type GraphqlAnswer, type GraphqlApi } from './graphql.ts';

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
export function listKeys(api: GraphqlApi): Promise<GraphqlAnswer<{ auth_api_key: Cloud1Key[] }>> {
  return sendGraphql(api, LIST);
}

/** Sent once: see sendGraphqlOnce. */
export function createKey(
  api: GraphqlApi,
  input: { user_id: string; name: string; expires_at: string | null },
): Promise<GraphqlAnswer<{ create_api_key: CreatedKey | null }>> {
  return sendGraphqlOnce(api, CREATE, { input });
}

/** Deleting twice is harmless, so this is retried; success false means the key was not there. */
export function deleteKey(api: GraphqlApi, keyId: string): Promise<GraphqlAnswer<{ delete_api_key: { success: boolean } | null }>> {
  return sendGraphql(api, DELETE, { input: { key_id: keyId } });
}
