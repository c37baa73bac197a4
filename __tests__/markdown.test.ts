// Outside text quoted in the job summary (src/markdown.ts), character by
// character: one line, bounded, every markup opener escaped, code spans
// fenced longer than any run of backticks inside them, secrets redacted first.

import { jest } from '@jest/globals';
import { MAX_QUOTED_LENGTH, mdCode, mdText } from '../src/markdown.ts';
import { runner } from '../src/runner.ts';

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
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  runner.setSecret('pnu_secret_0123456789');
  jest.restoreAllMocks();
  expect(mdText('key pnu_secret_0123456789 here')).toBe('key \\*\\*\\* here');
  expect(mdCode('https://x/pnu_secret_0123456789')).toBe('`https://x/***`');
});
