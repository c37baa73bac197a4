// The audit's work (src/audit/) in-process, against the emulator, with a
// recording runner and a fixed clock: the order of the keys, days-left, the
// counts, a warning per key due (at most ten), fail-within-days, paging
// through bots/filter, and each refusal said as what it is; the job summary
// and the messages word for word, at their singular, plural and bounds.

import { parseAuditInputs } from '../src/audit/inputs.ts';
import { dueWithin, keyRows } from '../src/audit/expiries.ts';
import { runAudit } from '../src/audit/main.ts';
import { MAX_SUMMARY_ROWS, reportFailure, reportListing, type AuditListing } from '../src/audit/report.ts';
import type { Bot } from '../src/prefect/bots.ts';
import { ListingRefusal, listServiceAccounts } from '../src/prefect/service-accounts.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';
import { recordingRunner, type Recorded } from './support/recording-runner.ts';

const emulator = useEmulator();
const DAY = 86_400_000;
/** The audit's clock in these tests: days-left counts from here, whatever the real date. */
const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const at = (days: number) => new Date(NOW + days * DAY).toISOString();

async function audit(values: Record<string, string>): Promise<Recorded> {
  const { runner, recorded } = recordingRunner();
  const inputs = parseAuditInputs((name) => values[name] ?? '');
  recorded.exitCode = await runAudit(inputs, runner, { policy: quickPolicy(), now: () => NOW });
  return recorded;
}

/** The Owner's key over the seed's account, by id. */
const asOwner = (emu: Emulator, values: Record<string, string> = {}) => ({
  'api-key': emu.seed.user.key,
  'api-url': emu.apiUrl,
  account: emu.seed.account.id,
  'warn-within-days': '14',
  ...values,
});

const keysOf = (recorded: Recorded) => JSON.parse(recorded.outputs.keys ?? '') as Array<Record<string, unknown>>;
const bot = (name: string, keyExpiration: string | null | undefined, id = `00000000-0000-4000-8000-${String(name.length).padStart(12, '0')}`): Bot => ({
  id,
  name,
  keyId: keyExpiration === undefined ? undefined : '11111111-1111-4111-8111-111111111111',
  keyExpiration,
  keyCreated: undefined,
});

describe('the rules', () => {
  test('soonest expiry first, then keys that never expire, then service accounts without a key; days-left rounded down', () => {
    const rows = keyRows(
      [bot('never', null), bot('later', at(30.9)), bot('none', undefined), bot('expired', at(-0.5)), bot('soon', at(2.99)), bot('today', at(0.2))],
      NOW,
    );
    expect(rows.map((row) => [row['service-account'], row['days-left']])).toEqual([
      ['expired', -1],
      ['today', 0],
      ['soon', 2],
      ['later', 30],
      ['never', null],
      ['none', null],
    ]);
    expect(rows.find((row) => row['service-account'] === 'none')).toMatchObject({ 'key-id': null, 'expires-at': null });
  });

  test('equal expiries sort by name, then id: the same order on every run', () => {
    const same = at(3);
    const rows = keyRows(
      [
        bot('b', same, 'b0000000-0000-4000-8000-000000000000'),
        bot('a', same, 'c0000000-0000-4000-8000-000000000000'),
        bot('a', same, 'a0000000-0000-4000-8000-000000000000'),
      ],
      NOW,
    );
    expect(rows.map((row) => row['service-account-id'][0])).toEqual(['a', 'c', 'b']);
  });

  test('due within N days: days-left at most N, expired ones included, never-expiring ones never', () => {
    const rows = keyRows([bot('a', at(-3)), bot('b', at(7.5)), bot('c', at(8)), bot('d', null)], NOW);
    expect(dueWithin(rows, 7).map((row) => row['service-account'])).toEqual(['a', 'b']);
    expect(dueWithin(rows, 0).map((row) => row['service-account'])).toEqual(['a']);
  });
});

describe('an audit against the emulator', () => {
  test('every service account with its key, soonest first; the counts; a warning for each key due, naming it and the date', async () => {
    const emu = emulator();
    emu.addServiceAccount('nightly-etl', at(3.5));
    emu.addServiceAccount('expired-one', at(-2));
    emu.addServiceAccount('quarterly', at(90));
    const result = await audit(asOwner(emu));
    expect(result.exitCode).toBe(0);
    const keys = keysOf(result);
    expect(keys.slice(0, 3)).toEqual([
      { 'service-account': 'expired-one', 'service-account-id': expect.any(String), 'key-id': expect.any(String), 'expires-at': at(-2), 'days-left': -2 },
      { 'service-account': 'nightly-etl', 'service-account-id': expect.any(String), 'key-id': expect.any(String), 'expires-at': at(3.5), 'days-left': 3 },
      { 'service-account': 'quarterly', 'service-account-id': expect.any(String), 'key-id': expect.any(String), 'expires-at': at(90), 'days-left': 90 },
    ]);
    // The seed's four service accounts' keys never expire: last.
    expect(keys.slice(3).map((key) => key['service-account'])).toEqual(['dashboard-reader', 'deployer', 'key-rotator', 'staging-deployer']);
    expect(keys.slice(3).every((key) => key['expires-at'] === null && key['days-left'] === null)).toBe(true);
    expect(result.outputs).toMatchObject({ status: 'listed', expiring: '2', 'never-expiring': '4' });
    expect(result.lines[0]).toBe(`info: Listed 7 service accounts of account ${emu.seed.account.id} in 1 request; 2 keys due within 14 days.`);
    expect(result.lines.filter((line) => line.startsWith('warning'))).toEqual([
      `warning: Service account key expires soon: The key of service account expired-one has expired (${at(-2)}): rotate it, or create a new key and update the secrets that hold it, before then.`,
      `warning: Service account key expires soon: The key of service account nightly-etl expires in 3 days (${at(3.5)}): rotate it, or create a new key and update the secrets that hold it, before then.`,
    ]);
    expect(result.summary).toContain('### ⚠️ Prefect Cloud service account keys: 2 expire within 14 days');
    expect(result.summary).toContain(`| nightly-etl | \`${keys[1]!['service-account-id'] as string}\` | ${at(3.5)} | 3 |`);
    expect(result.summary).toContain('| deployer |');
  });

  test('warn-within-days: 0 warns of nothing; more than ten keys due: nine warnings and one for the rest', async () => {
    const emu = emulator();
    for (let i = 0; i < 12; i += 1) emu.addServiceAccount(`etl-${String(i).padStart(2, '0')}`, at(1 + i / 24));
    const quiet = await audit(asOwner(emu, { 'warn-within-days': '0' }));
    expect(quiet.lines.filter((line) => line.startsWith('warning'))).toEqual([]);
    expect(quiet.outputs.expiring).toBe('0');
    expect(quiet.summary).toContain('### Prefect Cloud service account keys: 16 listed');
    const loud = await audit(asOwner(emu));
    const warnings = loud.lines.filter((line) => line.startsWith('warning'));
    expect(warnings).toHaveLength(10);
    expect(warnings[8]).toContain('service account etl-08 expires in 1 day');
    expect(warnings[9]).toBe(
      'warning: Service account keys expire soon: 3 more service account keys expire within 14 days: the job summary and the keys output list them all.',
    );
    expect(loud.outputs.expiring).toBe('12');
  });

  test('fail-within-days: an error naming every key due that soon and exit 1, the outputs written all the same; none due, exit 0', async () => {
    const emu = emulator();
    emu.addServiceAccount('nightly-etl', at(3.5));
    emu.addServiceAccount('weekly', at(6.2));
    emu.addServiceAccount('monthly', at(30));
    const failed = await audit(asOwner(emu, { 'fail-within-days': '7' }));
    expect(failed.exitCode).toBe(1);
    expect(failed.lines.filter((line) => line.startsWith('error'))).toEqual([
      `error: Service account keys expire too soon: 2 service account keys expire within 7 days (fail-within-days), expired ones included: nightly-etl (${at(3.5)}), weekly (${at(6.2)}). Rotate them before then.`,
    ]);
    expect(failed.outputs).toMatchObject({ status: 'listed', expiring: '2', 'never-expiring': '4' });
    expect(keysOf(failed)).toHaveLength(7);
    // nightly-etl has 3 whole days left: due within 3, not within 2.
    expect((await audit(asOwner(emu, { 'fail-within-days': '3' }))).exitCode).toBe(1);
    const passed = await audit(asOwner(emu, { 'fail-within-days': '2' }));
    expect(passed.exitCode).toBe(0);
    expect(passed.lines.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  test('the account by handle, through /me/workspaces; or from a workspace URL in api-url', async () => {
    const emu = emulator();
    const { account, workspaces } = emu.seed;
    const byHandle = await audit(asOwner(emu, { account: 'ACME' }));
    expect(byHandle.outputs.status).toBe('listed');
    expect(byHandle.summary).toContain('service accounts of account acme;');
    expect(emu.requests.map((request) => request.route)).toEqual(['me-workspaces', 'bots-filter']);
    const byUrl = await audit(asOwner(emu, { account: '', 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) }));
    expect(byUrl.outputs.status).toBe('listed');
    expect(emu.requests.at(-1)?.path).toBe(`/api/accounts/${account.id}/bots/filter`);
  });

  test('an account handle the key does not reach: not-found, naming the accounts it does reach', async () => {
    const emu = emulator();
    const result = await audit(asOwner(emu, { account: 'globex' }));
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({ status: 'not-found', keys: '', expiring: '', 'never-expiring': '' });
    expect(result.lines).toEqual([
      "error: Prefect Cloud account not found: Account globex is not the account of any workspace this key reaches (it reaches workspaces of acme): check the account input. A key whose user or service account belongs to no workspace of the account cannot find it by handle: give the account's id instead.",
    ]);
  });

  test('a key without read:bot: forbidden, naming the permission and the roles that grant it; nothing said of the keys', async () => {
    const emu = emulator();
    emu.fault('bots-filter', {
      status: 403,
      body: JSON.stringify({ detail: "Forbidden: the account role of this actor does not grant the 'read:bot' permission." }),
    });
    const result = await audit(asOwner(emu));
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({ status: 'forbidden', keys: '', expiring: '', 'never-expiring': '' });
    const [line] = result.lines;
    expect(line).toMatch(
      /^error: Prefect Cloud API key may not read service accounts: The API key may not list the service accounts of account [0-9a-f-]+ \(HTTP 403: Forbidden: .*'read:bot' permission\.\): listing an account's service accounts needs the account permission read:bot, which every built-in account role grants, from Member up \(Member, Admin, Owner\)\./,
    );
    expect(result.summary).toContain('### ⚠️ Prefect Cloud service account keys: forbidden');
  });

  test.each([
    [
      'a key Prefect rejects',
      'invalid-key',
      (emu: Emulator) => asOwner(emu, { 'api-key': emu.seed.unknownKey }),
      /^error: Prefect Cloud API key rejected: Prefect Cloud rejected the API key \(HTTP 401/,
    ],
    [
      'an account of which the key knows nothing',
      'not-found',
      (emu: Emulator) => asOwner(emu, { account: emu.seed.otherAccount.id }),
      /^error: Prefect Cloud account not found: Account 3ac43a10-.* was not found for this key \(HTTP 404: Account not found\)/,
    ],
    [
      'a key Prefect rejects, the account by handle',
      'invalid-key',
      (emu: Emulator) => asOwner(emu, { 'api-key': emu.seed.unknownKey, account: 'acme' }),
      /^error: Prefect Cloud API key rejected: Prefect Cloud rejected the API key \(HTTP 401\): it is wrong, expired or deleted\./,
    ],
    [
      'a 422 Prefect does not send to this request',
      'unexpected',
      (emu: Emulator) => {
        emu.fault('bots-filter', { status: 422, body: JSON.stringify({ detail: [{ type: 'int_type', loc: ['body', 'limit'] }] }) });
        return asOwner(emu);
      },
      /^error: Unexpected answer from Prefect Cloud: Prefect Cloud answered HTTP 422: \[\{"type":"int_type","loc":\["body","limit"\]\}\] when asked for the service accounts, which it does not send to this request/,
    ],
  ])('%s: %s', async (_what, status, values, message) => {
    const emu = emulator();
    const result = await audit(values(emu));
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe(status);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(message);
  });

  test('an outage is unavailable, never a verdict on the keys: no keys output, no warning', async () => {
    const emu = emulator();
    emu.addServiceAccount('nightly-etl', at(1));
    emu.fault('bots-filter', { status: 503 });
    const result = await audit(asOwner(emu));
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({ status: 'unavailable', keys: '', expiring: '', 'never-expiring': '' });
    expect(result.lines).toEqual([
      `error: Prefect Cloud unavailable: Prefect Cloud at ${new URL(emu.apiUrl).host} could not be reached: HTTP 503 (1 attempt). This says nothing about the keys; run the job again later.`,
    ]);
  });

  test('a proxy page in place of a refusal says nothing about the key; a name with a control character is an unexpected answer, never shown', async () => {
    const emu = emulator();
    emu.fault('bots-filter', { htmlStatus: 403 });
    const proxied = await audit(asOwner(emu));
    expect(proxied.outputs.status).toBe('unexpected');
    expect(proxied.lines[0]).toMatch(
      /^error: Unexpected answer from Prefect Cloud: Something between the runner and Prefect Cloud \(a proxy or a firewall\) answered HTTP 403/,
    );
    emu.clearFaults();
    emu.addServiceAccount('evil\n::error::forged', at(1));
    const forged = await audit(asOwner(emu));
    expect(forged.outputs.status).toBe('unexpected');
    expect(forged.lines).toEqual([
      `error: Unexpected answer from Prefect Cloud: Prefect Cloud answered with a value it does not send: service account 5 name is not a name of at most 200 printable characters. Nothing from that answer was used; check that api-url (${emu.apiUrl}) points at the Prefect Cloud API.`,
    ]);
  });

  test('markup in a name is escaped in the summary, and stays plain text in the outputs', async () => {
    const emu = emulator();
    emu.addServiceAccount('<img src=x> | [link](https://evil.example)', at(2));
    const result = await audit(asOwner(emu));
    expect(keysOf(result)[0]?.['service-account']).toBe('<img src=x> | [link](https://evil.example)');
    expect(result.summary).toContain('| \\<img src=x\\> \\| \\[link\\](https\\://evil.example) |');
  });
});

describe('paging through bots/filter', () => {
  test('a thousand service accounts: pages of 200 by offset, until a page shorter than the limit; six requests, the sixth empty', async () => {
    const emu = emulator();
    for (let i = 4; i < 1000; i += 1) emu.addServiceAccount(`sa-${String(i).padStart(4, '0')}`, at(i % 97));
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    const listing = await listServiceAccounts(api, emu.seed.account.id);
    expect(listing.serviceAccounts).toHaveLength(1000);
    expect(new Set(listing.serviceAccounts.map((bot) => bot.id)).size).toBe(1000);
    expect(listing.requests).toBe(6);
    const pages = emu.requests.filter((request) => request.route === 'bots-filter');
    expect(pages.map((request) => JSON.parse(request.body) as unknown)).toEqual([0, 200, 400, 600, 800, 1000].map((offset) => ({ limit: 200, offset })));
    expect(pages.every((request) => request.headers['content-type'] === 'application/json')).toBe(true);
  });

  test('999 service accounts: five requests, the fifth page short', async () => {
    const emu = emulator();
    for (let i = 4; i < 999; i += 1) emu.addServiceAccount(`sa-${i}`, null);
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    const listing = await listServiceAccounts(api, emu.seed.account.id);
    expect([listing.serviceAccounts.length, listing.requests]).toEqual([999, 5]);
  });

  test('a page longer than the limit asked for is an answer Prefect does not send', async () => {
    const emu = emulator();
    const entry = (index: number) => ({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      actor_id: '00000000-0000-4000-8000-000000000000',
      account_id: emu.seed.account.id,
      name: `sa-${index}`,
      account_role_name: 'Member',
      api_key: { id: '11111111-1111-4111-8111-111111111111', created: at(-1), name: 'k', expiration: null, masked_key: 'pnb_...abcd' },
    });
    emu.fault('bots-filter', { status: 200, body: JSON.stringify(Array.from({ length: 201 }, (_, index) => entry(index))) });
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    await expect(listServiceAccounts(api, emu.seed.account.id)).rejects.toThrow('a page of service accounts holds more than the 200 asked for');
  });

  test('a page that is not a list is an answer Prefect does not send', async () => {
    const emu = emulator();
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    emu.fault('bots-filter', { status: 200, body: '{"items": []}' });
    await expect(listServiceAccounts(api, emu.seed.account.id)).rejects.toThrow(/^the service accounts are not a list$/);
  });

  test('full pages that never end: the listing stops after 500 pages rather than run to the deadline', async () => {
    const emu = emulator();
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    // Pages of one, every one the same service account: no page is ever shorter than the limit.
    const [bot] = (await listServiceAccounts(api, emu.seed.account.id)).serviceAccounts;
    const entry = {
      id: bot!.id,
      actor_id: '00000000-0000-4000-8000-000000000000',
      account_id: emu.seed.account.id,
      name: bot!.name,
      account_role_name: 'Member',
      api_key: null,
    };
    emu.fault('bots-filter', { status: 200, body: JSON.stringify([entry]) });
    await expect(listServiceAccounts(api, emu.seed.account.id, 'acme', 1)).rejects.toThrow(/^the list of service accounts did not end after 500 pages$/);
    expect(emu.requests.filter((request) => request.route === 'bots-filter')).toHaveLength(501);
  });

  test('a refusal Prefect gives no detail for says only its status; the error is a ListingRefusal by name', async () => {
    const emu = emulator();
    const api = { base: new URL(emu.apiUrl), apiKey: emu.seed.user.key, policy: quickPolicy() };
    const said = `when asked for the service accounts, which it does not send to this request: check that api-url (${api.base.href}) points at the Prefect Cloud API.`;
    for (const body of ['{}', 'not JSON']) {
      const fresh = emulator();
      fresh.fault('bots-filter', { status: 418, body });
      const error = await listServiceAccounts({ ...api, base: new URL(fresh.apiUrl) }, fresh.seed.account.id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ListingRefusal);
      expect((error as ListingRefusal).name).toBe('ListingRefusal');
      expect((error as ListingRefusal).message).toBe(`Prefect Cloud answered HTTP 418 ${said.replace(api.base.href, new URL(fresh.apiUrl).href)}`);
    }
  });
});

describe('the summary and the messages, word for word', () => {
  const row = (name: string, keyId: string | null, expiresAt: string | null, daysLeft: number | null) => ({
    'service-account': name,
    'service-account-id': `id-${name}`,
    'key-id': keyId,
    'expires-at': expiresAt,
    'days-left': daysLeft,
  });
  const listing = (values: Partial<AuditListing>): AuditListing => ({
    rows: [],
    accountLabel: 'acme',
    warnWithinDays: 14,
    expiring: 0,
    neverExpiring: 0,
    requests: 1,
    durationMs: 0,
    ...values,
  });
  const inputsOf = (values: Record<string, string>) => parseAuditInputs((name) => values[name] ?? '');
  const summaryOf = async (values: Partial<AuditListing>) => {
    const { runner, recorded } = recordingRunner();
    await reportListing(runner, listing(values));
    return recorded.summary;
  };

  test('one key due within one day: a warning heading, each row (expired, never, no key), every count in the singular, the duration in seconds', async () => {
    const rows = [row('old', 'k1', at(-2), -2), row('forever', 'k2', null, null), row('keyless', null, null, null)];
    expect(await summaryOf({ rows, warnWithinDays: 1, expiring: 1, neverExpiring: 1, requests: 1, durationMs: 1234 })).toBe(
      [
        '### ⚠️ Prefect Cloud service account keys: 1 expires within 1 day',
        '',
        '3 service accounts of account acme; 1 key never expires. Listed in 1 request, 1.23 s.',
        '',
        '| Service account | Id | Key expires | Days left |',
        '| --- | --- | --- | --- |',
        `| old | \`id-old\` | ${at(-2)} | -2 |`,
        '| forever | `id-forever` | never | – |',
        '| keyless | `id-keyless` | no key | – |',
      ].join('\n'),
    );
  });

  test('none due: a check mark heading; one service account, no key never expiring, in the plural where it is not one', async () => {
    const rows = [row('keyless', null, null, null)];
    expect(await summaryOf({ rows, warnWithinDays: 30, expiring: 0, neverExpiring: 0, requests: 2, durationMs: 50 })).toBe(
      [
        '### ✅ Prefect Cloud service account keys: none expires within 30 days',
        '',
        '1 service account of account acme; 0 keys never expire. Listed in 2 requests, 0.05 s.',
        '',
        '| Service account | Id | Key expires | Days left |',
        '| --- | --- | --- | --- |',
        '| keyless | `id-keyless` | no key | – |',
      ].join('\n'),
    );
  });

  test('no service account: the counts and no table', async () => {
    expect(await summaryOf({ rows: [], warnWithinDays: 7, neverExpiring: 2 })).toBe(
      '### ✅ Prefect Cloud service account keys: none expires within 7 days\n\n0 service accounts of account acme; 2 keys never expire. Listed in 1 request, 0.00 s.',
    );
  });

  test(`at most ${MAX_SUMMARY_ROWS} rows in the summary, then how many more; the keys output holds them all`, async () => {
    const many = (count: number) => Array.from({ length: count }, (_, index) => row(`sa-${String(index).padStart(3, '0')}`, 'k', at(1), 1));
    const full = (await summaryOf({ rows: many(MAX_SUMMARY_ROWS), expiring: MAX_SUMMARY_ROWS })).split('\n');
    expect(full[0]).toBe(`### ⚠️ Prefect Cloud service account keys: ${MAX_SUMMARY_ROWS} expire within 14 days`);
    expect(full).toHaveLength(6 + MAX_SUMMARY_ROWS);
    expect(full.at(-1)).toBe(`| sa-199 | \`id-sa-199\` | ${at(1)} | 1 |`);
    const { runner, recorded } = recordingRunner();
    await reportListing(runner, listing({ rows: many(MAX_SUMMARY_ROWS + 1), expiring: MAX_SUMMARY_ROWS + 1 }));
    const cut = recorded.summary.split('\n');
    expect(cut).toHaveLength(6 + MAX_SUMMARY_ROWS + 2);
    expect(cut.slice(-3)).toEqual([`| sa-199 | \`id-sa-199\` | ${at(1)} | 1 |`, '', 'and 1 more, listed in the keys output.']);
    expect(keysOf(recorded)).toHaveLength(MAX_SUMMARY_ROWS + 1);
    expect(recorded.outputs).toMatchObject({ status: 'listed', expiring: '201', 'never-expiring': '0' });
  });

  test('a failure: its status in the heading, then the message; no keys, no counts', async () => {
    const { runner, recorded } = recordingRunner();
    await reportFailure(runner, 'unavailable', 'Prefect Cloud could not be reached.');
    expect(recorded.summary).toBe('### ⚠️ Prefect Cloud service account keys: unavailable\n\nPrefect Cloud could not be reached.');
    expect(recorded.outputs).toEqual({ status: 'unavailable', keys: '', expiring: '', 'never-expiring': '' });
  });

  test('the duration runs from the start of the audit to its report; warn-within-days 0 warns of nothing, not even of an expired key', async () => {
    const emu = emulator();
    emu.addServiceAccount('expired-one', at(-2));
    const { runner, recorded } = recordingRunner();
    let calls = 0;
    const now = () => NOW + 1250 * calls++;
    const inputs = inputsOf(asOwner(emu, { 'warn-within-days': '0' }));
    expect(await runAudit(inputs, runner, { policy: quickPolicy(), now })).toBe(0);
    expect(recorded.summary.split('\n').slice(0, 3)).toEqual([
      '### Prefect Cloud service account keys: 5 listed',
      '',
      `5 service accounts of account ${emu.seed.account.id}; 4 keys never expire. Listed in 1 request, 2.50 s.`,
    ]);
    expect(recorded.annotations).toEqual([]);
  });

  test('exactly ten keys due: ten warnings, each naming its key, none for the rest', async () => {
    const emu = emulator();
    for (let i = 0; i < 10; i += 1) emu.addServiceAccount(`etl-${i}`, at(1 + i / 24));
    const result = await audit(asOwner(emu));
    expect(result.annotations).toHaveLength(10);
    expect(result.annotations.every((annotation) => annotation.title === 'Service account key expires soon')).toBe(true);
    expect(result.annotations[9]?.message).toBe(
      `The key of service account etl-9 expires in 1 day (${at(1 + 9 / 24)}): rotate it, or create a new key and update the secrets that hold it, before then.`,
    );
  });

  test('fail-within-days 1 and one key due: the error in the singular', async () => {
    const emu = emulator();
    emu.addServiceAccount('nightly-etl', at(0.5));
    const result = await audit(asOwner(emu, { 'fail-within-days': '1' }));
    expect(result.exitCode).toBe(1);
    expect(result.lines.filter((line) => line.startsWith('error'))).toEqual([
      `error: Service account keys expire too soon: 1 service account key expires within 1 day (fail-within-days), expired ones included: nightly-etl (${at(0.5)}). Rotate it before then.`,
    ]);
  });

  test('fail-within-days names at most twenty keys, then how many more', async () => {
    const emu = emulator();
    for (let i = 1; i <= 21; i += 1) emu.addServiceAccount(`sa-${String(i).padStart(2, '0')}`, at(i + 0.5));
    const names = (count: number) => Array.from({ length: count }, (_, index) => `sa-${String(index + 1).padStart(2, '0')} (${at(index + 1.5)})`).join(', ');
    const errorOf = async (days: string) => (await audit(asOwner(emu, { 'fail-within-days': days }))).annotations.filter((a) => a.level === 'error');
    expect(await errorOf('20')).toEqual([
      {
        level: 'error',
        title: 'Service account keys expire too soon',
        message: `20 service account keys expire within 20 days (fail-within-days), expired ones included: ${names(20)}. Rotate them before then.`,
      },
    ]);
    expect((await errorOf('21'))[0]?.message).toBe(
      `21 service account keys expire within 21 days (fail-within-days), expired ones included: ${names(20)} and 1 more. Rotate them before then.`,
    );
  });

  test('an error that is no answer from Prefect (a bug) is thrown, never reported as an unexpected answer', async () => {
    const emu = emulator();
    const { runner, recorded } = recordingRunner();
    const inputs = inputsOf(asOwner(emu));
    const broken = {
      ...quickPolicy(),
      trace: () => {
        throw new Error('a bug');
      },
    };
    await expect(runAudit(inputs, runner, { policy: broken, now: () => NOW })).rejects.toThrow('a bug');
    expect(recorded.outputs).toEqual({});
    expect(recorded.lines).toEqual([]);
  });

  test('without a policy given: the real clock, and each request traced in the debug log', async () => {
    const emu = emulator();
    const { runner, recorded } = recordingRunner();
    const debug: string[] = [];
    runner.debug = (line) => debug.push(line);
    const inputs = inputsOf(asOwner(emu));
    expect(await runAudit(inputs, runner, { now: () => NOW })).toBe(0);
    expect(recorded.outputs.status).toBe('listed');
    expect(debug).toEqual([
      expect.stringMatching(new RegExp(`^POST ${new URL(emu.apiUrl).host}/api/accounts/${emu.seed.account.id}/bots/filter: HTTP 200, attempt 1, \\d+ ms$`)),
    ]);
  });
});
