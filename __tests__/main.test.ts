// The action's work (src/main.ts) with a recording runner, against the
// emulator in-process: each outcome's annotation and title, fail-on-invalid,
// the scopes verdict in its singular and plural, the expiry warning at each
// threshold (a key already past it included), what a failed or missing-key
// check answers for a rotation, and what is exported for later steps.

import { parseCheckInputs } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';
import { expectNoLeakIn, recordingRunner, type Recorded } from './support/recording-runner.ts';

const emulator = useEmulator();
/** A title as a pattern: its parentheses taken literally. */
const escaped = (text: string) => text.replace(/[()]/g, '\\$&');
const DAY = 86_400_000;

async function check(values: Record<string, string>, options: { rotating?: boolean } = {}): Promise<Recorded> {
  const { runner, recorded } = recordingRunner();
  const inputs = parseCheckInputs(
    (name) => values[name] ?? '',
    () => undefined,
  );
  // A rotation whose check fails never starts: its inputs are not read.
  recorded.exitCode = await run(inputs, runner, { policy: quickPolicy(inputs.retries), ...(options.rotating ? { rotation: {} as never } : {}) });
  return recorded;
}

const prod = (emu: Emulator) => workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id);
const expiring = (emu: Emulator, days: number) => {
  emu.setKeyExpiration(emu.seed.user.key, new Date(Date.now() + days * DAY + 3_600_000));
  return { 'api-key': emu.seed.user.key, 'api-url': prod(emu) };
};

test('a valid key: said, no annotation, exit 0; with export-env: false, nothing exported', async () => {
  const emu = emulator();
  const { account, workspaces } = emu.seed;
  const result = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu), 'export-env': 'false' });
  expect(result.exitCode).toBe(0);
  expect(result.lines).toEqual([`info: The API key is valid for workspace ${account.id}/${workspaces.prod.id}.`]);
  expect(result.outputs).toMatchObject({ status: 'valid', scopes: '' });
  expect(result.exported).toEqual([]);
  // The summary's duration is this check's, in seconds: under ten seconds here.
  expect(result.summary).toMatch(/\| [0-9]\.\d\d s \|/);
});

test('export-env (the default): the key (secret) and the workspace URL for later steps', async () => {
  const emu = emulator();
  const result = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu) });
  expect(result.exported).toEqual([
    ['PREFECT_API_KEY', emu.seed.user.key, true],
    ['PREFECT_API_URL', prod(emu), undefined],
  ]);
  expect(result.summary).toContain('Exported `PREFECT_API_KEY` (the checked key, masked) and `PREFECT_API_URL`');
  // A key alone that reaches several workspaces names none: no URL is exported.
  const alone = await check({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl });
  expect(alone.exitCode).toBe(0);
  expect(alone.exported.map(([name]) => name)).toEqual(['PREFECT_API_KEY']);
});

test.each([
  ['invalid-key', 'Key check failed (invalid-key)', (emu: Emulator) => ({ 'api-key': `pnu_${'z'.repeat(36)}`, 'api-url': prod(emu) })],
  ['not-found', 'Key check failed (not-found)', (emu: Emulator) => ({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, workspace: 'acme/nowhere' })],
])('%s: an error titled %j, exit 1; a warning and exit 0 with fail-on-invalid: false', async (status, title, inputs) => {
  const emu = emulator();
  const failed = await check(inputs(emu));
  expect(failed.exitCode).toBe(1);
  expect(failed.outputs.status).toBe(status);
  expect(failed.lines).toHaveLength(1);
  expect(failed.lines[0]).toMatch(new RegExp(`^error: ${escaped(title)}: .+\\.$`));
  expect(failed.lines[0]).not.toMatch(/No key was rotated/);
  expect(failed.outputs).not.toHaveProperty('rotation');
  expect(failed.outputs).not.toHaveProperty('rotation');
  const warned = await check({ ...inputs(emu), 'fail-on-invalid': 'false' });
  expect(warned.exitCode).toBe(0);
  expect(warned.lines).toEqual([failed.lines[0]!.replace(/^error:/, 'warning:')]);
});

test.each([
  ['forbidden', 'Key check failed (forbidden)', { status: 403 }],
  ['unavailable', 'Key check failed (unavailable)', { status: 503 }],
  ['unexpected', 'Key check failed (unexpected)', { status: 409 }],
])('%s: titled %j', async (status, title, fault) => {
  const emu = emulator();
  emu.fault('health', fault);
  const failed = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu) });
  expect(failed.outputs.status).toBe(status);
  expect(failed.lines[0]).toMatch(new RegExp(`^error: ${escaped(title)}: `));
});

/** Every rotation output of a step that rotated nothing, written as the test expects it, not taken from src/. */
const NOT_ROTATED = { rotation: 'failed', 'new-key-id': '', 'new-key-expires-at': '', 'old-key-expires-at': '' };

test("a rotation's failed check: every rotation output answered, and the message says no key was rotated", async () => {
  const emu = emulator();
  const failed = await check({ 'api-key': `pnu_${'z'.repeat(36)}`, 'api-url': prod(emu) }, { rotating: true });
  expect(failed.exitCode).toBe(1);
  expect(failed.outputs).toMatchObject(NOT_ROTATED);
  expect(failed.lines[0]).toMatch(/^error: Key check failed before rotation \(invalid-key\): .+\. No key was rotated\.$/);
});

test('no key: the missing-key outputs, nothing sent; the rotation outputs only with rotate: true', async () => {
  const emu = emulator();
  const checked = await check({ 'api-key': '', 'api-url': prod(emu) });
  expect(checked.exitCode).toBe(1);
  expect(checked.outputs).toEqual({
    status: 'missing-key',
    'status-code': '',
    'key-type': 'unknown',
    'workspace-url': '',
    workspaces: '',
    scopes: '',
    'key-expires-at': '',
    'key-days-left': '',
  });
  const rotating = await check({ 'api-key': '', 'api-url': prod(emu), rotate: 'true' });
  expect(rotating.exitCode).toBe(1);
  expect(rotating.outputs).toEqual({ ...checked.outputs, ...NOT_ROTATED });
  expect(emu.requests).toEqual([]);
});

describe('required-scopes', () => {
  test('one scope missing: the scope, and the role that grants it', async () => {
    const emu = emulator();
    const { bot, account, workspaces } = emu.seed;
    emu.setWorkspaceRole(bot.actorId, workspaces.prod.id, 'Viewer');
    const result = await check({ 'api-key': bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments' });
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([
      `error: Key check failed (missing-scopes): The API key is valid, but lacks the scope run_deployments (the Runner role grants it) in workspace ${account.id}/${workspaces.prod.id}: give its user or service account a workspace role that grants it.`,
    ]);
  });

  test('held: valid, with the scopes in the output; a workspace named by handle is asked once its id is known', async () => {
    const emu = emulator();
    const held = await check({ 'api-key': emu.seed.bot.key, 'api-url': emu.apiUrl, workspace: 'acme/prod', 'required-scopes': 'run_deployments' });
    expect(held.exitCode).toBe(0);
    expect(JSON.parse(held.outputs.scopes!)).toContain('run_deployments');
  });

  test('a failed check with scopes asked alongside: the failure, and no scopes verdict', async () => {
    const emu = emulator();
    emu.fault('health', { status: 403 });
    emu.fault('me-scopes', { status: 500 });
    const result = await check({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments' });
    expect(result.outputs.status).toBe('forbidden');
    expect(result.lines).toHaveLength(1);
    // A workspace named by its ids has its scopes asked alongside the check, not after it: asked before the check failed.
    expect(emu.requests.map((request) => request.route)).toContain('me-scopes');
  });
});

describe('the expiry warning', () => {
  test.each([
    [5, 7, 'expires in 5 days'],
    [7, 7, 'expires in 7 days'],
    [0, 7, 'expires within a day'],
  ])('%i days left with warn-if-expires-within-days %i: %j', async (days, within, when) => {
    const emu = emulator();
    const result = await check({ ...expiring(emu, days), 'warn-if-expires-within-days': String(within) });
    expect(result.exitCode).toBe(0);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[1]).toMatch(
      new RegExp(
        `^warning: Prefect Cloud API key expires soon: The Prefect Cloud API key ${when} \\(\\d{4}-.+Z\\): rotate it, or create a new key and update the secret that holds it, before then\\.$`,
      ),
    );
  });

  test('a key past its expiry on the runner\'s clock that Prefect, whose clock is behind, still takes: "has expired"', async () => {
    const emu = emulator();
    emu.advance(-2 * DAY);
    emu.setKeyExpiration(emu.seed.user.key, new Date(Date.now() - DAY / 2));
    const result = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu) });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'valid', 'key-days-left': '-1' });
    expect(result.lines[1]).toMatch(
      /^warning: Prefect Cloud API key expires soon: The Prefect Cloud API key has expired \(\d{4}-.+Z\): rotate it, or create a new key and update the secret that holds it, before then\.$/,
    );
  });

  test('none past the threshold, and none when it is 0', async () => {
    const emu = emulator();
    expect((await check({ ...expiring(emu, 8), 'warn-if-expires-within-days': '7' })).lines).toHaveLength(1);
    const off = await check({ ...expiring(emu, 1), 'warn-if-expires-within-days': '0' });
    expect(off.lines).toHaveLength(1);
    expect(emu.requests.filter((request) => request.route === 'me-api-keys')).toHaveLength(1); // the first check's only
  });
});

test('a Prefect Cloud 1 key is checked through GraphQL, its expiry from its key list', async () => {
  const emu = emulator();
  // api-url names the emulator too, so that a REST expiry lookup, which a Cloud 1 key has no use for, would be seen.
  const values = { 'api-key': emu.seed.cloud1.key, 'api-url': emu.apiUrl, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql' };
  const result = await check(values);
  expect(result.exitCode).toBe(0);
  expect(result.lines[0]).toMatch(/^info: The API key is valid on Prefect Cloud 1 \(tenant .+\)\.$/);
  expect(emu.requests.map((request) => request.operation)).toEqual(['auth_info', 'auth_api_key']);
  // Its key list's expiry warns like a REST key's, and not at all with warn-if-expires-within-days: 0.
  emu.setKeyExpiration(emu.seed.cloud1.key, new Date(Date.now() + 3_600_000));
  expect((await check(values)).lines[1]).toMatch(/^warning: Prefect Cloud API key expires soon: The Prefect Cloud API key expires within a day /);
  expect((await check({ ...values, 'warn-if-expires-within-days': '0' })).lines).toHaveLength(1);
});

describe("/health answering 200 with something other than Prefect's `true`", () => {
  const page = { status: 200, body: '<!doctype html><html><body>Sign in to the Wi-Fi</body></html>', headers: { 'content-type': 'text/html' } };
  test.each([
    ['an HTML page', page],
    ['`false`', { status: 200, body: 'false' }],
    ['an empty body', { empty: true }],
  ])('%s: unexpected (never valid, never a bad key), api-url named, nothing exported', async (what, fault) => {
    const emu = emulator();
    emu.fault('health', fault);
    const failed = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu) });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs).toMatchObject({ status: 'unexpected', 'status-code': '200' });
    expect(failed.lines).toEqual([
      `error: Key check failed (unexpected): The workspace's health check answered HTTP 200 with ${what}, not Prefect Cloud's answer (\`true\`): something else answered (a captive portal, a proxy's page, or a web site at api-url), and this says nothing about the key. Check that api-url (${emu.apiUrl}) points at the Prefect Cloud API, and the runner's proxy (HTTPS_PROXY) and network.`,
    ]);
    expect(failed.exported).toEqual([]);
    // With fail-on-invalid: false, a warning and exit 0, and still no key handed on.
    const warned = await check({ 'api-key': emu.seed.user.key, 'api-url': prod(emu), 'fail-on-invalid': 'false' });
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs.status).toBe('unexpected');
    expect(warned.lines[0]).toMatch(/^warning: Key check failed \(unexpected\): /);
    expect(warned.exported).toEqual([]);
    for (const recorded of [failed, warned]) expectNoLeakIn(recorded, [emu.seed.user.key]);
  });

  test('a Prefect Cloud 1 key asks /health for a named workspace the same way', async () => {
    const emu = emulator();
    emu.fault('health', page);
    const { account, workspaces, cloud1 } = emu.seed;
    const failed = await check({
      'api-key': cloud1.key,
      'api-url': emu.apiUrl,
      'graphql-url': emu.graphqlUrl,
      'prefect-api': 'graphql',
      account: account.id,
      workspace: workspaces.prod.id,
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs).toMatchObject({ status: 'unexpected' });
    expect(failed.lines[0]).toMatch(/^error: Key check failed \(unexpected\): The workspace's health check answered HTTP 200 with an HTML page/);
    expect(failed.exported).toEqual([]);
  });
});

describe('required-scopes when Prefect does not say them', () => {
  const inputs = (emu: Emulator) => ({ 'api-key': emu.seed.bot.key, 'api-url': prod(emu), 'required-scopes': 'run_deployments', retries: '2' });

  test('HTTP 500 on every try: unavailable, the step fails, nothing exported', async () => {
    const emu = emulator();
    emu.fault('me-scopes', { status: 500 });
    const failed = await check(inputs(emu));
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs).toMatchObject({ status: 'unavailable', 'status-code': '500', scopes: '' });
    expect(failed.lines).toEqual([
      `error: Key check failed (unavailable): The key's workspace scopes could not be read, so required-scopes was not verified: Prefect Cloud at ${new URL(emu.apiUrl).host} could not be reached: HTTP 500 (3 attempts). This says nothing about the key; run the job again later.`,
    ]);
    expect(emu.requests.filter((request) => request.route === 'me-scopes')).toHaveLength(3);
    expect(failed.exported).toEqual([]);
    // fail-on-invalid: false warns instead, and the check is still not valid.
    const warned = await check({ ...inputs(emu), 'fail-on-invalid': 'false' });
    expect(warned.exitCode).toBe(0);
    expect(warned.outputs).toMatchObject({ status: 'unavailable' });
    expect(warned.lines[0]).toMatch(/^warning: Key check failed \(unavailable\): The key's workspace scopes could not be read/);
    expect(warned.exported).toEqual([]);
    for (const recorded of [failed, warned]) expectNoLeakIn(recorded, [emu.seed.bot.key]);
  });

  test('a 500 that passes on a retry: the scopes are read, and the check is valid', async () => {
    const emu = emulator();
    emu.fault('me-scopes', { status: 500, times: 1 });
    const passed = await check(inputs(emu));
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs.status).toBe('valid');
    expect(JSON.parse(passed.outputs.scopes!)).toContain('run_deployments');
  });

  test("Prefect's own 403 stays a warning that the scopes were not verified; a proxy's 403 page or an unreadable list is unexpected", async () => {
    const emu = emulator();
    emu.fault('me-scopes', { status: 403, times: 1 });
    const refused = await check(inputs(emu));
    expect(refused.exitCode).toBe(0);
    expect(refused.outputs).toMatchObject({ status: 'valid', scopes: '' });
    expect(refused.lines[0]).toBe(
      "warning: Scopes unknown: The key's workspace scopes were not checked: Prefect Cloud answered HTTP 403 when asked for the key's scopes. required-scopes could not be verified.",
    );
    emu.fault('me-scopes', { htmlStatus: 403, times: 1 });
    const proxied = await check(inputs(emu));
    expect(proxied.exitCode).toBe(1);
    expect(proxied.outputs).toMatchObject({ status: 'unexpected', 'status-code': '403' });
    expect(proxied.lines).toEqual([
      `error: Key check failed (unexpected): The key's workspace scopes could not be read, so required-scopes was not verified: Prefect Cloud answered the request for them with HTTP 403 with a page that is not Prefect's answer. Check that api-url (${emu.apiUrl}) points at the Prefect Cloud API.`,
    ]);
    emu.fault('me-scopes', { status: 200, body: JSON.stringify({ scopes: [] }), times: 1 });
    const unreadable = await check(inputs(emu));
    expect(unreadable.outputs).toMatchObject({ status: 'unexpected', 'status-code': '200' });
    expect(unreadable.lines[0]).toMatch(
      /required-scopes was not verified: Prefect Cloud answered the request for them with the workspace scopes are not a list/,
    );
    for (const recorded of [refused, proxied, unreadable]) expectNoLeakIn(recorded, [emu.seed.bot.key]);
  });
});
