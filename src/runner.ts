// The runner, through @actions/core: inputs, masks, outputs, annotations, the
// job summary and exported variables. Core speaks the protocol; this layer
// adds what core leaves to each action: every encoded form of a secret is
// masked, every secret is redacted from what is written, and text from
// outside (a server's answer) can never become a workflow command: all of it
// through safe-text.ts.

import * as core from '@actions/core';
import { isRegisteredSecret, logText, redact, registerSecret, summaryWithin } from './safe-text.ts';

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
  /** Markdown whose outside text is already escaped (mdText, mdCode in safe-text.ts); cut to the summary's bound. */
  appendSummary(markdown: string): Promise<void>;
}

/** The job summary's bound: well under the runner's 1 MiB, past which it drops the whole summary. */
export const MAX_SUMMARY_BYTES = 64 * 1024;

let summaryBytes = 0;

function properties(annotation: Annotation): core.AnnotationProperties {
  return annotation.title === undefined ? {} : { title: logText(annotation.title) };
}

/** Reads an input as the runner passes it (INPUT_<NAME>, trimmed). */
export function getInput(name: string): string {
  return core.getInput(name);
}

export const runner: Runner = {
  setSecret(value) {
    for (const form of registerSecret(value)) core.setSecret(form);
  },
  setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, redact(value));
  },
  setSecretOutput(name, value) {
    if (!isRegisteredSecret(value)) throw new Error(`Output ${name} is a secret: mask it before setting it.`);
    core.setOutput(name, value);
  },
  exportVariable(name, value, secret = false) {
    if (secret && !isRegisteredSecret(value)) throw new Error(`Variable ${name} is a secret: mask it before exporting it.`);
    // Without the runner's file, core would print the value as a set-env command: never for this action.
    if (!process.env.GITHUB_ENV) throw new Error(`Variable ${name} could not be exported: the runner named no GITHUB_ENV file.`);
    core.exportVariable(name, secret ? value : redact(value));
  },
  debug(message) {
    // The runner shows debug lines only when debug logging is on (RUNNER_DEBUG=1); otherwise they are not worth writing.
    if (core.isDebug()) core.debug(logText(message));
  },
  info(message) {
    core.info(logText(message));
  },
  notice(message, annotation = {}) {
    core.notice(logText(message), properties(annotation));
  },
  warning(message, annotation = {}) {
    core.warning(logText(message), properties(annotation));
  },
  error(message, annotation = {}) {
    core.error(logText(message), properties(annotation));
  },
  async appendSummary(markdown) {
    const text = `${redact(markdown)}\n`;
    const room = MAX_SUMMARY_BYTES - summaryBytes;
    if (room <= 0) return;
    const fitted = summaryWithin(text, room);
    summaryBytes += Buffer.byteLength(fitted);
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(fitted).write();
  },
};
