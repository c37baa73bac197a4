// What a failed check says, read as a user meets it: an annotation of one
// sentence of what happened and one of what to do, at most 400 characters
// (a rotation's included), under a title that does not repeat it; the detail
// in the job summary, which names the workspace even when Prefect Cloud could
// not be reached, and has no expiry line when the check failed.

import { parseCheckInputs } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';
import { recordingRunner, type Recorded } from './support/recording-runner.ts';

const emulator = useEmulator();
const MAX_ANNOTATION = 400;

async function check(values: Record<string, string>, rotating = false): Promise<Recorded> {
  const { runner, recorded } = recordingRunner();
  const inputs = parseCheckInputs(
    (name) => values[name] ?? '',
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
