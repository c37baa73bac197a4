// The audit's inputs (src/audit/inputs.ts): the key from the input or
// PREFECT_API_KEY, the account by id, handle or workspace URL, the day
// thresholds, and an error naming the input for each bad value.

import { parseAuditInputs } from '../src/audit/inputs.ts';
import { InputError } from '../src/inputs.ts';

const KEY = 'pnu_XNHv6KtAnAqgfPq7d634An3yQ05sBrkpYP0E';
const ACCOUNT = 'f3746a0c-7ec1-4470-b029-fb9afdb0c477';
const WORKSPACE = '98221ccd-6a3a-49e6-8df4-58346acf5e41';
/** audit/action.yml's defaults, as the runner passes them. */
const DEFAULTS = { 'warn-within-days': '14', 'timeout-seconds': '30', retries: '3' };

function parse(values: Record<string, string>, env: Record<string, string> = {}) {
  const all: Record<string, string> = { ...DEFAULTS, ...values };
  return parseAuditInputs(
    (name) => all[name] ?? '',
    (name) => env[name],
  );
}

test('the defaults: warnings from 14 days out, never a failure on expiry, the public API', () => {
  expect(parse({ 'api-key': KEY, account: ACCOUNT })).toEqual({
    apiKey: KEY,
    apiBase: new URL('https://api.prefect.cloud/api'),
    account: { kind: 'id', accountId: ACCOUNT },
    warnWithinDays: 14,
    failWithinDays: undefined,
    timeoutMs: 30_000,
    retries: 3,
  });
});

test('the account: an id (lower-cased), a handle (lower-cased), or the account of a workspace URL in api-url or PREFECT_API_URL', () => {
  expect(parse({ 'api-key': KEY, account: ACCOUNT.toUpperCase() }).account).toEqual({ kind: 'id', accountId: ACCOUNT });
  expect(parse({ 'api-key': KEY, account: 'Acme' }).account).toEqual({ kind: 'handle', handle: 'acme' });
  const url = `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`;
  expect(parse({ 'api-key': KEY, 'api-url': url })).toMatchObject({
    account: { kind: 'id', accountId: ACCOUNT },
    apiBase: new URL('https://api.prefect.cloud/api'),
  });
  expect(parse({}, { PREFECT_API_KEY: KEY, PREFECT_API_URL: url })).toMatchObject({ apiKey: KEY, account: { kind: 'id', accountId: ACCOUNT } });
  // A handle alongside a workspace URL: the handle is what was asked for.
  expect(parse({ 'api-key': KEY, 'api-url': url, account: 'acme' }).account).toEqual({ kind: 'handle', handle: 'acme' });
});

test('an id is a whole UUID, anything else of letters, digits and dashes a handle, one character long or more; the same id in account and api-url agrees', () => {
  const url = `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`;
  expect(parse({ 'api-key': KEY, 'api-url': url, account: ACCOUNT }).account).toEqual({ kind: 'id', accountId: ACCOUNT });
  expect(parse({ 'api-key': KEY, account: `${ACCOUNT}0` }).account).toEqual({ kind: 'handle', handle: `${ACCOUNT}0` });
  expect(parse({ 'api-key': KEY, account: `0${ACCOUNT}` }).account).toEqual({ kind: 'handle', handle: `0${ACCOUNT}` });
  expect(parse({ 'api-key': KEY, account: 'X' }).account).toEqual({ kind: 'handle', handle: 'x' });
});

test('timeout-seconds: seconds, a fraction allowed, turned into milliseconds', () => {
  expect(parse({ 'api-key': KEY, account: 'acme', 'timeout-seconds': '2.5' }).timeoutMs).toBe(2500);
});

test('fail-within-days and warn-within-days: whole days from 0', () => {
  expect(parse({ 'api-key': KEY, account: 'acme', 'fail-within-days': '7', 'warn-within-days': '0' })).toMatchObject({ failWithinDays: 7, warnWithinDays: 0 });
  expect(parse({ 'api-key': KEY, account: 'acme', 'fail-within-days': '0' }).failWithinDays).toBe(0);
});

test.each([
  [{}, 'Input api-key is required: pass a Prefect Cloud API key allowed to read the account'],
  [{ 'api-key': 'short' }, 'Input api-key is 5 characters long; a credential has at least 16'],
  [
    { 'api-key': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    'Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key).',
  ],
  [{ 'api-key': `x${KEY}` }, 'Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key).'],
  [
    { 'api-key': KEY },
    'Input account is required: give the account id or handle (such as acme), or a workspace URL of the account in api-url or PREFECT_API_URL.',
  ],
  [
    { 'api-key': KEY, account: 'acme/prod' },
    'Input account must be an account id (a UUID) or an account handle (letters, digits and dashes, such as acme), got "acme/prod".',
  ],
  [
    { 'api-key': KEY, account: 'x\n::error::y' },
    'Input account must be an account id (a UUID) or an account handle (letters, digits and dashes, such as acme), got "x?::error::y".',
  ],
  [
    { 'api-key': KEY, account: '3ac43a10-d823-41fa-92df-dd3b855f037c', 'api-url': `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}` },
    'Input account disagrees with the account of the workspace URL in api-url: give one of them, or the same account in both.',
  ],
  [{ 'api-key': KEY, account: 'acme', 'warn-within-days': '-1' }, 'Input warn-within-days must be a whole number from 0 to 3650, got "-1".'],
  [{ 'api-key': KEY, account: 'acme', 'fail-within-days': 'a week' }, 'Input fail-within-days must be a whole number from 0 to 3650, got "a week".'],
  [{ 'api-key': KEY, account: 'acme', 'api-url': 'http://api.prefect.cloud/api' }, 'Input api-url must use https (http is accepted only for localhost)'],
  [{ 'api-key': KEY, account: 'acme', 'timeout-seconds': '0' }, 'Input timeout-seconds must be a number from 1 to 3600, got "0".'],
  [{ 'api-key': KEY, account: 'acme', retries: '11' }, 'Input retries must be a whole number from 0 to 10, got "11".'],
])('%j is refused: %s', (values, message) => {
  let error: unknown;
  try {
    parse(values);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toContain(message);
  // A refused key is never shown.
  expect((error as Error).message).not.toContain(KEY);
});

test('a bad URL from PREFECT_API_URL is named as the environment’s, not as input api-url', () => {
  const error = (() => {
    try {
      parse({ 'api-key': KEY }, { PREFECT_API_URL: 'http://example.com/api' });
    } catch (caught) {
      return caught;
    }
    throw new Error('expected the inputs to be refused');
  })();
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toMatch(/^PREFECT_API_URL from the environment /);
});
