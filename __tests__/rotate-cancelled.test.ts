// A cancelled job, in-process: the runner sends SIGINT, then SIGTERM about
// 7.5 s later, then kills. src/rotate/index.ts listens on this very process,
// so a test delivers the signals with process.emit while the emulator holds a
// request of the rotation: at the first, the request under way finishes and no
// further step starts; at the second, the outputs and an annotation are
// written at once (the summary first, when the annotation is shortened) and
// process.exit(1), stubbed here, is called. The spawned runs of the same cases
// are in e2e/rotate-cancelled.test.ts. Also here: what rotate() hands the step
// that only an in-process run sees (GitHub's request lines in the debug log,
// the write spacing and the due date on the step's clock).

import { jest } from '@jest/globals';
import { Deadline } from '../src/clock/deadline.ts';
import { timingsWith, type Timings } from '../src/clock/timings.ts';
import { parseCheckInputs } from '../src/inputs.ts';
import type { Cloud1CheckResult } from '../src/prefect/cloud1-check.ts';
import { rotate } from '../src/rotate/index.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';
import { MAX_ANNOTATION_LENGTH, REST_IN_SUMMARY } from '../src/safe-text.ts';
import type { Emulator } from './emulator/index.ts';
import { useEmulator } from './support/emulator.ts';
import { steppedClock } from './support/clock.ts';
import { recordingRunner, type Recorded } from './support/recording-runner.ts';
import { graphqlInputs, repoSecret, restInputs, runnerEnv } from './support/rotation.ts';

const emulator = useEmulator();
const TWO = { 'secret-repositories': 'octo/app, octo/lib', 'old-key-grace-seconds': '600' };
const DAY = 86_400_000;
const CANCELLING = 'SIGINT: the job is being cancelled. The request under way finishes, no further step starts, and the step says what holds what.';
/** What a second signal leaves when its message fits an annotation: the outputs, that message as the one error, no summary, exit 1. */
const stoppedAtOnce = (outputs: unknown, message: string) => [{ code: 1, outputs, summary: '', errors: [`Rotation cancelled: ${message}`] }];
/** The rotation outputs of a step stopped before any key was created. */
const NOTHING_ROTATED = { rotation: 'failed', 'new-key-id': '', 'new-key-expires-at': '', 'old-key-expires-at': '' };

/** What the step had shown when it called process.exit, and with which code. */
interface Exit {
  code: unknown;
  outputs: Record<string, string>;
  summary: string;
  errors: string[];
}

let exits: Exit[] = [];
let shown: Recorded | undefined;
let listening: number[] = [];
const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

beforeEach(() => {
  exits = [];
  shown = undefined;
  listening = listeners();
  jest.spyOn(process, 'exit').mockImplementation(((code?: unknown) => {
    exits.push({
      code,
      outputs: { ...shown?.outputs },
      summary: shown?.summary ?? '',
      errors: shown?.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => `${annotation.title}: ${annotation.message}`) ?? [],
    });
  }) as never);
});

afterEach(() => {
  jest.restoreAllMocks();
  // The cancellation watch ends with the rotation, whatever happened in it.
  expect(listeners()).toEqual(listening);
});

/**
 * A rotation as src/main.ts starts it, on a clock that moves only when something sleeps on it (started at `start`),
 * with a runner that records its debug lines too.
 */
async function rotation(emu: Emulator, values: Record<string, string>, options: { start?: number; timings?: Partial<Timings> } = {}) {
  const env = runnerEnv(emu);
  const read = (name: string) => values[name] ?? '';
  const readEnv = (name: string) => env[name as keyof typeof env];
  const inputs = parseCheckInputs(read, readEnv);
  const rotationInputs = parseRotationInputs(read, readEnv, inputs);
  const { clock, sleeps } = steppedClock(options.start ?? Date.now());
  const started = clock.now();
  const { runner, recorded } = recordingRunner();
  shown = recorded;
  const debug: string[] = [];
  const check: Cloud1CheckResult =
    inputs.api === 'graphql'
      ? { status: 'valid', message: '', actorId: emu.seed.cloud1.serviceAccountId }
      : { status: 'valid', message: '', accountId: emu.seed.account.id, workspaceId: emu.seed.workspaces.prod.id };
  const result = await rotate({
    inputs,
    rotation: rotationInputs,
    check,
    policy: { retries: 0, clock, deadline: Deadline.in(clock, 60_000), random: () => 0 },
    runner: { ...runner, debug: (line) => debug.push(line) },
    timings: timingsWith(options.timings),
  });
  return { result, recorded, debug, sleeps, started };
}

/** Holds a request while the runner's signals are delivered to this process, as a cancelled job's runner sends them. */
const signalling =
  (...signals: NodeJS.Signals[]) =>
  async (): Promise<void> => {
    for (const signal of signals) process.emit(signal, signal);
  };

const errorsOf = (recorded: Recorded) => recorded.annotations.filter((annotation) => annotation.level === 'error');
const puts = (emu: Emulator) => emu.requests.filter((request) => request.route === 'gh-secret-put');

test('SIGINT during the first of two writes: that write finishes, the second is not started, the step says so, and the process is not ended', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { hold: signalling('SIGINT'), times: 1 });
  const { result, recorded } = await rotation(emu, restInputs(emu, TWO));
  expect(result).toEqual({ exitCode: 1 });
  expect(recorded.annotations[0]).toEqual({ level: 'warning', title: 'Rotation cancelled', message: CANCELLING });
  const fresh = recorded.outputs['new-api-key']!;
  expect(emu.isKeyLive(fresh)).toBe(true);
  expect(emu.secret({ repo: 'octo/app', name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(emu.secret({ repo: 'octo/lib', name: 'PREFECT_API_KEY' })).toBeUndefined();
  expect(puts(emu)).toHaveLength(1);
  expect(recorded.outputs.rotation).toBe('failed');
  expect(errorsOf(recorded)).toEqual([
    {
      level: 'error',
      title: 'Prefect Cloud key rotation failed',
      message: expect.stringMatching(
        /^Secret PREFECT_API_KEY was written to repository octo\/app but not to repository octo\/lib: not written: the job was cancelled\. Both keys stay live: the new one is in this step's masked new-api-key output; the old key keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z\. Run the workflow again to finish\.$/,
      ),
    },
  ]);
  // One signal asks the rotation to stop starting steps; only a second ends the process.
  expect(exits).toEqual([]);
});

test('SIGINT before the rotation: the pre-flight under way finishes, no key is created, and nothing changed', async () => {
  const emu = emulator();
  emu.fault('bots-read', { hold: signalling('SIGINT'), times: 1 });
  const { result, recorded } = await rotation(emu, restInputs(emu));
  expect(result).toEqual({ exitCode: 1 });
  expect(emu.requests.filter((request) => request.route === 'bots-rotate')).toEqual([]);
  expect(recorded.annotations).toEqual([
    { level: 'warning', title: 'Rotation cancelled', message: CANCELLING },
    { level: 'error', title: 'Prefect Cloud key rotation failed', message: 'The job was cancelled before the rotation: nothing was changed.' },
  ]);
  expect(exits).toEqual([]);
});

test('SIGINT, then SIGTERM while the first write is under way: the outputs and the whole message in the summary, then exit 1', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { hold: signalling('SIGINT', 'SIGTERM'), times: 1 });
  const { result, recorded, started } = await rotation(emu, restInputs(emu, TWO));
  expect(result.exitCode).toBe(1);
  const fresh = recorded.outputs['new-api-key']!;
  expect(emu.isKeyLive(fresh)).toBe(true);
  const message = `SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output; secret writes that finished: none. The old key keeps working until its grace period ends (or until it is revoked). Unless a secret holds it, a run of the workflow before ${new Date(started + 600_000).toISOString()} refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too.`;
  expect(message.length).toBeGreaterThan(MAX_ANNOTATION_LENGTH);
  expect(exits).toHaveLength(1);
  const [exit] = exits;
  expect(exit!.code).toBe(1);
  // Written before the end: the new key (the only copy, no secret holds it yet), the annotation's first sentences, and the summary's whole message.
  expect(exit!.outputs).toMatchObject({ 'new-api-key': fresh, rotation: 'failed', 'new-key-id': expect.any(String) });
  expect(exit!.summary).toBe(`### Rotation cancelled\n\n- **${message}**`);
  expect(exit!.errors).toHaveLength(1);
  const annotation = exit!.errors[0]!;
  expect(annotation.startsWith('Rotation cancelled: SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output;')).toBe(true);
  expect(annotation.endsWith(REST_IN_SUMMARY)).toBe(true);
  expect(annotation.length - 'Rotation cancelled: '.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  expect(recorded.annotations[0]).toEqual({ level: 'warning', title: 'Rotation cancelled', message: CANCELLING });
  // The held write finishes as the stubbed exit lets the rotation go on: the other is not started.
  expect(puts(emu)).toHaveLength(1);
});

test('SIGINT, then SIGTERM before any key was created: the step says only that the old key keeps working, and ends at once', async () => {
  const emu = emulator();
  let exitsAtSignal = -1;
  emu.fault('bots-read', {
    times: 1,
    hold: async () => {
      await signalling('SIGINT', 'SIGTERM')();
      exitsAtSignal = exits.length;
    },
  });
  const { recorded } = await rotation(emu, restInputs(emu));
  // A message short enough for the annotation: no summary to wait for, the end comes within the signal's handler.
  expect(exitsAtSignal).toBe(1);
  expect(exits).toEqual(
    stoppedAtOnce(
      NOTHING_ROTATED,
      'SIGTERM a second time: the step stops now. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
    ),
  );
  expect(recorded.outputs['new-api-key']).toBeUndefined();
  expect(emu.requests.filter((request) => request.route === 'bots-rotate')).toEqual([]);
});

test('SIGINT, then SIGTERM while the old key is retired: the step names every secret that holds the new key', async () => {
  const emu = emulator();
  // Retirement asks Prefect which key is active; the pre-flight asked it too, before any write.
  emu.fault('bots-keys', { hold: async () => (puts(emu).length === 2 ? signalling('SIGINT', 'SIGTERM')() : undefined) });
  const { recorded } = await rotation(emu, restInputs(emu, TWO));
  const fresh = recorded.outputs['new-api-key']!;
  for (const repo of ['octo/app', 'octo/lib']) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(exits).toEqual(
    stoppedAtOnce(
      expect.objectContaining({ 'new-api-key': fresh }),
      'SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output; secret writes that finished: repository octo/app, repository octo/lib. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
    ),
  );
});

test("SIGINT, then SIGTERM during the second rotation after a lost answer: no new key is live, so the step says nothing of one, nor of a rerun's refusal", async () => {
  const emu = emulator();
  // The first rotation happens and its answer is cut short; Prefect then shows a new active key, so the step rotates once more.
  emu.fault('bots-rotate', { after: true, reset: true, times: 1 });
  emu.fault('bots-rotate', { hold: signalling('SIGINT', 'SIGTERM'), times: 1 });
  const { recorded } = await rotation(emu, restInputs(emu, TWO));
  expect(emu.requests.filter((request) => request.route === 'bots-rotate')).toHaveLength(2);
  expect(exits).toEqual(
    stoppedAtOnce(
      NOTHING_ROTATED,
      'SIGTERM a second time: the step stops now. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
    ),
  );
  expect(recorded.annotations[0]).toEqual({ level: 'warning', title: 'Rotation cancelled', message: CANCELLING });
});

test("a message of exactly the annotation's length is the annotation whole: no summary is written, and the step ends at once", async () => {
  const emu = emulator();
  // Two repositories whose names bring the message to 400 characters, MAX_ANNOTATION_LENGTH.
  const repositories = ['octo/app', `octo/${'a'.repeat(55)}`, `octo/${'b'.repeat(54)}`];
  for (const repo of repositories.slice(1)) emu.addRepository(repo);
  emu.fault('bots-keys', { hold: async () => (puts(emu).length === 3 ? signalling('SIGINT', 'SIGTERM')() : undefined) });
  await rotation(emu, restInputs(emu, { ...TWO, 'secret-repositories': repositories.join(', ') }));
  const message = `SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output; secret writes that finished: ${repositories.map((repo) => `repository ${repo}`).join(', ')}. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.`;
  expect(message.length).toBe(MAX_ANNOTATION_LENGTH);
  expect(exits).toEqual(stoppedAtOnce(expect.any(Object), message));
});

test('Cloud 1, SIGINT then SIGTERM during the write: no secret holds the new key, and the step says to run the workflow again (Cloud 1 has no rerun refusal to describe)', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { hold: signalling('SIGINT', 'SIGTERM'), times: 1 });
  const { recorded } = await rotation(emu, graphqlInputs(emu));
  const fresh = recorded.outputs['new-api-key']!;
  expect(fresh).toBeTruthy();
  expect(exits).toEqual(
    stoppedAtOnce(
      expect.objectContaining({ 'new-api-key': fresh }),
      'SIGTERM a second time: the step stops now. The new key is in the masked new-api-key output; secret writes that finished: none. The old key keeps working until its grace period ends (or until it is revoked); run the workflow again to finish.',
    ),
  );
});

test("GitHub's request lines go to the debug log, and the writes are spaced by the timings' spacing on the step's clock", async () => {
  const emu = emulator();
  const { result, debug, sleeps } = await rotation(emu, restInputs(emu, TWO), { timings: { writeSpacingMs: 7 } });
  expect(result.exitCode).toBe(0);
  expect(debug).toEqual(
    expect.arrayContaining([expect.stringMatching(/^PUT 127\.0\.0\.1:\d+\/repos\/octo\/lib\/actions\/secrets\/PREFECT_API_KEY: HTTP 20[14], \d+ ms$/)]),
  );
  // The clock stands still between sleeps: the second write waits the whole spacing, not GitHub's second.
  expect(sleeps).toEqual([7]);
});

test("rotate-if-expires-within-days is decided on the step's clock: a key with 60 days left is due when that clock reads 40 days later", async () => {
  const emu = emulator();
  emu.setKeyExpiration(emu.seed.bot.keyId, new Date(Date.now() + 60 * DAY));
  const { result, recorded } = await rotation(emu, restInputs(emu, { 'rotate-if-expires-within-days': '30' }), { start: Date.now() + 40 * DAY });
  expect(result.exitCode).toBe(0);
  expect(recorded.outputs.rotation).toBe('rotated');
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(recorded.outputs['new-api-key']);
});
