// The step run in this process as src/index.ts runs it, with the runner's
// real output layer (src/runner.ts on @actions/core): for tests of a rule that
// read what the runner would read (workflow commands on stdout, the output and
// environment files, the summary) without spawning the built action. What only
// a process shows (masking before any output, exit codes, signals, what a check
// loads) stays with support/action.ts runAction.

import { expect, jest } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, MIN_CREDENTIAL_LENGTH, parseCheckInputs } from '../../src/inputs.ts';
import { run } from '../../src/main.ts';
import { parseRotationInputs } from '../../src/rotate/inputs.ts';
import { runner as actionsRunner, type Runner } from '../../src/runner.ts';
import { redact } from '../../src/safe-text.ts';
import { actionIn, defaultOf, expectNoLeak, parseOutputs, SECRET_OUTPUTS, secretsOf, type ActionRun, type Annotation } from './action.ts';
import type { Clock } from '../../src/clock/clock.ts';
import type { Timings } from '../../src/clock/timings.ts';
import type { Emulator } from '../emulator/index.ts';
import { deadlineIn } from './clock.ts';
import { quickPolicy } from './loopback.ts';
import { expectNoLeakIn, recordingRunner } from './recording-runner.ts';
import { runnerEnv } from './rotation.ts';

const DEFAULTS = actionIn('').defaults;

/** What one in-process run showed, as a spawned run's ActionRun, and every value it gave the runner to mask. */
export interface InProcessRun extends ActionRun {
  masked: string[];
}

export interface StepOptions {
  /** The step's environment (GITHUB_REPOSITORY, GITHUB_API_URL, PREFECT_API_KEY): nothing is read from this process's. */
  env?: Record<string, string>;
  /** 'quick': no retry pause is slept and the deadline is 20 s whatever the inputs say (runs whose point is text, not time). */
  policy?: 'inputs' | 'quick';
  /** The step's clock (support/clock.ts): a retry's pause or a watch then takes no time. */
  clock?: Clock;
  /** Timing settings in place of today's (a cleanup reserve of a second, no spacing between writes). */
  timings?: Partial<Timings>;
}

/**
 * Runs the step in this process as src/index.ts does: the credentials masked first, the inputs as the runner
 * passes them (action.yml's defaults where the step names none), parsed, then run() with the real runner, an
 * error becoming the entry point's annotation. Its stdout, where @actions/core writes workflow commands, is
 * captured; outputs and exports go to files of this run's own. Two things differ from a process, by design:
 * the runner masks a value once per process, so a later run of the same file prints no add-mask line for a
 * value an earlier one masked (`masked` lists what this run asked to mask), and the summary is the action's,
 * redacted as the runner does, without the runner's bound, which counts every summary of the process
 * (runner-bounds.test.ts holds the bound). Each run passes the leak scan a spawned run passes.
 */
export async function runInProcess(values: Record<string, string>, options: StepOptions = {}): Promise<InProcessRun> {
  const env: Record<string, string> = options.env ?? {};
  const dir = mkdtempSync(join(tmpdir(), 'in-process-step-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_ENV: join(dir, 'env') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const saved = Object.fromEntries(Object.keys(files).map((name) => [name, process.env[name]]));
  Object.assign(process.env, files);
  const masked: string[] = [];
  let summary = '';
  const runner: Runner = {
    ...actionsRunner,
    setSecret: (value) => {
      masked.push(value);
      actionsRunner.setSecret(value);
    },
    appendSummary: async (markdown) => void (summary += `${redact(markdown)}\n`),
  };
  const chunks: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const started = Date.now();
  let exitCode: number;
  try {
    exitCode = await step(values, env, runner, options);
  } finally {
    stdout.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const shown: InProcessRun = {
    exitCode,
    signal: null,
    stdout: chunks.join(''),
    stderr: '',
    summary,
    outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    exported: parseOutputs(readFileSync(files.GITHUB_ENV, 'utf8')),
    durationMs: Date.now() - started,
    masked,
  };
  rmSync(dir, { recursive: true, force: true });
  const secrets = [...new Set([...secretsOf(values, shown), ...masked])];
  scanned(secrets, exitCode, () => expectNoLeak(shown, secrets, SECRET_OUTPUTS));
  return shown;
}

/**
 * The step's work as src/index.ts does it, on any runner: the credentials masked first, the inputs as the runner
 * passes them (action.yml's defaults where the step names none), parsed, then run(), an error becoming the entry
 * point's annotation. Returns the exit code.
 */
async function step(values: Record<string, string>, env: Record<string, string>, runner: Runner, options: StepOptions): Promise<number> {
  const read = (name: string) => (values[name] ?? defaultOf(DEFAULTS[name] ?? '', env)).trim();
  const readEnv = (name: string) => env[name];
  const key = read('api-key') || (env.PREFECT_API_KEY ?? '').trim();
  for (const value of [key, read('github-token')]) if (value.length >= MIN_CREDENTIAL_LENGTH) runner.setSecret(value);
  try {
    const inputs = parseCheckInputs(read, readEnv);
    const rotation = inputs.rotate && inputs.apiKey !== '' ? parseRotationInputs(read, readEnv, inputs) : undefined;
    const policy = options.policy === 'quick' ? { ...quickPolicy(inputs.retries), deadline: deadlineIn(20_000) } : undefined;
    return await run(inputs, runner, { rotation, policy, clock: options.clock, timings: options.timings });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    runner.error(message, { title: error instanceof InputError ? 'Invalid input' : 'Prefect Cloud key action failed' });
    return 1;
  }
}

/** The leak scan, logged as runAction's scan logs a spawned run (scripts/leak-scan-count.sh counts both kinds), marked in-process. */
function scanned(secrets: string[], exitCode: number, scan: () => void): void {
  let verdict = 'clean';
  try {
    scan();
  } catch (error) {
    verdict = 'LEAK';
    throw error;
  } finally {
    const log = process.env.LEAK_SCAN_LOG;
    const where = (expect.getState().testPath ?? '').replace(/^.*?__tests__\//, '__tests__/');
    if (log) appendFileSync(log, `${new Date().toISOString()} ${verdict} secrets=${secrets.length} exit=${exitCode} in-process ${where}\n`);
  }
}

/** What a recorded step showed: its exit code, outputs, exports, summary and annotations, and every value it masked. */
export interface RecordedStep {
  exitCode: number;
  outputs: Record<string, string>;
  exported: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  masked: string[];
  durationMs: number;
}

/**
 * The step in this process on a runner that records instead of writing to stdout and the runner's files: nothing
 * global is touched, so runs may go side by side in one file (the fault matrices' cells). What the runner layer does
 * with the text (escaping, masking on stdout) is runInProcess's and the spawned runs' to show.
 */
export async function runRecorded(values: Record<string, string>, options: StepOptions = {}): Promise<RecordedStep> {
  const { runner, recorded } = recordingRunner();
  const started = Date.now();
  const exitCode = await step(values, options.env ?? {}, runner, options);
  recorded.exitCode = exitCode;
  const secrets = [...new Set([...secretsOf(values, { stdout: '' }), ...recorded.masked])];
  scanned(secrets, exitCode, () => expectNoLeakIn(recorded, secrets));
  return {
    exitCode,
    outputs: recorded.outputs,
    exported: Object.fromEntries(recorded.exported.map(([name, value]) => [name, value])),
    summary: recorded.summary,
    annotations: recorded.annotations,
    masked: recorded.masked,
    durationMs: Date.now() - started,
  };
}

/** A rotation step in-process: the runner's environment for the emulator (its repository and GitHub API), as rotate() gives a spawned one. */
export function rotateInProcess(emu: Emulator, values: Record<string, string>, options: StepOptions = {}): Promise<InProcessRun> {
  return runInProcess(values, { ...options, env: { ...runnerEnv(emu), ...options.env } });
}

/** A rotation step recorded in-process (runRecorded), in the runner's environment for the emulator. */
export function rotateRecorded(emu: Emulator, values: Record<string, string>, options: StepOptions = {}): Promise<RecordedStep> {
  return runRecorded(values, { ...options, env: { ...runnerEnv(emu), ...options.env } });
}
