// Checking a Prefect Cloud 1 key: today's REST API does not know such keys,
// so the GraphQL endpoint says who the key is. A named workspace is still
// asked through /health.

import { displayUrl } from '../display-url.ts';
import type { WorkspaceTarget } from '../inputs.ts';
import { UnavailableError } from '../http/retry.ts';
import { checkKey, unavailable, type CheckResult } from './check.ts';
import { listKeys } from './cloud1-keys.ts';
import { expiryOf, type Expiry } from './expiry.ts';
import { authInfo, NOT_PREFECT, type GraphqlApi } from './graphql.ts';
import { UnexpectedAnswerError } from './values.ts';
import { bounded } from '../safe-text.ts';
import type { PrefectApi } from './rest.ts';

export interface Cloud1CheckResult extends CheckResult {
  /** auth_info.user_id: for a service-account key, the service account. */
  actorId?: string;
}

/** Cloud 1 lists an actor's keys (auth_api_key) but not which one is asking: the expiry is known when the actor has exactly one. */
async function cloud1Expiry(graphql: GraphqlApi, actorId: string): Promise<Expiry> {
  try {
    const answer = await listKeys(graphql);
    if (answer.problem) return { kind: 'unknown', why: `Prefect Cloud 1 would not list the keys (${answer.problem.code})` };
    const own = answer.data.auth_api_key.filter((key) => key.user_id === actorId);
    if (own.length !== 1) return { kind: 'unknown', why: `the key's account has ${own.length} keys, and Prefect Cloud 1 does not say which one this is` };
    return expiryOf(own[0]!.expires_at);
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof UnexpectedAnswerError)
      return { kind: 'unknown', why: `its expiry could not be read (${error.message})` };
    throw error;
  }
}

/** The longest server text an annotation quotes: the check's annotation stays within 400 characters; the whole text goes to the summary. */
const QUOTED_IN_MESSAGE = 100;

/** What Prefect Cloud 1 said, cut for the annotation, and in full for the summary's detail. */
function said(text: string): { short: string; detail?: string } {
  const short = bounded(text, QUOTED_IN_MESSAGE);
  return short === text ? { short } : { short, detail: `Prefect Cloud 1 said: ${text}` };
}

export async function checkCloud1Key(graphql: GraphqlApi, rest: PrefectApi, target: WorkspaceTarget): Promise<Cloud1CheckResult> {
  let answer;
  try {
    answer = await authInfo(graphql);
  } catch (error) {
    if (error instanceof UnexpectedAnswerError) {
      return {
        status: 'unexpected',
        statusCode: 200,
        message: `Prefect Cloud 1 answered the key check with a value it does not send: ${error.message}. Check that graphql-url (${displayUrl(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
      };
    }
    if (!(error instanceof UnavailableError)) throw error;
    return unavailable(`Prefect Cloud 1 at ${graphql.url.host}`, error);
  }
  if (answer.problem?.code === NOT_PREFECT) {
    return {
      status: 'unexpected',
      statusCode: Number(answer.problem.message.replace('HTTP ', '')) || undefined,
      message: `Something between the runner and Prefect Cloud 1 (a proxy or a firewall) answered ${answer.problem.message} with a page that is not Prefect's answer: this says nothing about the key. Check the runner's proxy (HTTPS_PROXY) and firewall, and that graphql-url (${displayUrl(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
    };
  }
  if (answer.problem?.code === 'UNAUTHENTICATED') {
    const { short, detail } = said(answer.problem.message);
    return {
      status: 'invalid-key',
      statusCode: 200,
      message: `Prefect Cloud 1 rejected the API key (${short}): it is wrong, expired or deleted. Create a new key and update the secret that holds it.`,
      ...(detail ? { detail } : {}),
    };
  }
  if (answer.problem?.code === 'FORBIDDEN') {
    const { short, detail } = said(answer.problem.message);
    return {
      status: 'forbidden',
      statusCode: 200,
      message: `Prefect Cloud 1 accepted the key but refused to say who it is (${short}).`,
      ...(detail ? { detail } : {}),
    };
  }
  const info = answer.data?.auth_info;
  if (!info) {
    const { short, detail } = said(answer.problem ? `${answer.problem.code}: ${answer.problem.message}` : 'no auth_info');
    return {
      status: 'unexpected',
      statusCode: 200,
      message: `Prefect Cloud 1 answered the key check with ${short}: check that graphql-url (${displayUrl(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
      ...(detail ? { detail } : {}),
    };
  }
  if (info.tenant_id === null) {
    // As Prefect's own 1.x client reads it: no tenant means an old API token was given where a key belongs.
    return {
      status: 'invalid-key',
      statusCode: 200,
      message:
        'Prefect Cloud 1 says this is an old API token, not an API key (auth_info has no tenant_id): create an API key and update the secret that holds it.',
    };
  }
  const valid: Cloud1CheckResult = {
    status: 'valid',
    statusCode: 200,
    actorId: info.user_id,
    expiry: await cloud1Expiry(graphql, info.user_id),
    message: `The API key is valid on Prefect Cloud 1 (tenant ${info.tenant_id}).`,
  };
  if (target.kind === 'none') return valid;
  const workspace = await checkKey(rest, target);
  return workspace.status === 'valid' ? { ...workspace, actorId: info.user_id } : workspace;
}
