// The audit's account by handle (src/audit/account.ts) and its rules on the
// keys (src/audit/expiries.ts), each in-process: resolveAccount against the
// emulator's /me/workspaces, with each refusal said as what it is and the
// workspaces a key reaches named up to a cut-off; the order of the keys
// whatever order Prefect lists them in, which keys never expire, and how a
// due key's expiry reads.

import { resolveAccount } from '../src/audit/account.ts';
import { dueWithin, keyRows, neverExpiring, whenDue } from '../src/audit/expiries.ts';
import type { Bot } from '../src/prefect/bots.ts';
import { ListingRefusal } from '../src/prefect/service-accounts.ts';
import { useEmulator } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';

const emulator = useEmulator();
const DAY = 86_400_000;
/** The audit's clock in these tests: days-left counts from here, whatever the real date. */
const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const at = (days: number) => new Date(NOW + days * DAY).toISOString();

describe('the account by handle', () => {
  /** resolveAccount's refusal for `acme`, with the Owner's key, as [kind, status, message]. */
  async function refusal(): Promise<[string, number, string]> {
    const emu = emulator();
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    const error: unknown = await resolveAccount(api, { kind: 'handle', handle: 'acme' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ListingRefusal);
    const { kind, status, message } = error as ListingRefusal;
    return [kind, status, message];
  }

  const asked = (emuUrl: string) =>
    `when asked for the key's workspaces, to find account acme: give the account's id in the account input instead, and check that api-url (${new URL(emuUrl).href}) points at the Prefect Cloud API.`;

  test("a 401 from Prefect is a rejected key; a 401 page that is not Prefect's, or a 403 from Prefect, is an unexpected answer naming the status", async () => {
    const emu = emulator();
    emu.fault('me-workspaces', { status: 401 });
    expect(await refusal()).toEqual([
      'invalid-key',
      401,
      'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key and update the secret that holds it.',
    ]);
    emu.clearFaults();
    emu.fault('me-workspaces', { htmlStatus: 401 });
    expect(await refusal()).toEqual(['unexpected', 401, `Prefect Cloud answered HTTP 401 with a page that is not Prefect's answer ${asked(emu.apiUrl)}`]);
    emu.clearFaults();
    emu.fault('me-workspaces', { status: 403 });
    expect(await refusal()).toEqual(['unexpected', 403, `Prefect Cloud answered HTTP 403 ${asked(emu.apiUrl)}`]);
  });

  /** A /me/workspaces answer: one workspace per handle given. */
  const workspacesOf = (handles: string[]) =>
    JSON.stringify(
      handles.map((handle, index) => ({
        account_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        account_handle: handle,
        workspace_id: `10000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        workspace_handle: 'prod',
      })),
    );
  const notFound = (reached: string) =>
    `Account acme is not the account of any workspace this key reaches (${reached}): check the account input. A key whose user or service account belongs to no workspace of the account cannot find it by handle: give the account's id instead.`;

  test('a handle the key does not reach: not-found, naming each account it reaches once, at most ten and how many more; or that it reaches none', async () => {
    const emu = emulator();
    emu.fault('me-workspaces', { status: 200, body: '[]' });
    expect(await refusal()).toEqual(['not-found', 200, notFound('it reaches no workspace')]);
    const ten = Array.from({ length: 10 }, (_, index) => `org-${index}`);
    emu.clearFaults();
    emu.fault('me-workspaces', { status: 200, body: workspacesOf([...ten, 'org-0']) });
    expect(await refusal()).toEqual(['not-found', 200, notFound(`it reaches workspaces of ${ten.join(', ')}`)]);
    emu.clearFaults();
    emu.fault('me-workspaces', { status: 200, body: workspacesOf([...ten, 'org-10', 'org-11']) });
    expect(await refusal()).toEqual(['not-found', 200, notFound(`it reaches workspaces of ${ten.join(', ')} and 2 more`)]);
  });
});

describe('the rules on the keys', () => {
  const KEY_ID = '11111111-1111-4111-8111-111111111111';
  const bot = (id: string, name: string, keyExpiration: string | null | undefined): Bot => ({
    id,
    name,
    keyId: keyExpiration === undefined ? undefined : KEY_ID,
    keyExpiration,
    keyCreated: undefined,
  });

  test('the same order from every order of the listing: by expiry, then name, then id; keys that never expire before service accounts without a key, whatever their names', () => {
    const bots = [
      bot('00000000-0000-4000-8000-00000000000a', 'a-keyless', undefined),
      bot('00000000-0000-4000-8000-00000000000b', 'b-never', null),
      bot('00000000-0000-4000-8000-00000000000d', 'c-later', at(5)),
      bot('00000000-0000-4000-8000-00000000000c', 'c-later', at(5)),
      bot('00000000-0000-4000-8000-00000000000e', 'd-sooner', at(1)),
    ];
    const orders = (items: Bot[]): Bot[][] =>
      items.length <= 1 ? [items] : items.flatMap((item, index) => orders(items.filter((_, other) => other !== index)).map((rest) => [item, ...rest]));
    const sorted = new Set(
      orders(bots).map((listing) =>
        keyRows(listing, NOW)
          .map((row) => row['service-account-id'].slice(-1))
          .join(''),
      ),
    );
    expect([...sorted]).toEqual(['ecdba']);
  });

  test('never-expiring: keys without an expiry, not service accounts without a key; a due key reads as expired, within a day, in 1 day, in 2 days', () => {
    const rows = keyRows(
      [
        bot('00000000-0000-4000-8000-000000000001', 'keyless', undefined),
        bot('00000000-0000-4000-8000-000000000002', 'never', null),
        bot('00000000-0000-4000-8000-000000000003', 'expired', at(-0.5)),
        bot('00000000-0000-4000-8000-000000000004', 'today', at(0.5)),
        bot('00000000-0000-4000-8000-000000000005', 'tomorrow', at(1.5)),
        bot('00000000-0000-4000-8000-000000000006', 'later', at(2.5)),
      ],
      NOW,
    );
    expect(neverExpiring(rows).map((row) => row['service-account'])).toEqual(['never']);
    expect(dueWithin(rows, 2).map((row) => [row['days-left'], whenDue(row)])).toEqual([
      [-1, 'has expired'],
      [0, 'expires within a day'],
      [1, 'expires in 1 day'],
      [2, 'expires in 2 days'],
    ]);
  });
});
