// The audit's inputs turned into checked values, with the main action's
// rules and wording (src/inputs.ts): every error names the input and what it
// accepts, and nothing here touches the network.

import { InputError, inputOrEnv, parseNumber, readApiUrl, parseToken, parseUuid, readBounded, type ReadEnv, type ReadInput } from '../inputs.ts';
import { shortQuotedInput } from '../safe-text.ts';

/** The account to audit: its id, or its handle (resolved through /me/workspaces). */
export type AccountTarget = { kind: 'id'; accountId: string } | { kind: 'handle'; handle: string };

export interface AuditInputs {
  apiKey: string;
  apiBase: URL;
  account: AccountTarget;
  /** Warn of keys due within this many days; 0: no warnings. */
  warnWithinDays: number;
  /** Fail the step when a key is due within this many days; undefined: never. */
  failWithinDays: number | undefined;
  timeoutMs: number;
  retries: number;
}

/** An account id; anything else that fits HANDLE is a handle (a handle is never a UUID's shape). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Prefect's account handles: lower-case letters, digits and dashes (upper case is folded, as the main action does). */
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const MAX_DAYS = 3650;

function parseApiKey(value: string): string {
  if (value === '') {
    throw new InputError(
      "Input api-key is required: pass a Prefect Cloud API key allowed to read the account's service accounts (e.g. ${{ secrets.PREFECT_AUDIT_KEY }}), or set PREFECT_API_KEY in the environment.",
    );
  }
  const key = parseToken('api-key', value);
  if (!/^pn[ub]_/.test(key)) {
    throw new InputError('Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key).');
  }
  return key;
}

function parseAccount(value: string, fromUrl: string | undefined): AccountTarget {
  if (value === '') {
    if (fromUrl) return { kind: 'id', accountId: fromUrl };
    throw new InputError(
      'Input account is required: give the account id or handle (such as acme), or a workspace URL of the account in api-url or PREFECT_API_URL.',
    );
  }
  const account = UUID.test(value) ? ({ kind: 'id', accountId: parseUuid('account', value) } as const) : undefined;
  if (!account && !HANDLE.test(value)) {
    throw new InputError(
      `Input account must be an account id (a UUID) or an account handle (letters, digits and dashes, such as acme), got ${shortQuotedInput(value)}.`,
    );
  }
  const target: AccountTarget = account ?? { kind: 'handle', handle: value.toLowerCase() };
  if (fromUrl && target.kind === 'id' && target.accountId !== fromUrl) {
    throw new InputError('Input account disagrees with the account of the workspace URL in api-url: give one of them, or the same account in both.');
  }
  return target;
}

function parseDays(read: ReadInput, name: string, fallback: number): number {
  return parseNumber(name, read(name), fallback, { min: 0, max: MAX_DAYS, integer: true });
}

export function parseAuditInputs(read: ReadInput, readEnv: ReadEnv = () => undefined): AuditInputs {
  const apiKey = parseApiKey(inputOrEnv(read, readEnv, 'api-key', 'PREFECT_API_KEY'));
  const { apiUrl } = readApiUrl(read, readEnv);
  const failText = readBounded(read, 'fail-within-days');
  return {
    apiKey,
    apiBase: apiUrl.base,
    account: parseAccount(readBounded(read, 'account'), apiUrl.accountId),
    warnWithinDays: parseDays(read, 'warn-within-days', 14),
    failWithinDays: failText === '' ? undefined : parseDays(read, 'fail-within-days', 0),
    timeoutMs: parseNumber('timeout-seconds', read('timeout-seconds'), 30, { min: 1, max: 3600 }) * 1000,
    retries: parseNumber('retries', read('retries'), 3, { min: 0, max: 10, integer: true }),
  };
}
