// Runs the built dist/index.js exactly as the runner does: inputs as INPUT_*
// variables, outputs and summary through files, workflow commands on stdout.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ENTRY = resolve(import.meta.dirname, '../../dist/index.js');

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  durationMs: number;
}

export interface RunOptions {
  /** Extra environment (proxies); nothing is inherited from the test process but PATH. */
  env?: Record<string, string>;
  /** Kill the action after this many ms (a crash test); it is never killed otherwise. */
  killAfterMs?: number;
  /** Kill the action when its stdout first contains this text. */
  killWhenStdout?: string;
}

/** Parses the runner's `name<<DELIMITER\nvalue\nDELIMITER\n` file format. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const end = lines.indexOf(delimiter, i + 1);
    if (end === -1) throw new Error(`output ${name} has no closing delimiter`);
    outputs[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

export function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.killWhenStdout && stdout.includes(options.killWhenStdout)) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode,
        signal,
        stdout,
        stderr,
        summary: readFileSync(summaryFile, 'utf8'),
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Every form in which a secret could slip out. */
function forms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

/**
 * The leak scan every end-to-end test passes through: no secret, in any
 * form, in stdout (other than its own add-mask lines), stderr, the summary,
 * or an output not listed in `secretOutputs`.
 */
export function expectNoLeak(run: ActionRun, secrets: string[], secretOutputs: string[] = []): void {
  const maskLines = new Set(secrets.flatMap((secret) => forms(secret).map((form) => `::add-mask::${form.replace(/%/g, '%25')}`)));
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !maskLines.has(line))
    .join('\n');
  const outputs = Object.entries(run.outputs)
    .filter(([name]) => !secretOutputs.includes(name))
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      for (const [stream, text] of Object.entries({ stdout, stderr: run.stderr, summary: run.summary, outputs })) {
        if (text.includes(form)) throw new Error(`a secret leaked into ${stream}`);
      }
    }
  }
}

/** The annotations the action wrote, as the runner would show them. */
export function annotations(run: ActionRun): { level: string; title?: string; message: string }[] {
  const found = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: title=([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const decode = (text: string) => text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
    found.push({ level: match[1] ?? '', title: match[2] === undefined ? undefined : decode(match[2]), message: decode(match[3] ?? '') });
  }
  return found;
}
