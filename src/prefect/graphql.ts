// Prefect Cloud 1's GraphQL API. Errors often come back with HTTP 200 in an
// `errors` array; a read is retried through transient ones, a mutation is
// sent once, because a repeat after an ambiguous failure could create twice.

import type { HttpResponse } from '../http/client.ts';
import { sendOnce, sendWithRetries, TransientAnswerError, type RetryPolicy } from '../http/retry.ts';
import { serverWords } from '../safe-text.ts';
import { object, uuid } from './values.ts';

export interface GraphqlApi {
  url: URL;
  apiKey: string;
  policy: RetryPolicy;
}

export interface GraphqlProblem {
  message: string;
  code: string;
}

export type GraphqlAnswer<T> = { data: T; problem?: undefined } | { data?: undefined; problem: GraphqlProblem };

/**
 * Error codes that say the server failed, not the request: worth a retry for a
 * read. API_ERROR is among them: Prefect's own 1.x client retries it.
 */
const SERVER_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'API_ERROR']);

/** The code of a refusal that is not Prefect's answer. */
export const NOT_PREFECT = 'NOT_PREFECT';

interface RawError {
  message?: unknown;
  extensions?: { code?: unknown };
}

/**
 * An authentication failure as Prefect's own 1.x client reads one:
 * UNAUTHENTICATED anywhere in the errors (a code or a message), or a
 * "Malformed Authorization header" message.
 */
function isAuthFailure(errors: RawError[]): boolean {
  return errors.some((error) => {
    const text = `${typeof error.message === 'string' ? error.message : ''} ${typeof error.extensions?.code === 'string' ? error.extensions.code : ''}`;
    return /UNAUTHENTICATED|Malformed Authorization header/i.test(text);
  });
}

function problemOf(response: HttpResponse): GraphqlProblem | undefined {
  let body: { errors?: unknown } | undefined;
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    body = undefined;
  }
  const errors = Array.isArray(body?.errors) ? (body.errors as RawError[]).filter((error) => typeof error === 'object' && error !== null) : [];
  const first = errors[0];
  if (first) {
    const message = typeof first.message === 'string' ? serverWords(first.message) : 'GraphQL error';
    if (isAuthFailure(errors)) return { message, code: 'UNAUTHENTICATED' };
    const code = typeof first.extensions?.code === 'string' && /^[A-Z_]{1,50}$/.test(first.extensions.code) ? first.extensions.code : 'UNKNOWN';
    return { message, code };
  }
  if (response.status === 401 || response.status === 403) {
    // Without Prefect's JSON, the refusal came from something in between (a proxy, a firewall).
    if (body === undefined) return { message: `HTTP ${response.status}`, code: NOT_PREFECT };
    return response.status === 401 ? { message: 'HTTP 401', code: 'UNAUTHENTICATED' } : { message: 'HTTP 403', code: 'FORBIDDEN' };
  }
  return undefined;
}

function interpret<T>(response: HttpResponse, retryServerErrors: boolean): GraphqlAnswer<T> {
  const problem = problemOf(response);
  if (problem) {
    if (retryServerErrors && SERVER_CODES.has(problem.code)) throw new TransientAnswerError(`GraphQL error ${problem.code}`);
    return { problem };
  }
  let data: unknown;
  try {
    data = (JSON.parse(response.body) as { data?: unknown }).data;
  } catch {
    data = undefined;
  }
  if (response.status !== 200 || data === undefined || data === null) {
    throw new TransientAnswerError(`HTTP ${response.status} without GraphQL data`);
  }
  return { data: data as T };
}

function request(api: GraphqlApi, query: string, variables: Record<string, unknown>) {
  return {
    method: 'POST' as const,
    url: api.url,
    headers: { authorization: `Bearer ${api.apiKey}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  };
}

/**
 * A query, or a mutation that is safe to repeat (a delete): retried through
 * network failures, 5xx, 429 and server-side GraphQL errors.
 */
export function sendGraphql<T>(api: GraphqlApi, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer<T>> {
  return sendWithRetries(api.policy, request(api, query, variables), (response) => interpret<T>(response, true));
}

/**
 * A mutation that must not run twice (a create), sent once (see sendOnce).
 * An answer that proves nothing happened (an error in `errors`, a 4xx) comes
 * back as a problem; a failure short of an answer throws AmbiguousOutcomeError.
 */
export function sendGraphqlOnce<T>(api: GraphqlApi, query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
  return sendOnce(api.policy, request(api, query, variables), (response) => interpret<T>(response, false));
}

export interface AuthInfo {
  user_id: string;
  /** null: an old API token, not a key. */
  tenant_id: string | null;
}

/** Who the key belongs to: `auth_info`, its ids checked. For a service-account key, user_id is the service account. */
export async function authInfo(api: GraphqlApi): Promise<GraphqlAnswer<{ auth_info: AuthInfo | null }>> {
  const answer = await sendGraphql<{ auth_info?: unknown }>(api, 'query { auth_info { user_id tenant_id } }');
  if (answer.problem) return answer;
  if (answer.data.auth_info === null || answer.data.auth_info === undefined) return { data: { auth_info: null } };
  const info = object(answer.data.auth_info, 'auth_info');
  return {
    data: {
      auth_info: {
        user_id: uuid(info.user_id, 'auth_info.user_id'),
        tenant_id: info.tenant_id === null || info.tenant_id === undefined ? null : uuid(info.tenant_id, 'auth_info.tenant_id'),
      },
    },
  };
}
