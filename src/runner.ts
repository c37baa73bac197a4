// The GitHub Actions runner protocol: inputs from INPUT_* variables, workflow
// commands on stdout, outputs and the job summary through the files the runner
// names. Written here rather than taken from @actions/core because that
// package also loads an HTTP client and a process runner, which would triple
// the start-up cost of every deploy gate (see bench/RESULTS.md). The formats
// match @actions/core's byte for byte; __tests__/runner.test.ts holds it to that.

const { appendFileSync } = process.getBuiltinModule('node:fs');
const { EOL } = process.getBuiltinModule('node:os');

export interface Annotation {
  title?: string;
}

/** What the action may do to the runner; the entry hands this to `run`. */
export interface Runner {
  setSecret(value: string): void;
  /** Non-secret outputs, written at once: any registered secret in them is redacted. */
  setOutputs(outputs: Record<string, string>): void;
  /** An output that is a secret: it must have been masked with setSecret first. */
  setSecretOutput(name: string, value: string): void;
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  appendSummary(markdown: string): void;
}

/** Every form of every registered secret, each computed once, in the order they were masked. */
const maskedForms = new Set<string>();

/** Every form in which a secret could surface in text: raw, JSON-, URL- and base64-encoded. */
function secretForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64')];
}

/**
 * Replaces every registered secret with ***. The runner masks too, but only
 * once it has read the add-mask command; this keeps secrets out of the raw
 * stream as well, whatever an error message or a server's answer echoes.
 */
export function redact(text: string): string {
  let out = text;
  for (const form of maskedForms) out = out.split(form).join('***');
  return out;
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Writes a workflow command; everything but a mask's own value is redacted. */
function command(name: string, message: string, properties: Record<string, string | undefined> = {}): void {
  const clean = name === 'add-mask' ? (text: string) => text : redact;
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(clean(value))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(clean(message))}${EOL}`);
}

/** Reads an input as the runner passes it: INPUT_<NAME>, spaces as underscores, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function fileCommand(variable: string, text: string): void {
  const path = process.env[variable];
  if (path) appendFileSync(path, text, { encoding: 'utf8' });
}

/**
 * The runner's heredoc form. The delimiter is refused if it occurs in the
 * name or value, which is what makes it safe; its randomness only makes a
 * clash unlikely, so Math.random serves and node:crypto need not be loaded.
 */
function keyValueMessage(name: string, value: string): string {
  const random = () => Math.random().toString(16).slice(2, 15).padEnd(13, '0');
  const delimiter = `ghadelimiter_${random()}${random()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Output ${name} could not be written: it contains the delimiter ${delimiter}`);
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

export const runner: Runner = {
  setSecret(value) {
    if (!value) return;
    for (const form of secretForms(value)) {
      if (maskedForms.has(form)) continue;
      command('add-mask', form);
      maskedForms.add(form);
    }
  },
  setOutputs(outputs) {
    // Runners new enough for node24 always name the file; the deprecated
    // set-output command is not a fallback worth keeping.
    const text = Object.entries(outputs)
      .map(([name, value]) => keyValueMessage(name, redact(value)))
      .join('');
    fileCommand('GITHUB_OUTPUT', text);
  },
  setSecretOutput(name, value) {
    if (!maskedForms.has(value)) throw new Error(`Output ${name} is a secret: mask it before setting it.`);
    fileCommand('GITHUB_OUTPUT', keyValueMessage(name, value));
  },
  info(message) {
    process.stdout.write(redact(message) + EOL);
  },
  warning(message, annotation = {}) {
    command('warning', message, { title: annotation.title });
  },
  error(message, annotation = {}) {
    command('error', message, { title: annotation.title });
  },
  appendSummary(markdown) {
    fileCommand('GITHUB_STEP_SUMMARY', redact(markdown) + EOL);
  },
};
