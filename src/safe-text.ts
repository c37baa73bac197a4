// Text from outside (a server's answer, an input's value) made safe to print.
// It is untrusted: written by whoever runs the server, sits between it and the
// runner, or writes the workflow. Printed as it is, it could command the
// runner, which reads stdout for `::name::` at a line's start, `##[name]`
// anywhere and `::stop-commands::` (after which the runner no longer honours a
// later `::add-mask::`); it could render as markup, a link or a forged table
// row in the job summary; it could carry a secret the runner has not masked;
// or it could run to megabytes. Each of those threats is answered once, here,
// by one function that says which; the runner layer, the job summary, the
// Prefect and GitHub clients and the input checks all call these. This module
// is the lowest layer: it imports nothing of the action's.

// ─── Secrets ────────────────────────────────────────────────────────────────

/** Every form of every registered secret, each computed once. */
const secretForms = new Set<string>();

/** Every form in which a secret could surface in text: raw, JSON-, URL- and base64-encoded. */
function formsOf(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

/**
 * Registers a secret for redaction, in every form it could surface in; returns
 * the forms not registered before, which the runner must be told to mask. An
 * empty value registers nothing: masking it would mask nothing, or everything.
 */
export function registerSecret(secret: string): string[] {
  if (!secret) return [];
  // A Set: a key of letters and digits is its own JSON and URL form, and is masked once.
  const added = [...new Set(formsOf(secret))].filter((form) => !secretForms.has(form));
  for (const form of added) secretForms.add(form);
  return added;
}

/** True for a value registered with registerSecret (in any of its forms): a secret may leave only once it is masked. */
export function isRegisteredSecret(value: string): boolean {
  return secretForms.has(value);
}

/**
 * Threat: a secret in the text. Replaces every registered secret with ***. The
 * runner masks too, but only once it has read the add-mask command, and never
 * in the job summary's file; this keeps secrets out of the raw stream as well.
 * Overlapping matches are masked as their union, as the runner does, so no
 * fragment of either survives. Redact before anything that escapes or cuts:
 * an escaped secret (pnb\_…) or half of one is no longer recognised.
 */
export function redact(text: string): string {
  const spans: [number, number][] = [];
  for (const form of secretForms) {
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

// ─── Control characters and length ──────────────────────────────────────────

/** C0 and C1 controls and the Unicode line and paragraph separators: what breaks a line, or a terminal, somewhere. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const UNPRINTABLE_RUNS = new RegExp(`${UNPRINTABLE.source}+`, 'g');
const UNPRINTABLE_EACH = new RegExp(UNPRINTABLE.source, 'g');

/** True when the text has no control or line-separator character: a value that stays on its line wherever it is printed. */
export function isPrintableLine(text: string): boolean {
  return !UNPRINTABLE.test(text);
}

/**
 * Threat: a line break or control character in quoted text (a forged second
 * line, a terminal escape). Every run of them becomes one space.
 */
export function oneLine(text: string): string {
  return text.replace(UNPRINTABLE_RUNS, ' ');
}

/**
 * A server's own words (a `detail`, a GraphQL or GitHub error message), for
 * quoting in a message: on one line, trimmed; anything not a string as JSON.
 * Not cut here: a cut through a secret the server echoed would leave a
 * fragment no redaction recognises; the runner layer bounds each message after
 * redacting it.
 */
export function serverWords(value: unknown): string {
  return oneLine(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).trim();
}

/**
 * Threat: text without bound (a megabyte error page). Cut to at most `max`
 * characters, the last an ellipsis, and never between the two halves of a
 * surrogate pair, which would leave a character that is not one. Cut only
 * after redacting.
 */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** The longest message an annotation carries: one sentence of what happened and one of what to do. */
export const MAX_ANNOTATION_LENGTH = 400;

/** Ends an annotation that was shortened: the job summary holds the message whole. */
export const REST_IN_SUMMARY = ' The job summary has the rest.';

/**
 * A message for an annotation, within MAX_ANNOTATION_LENGTH: whole sentences
 * from its start, then REST_IN_SUMMARY, where the caller has put the message
 * whole. Cut only between sentences (a period before white space), so that a
 * quoted value or a time is never cut in two; a first sentence too long for
 * that is cut at a space, with an ellipsis.
 */
export function annotationWithin(message: string): string {
  if (message.length <= MAX_ANNOTATION_LENGTH) return message;
  const room = MAX_ANNOTATION_LENGTH - REST_IN_SUMMARY.length;
  let end = 0;
  for (const match of message.matchAll(/\.(?=\s)/g)) {
    if (match.index + 1 > room) break;
    end = match.index + 1;
  }
  if (end > 0) return `${message.slice(0, end)}${REST_IN_SUMMARY}`;
  const space = message.lastIndexOf(' ', room - 1);
  return `${message.slice(0, space > 0 ? space : room - 1)}…${REST_IN_SUMMARY}`;
}

// ─── The runner's log ───────────────────────────────────────────────────────

// As UNPRINTABLE, less tab and line feed: a message may span lines, each then made inert by itself.
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB_AND_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Threat: a workflow command. The runner splits lines at LF, CR and CRLF,
 * runs `::name::` at a line's start (after white space; `::stop-commands::`
 * among them) and the old `##[name]` anywhere in a line: controls (CR among
 * them) become spaces, `##[` becomes `## [`, and a line that would start with
 * `::` starts with `: :`.
 */
export function inert(text: string): string {
  return text
    .replace(CONTROL_BUT_TAB_AND_LF, ' ')
    .split('\n')
    .map((line) => line.replace(/##\[/g, '## [').replace(/^(\s*)::/, '$1: :'))
    .join('\n');
}

/** The longest line or annotation written: the runner cuts annotations at 4,096 characters anyway. */
export const MAX_MESSAGE_LENGTH = 4_000;

/** A log line, annotation or title as written: secrets redacted first (so a cut never leaves part of one), inert, bounded. */
export function logText(text: string): string {
  return bounded(inert(redact(text)), MAX_MESSAGE_LENGTH);
}

// ─── Input values quoted in an error ────────────────────────────────────────

/**
 * A rejected input value quoted whole in an error message, as a JSON string:
 * quotes mark where it starts and ends, and its control and line-separator
 * characters are each shown as `?`, so that it cannot forge a line or a command.
 */
export function quotedInput(value: string): string {
  return JSON.stringify(value.replace(UNPRINTABLE_EACH, '?'));
}

/** The longest rejected input value shown: enough to recognise it. */
const MAX_SHOWN_INPUT = 60;

/** A short quotedInput, for a rejected value that holds no secret. Never a URL: see quotedUrl in display-url.ts. */
export function shortQuotedInput(value: string): string {
  return quotedInput(value.length > MAX_SHOWN_INPUT ? `${value.slice(0, MAX_SHOWN_INPUT - 3)}...` : value);
}

// ─── The job summary (Markdown) ─────────────────────────────────────────────

/** The longest piece of outside text a summary quotes. */
export const MAX_QUOTED_LENGTH = 500;

/**
 * Threat: a job summary over the runner's 1 MiB, which it drops whole. Markdown
 * that fits in `room` bytes is kept as it is; longer, it is cut on a character
 * boundary (a cut through one leaves U+FFFD, dropped) with room for a line
 * that says so. Redact before: a cut must not leave part of a secret.
 */
export function summaryWithin(markdown: string, room: number): string {
  if (Buffer.byteLength(markdown) <= room) return markdown;
  const kept = Buffer.from(markdown)
    .subarray(0, room - 64)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${kept}\n\n_(summary cut short)_\n`;
}

/** Redacted, on one line, bounded: the base of every value quoted in the summary. */
function summaryLine(text: string, max: number): string {
  return bounded(oneLine(redact(text)), max);
}

/**
 * Threat: markup in the job summary (HTML, a link, a heading, a forged table
 * cell). Plain text for Markdown: the characters that open markup, HTML,
 * entities or a table cell are backslash-escaped (CommonMark allows it for any
 * ASCII punctuation), and so are the ones that make GitHub turn text into a
 * link by itself (`http:`, `https:`, `ftp:`, `mailto:`, `xmpp:`, `www.`, `@`).
 * What is left renders as the text it is, on one line, bounded.
 */
export function mdText(text: string, max = MAX_QUOTED_LENGTH): string {
  return summaryLine(text, max)
    .replace(/[\\`*_[\]<>&|~!#@]/g, '\\$&')
    .replace(/(https?|ftp|mailto|xmpp):/gi, '$1\\:')
    .replace(/(w)(ww)\./gi, '$1$2\\.');
}

/** A value shown as code (a URL) in the summary: literal inside the span; only a table's `|` needs escaping there. */
export function mdCode(text: string, max = MAX_QUOTED_LENGTH): string {
  const line = summaryLine(text, max).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...[...line.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${line.startsWith('`') || line.endsWith('`') ? ` ${line} ` : line}${fence}`;
}
