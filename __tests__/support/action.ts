// Runs an action of this repository (action.yml's dist/index.js, or another
// folder's action.yml, such as audit/) exactly as the runner does: inputs as
// INPUT_* variables, outputs and summary through files, workflow commands on stdout.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { REST_IN_SUMMARY } from '../../src/safe-text.ts';
import yaml from 'js-yaml';

const ROOT = resolve(import.meta.dirname, '../..');
export const ENTRY = resolve(ROOT, 'dist/index.js');

/**
 * What the tests run: the built dist/index.js, or with ACTION_UNDER_TEST=src the
 * sources themselves, as mutation testing needs (a mutant is then live without a
 * rebuild). The sources are stripped of their types once, by Node's own
 * stripTypeScriptTypes, into .tmp/: Node 24 runs TypeScript directly too, but
 * stripping every module at every start makes a run several times slower.
 */
function sourcesAsJavaScript(): string {
  const root = resolve(import.meta.dirname, '../..');
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const texts = files.map((file) => readFileSync(join(root, 'src', file), 'utf8'));
  const hash = createHash('sha256');
  files.forEach((file, index) => hash.update(`${file}\0${texts[index]}\0`));
  const out = join(root, '.tmp', `src-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(out, 'index.js'))) {
    const staging = `${out}.${process.pid}`;
    files.forEach((file, index) => {
      // As tsconfig's rewriteRelativeImportExtensions does: a relative ./x.ts specifier becomes ./x.js.
      const code = stripTypeScriptTypes(texts[index]!).replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\.ts\2/g, '$1$2$3.js$2');
      mkdirSync(dirname(join(staging, file)), { recursive: true });
      writeFileSync(join(staging, file.replace(/\.ts$/, '.js')), code);
    });
    try {
      renameSync(staging, out);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another test file made the same copy first
    }
  }
  return join(out, 'index.js');
}

const UNDER_TEST = process.env.ACTION_UNDER_TEST === 'src' ? sourcesAsJavaScript() : ENTRY;

/** What the runner reads of an action.yml: each input with its default, and the bundle runs.main names. */
interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  runs: { main: string };
}

/**
 * The action in `folder` ('' for the repository's root, 'audit' for audit/):
 * every input its action.yml declares with the default the runner gives it
 * when a step names none (empty without one), and the script it runs. A
 * default may be an expression: the runner evaluates it against the step's
 * context, as `defaultOf` does below. Under ACTION_UNDER_TEST=src the script
 * is the stripped copy of the source runs.main was built from (dist/X.js from src/X.ts).
 */
export function actionIn(folder: string): { defaults: Record<string, string>; entry: string } {
  const dir = resolve(ROOT, folder);
  const metadata = yaml.load(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionMetadata;
  const defaults = Object.fromEntries(Object.entries(metadata.inputs).map(([name, input]) => [name, input.default ?? '']));
  const built = resolve(dir, metadata.runs.main);
  const entry = process.env.ACTION_UNDER_TEST === 'src' ? join(dirname(UNDER_TEST), relative(join(ROOT, 'dist'), built)) : built;
  return { defaults, entry };
}

/**
 * A default as the runner evaluates it for a step with environment `env`:
 * `${{ env.NAME }}` is the variable (empty when unset). Any other expression
 * is refused here, so that one added to action.yml is modelled, not guessed.
 */
export function defaultOf(text: string, env: Record<string, string>): string {
  const value = text.replace(/\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_match, name: string) => env[name] ?? '');
  if (value.includes('${{')) throw new Error(`action.yml default ${JSON.stringify(text)} holds an expression the tests do not evaluate: model it in defaultOf`);
  return value;
}

// dist/index.js runs on this process's Node: it must be the runner's, node24 (npm test provides it).
if (Number(process.versions.node.split('.')[0]) !== 24) {
  throw new Error(`The end-to-end tests need Node 24, the action's runtime; this is ${process.version}. Run them through npm test.`);
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** What the step exported for later steps (GITHUB_ENV). */
  exported: Record<string, string>;
  durationMs: number;
}

export interface RunOptions {
  /** Extra environment (proxies); nothing is inherited from the test process but PATH. */
  env?: Record<string, string>;
  /** Kill the action after this many ms (a crash test); it is never killed otherwise. */
  killAfterMs?: number;
  /** Kill the action when its stdout first contains this text. */
  killWhenStdout?: string;
  /**
   * Kill the action as soon as this holds (looked at every few milliseconds): for a boundary no line marks but a
   * server sees, such as a request received, rather than a guessed time after the start.
   */
  killWhen?: () => boolean;
  /** Another copy of the entry point (default: what the action's runs.main names). */
  entry?: string;
  /** The folder of the action.yml to run, relative to the repository (default '', the root's: the check). */
  action?: string;
  /** As the runner cancels a job: when stdout first contains `text`, send each signal `afterMs` after it (SIGINT, then SIGTERM 7.5 s later). */
  cancelWhenStdout?: { text: string; signals: { signal: NodeJS.Signals; afterMs: number }[] };
  /** The same, from the moment this first holds (looked at every few milliseconds): a request a server received, say. */
  cancelWhen?: { when: () => boolean; signals: { signal: NodeJS.Signals; afterMs: number }[] };
}

/**
 * Reads a GITHUB_OUTPUT or GITHUB_ENV file as the runner does (actions/runner
 * SetOutputFileCommand, SetEnvFileCommand): `name=value` or
 * `name<<DELIMITER` ... `DELIMITER` lines, LF or CRLF; an empty line is skipped.
 * Any other line, an empty name or delimiter, or a missing closing delimiter
 * fails the step there, so it throws here.
 */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (!name) throw new Error(`the runner would fail the step: invalid format ${JSON.stringify(line)}, the name must not be empty`);
      outputs[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter)
        throw new Error(`the runner would fail the step: invalid format ${JSON.stringify(line)}, the name and delimiter must not be empty`);
      const end = lines.indexOf(delimiter, i + 1);
      if (end === -1) throw new Error(`the runner would fail the step: output ${name} has no closing delimiter`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      throw new Error(`the runner would fail the step: invalid format ${JSON.stringify(line)}`);
    }
  }
  return outputs;
}

/** The only outputs allowed to hold a secret: the rotated key, for a following step of the job. */
export const SECRET_OUTPUTS = ['new-api-key'];

/** Undoes the runner's escaping of a workflow command's data (`%`, CR, LF). */
function unescapeData(text: string): string {
  return text.replace(/%(25|0D|0A)/g, (_match, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n' })[code] ?? '');
}

/**
 * Every value a run masked with `::add-mask::`: the credentials' forms and
 * every rotated key. A killed run's unfinished last line is not a mask.
 */
export function maskedBy(run: Pick<ActionRun, 'stdout'>): string[] {
  return run.stdout
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => unescapeData(line.slice('::add-mask::'.length)))
    .filter(Boolean);
}

/** The secrets of a run: the api-key and github-token inputs (as the action reads them, trimmed) and every value it masked. */
export function secretsOf(inputs: Record<string, string>, run: Pick<ActionRun, 'stdout'>): string[] {
  // A value shorter than a credential can be (16 characters) is refused unmasked and never shown: it is a word, not a secret.
  const given = ['api-key', 'github-token'].map((name) => (inputs[name] ?? '').trim()).filter((value) => value.length >= 16);
  return [...new Set([...given, ...maskedBy(run)].filter(Boolean))];
}

/**
 * The scan every run passes through before runAction resolves: its secrets
 * must not surface, in any form, anywhere but their own add-mask lines and the
 * new-api-key output. With LEAK_SCAN_LOG set, each scanned run adds a line there
 * (counts only, never a value).
 */
function scanRun(inputs: Record<string, string>, run: ActionRun): void {
  const secrets = secretsOf(inputs, run);
  let verdict = 'clean';
  try {
    expectNoLeak(run, secrets, SECRET_OUTPUTS);
  } catch (error) {
    verdict = 'LEAK';
    throw error;
  } finally {
    const log = process.env.LEAK_SCAN_LOG;
    if (log) {
      const testPath = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.().testPath ?? '';
      const where = testPath ? testPath.replace(/^.*?__tests__\//, '__tests__/') : (process.argv[1] ?? '');
      appendFileSync(log, `${new Date().toISOString()} ${verdict} secrets=${secrets.length} exit=${run.exitCode ?? run.signal} ${where}\n`);
    }
  }
}

/**
 * What a run printed after its add-mask lines: an in-process run (support/in-process-step.ts) prints a value's mask
 * once per process, so a test of what follows the masks reads this, and what the run masked from its `masked` list.
 */
export function withoutMasks(stdout: string): string {
  return stdout.replace(/^(?:::add-mask::.*\n)*/, '');
}

/** The add-mask lines the action prints for a secret: raw, then base64 (the JSON and URL forms of a plain key are the same). */
export function masksOf(secret: string): string {
  return `::add-mask::${secret}\n::add-mask::${Buffer.from(secret).toString('base64')}\n`;
}

export function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  const envFile = join(dir, 'env');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(envFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ENV: envFile,
    RUNNER_TEMP: dir,
    // Under mutation testing, the mutant this run tests; under coverage (scripts/coverage.sh), where V8 writes it.
    ...Object.fromEntries(
      ['__STRYKER_ACTIVE_MUTANT__', 'NODE_V8_COVERAGE'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])),
    ),
    ...options.env,
  };
  // As the runner does: every input action.yml declares, its default (evaluated against the step's environment) where the step gives none.
  const action = actionIn(options.action ?? '');
  const defaults = Object.fromEntries(Object.entries(action.defaults).map(([name, text]) => [name, defaultOf(text, env)]));
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [options.entry ?? action.entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let cancelling = false;
    const cancel = (signals: { signal: NodeJS.Signals; afterMs: number }[]) => {
      cancelling = true;
      for (const { signal, afterMs } of signals) setTimeout(() => child.kill(signal), afterMs);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.killWhenStdout && stdout.includes(options.killWhenStdout)) child.kill('SIGKILL');
      if (options.cancelWhenStdout && !cancelling && stdout.includes(options.cancelWhenStdout.text)) cancel(options.cancelWhenStdout.signals);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    const killWhen = options.killWhen;
    const cancelWhen = options.cancelWhen;
    const watch =
      killWhen === undefined && cancelWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killWhen?.()) child.kill('SIGKILL');
            if (cancelWhen && !cancelling && cancelWhen.when()) cancel(cancelWhen.signals);
          }, 10);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      try {
        const run: ActionRun = {
          exitCode,
          signal,
          stdout,
          stderr,
          summary: readFileSync(summaryFile, 'utf8'),
          outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
          exported: parseOutputs(readFileSync(envFile, 'utf8')),
          durationMs: Date.now() - started,
        };
        scanRun(inputs, run);
        resolvePromise(run);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Every form in which a secret could slip out, by name. */
function namedForms(secret: string): [string, string][] {
  return [
    ['raw', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(secret)],
    ['base64', Buffer.from(secret).toString('base64')],
  ];
}

/** As the runner escapes a workflow command's data. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The summary's text as GitHub shows it: Markdown's backslash escapes undone. */
export function renderedSummary(run: Pick<ActionRun, 'summary'>): string {
  return run.summary.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/**
 * The leak scan every end-to-end test passes through: no secret, in any
 * form, in stdout (other than its own add-mask lines), stderr, the summary,
 * or an output not listed in `secretOutputs`. The error names the stream and
 * the form, never the value.
 */
export function expectNoLeak(run: ActionRun, secrets: string[], secretOutputs: string[] = []): void {
  const present = secrets.filter(Boolean);
  const maskLines = new Set(present.flatMap((secret) => namedForms(secret).map(([, form]) => `::add-mask::${escapeData(form)}`)));
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !maskLines.has(line))
    .join('\n');
  // PREFECT_API_KEY is exported for later steps on purpose, the runner masking it there; any other variable is scanned.
  const outputs = [
    ...Object.entries(run.outputs).filter(([name]) => !secretOutputs.includes(name)),
    ...Object.entries(run.exported ?? {}).filter(([name]) => name !== 'PREFECT_API_KEY'),
  ]
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  // The summary is Markdown: GitHub renders `pnb\_x` as `pnb_x`, so it is scanned as rendered too.
  const rendered = renderedSummary(run);
  present.forEach((secret, index) => {
    for (const [kind, form] of namedForms(secret)) {
      for (const [stream, text] of Object.entries({ stdout, stderr: run.stderr, summary: run.summary, 'rendered summary': rendered, outputs })) {
        // On stdout a workflow command carries the form escaped; the runner shows it unescaped.
        const seen = stream === 'stdout' ? [form, escapeData(form)] : [form];
        if (seen.some((candidate) => text.includes(candidate))) {
          throw new Error(`a secret leaked into ${stream} (secret ${index + 1} of ${present.length}, ${kind} form)`);
        }
      }
    }
  });
}

/** An annotation as the runner shows it: every property the command carried (title, file, line, ...) is kept. */
export interface Annotation {
  level: string;
  title?: string;
  message: string;
  [property: string]: string | undefined;
}

/** As the runner unescapes a command's property values (`%`, CR, LF, `:`, `,`). */
function unescapeProperty(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/**
 * An annotation's message whole. The action shortens a long one to its first sentences and REST_IN_SUMMARY, and
 * writes it whole to the job summary as a bold list item: this finds it there (and fails when it is missing).
 */
export function wholeMessage(run: Pick<ActionRun, 'summary'>, message: string): string {
  if (!message.endsWith(REST_IN_SUMMARY)) return message;
  const start = `- **${message.slice(0, -REST_IN_SUMMARY.length).replace(/…$/, '')}`;
  const line = renderedSummary(run)
    .split('\n')
    .find((candidate) => candidate.startsWith(start) && candidate.endsWith('**'));
  if (line === undefined) throw new Error(`the job summary does not hold the shortened annotation whole: ${JSON.stringify(message)}`);
  return line.slice(4, -2);
}

/** The annotations, each message whole (wholeMessage): for a test of what a long message says. */
export function annotationsWhole(run: Pick<ActionRun, 'stdout' | 'summary'>): Annotation[] {
  return annotations(run).map((annotation) => ({ ...annotation, message: wholeMessage(run, annotation.message) }));
}

/** The annotations the action wrote, as the runner would show them. */
export function annotations(run: Pick<ActionRun, 'stdout'>): Annotation[] {
  const found: Annotation[] = [];
  for (const line of run.stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const annotation: Annotation = { level: match[1]!, message: unescapeData(match[3] ?? '') };
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new Error(`the runner would ignore the malformed property ${JSON.stringify(pair)} of ${JSON.stringify(line)}`);
      annotation[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    found.push(annotation);
  }
  return found;
}
