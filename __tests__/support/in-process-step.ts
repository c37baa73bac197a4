// The step run in this process as src/index.ts runs it, with the runner's
// real output layer (src/runner.ts on @actions/core): for tests that read what
// the runner would read (workflow commands on stdout, the output file) without
// spawning the built action, as a hostile server's hundreds of runs must.

import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCheckInputs } from '../../src/inputs.ts';
import { run } from '../../src/main.ts';
import { parseRotationInputs } from '../../src/rotate/inputs.ts';
import { runner as actionsRunner, type Runner } from '../../src/runner.ts';
import type { Emulator } from '../emulator/index.ts';
import { actionIn, defaultOf, parseOutputs } from './action.ts';
import type { Shown } from './hostile.ts';
import { quickPolicy } from './loopback.ts';
import { runnerEnv } from './rotation.ts';

const DEFAULTS = actionIn('').defaults;

/** What one in-process run showed, and the values it gave the runner to mask. */
export interface InProcessRun extends Shown {
  exitCode: number;
  masked: string[];
}

/**
 * Runs the step in this process as src/index.ts does: the inputs as the runner passes them (action.yml's
 * defaults where the step names none), parsed, then run() with the real runner. Its stdout, where @actions/core
 * writes workflow commands, is captured; outputs and exports go to files of this run's own. The summary is kept
 * as the action wrote it: the real runner's bound counts every summary of this process.
 */
export async function runInProcess(emu: Emulator, values: Record<string, string>): Promise<InProcessRun> {
  const env: Record<string, string> = runnerEnv(emu);
  const read = (name: string) => (values[name] ?? defaultOf(DEFAULTS[name] ?? '', env)).trim();
  const readEnv = (name: string) => env[name];
  const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
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
    appendSummary: async (markdown) => void (summary += `${markdown}\n`),
  };
  const chunks: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    for (const value of [read('api-key'), read('github-token')]) if (value.length >= 16) runner.setSecret(value);
    const inputs = parseCheckInputs(read, readEnv);
    const rotation = inputs.rotate ? parseRotationInputs(read, readEnv, inputs) : undefined;
    const exitCode = await run(inputs, runner, { rotation, policy: { ...quickPolicy(inputs.retries), deadline: Date.now() + 20_000 } });
    return { exitCode, masked, stdout: chunks.join(''), summary, outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8')) };
  } finally {
    stdout.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
