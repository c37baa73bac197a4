// The runner, through @actions/core: inputs, masks, outputs, annotations, the
// job summary and exported variables. Core speaks the protocol; this layer
// adds what core leaves to each action: every encoded form of a secret is
// masked, every secret is redacted from what is written, and text from
// outside (a server's answer) can never become a workflow command.

import * as core from '@actions/core';

export interface Annotation {
  title?: string;
}

/** What the action may do to the runner; the entry hands this to `run`. */
export interface Runner {
  setSecret(value: string): void;
  /** Non-secret outputs: any registered secret in them is redacted. */
  setOutputs(outputs: Record<string, string>): void;
  /** An output that is a secret: it must have been masked with setSecret first. */
  setSecretOutput(name: string, value: string): void;
  /** An environment variable for the job's later steps; a secret one must have been masked first. */
  exportVariable(name: string, value: string, secret?: boolean): void;
  /** Shown only when the run is re-run with debug logging. */
  debug(message: string): void;
  info(message: string): void;
  notice(message: string, annotation?: Annotation): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  /** Markdown whose outside text is already escaped (see markdown.ts); cut to the summary's bound. */
  appendSummary(markdown: string): Promise<void>;
}

/** The job summary's bound: well under the runner's 1 MiB, past which it drops the whole summary. */
export const MAX_SUMMARY_BYTES = 64 * 1024;

/** Every form of every registered secret, each computed once. */
const maskedForms = new Set<string>();
let summaryBytes = 0;

/** Every form in which a secret could surface in text: raw, JSON-, URL- and base64-encoded. */
function secretForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64')];
}

/**
 * Replaces every registered secret with ***. The runner masks too, but only
 * once it has read the add-mask command; this keeps secrets out of the raw
 * stream as well. Overlapping matches are masked as their union, as the
 * runner does, so no fragment of either survives.
 */
export function redact(text: string): string {
  const spans: [number, number][] = [];
  for (const form of maskedForms) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) spans.push([at, at + form.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  let [start, end] = spans[0] as [number, number];
  for (const [from, to] of spans.slice(1)) {
    if (from <= end) end = Math.max(end, to);
    else {
      out += `${text.slice(cursor, start)}***`;
      cursor = end;
      [start, end] = [from, to];
    }
  }
  return `${out}${text.slice(cursor, start)}***${text.slice(end)}`;
}

// C0 and C1 controls but tab and line feed, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text that cannot command the runner, which splits lines at LF, CR and CRLF,
 * runs `::name::` at a line's start and the old `##[name]` anywhere in a line:
 * controls (CR among them) become spaces, `##[` becomes `## [`, and a line that
 * would start with `::` starts with `: :`.
 */
export function inert(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .split('\n')
    .map((line) => line.replace(/##\[/g, '## [').replace(/^(\s*)::/, '$1: :'))
    .join('\n');
}

/** The longest line or annotation written: the runner cuts annotations at 4,096 characters anyway. */
export const MAX_MESSAGE_LENGTH = 4_000;

/** What every line, annotation and title passes through before core writes it: redacted first, so a cut never leaves part of a secret. */
function clean(text: string): string {
  const safe = inert(redact(text));
  return safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : safe;
}

function properties(annotation: Annotation): core.AnnotationProperties {
  return annotation.title === undefined ? {} : { title: clean(annotation.title) };
}

/** Reads an input as the runner passes it (INPUT_<NAME>, trimmed). */
export function getInput(name: string): string {
  return core.getInput(name);
}

export const runner: Runner = {
  setSecret(value) {
    if (!value) return;
    for (const form of secretForms(value)) {
      if (maskedForms.has(form)) continue;
      core.setSecret(form);
      maskedForms.add(form);
    }
  },
  setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, redact(value));
  },
  setSecretOutput(name, value) {
    if (!maskedForms.has(value)) throw new Error(`Output ${name} is a secret: mask it before setting it.`);
    core.setOutput(name, value);
  },
  exportVariable(name, value, secret = false) {
    if (secret && !maskedForms.has(value)) throw new Error(`Variable ${name} is a secret: mask it before exporting it.`);
    // Without the runner's file, core would print the value as a set-env command: never for this action.
    if (!process.env.GITHUB_ENV) throw new Error(`Variable ${name} could not be exported: the runner named no GITHUB_ENV file.`);
    core.exportVariable(name, secret ? value : redact(value));
  },
  debug(message) {
    // The runner shows debug lines only when debug logging is on (RUNNER_DEBUG=1); otherwise they are not worth writing.
    if (core.isDebug()) core.debug(clean(message));
  },
  info(message) {
    core.info(clean(message));
  },
  notice(message, annotation = {}) {
    core.notice(clean(message), properties(annotation));
  },
  warning(message, annotation = {}) {
    core.warning(clean(message), properties(annotation));
  },
  error(message, annotation = {}) {
    core.error(clean(message), properties(annotation));
  },
  async appendSummary(markdown) {
    const text = `${redact(markdown)}\n`;
    const room = MAX_SUMMARY_BYTES - summaryBytes;
    if (room <= 0) return;
    const bytes = Buffer.byteLength(text);
    const fitted =
      bytes <= room
        ? text
        : `${Buffer.from(text)
            .subarray(0, room - 64)
            .toString('utf8')
            .replace(/\uFFFD$/, '')}\n\n_(summary cut short)_\n`;
    summaryBytes += Buffer.byteLength(fitted);
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(fitted).write();
  },
};
