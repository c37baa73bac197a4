// What a failed check says, read as a user meets it: an annotation of one
// sentence of what happened and one of what to do, at most 400 characters
// (a rotation's included), under a title that does not repeat it; the detail
// in the job summary, which names the workspace even when Prefect Cloud could
// not be reached, and has no expiry line when the check failed.

import { InputError, parseCheckInputs } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';
import { recordingRunner, type Recorded } from './support/recording-runner.ts';

const emulator = useEmulator();
const MAX_ANNOTATION = 400;
const LONG_SERVER_TEXT = 'the request was refused by a policy of this tenant; '.repeat(30);

async function check(values: Record<string, string>, rotating = false): Promise<Recorded> {
  const { runner, recorded } = recordingRunner();
  // rotate: true as a rotating step gives it, which a step without a key reads (its rotation never starts).
  const given: Record<string, string> = rotating ? { ...values, rotate: 'true' } : values;
  const inputs = parseCheckInputs(
    (name) => given[name] ?? '',
    () => undefined,
  );
  recorded.exitCode = await run(inputs, runner, { policy: quickPolicy(inputs.retries), ...(rotating ? { rotation: {} as never } : {}) });
  return recorded;
}

const ids = (emu: Emulator, workspaceId = emu.seed.workspaces.prod.id) => ({
  'api-url': emu.apiUrl,
  account: emu.seed.account.id,
  workspace: workspaceId,
});

/** The common failures, each as a user meets it: the workspace named the longest way (two ids) where that is possible. */
const CASES: [string, (emu: Emulator) => Record<string, string>][] = [
  ['invalid-key', (emu) => ({ ...ids(emu), 'api-key': `pnu_${'z'.repeat(36)}` })],
  ['forbidden', (emu) => ({ ...ids(emu), 'api-key': emu.seed.viewerBot.key })],
  ['not-found', (emu) => ({ ...ids(emu, emu.seed.workspaces.staging.id), 'api-key': emu.seed.bot.key })],
  ['not-found', (emu) => ({ ...ids(emu, emu.seed.workspaces.sandbox.id), account: emu.seed.otherAccount.id, 'api-key': emu.seed.user.key })],
  ['not-found', (emu) => ({ 'api-url': emu.apiUrl, workspace: 'acme/nowhere', 'api-key': emu.seed.user.key })],
  [
    'unavailable',
    (emu) => {
      emu.fault('health', { status: 503 });
      return { ...ids(emu), 'api-key': emu.seed.user.key };
    },
  ],
  [
    'unexpected',
    (emu) => {
      emu.fault('health', { status: 409 });
      return { ...ids(emu), 'api-key': emu.seed.user.key };
    },
  ],
  [
    'unexpected',
    (emu) => {
      emu.fault('health', { htmlStatus: 404 });
      return { ...ids(emu), 'api-key': emu.seed.user.key };
    },
  ],
  ['missing-key', () => ({ 'api-key': '' })],
  // Prefect Cloud 1's refusals quote what it said: at length, cut in the annotation (the summary has it whole).
  ...(['UNAUTHENTICATED', 'FORBIDDEN', 'SOMETHING_ELSE'] as const).map((code): [string, (emu: Emulator) => Record<string, string>] => [
    { UNAUTHENTICATED: 'invalid-key', FORBIDDEN: 'forbidden', SOMETHING_ELSE: 'unexpected' }[code],
    (emu) => {
      emu.fault('graphql:auth_info', { graphqlError: { message: `${code}: ${LONG_SERVER_TEXT}`, code } });
      return { 'api-key': emu.seed.cloud1.key, 'prefect-api': 'graphql', 'graphql-url': emu.graphqlUrl, retries: '0' };
    },
  ]),
  [
    'missing-scopes',
    (emu) => {
      emu.setWorkspaceRole(emu.seed.bot.actorId, emu.seed.workspaces.prod.id, 'Viewer');
      return { ...ids(emu), 'api-key': emu.seed.bot.key, 'required-scopes': 'run_deployments, write_deployments' };
    },
  ],
];

describe.each([false, true])('rotating: %s', (rotating) => {
  test.each(CASES)(`%s: one annotation of at most ${MAX_ANNOTATION} characters, its title not repeated in it`, async (status, inputs) => {
    const emu = emulator();
    const failed = await check(inputs(emu), rotating);
    expect(failed.outputs.status).toBe(status);
    expect(failed.lines).toHaveLength(1);
    const title = `Key check failed${rotating ? ' before rotation' : ''} (${status})`;
    const prefix = `error: ${title}: `;
    expect(failed.lines[0]!.startsWith(prefix)).toBe(true);
    const message = failed.lines[0]!.slice(prefix.length);
    expect(message.length).toBeLessThanOrEqual(MAX_ANNOTATION);
    expect(message).not.toContain(title);
  });
});

test('forbidden: the annotation says what to do; why Prefect answers 403 is in the summary', async () => {
  const emu = emulator();
  const { account, workspaces, viewerBot } = emu.seed;
  const failed = await check({ ...ids(emu), 'api-key': viewerBot.key });
  const message = `Prefect Cloud denied this valid key access to workspace ${account.handle}/${workspaces.prod.handle} (HTTP 403). Check the account's IP allowlist and PrivateLink settings first, then the workspace role of the key's user or service account.`;
  expect(failed.lines).toEqual([`error: Key check failed (forbidden): ${message}`]);
  expect(failed.summary).toContain(message);
  expect(failed.summary).toContain("Prefect answers 403 when the account's IP allowlist does not include the runner's address");
});

test('unavailable: the summary names the workspace from the ids', async () => {
  const emu = emulator();
  emu.fault('health', { status: 503 });
  const { account, workspaces } = emu.seed;
  const failed = await check({ ...ids(emu), 'api-key': emu.seed.user.key });
  expect(failed.outputs.status).toBe('unavailable');
  expect(failed.summary).toContain(`| ${account.id}/${workspaces.prod.id} | unavailable |`);
});

test('a failed check has no expiry line, even for a key that never expires', async () => {
  const emu = emulator();
  emu.fault('health', { status: 403 });
  const failed = await check({ 'api-key': emu.seed.user.key, 'api-url': workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id) });
  expect(failed.outputs.status).toBe('forbidden');
  expect(failed.summary).not.toMatch(/expire/i);
});

test("Prefect Cloud 1's words at length: cut in the annotation, whole in the summary", async () => {
  const emu = emulator();
  emu.fault('graphql:auth_info', { graphqlError: { message: `UNAUTHENTICATED: ${LONG_SERVER_TEXT}`, code: 'UNAUTHENTICATED' } });
  const failed = await check({ 'api-key': emu.seed.cloud1.key, 'prefect-api': 'graphql', 'graphql-url': emu.graphqlUrl, retries: '0' });
  expect(failed.lines).toEqual([
    expect.stringMatching(
      /^error: Key check failed \(invalid-key\): Prefect Cloud 1 rejected the API key \(UNAUTHENTICATED: the request .+…\): it is wrong, expired or deleted\. Create a new key and update the secret that holds it\.$/,
    ),
  ]);
  expect(failed.summary).toContain(`Prefect Cloud 1 said: UNAUTHENTICATED: ${LONG_SERVER_TEXT.trim()}`);
});

test('missing-key: the causes at length are in the summary', async () => {
  const failed = await check({ 'api-key': '' });
  expect(failed.summary).toContain('The usual causes: the run is for a pull request from a fork or by Dependabot');
});

test('the warnings of a check that passes stay within the bound: no workspace named, every rotation input given without rotate', async () => {
  const emu = emulator();
  const rotationOnly = {
    'service-account-id': emu.seed.bot.id,
    'key-name': 'a-rather-long-key-name-for-this-repository',
    'new-key-expires-in-days': '90',
    'old-key-id': emu.seed.bot.id,
    'old-key-grace-seconds': '600',
    'github-token': 'github_pat_not_used_here_000000000000',
    'secret-name': 'PREFECT_API_KEY',
    'secret-repositories': 'octo/app',
    'secret-environment': 'production',
    'secret-organization': 'octo',
    'rotate-if-expires-within-days': '30',
    'dry-run': 'true',
  };
  const passed = await check({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, ...rotationOnly });
  expect(passed.exitCode).toBe(0);
  const warnings = passed.lines.filter((line) => line.startsWith('warning: '));
  expect(warnings.map((line) => line.split(': ')[1])).toEqual(['Rotation inputs ignored', 'No workspace checked']);
  for (const line of warnings) expect(line.slice(line.indexOf(': ', 'warning: '.length) + 2).length).toBeLessThanOrEqual(MAX_ANNOTATION);
});

test.each([
  ['api-url', `https://api.prefect.cloud/api/${'segment/'.repeat(60)}bad%20path`],
  ['api-url', `http://api.prefect.cloud/api/${'segment/'.repeat(60)}accounts`],
  ['graphql-url', `https://api.prefect.io/${'segment/'.repeat(60)}?query`],
])('a bad %s given at length: the message stays within the bound, the long part not shown', (name, value) => {
  const parse = () =>
    parseCheckInputs(
      (input) => ({ 'api-key': `pnu_${'a'.repeat(36)}`, [name]: value })[input] ?? '',
      () => undefined,
    );
  expect(parse).toThrow(InputError);
  const message = (() => {
    try {
      parse();
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  })();
  expect(message.length).toBeLessThanOrEqual(MAX_ANNOTATION);
  expect(message).toMatch(/not shown/);
  expect(message).not.toContain('segment/segment/');
});
