// src/safe-text.ts, in process: every function that makes outside text safe to
// print, by table (each hostile payload through each place outside text is
// printed: a log line, an annotation and its title, a summary cell, a code
// span, an output, an input's error) and by property (any text whatever). The
// log is read the way the runner reads it (support/runner-model.ts); the
// summary is checked for raw markup and broken table rows, and the summary
// as GitHub renders it for a secret.

import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, parseCheckInputs } from '../src/inputs.ts';
import { name, UnexpectedAnswerError } from '../src/prefect/values.ts';
import { parseRotationInputs } from '../src/rotate/inputs.ts';
import { runner } from '../src/runner.ts';
import {
  annotationWithin,
  bounded,
  inert,
  isPrintableLine,
  isRegisteredSecret,
  logText,
  MAX_ANNOTATION_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_QUOTED_LENGTH,
  mdCode,
  mdText,
  oneLine,
  quotedInput,
  redact,
  registerSecret,
  REST_IN_SUMMARY,
  serverWords,
  shortQuotedInput,
  summaryWithin,
} from '../src/safe-text.ts';
import { renderedSummary } from './support/action.ts';
import { readAsRunner } from './support/runner-model.ts';
import { captureStdout } from './support/stdout.ts';
import { scratchDirectory } from './support/scratch.ts';

const SEED = 20_261_207;
const RUNS = 2_000;

/** What marks text that came from outside. */
const MARK = 'PWNED';
/** A secret a hostile server echoes back; registered once, as the action registers the key it checks. */
const SECRET = `pnu_${'S'.repeat(16)}_${'z'.repeat(19)}`;
captureStdout(() => runner.setSecret(SECRET));

/** Each written to command the runner, unmask a key, forge an output or rewrite the summary. */
const PAYLOADS: Record<string, string> = {
  'LF then a :: command': `acme\n::set-output name=rotated::${MARK}`,
  'CR then a :: command': `acme\r::error title=${MARK}::forged annotation`,
  '##[cmd] mid-line': `acme ##[set-output name=rotated]${MARK}`,
  'stop-commands': `acme\n::stop-commands::${MARK}`,
  'STOP-COMMANDS in capitals': `acme\r\n::STOP-COMMANDS::${MARK}`,
  'a command after white space': `acme\n \t ::stop-commands::${MARK}`,
  'a command after Unicode white space': `acme\n\u00a0\u3000::stop-commands::${MARK}`,
  'a colon in the properties': `acme\n::warning title=a:${MARK}::forged annotation`,
  '%0A and a command': `acme%0A::error::${MARK}`,
  'a heredoc delimiter line': `x\nghadelimiter_00000000-0000-0000-0000-000000000000\nrotated<<EOF\n${MARK}\nEOF`,
  HTML: `<img src=x onerror=alert(1)><b>${MARK}</b><!--`,
  'Markdown table, heading, link, image': `x|${MARK}|\n# ${MARK}\n[${MARK}](https://evil.example)\n![${MARK}](https://evil.example/i.png)`,
  'an autolink': `see https://evil.example/${MARK} or www.evil.example or a@evil.example`,
  'a 1 MB string': `${MARK}${'A'.repeat(1_100_000)}`,
  'control characters': `${MARK}\u0000\u001b[31m\u0007\u2028\u0085\u2029`,
  'the secret echoed': `key ${SECRET} is wrong`,
  'the secret echoed, JSON-escaped and URL-encoded': `${JSON.stringify(SECRET)} ${encodeURIComponent(SECRET)}`,
  'the secret echoed, base64': `${Buffer.from(SECRET).toString('base64')}`,
};

/** The one command each way of writing means to send, and nothing else. */
const LOG_WAYS: Record<string, { write: (text: string) => void; intended: string[] }> = {
  'an info line': { write: (text) => runner.info(text), intended: [] },
  'a notice without a title': { write: (text) => runner.notice(text), intended: ['notice'] },
  'a warning with the text as its title too': { write: (text) => runner.warning(`said: ${text}`, { title: text }), intended: ['warning'] },
  'an error quoting the server': {
    write: (text) => runner.error(`Prefect Cloud said ${serverWords(text)}`, { title: 'Unexpected answer' }),
    intended: ['error'],
  },
  'an input error': { write: (text) => runner.error(`Input workspace must be a handle, got ${shortQuotedInput(text)}.`), intended: ['error'] },
  'a plain-path error': { write: (text) => runner.error(`Input api-url must have a plain path, got ${quotedInput(text)}.`), intended: ['error'] },
};

/** What the runner would do with what was written, and whether a mask sent afterwards is still honoured. */
function readLog(write: () => void): { commands: string[]; stdout: string; laterMaskHonoured: boolean } {
  const later = `later_${Math.random().toString(36).slice(2)}_secret`;
  const stdout = captureStdout(() => {
    write();
    runner.setSecret(later);
  });
  const reading = readAsRunner(stdout);
  const commands = reading.commands
    .filter((command) => command.name !== 'add-mask')
    // A title is the one property written, outside text or not: core escapes its `,` and `:`, so no other can be forged.
    .map((command) => `${command.form}${command.name}${/^(title=[^,]*)?$/.test(command.properties) ? '' : ` (properties ${command.properties.slice(0, 40)})`}`);
  return { commands, stdout, laterMaskHonoured: reading.masks.includes(later) };
}

/** The secret in any form the runner masks, in text as written or as GitHub renders the summary. */
function holdsSecret(text: string): boolean {
  const forms = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')];
  return forms.some((form) => text.includes(form) || renderedSummary({ summary: text }).includes(form));
}

describe.each(Object.entries(LOG_WAYS))('%s', (_way, { write, intended }) => {
  test.each(Object.entries(PAYLOADS))('%s: no command but the one meant, no secret, bounded', (_payload, payload) => {
    const { commands, stdout, laterMaskHonoured } = readLog(() => write(payload));
    expect(commands).toEqual(intended.map((name) => `::${name}`));
    expect(laterMaskHonoured).toBe(true);
    expect(holdsSecret(stdout.replace(/^::add-mask::.*$/gm, ''))).toBe(false);
    for (const line of stdout.split(/\r\n|\r|\n/)) expect(line.length).toBeLessThanOrEqual(2 * MAX_MESSAGE_LENGTH + 200);
  });
});

/** What the hostile-server runs counted as summary damage in quoted text: raw HTML or link openers, a heading, a line break, a cell break, an autolink. */
function textDamage(cell: string): string[] {
  const damage: string[] = [];
  if (/(?<!\\)</.test(cell)) damage.push('raw <');
  if (/(?<!\\)\[/.test(cell)) damage.push('raw [');
  if (/^#/.test(cell)) damage.push('a heading');
  if (!isPrintableLine(cell)) damage.push('a line break');
  if (/(?<!\\)\|/.test(cell)) damage.push('a cell break');
  if (/(https?|ftp|mailto|xmpp):|www\.|(?<!\\)@/i.test(cell)) damage.push('an autolink');
  return damage;
}

/** The same for a code span: one span, fenced longer than any run of backticks inside, on one line, no cell break. */
function codeDamage(span: string): string[] {
  const damage: string[] = [];
  const fence = /^`+/.exec(span)![0];
  const inside = span.slice(fence.length, -fence.length);
  if (!span.endsWith(fence) || inside.includes(fence)) damage.push('not one code span');
  if (!isPrintableLine(span)) damage.push('a line break');
  if (/(?<!\\)\|/.test(span)) damage.push('a cell break');
  return damage;
}

test.each(Object.entries(PAYLOADS))('the summary quotes %s as text: no markup, no cell break, no secret, bounded', (_payload, payload) => {
  const cell = mdText(payload);
  const code = mdCode(payload);
  expect([...textDamage(cell), ...codeDamage(code)]).toEqual([]);
  expect(holdsSecret(cell) || holdsSecret(code)).toBe(false);
  expect(renderedSummary({ summary: cell }).length).toBeLessThanOrEqual(MAX_QUOTED_LENGTH);
});

test.each(Object.entries(PAYLOADS))('an output set to %s is that output alone, redacted', (_payload, payload) => {
  const file = join(scratchDirectory('safe-text'), 'output');
  writeFileSync(file, '');
  const saved = process.env.GITHUB_OUTPUT;
  process.env.GITHUB_OUTPUT = file;
  try {
    runner.setOutputs({ status: payload });
  } finally {
    if (saved === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = saved;
  }
  // The runner's reading of the file: name<<DELIMITER, the value's lines, DELIMITER.
  const match = /^status<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*)\n\1\n$/.exec(readFileSync(file, 'utf8'));
  expect(match).not.toBeNull();
  expect(match![2]).toBe(redact(payload));
  expect(holdsSecret(match![2]!)).toBe(false);
});

describe('properties, for any text', () => {
  /** Any text, weighted towards what commands the runner or opens markup. */
  const hostile = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom('::', '##[', '\n', '\r', '\r\n', '\u2028', '\u0085', ' ', '\t', '\u00a0', 'stop-commands', 'add-mask', '|', '<', '[', '`', '#', SECRET),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));
  const options = { numRuns: RUNS, seed: SEED };

  test('a log line, a title and an annotation send no command but the one meant, and a later mask is honoured', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const info = readLog(() => runner.info(text));
        const warning = readLog(() => runner.warning(text, { title: text }));
        return info.commands.length === 0 && info.laterMaskHonoured && warning.commands.join() === '::warning' && warning.laterMaskHonoured;
      }),
      options,
    );
  });

  test('inert text keeps its lines, and no line is a command', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = inert(text);
        return readAsRunner(safe).commands.length === 0 && safe.split('\n').length === text.split('\n').length;
      }),
      options,
    );
  });

  test('a summary cell is one escaped cell: no raw markup, no secret, at most the bound', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 2, max: 600 }), (text, max) => {
        const cell = mdText(text, max);
        const code = mdCode(text, max);
        return (
          textDamage(cell).length === 0 &&
          codeDamage(code).length === 0 &&
          !holdsSecret(cell) &&
          !holdsSecret(code) &&
          renderedSummary({ summary: cell }).length <= max
        );
      }),
      options,
    );
  });

  test('oneLine and serverWords leave nothing that breaks a line; input quotes are one JSON string', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const quoted = quotedInput(text);
        return isPrintableLine(oneLine(text)) && isPrintableLine(serverWords(text)) && isPrintableLine(quoted) && typeof JSON.parse(quoted) === 'string';
      }),
      options,
    );
  });

  test('bounded: at most max characters, a prefix of the text, never half a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40, size: 'max' }), fc.integer({ min: 2, max: 40 }), (text, max) => {
        const cut = bounded(text, max);
        if (text.length <= max) return cut === text;
        return cut.length <= max && cut.endsWith('…') && text.startsWith(cut.slice(0, -1)) && !/[\uD800-\uDBFF]$/.test(cut.slice(0, -1));
      }),
      options,
    );
  });

  test('a summary fits its room in bytes: whole when it fits, else a prefix cut on a character boundary that says so', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200, size: 'max' }), fc.integer({ min: 100, max: 600 }), (text, room) => {
        const fitted = summaryWithin(text, room);
        if (Buffer.byteLength(text) <= room) return fitted === text;
        const kept = fitted.slice(0, -'\n\n_(summary cut short)_\n'.length);
        // A prefix of the text: a character cut in two would have left a U+FFFD the text does not hold there.
        return Buffer.byteLength(fitted) <= room && fitted.endsWith('\n\n_(summary cut short)_\n') && text.startsWith(kept);
      }),
      options,
    );
  });

  test('redact leaves no form of a registered secret, and changes nothing else', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const redacted = redact(text);
        return !holdsSecret(redacted) && (holdsSecret(text) || redacted === text);
      }),
      options,
    );
  });
});

test('a secret is registered in every form once; the forms not seen before are returned for masking', () => {
  const secret = 'pnu_abc/def+1"xyzw_registered';
  expect(registerSecret(secret)).toEqual([secret, 'pnu_abc/def+1\\"xyzw_registered', encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  expect(registerSecret(secret)).toEqual([]);
  expect(registerSecret('')).toEqual([]);
  expect(isRegisteredSecret(secret)).toBe(true);
  expect(isRegisteredSecret(encodeURIComponent(secret))).toBe(true);
  expect(isRegisteredSecret('pnu_abc')).toBe(false);
  // A key of letters, digits and _ is its own JSON and URL form: registered, and so masked, once.
  const plain = `pnu_${'P'.repeat(36)}`;
  expect(registerSecret(plain)).toEqual([plain, Buffer.from(plain).toString('base64')]);
});

test('a log line is redacted before it is cut: a secret across the bound leaves no fragment', () => {
  const text = `${'x'.repeat(MAX_MESSAGE_LENGTH - 10)}${SECRET}`;
  expect(logText(text)).toBe(`${'x'.repeat(MAX_MESSAGE_LENGTH - 10)}***`);
  expect(logText(`${'y'.repeat(MAX_MESSAGE_LENGTH - 2)}${SECRET}`)).toBe(`${'y'.repeat(MAX_MESSAGE_LENGTH - 2)}*…`);
});

test('bounded does not split a surrogate pair at the cut', () => {
  expect(bounded('ab😀cd', 4)).toBe('ab…');
  expect(bounded('abc😀d', 4)).toBe('abc…');
  expect(bounded('ab😀', 4)).toBe('ab😀');
});

test('the checks of values that must stay on one line refuse what isPrintableLine refuses, C1 controls and U+2028 among them', () => {
  const environment = (value: string) => {
    const checked = parseCheckInputs((input) => ({ 'api-key': `pnb_${'k'.repeat(36)}`, rotate: 'true', workspace: 'acme/prod' })[input] ?? '');
    const rotation = { 'service-account-id': '3d6f0a2e-1b4c-4e8f-9a7d-2c5b8e1f4a60', 'github-token': 'github_pat_0123456789abcdefghij' };
    const read = (input: string) => ({ ...rotation, 'secret-name': 'PREFECT_API_KEY', 'secret-environment': value })[input] ?? '';
    return () => parseRotationInputs(read, (variable) => (variable === 'GITHUB_REPOSITORY' ? 'acme/flows' : undefined), checked);
  };
  expect(environment('production')).not.toThrow();
  for (const unprintable of ['\u0000', '\t', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029']) {
    expect(isPrintableLine(`a${unprintable}b`)).toBe(false);
    expect(() => name(`deployer${unprintable}`, 'the name')).toThrow(UnexpectedAnswerError);
    // Before, only C0 controls and DEL were refused here.
    expect(environment(`prod${unprintable}`)).toThrow(InputError);
  }
  expect(isPrintableLine('a b\u00a0c é 😀')).toBe(true);
});

// ─── One line, the input quotes (moved with the code) ───────────────────────

test("serverWords: a server's words on one line, whitespace trimmed; anything not a string as JSON", () => {
  expect(serverWords('  not\nfound\r\n::error::x\u2028y  ')).toBe('not found ::error::x y');
  expect(serverWords({ loc: ['body'] })).toBe('{"loc":["body"]}');
  expect(serverWords(undefined)).toBe('');
});

test('a rejected input of 60 characters is shown whole, 61 shortened', () => {
  expect(shortQuotedInput('a'.repeat(60))).toBe(JSON.stringify('a'.repeat(60)));
  expect(shortQuotedInput('a'.repeat(61))).toBe(JSON.stringify(`${'a'.repeat(57)}...`));
});

test('a rejected input shows each control and line-separator character as ?', () => {
  expect(quotedInput('a\nb\u0000c\u007fd')).toBe('"a?b?c?d"');
  // Stricter than before: C1 controls and the Unicode separators too.
  expect(quotedInput('a\u0085b\u2028c\u2029d')).toBe('"a?b?c?d"');
});

// ─── The job summary's Markdown (moved from markdown.test.ts) ───────────────

test('a run of line breaks and controls becomes one space', () => {
  expect(mdText('a\r\n\t\u0000\u001f\u007f\u009f\u2028\u2029b')).toBe('a b');
  expect(mdText('a\nb\u0085c')).toBe('a b c');
});

test('text at the bound is kept whole; one character more is cut with an ellipsis', () => {
  expect(mdText('abcde', 5)).toBe('abcde');
  expect(mdText('abcdef', 5)).toBe('abcd…');
  expect(mdCode('abcdef', 5)).toBe('`abcd…`');
  expect(mdText('x'.repeat(MAX_QUOTED_LENGTH))).toBe('x'.repeat(MAX_QUOTED_LENGTH));
  expect(mdText('x'.repeat(MAX_QUOTED_LENGTH + 1))).toBe(`${'x'.repeat(MAX_QUOTED_LENGTH - 1)}…`);
});

test('every character that opens markup, HTML, an entity or a cell is escaped', () => {
  expect(mdText('\\`*_[]<>&|~!#@')).toBe('\\\\\\`\\*\\_\\[\\]\\<\\>\\&\\|\\~\\!\\#\\@');
  expect(mdText('plain text, 1.2 (ok)')).toBe('plain text, 1.2 (ok)');
});

test.each([
  ['http://x', 'http\\://x'],
  ['HTTPS://x', 'HTTPS\\://x'],
  ['ftp:x', 'ftp\\:x'],
  ['mailto:a', 'mailto\\:a'],
  ['xmpp:a', 'xmpp\\:a'],
  ['www.example', 'www\\.example'],
  ['WWW.example', 'WWW\\.example'],
  ['news:x ww.y', 'news:x ww.y'],
])('GitHub cannot turn %s into a link', (text, expected) => {
  expect(mdText(text)).toBe(expected);
});

test.each([
  ['a', '`a`'],
  ['a|b', '`a\\|b`'],
  ['a`b', '``a`b``'],
  ['a``b`c', '```a``b`c```'],
  ['`a', '`` `a ``'],
  ['a`', '`` a` ``'],
  ['a\nb', '`a b`'],
])('%j as code is %j', (text, expected) => {
  expect(mdCode(text)).toBe(expected);
});

test('a registered secret is redacted before it is escaped', () => {
  captureStdout(() => runner.setSecret('pnu_secret_0123456789'));
  expect(mdText('key pnu_secret_0123456789 here')).toBe('key \\*\\*\\* here');
  expect(mdCode('https://x/pnu_secret_0123456789')).toBe('`https://x/***`');
});

describe('annotationWithin: an annotation within 400 characters, the rest in the job summary', () => {
  const sentence = (n: number, length: number) => `Sentence ${n} ${'x'.repeat(length - 12)}.`;

  test('a message within 400 characters is given whole', () => {
    const message = 'a'.repeat(MAX_ANNOTATION_LENGTH);
    expect(annotationWithin(message)).toBe(message);
  });

  test('a longer one keeps the whole sentences that fit, then points at the summary', () => {
    const message = [sentence(1, 150), sentence(2, 150), sentence(3, 150)].join(' ');
    expect(annotationWithin(message)).toBe(`${sentence(1, 150)} ${sentence(2, 150)}${REST_IN_SUMMARY}`);
  });

  test('a period inside a time or a host is not the end of a sentence', () => {
    const message = `The old key works until 2026-12-07T03:02:52.505Z at api.prefect.cloud ${'y'.repeat(360)}. More.`;
    expect(annotationWithin(message)).toBe(`${message.slice(0, message.lastIndexOf(' ', 400 - REST_IN_SUMMARY.length - 1))}…${REST_IN_SUMMARY}`);
  });

  test('a sentence is kept when it ends exactly where the pointer still fits, and not one character later', () => {
    const room = MAX_ANNOTATION_LENGTH - REST_IN_SUMMARY.length;
    const fits = `${'a'.repeat(room - 1)}. ${'b'.repeat(100)}`;
    expect(annotationWithin(fits)).toBe(`${'a'.repeat(room - 1)}. The job summary has the rest.`);
    const over = `${'a'.repeat(room)}. ${'b'.repeat(100)}`;
    expect(annotationWithin(over)).toHaveLength(MAX_ANNOTATION_LENGTH);
    expect(annotationWithin(`${'a'.repeat(room + 9)}. ${'b'.repeat(100)}`)).toHaveLength(MAX_ANNOTATION_LENGTH);
  });

  test('without a sentence end, a cut at the last space that fits, else at the limit', () => {
    const room = MAX_ANNOTATION_LENGTH - REST_IN_SUMMARY.length;
    const spaced = `${'a'.repeat(100)} ${'b'.repeat(room - 101)} ${'c'.repeat(200)}`;
    expect(annotationWithin(spaced)).toBe(`${'a'.repeat(100)}… The job summary has the rest.`);
    expect(annotationWithin('x'.repeat(500))).toBe(`${'x'.repeat(room - 1)}… The job summary has the rest.`);
  });

  test('a space at the very start is no place to cut: the message is cut at the limit, not emptied', () => {
    const room = MAX_ANNOTATION_LENGTH - REST_IN_SUMMARY.length;
    const message = ` ${'x'.repeat(500)}`;
    expect(annotationWithin(message)).toBe(`${message.slice(0, room - 1)}… The job summary has the rest.`);
  });

  test('for any message: at most 400 characters, and what it keeps is the message from its start', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1_500 }), (message) => {
        const shown = annotationWithin(message);
        expect(shown.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
        const kept =
          shown.endsWith(REST_IN_SUMMARY) && message.length > MAX_ANNOTATION_LENGTH ? shown.slice(0, -REST_IN_SUMMARY.length).replace(/…$/, '') : shown;
        expect(message.startsWith(kept)).toBe(true);
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});
