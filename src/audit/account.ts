// The audited account's id, when the account input gives its handle: Prefect
// filters service accounts by account id, and the handle-to-id map is the
// key's own /me/workspaces (every workspace it reaches, with its account).

import { ListingRefusal } from '../prefect/service-accounts.ts';
import { myWorkspaces, type PrefectApi } from '../prefect/rest.ts';
import type { AccountTarget } from './inputs.ts';

export interface ResolvedAccount {
  accountId: string;
  /** How messages name it: the handle given, or the id. */
  label: string;
}

/** At most this many handles are named when the one asked for is not among them. */
const MAX_NAMED = 10;

export async function resolveAccount(api: PrefectApi, target: AccountTarget): Promise<ResolvedAccount> {
  if (target.kind === 'id') return { accountId: target.accountId, label: target.accountId };
  const answer = await myWorkspaces(api);
  if (!answer.workspaces) {
    const { status } = answer;
    if (status === 401 && answer.fromPrefect) {
      throw new ListingRefusal(
        'invalid-key',
        status,
        'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key and update the secret that holds it.',
      );
    }
    throw new ListingRefusal(
      'unexpected',
      status,
      `Prefect Cloud answered HTTP ${status}${answer.fromPrefect ? '' : " with a page that is not Prefect's answer"} when asked for the key's workspaces, to find account ${target.handle}: give the account's id in the account input instead, and check that api-url (${api.base.href}) points at the Prefect Cloud API.`,
    );
  }
  const match = answer.workspaces.find((info) => info.account_handle === target.handle);
  if (match) return { accountId: match.account_id, label: target.handle };
  const handles = [...new Set(answer.workspaces.map((info) => info.account_handle))];
  const reached =
    handles.length === 0
      ? 'it reaches no workspace'
      : `it reaches workspaces of ${handles.slice(0, MAX_NAMED).join(', ')}${handles.length > MAX_NAMED ? ` and ${handles.length - MAX_NAMED} more` : ''}`;
  throw new ListingRefusal(
    'not-found',
    200,
    `Account ${target.handle} is not the account of any workspace this key reaches (${reached}): check the account input. A key whose user or service account belongs to no workspace of the account cannot find it by handle: give the account's id instead.`,
  );
}
