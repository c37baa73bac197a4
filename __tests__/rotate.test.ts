// A rotation as src/rotate/index.ts runs it (in-process, with a recording
// runner, against the emulator): the strategy each API gets, the warnings it
// gives (no grace period, an old key left live), the failure's title, the new
// key masked and handed on only once every secret holds it.

import { parseCheckInputs } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import { rotate } from '../src/rotate/index.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator, workspaceUrlOf } from './support/emulator.ts';
import { quickPolicy } from './support/loopback.ts';
import { expectNoLeakIn, recordingRunner } from './support/recording-runner.ts';
import { rejectionOf } from './support/rejection.ts';
import { graphqlInputs, repoSecret, restInputs, runnerEnv } from './support/rotation.ts';
import { deadlineIn } from './support/clock.ts';

const emulator = useEmulator();

/** The inputs as the entry point parses them, from the step's values and the runner's environment. */
function parsed(emu: Emulator, values: Record<string, string>) {
  const env = runnerEnv(emu);
  const read = (name: string) => values[name] ?? '';
  const inputs = parseCheckInputs(read, (name) => env[name as keyof typeof env]);
  return { inputs, rotationInputs: parseRotationInputs(read, (name) => env[name as keyof typeof env], inputs) };
}

async function rotation(emu: Emulator, values: Record<string, string>) {
  const { runner, recorded } = recordingRunner();
  const { inputs, rotationInputs } = parsed(emu, values);
  recorded.exitCode = await run(inputs, runner, { rotation: rotationInputs, policy: { ...quickPolicy(), deadline: deadlineIn(60_000) } });
  return recorded;
}

test('REST: rotated, the new key masked at once, in every secret, exported, and its outputs set', async () => {
  const emu = emulator();
  const listening = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const result = await rotation(emu, restInputs(emu));
  expect(result.exitCode).toBe(0);
  // The cancellation watch ends with the rotation.
  expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(listening);
  const fresh = result.outputs['new-api-key']!;
  expect(fresh).toMatch(/^pnb_/);
  expect(result.masked).toContain(fresh);
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(fresh);
  expect(result.exported[0]).toEqual(['PREFECT_API_KEY', fresh, true]);
  expect(result.outputs).toMatchObject({ rotation: 'rotated' });
  expect(result.lines.filter((line) => !line.startsWith('info: '))).toEqual([]);
  expect(result.summary).toMatch(/### Key rotation: 🔁 done/);
  expect(result.summary).toContain('Exported `PREFECT_API_KEY` (the new key, masked)');
});

test('REST with old-key-grace-seconds 0: warned before anything changes, in a dry run too', async () => {
  const emu = emulator();
  const warning =
    'warning: No grace period for the old key: old-key-grace-seconds is 0: the old key stops working at the rotation, so if this run dies before the secret is written, the new key is lost with no key left working.';
  const now = await rotation(emu, restInputs(emu, { 'old-key-grace-seconds': '0' }));
  expect(now.exitCode).toBe(0);
  expect(now.lines.filter((line) => line.startsWith('warning: '))).toEqual([warning]);
  const dry = await rotation(emu, restInputs(emu, { 'old-key-grace-seconds': '0', 'dry-run': 'true' }));
  expect(dry.lines.filter((line) => line.startsWith('warning: '))).toEqual([
    'warning: No grace period for the old key: old-key-grace-seconds is 0: the old key would stop working at the rotation, so if a real run dies before the secret is written, the new key is lost with no key left working.',
  ]);
  const graced = await rotation(emu, restInputs(emu, { 'old-key-grace-seconds': '60' }));
  expect(graced.lines.filter((line) => line.startsWith('warning: '))).toEqual([]);
});

describe("with no new key written, the key given is handed on only when it is the rotated service account's own", () => {
  const keyNames = (recorded: { exported: [string, string, boolean | undefined][] }) => recorded.exported.map(([name]) => name);
  const withheld = (emu: Emulator, why: string) =>
    `PREFECT_API_KEY was not exported: ${why}, and the key given as api-key is not known to be service account ${emu.seed.bot.id}'s own (Prefect Cloud's REST API does not say whose a key is), so it is not handed to later steps: they should read the service account's key from secret PREFECT_API_KEY.`;

  test("REST, a dry run: the admin's key is not exported, and the log and summary say why", async () => {
    const emu = emulator();
    const dry = await rotation(emu, restInputs(emu, { 'dry-run': 'true' }));
    expect(dry.exitCode).toBe(0);
    expect(dry.exported).toEqual([['PREFECT_API_URL', workspaceUrlOf(emu, emu.seed.account.id, emu.seed.workspaces.prod.id), undefined]]);
    expect(dry.exported.some(([, value]) => value === emu.seed.adminBot.key)).toBe(false);
    expect(dry.lines).toContain(`info: ${withheld(emu, 'this was a dry run, so no new key was written')}`);
    expect(dry.summary).toContain(
      '`PREFECT_API_KEY` was not exported: this was a dry run, so no new key was written, and the key given as api-key is not known',
    );
    expect(dry.outputs['new-api-key']).toBeUndefined();
    expectNoLeakIn(dry, [emu.seed.adminBot.key, emu.seed.github.writeToken]);
  });

  test('REST, a rotation not yet due: not exported', async () => {
    const emu = emulator();
    const notDue = await rotation(emu, restInputs(emu, { 'rotate-if-expires-within-days': '7' }));
    expect(notDue.exitCode).toBe(0);
    expect(notDue.outputs.rotation).toBe('not-due');
    expect(keyNames(notDue)).toEqual(['PREFECT_API_URL']);
    expect(notDue.lines).toContain(`info: ${withheld(emu, 'no new key was written')}`);
    expectNoLeakIn(notDue, [emu.seed.adminBot.key, emu.seed.github.writeToken]);
  });

  test('REST, a second run that finds the work done: the new key the first exported, the second nothing', async () => {
    const emu = emulator();
    const first = await rotation(emu, restInputs(emu));
    expect(first.exported[0]).toEqual(['PREFECT_API_KEY', first.outputs['new-api-key'], true]);
    const second = await rotation(emu, restInputs(emu));
    expect(second.exitCode).toBe(0);
    expect(second.outputs.rotation).toBe('up-to-date');
    expect(keyNames(second)).toEqual(['PREFECT_API_URL']);
    expect(second.exported.some(([, value]) => value === emu.seed.adminBot.key)).toBe(false);
    expectNoLeakIn(second, [emu.seed.adminBot.key, emu.seed.github.writeToken]);
  });

  test("Cloud 1, a dry run with the service account's own key (auth_info.user_id is the account rotated): handed on", async () => {
    const emu = emulator();
    const own = await rotation(emu, graphqlInputs(emu, { 'dry-run': 'true' }));
    expect(own.exitCode).toBe(0);
    expect(own.exported).toEqual([['PREFECT_API_KEY', emu.seed.cloud1.key, true]]);
    const named = await rotation(emu, graphqlInputs(emu, { 'dry-run': 'true', 'service-account-id': emu.seed.cloud1.serviceAccountId }));
    expect(named.exported).toEqual([['PREFECT_API_KEY', emu.seed.cloud1.key, true]]);
  });

  test("Cloud 1, another account's key: not handed on", async () => {
    const emu = emulator();
    const { inputs, rotationInputs } = parsed(emu, graphqlInputs(emu, { 'dry-run': 'true' }));
    const { runner, recorded } = recordingRunner();
    const other = { ...rotationInputs, serviceAccountId: emu.seed.cloud1.adminUserId };
    const result = await rotate({
      inputs,
      rotation: other,
      check: { status: 'valid', message: '', actorId: emu.seed.cloud1.serviceAccountId },
      policy: quickPolicy(),
      runner,
    });
    expect(recorded.lines.filter((line) => line.startsWith('error: '))).toEqual([]);
    expect(result).toEqual({
      exitCode: 0,
      newKey: undefined,
      notExported: `this was a dry run, so no new key was written, and the key given as api-key belongs to another account than service account ${emu.seed.cloud1.adminUserId}, so it is not handed to later steps: they should read the service account's key from secret PREFECT_API_KEY.`,
    });
  });
});

test('a failed rotation: its error titled, exit 1, the old key still in use', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { status: 403 });
  const failed = await rotation(emu, restInputs(emu));
  expect(failed.exitCode).toBe(1);
  expect(failed.lines.filter((line) => line.startsWith('error: '))).toEqual([
    expect.stringMatching(
      /^error: Prefect Cloud key rotation failed: Writing secret PREFECT_API_KEY failed \(repository octo\/app: github-token may not write/,
    ) as unknown,
  ]);
  expect(failed.exported).toEqual([]);
});

test("GraphQL: the new key is for the key's own service account (auth_info) when service-account-id is not given; an old key left live is warned of", async () => {
  const emu = emulator();
  const named = await rotation(emu, graphqlInputs(emu));
  expect(named.exitCode).toBe(0);
  expect(named.outputs.rotation).toBe('rotated');
  const creates = emu.requests.filter((request) => request.operation === 'create_api_key');
  expect(JSON.parse(creates[0]!.body).variables.input.user_id).toBe(emu.seed.cloud1.serviceAccountId);
  const kept = await rotation(emu, graphqlInputs(emu, { 'api-key': named.outputs['new-api-key']!, 'old-key-id': '', 'key-name': 'other' }));
  expect(kept.exitCode).toBe(0);
  expect(kept.lines.filter((line) => line.startsWith('warning: '))).toEqual([
    'warning: Old key not revoked: No old key to revoke: none is named other-<UTC time> and old-key-id was not given. A key this action did not create stays live until it is deleted: give its id as old-key-id.',
  ]);
});

test.each([
  ['no workspace id', { accountId: 'a', workspaceId: undefined }, { serviceAccountId: 's' }],
  ['no account id', { accountId: undefined, workspaceId: 'w' }, { serviceAccountId: 's' }],
  ['no service-account-id', { accountId: 'a', workspaceId: 'w' }, { serviceAccountId: undefined }],
])('a REST rotation with %s is refused before any request: the inputs guarantee all three', async (_, ids, bot) => {
  const emu = emulator();
  const { inputs, rotationInputs } = parsed(emu, restInputs(emu));
  const { runner } = recordingRunner();
  const error = await rejectionOf(
    rotate({ inputs, rotation: { ...rotationInputs, ...bot }, check: { status: 'valid', message: '', ...ids }, policy: quickPolicy(), runner }),
  );
  expect(error.message).toBe('REST rotation needs the workspace ids and service-account-id, which the inputs guarantee');
  expect(emu.requests).toEqual([]);
});
