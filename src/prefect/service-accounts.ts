// Every service account of an account with its active key, as one listing:
// POST /accounts/{id}/bots/filter, paged by offset (at most 200 a page), which
// needs the account permission read:bot. A thousand service accounts cost six
// requests: five full pages, and the empty one that shows the list has ended
// (Prefect gives no count, so only a page shorter than the limit ends it).

import type { HttpResponse } from '../http/client.ts';
import { serverWords } from '../safe-text.ts';
import { botOf, type Bot } from './bots.ts';
import { isPrefectRefusal, parseJson, postQuery, type PrefectApi } from './rest.ts';
import { UnexpectedAnswerError } from './values.ts';

/** The largest page Prefect serves (the OpenAPI's `limit` maximum). */
export const MAX_PAGE_SIZE = 200;

/**
 * No account has this many service accounts: a server that keeps sending
 * full pages past it is not listing an account, and the listing stops
 * there rather than running to the deadline.
 */
const MAX_PAGES = 500;

/** Why Prefect would not list the service accounts. */
export type ListingRefusalKind = 'invalid-key' | 'forbidden' | 'not-found' | 'unexpected';

/** Prefect (or something in front of it) refused the listing: the message says why and what to do. */
export class ListingRefusal extends Error {
  override name = 'ListingRefusal';
  readonly kind: ListingRefusalKind;
  readonly status: number;
  constructor(kind: ListingRefusalKind, status: number, message: string) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/** What a 403 on the listing means, and the role that grants the permission. */
export const NEEDS_READ_BOT =
  "listing an account's service accounts needs the account permission read:bot, which every built-in account role grants, from Member up (Member, Admin, Owner). Give the key's user or service account one of those roles in the account, or a custom role with read:bot. Prefect also answers 403 when the account's IP allowlist does not include the runner's address, or when the account enforces PrivateLink and the request came over the public internet.";

function detailOf(response: HttpResponse): string {
  try {
    const detail = (JSON.parse(response.body) as { detail?: unknown }).detail;
    if (detail !== undefined) return `: ${serverWords(detail)}`;
  } catch {
    // not JSON
  }
  return '';
}

function refusal(api: PrefectApi, response: HttpResponse, accountLabel: string): ListingRefusal {
  const { status } = response;
  const said = `HTTP ${status}${detailOf(response)}`;
  if ([401, 403, 404].includes(status) && !isPrefectRefusal(response)) {
    return new ListingRefusal(
      'unexpected',
      status,
      `Something between the runner and Prefect Cloud (a proxy or a firewall) answered HTTP ${status} with a page that is not Prefect's answer: this says nothing about the key or its service accounts. Check the runner's proxy (HTTPS_PROXY) and firewall, and that api-url (${api.base.href}) points at the Prefect Cloud API.`,
    );
  }
  if (status === 401) {
    return new ListingRefusal(
      'invalid-key',
      status,
      `Prefect Cloud rejected the API key (${said}): it is wrong, expired or deleted. Create a new key and update the secret that holds it.`,
    );
  }
  if (status === 403)
    return new ListingRefusal('forbidden', status, `The API key may not list the service accounts of account ${accountLabel} (${said}): ${NEEDS_READ_BOT}`);
  if (status === 404) {
    return new ListingRefusal(
      'not-found',
      status,
      `Account ${accountLabel} was not found for this key (${said}): check the account input (or the URL in api-url), or use a key of a user or service account of that account.`,
    );
  }
  return new ListingRefusal(
    'unexpected',
    status,
    `Prefect Cloud answered ${said} when asked for the service accounts, which it does not send to this request: check that api-url (${api.base.href}) points at the Prefect Cloud API.`,
  );
}

/** One page: the checked service accounts, never more than asked for. */
function pageOf(response: HttpResponse, offset: number, limit: number): Bot[] {
  const list = parseJson(response);
  if (!Array.isArray(list)) throw new UnexpectedAnswerError('the service accounts are not a list');
  if (list.length > limit) throw new UnexpectedAnswerError(`a page of service accounts holds more than the ${limit} asked for`);
  return list.map((entry: unknown, index: number) => botOf(entry, `service account ${offset + index + 1}`));
}

export interface ServiceAccountListing {
  serviceAccounts: Bot[];
  /** How many pages were asked for. */
  requests: number;
}

/**
 * Every service account of the account, each once. Pages are asked one after
 * another: each offset follows the last page's length. A service account
 * created or deleted meanwhile may shift a page; one seen twice is kept once.
 */
export async function listServiceAccounts(
  api: PrefectApi,
  accountId: string,
  accountLabel = accountId,
  pageSize = MAX_PAGE_SIZE,
): Promise<ServiceAccountListing> {
  const byId = new Map<string, Bot>();
  let requests = 0;
  for (let offset = 0; ;) {
    if (requests === MAX_PAGES) throw new UnexpectedAnswerError(`the list of service accounts did not end after ${MAX_PAGES} pages`);
    requests += 1;
    const page = await postQuery(api, `/accounts/${accountId}/bots/filter`, { limit: pageSize, offset }, (response) => {
      if (response.status !== 200) throw refusal(api, response, accountLabel);
      return pageOf(response, offset, pageSize);
    });
    for (const bot of page) if (!byId.has(bot.id)) byId.set(bot.id, bot);
    if (page.length < pageSize) break;
    offset += page.length;
  }
  return { serviceAccounts: [...byId.values()], requests };
}
