// Text quoted in the job summary: the message of a check, a workspace handle,
// a server's error. It renders as the text it is: no markup, no HTML, no
// link, no table cell break, and no more than a bounded length. Secrets are
// redacted before escaping: an escaped secret (pnb\_…) would slip past both
// this action's redaction and the runner's mask, and render as itself.

import { redact } from './runner.ts';

/** The longest piece of outside text a summary quotes. */
export const MAX_QUOTED_LENGTH = 500;

// C0 and C1 controls and the Unicode line separators: a quoted value stays on its line.
// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

function oneLine(text: string, max: number): string {
  const line = redact(text).replace(BREAKS, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Plain text for Markdown. The characters that open markup, HTML, entities or
 * a table cell are backslash-escaped (CommonMark allows it for any ASCII
 * punctuation), and so are the ones that make GitHub turn text into a link by
 * itself (`http:`, `https:`, `ftp:`, `mailto:`, `xmpp:`, `www.`, `@`). What is left renders as the text it is.
 */
export function mdText(text: string, max = MAX_QUOTED_LENGTH): string {
  return oneLine(text, max)
    .replace(/[\\`*_[\]<>&|~!#@]/g, '\\$&')
    .replace(/(https?|ftp|mailto|xmpp):/gi, '$1\\:')
    .replace(/(w)(ww)\./gi, '$1$2\\.');
}

/** A value shown as code (a URL): literal inside the span; only a table's `|` needs escaping there. */
export function mdCode(text: string, max = MAX_QUOTED_LENGTH): string {
  const line = oneLine(text, max).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...[...line.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${line.startsWith('`') || line.endsWith('`') ? ` ${line} ` : line}${fence}`;
}
