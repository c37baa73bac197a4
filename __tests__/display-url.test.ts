// How a URL is shown in a message (src/display-url.ts): without user
// information, query or fragment, for each scheme the parser can take apart,
// and a long one by its host alone.

import { displayUrl, quotedUrl } from '../src/display-url.ts';

test.each(['http:', 'https:', 'ws:', 'wss:', 'ftp:'])('%s: shown without user information, query or fragment', (scheme) => {
  expect(displayUrl(`${scheme}//user:secret@example.test/path?token=x#f`)).toBe(`${scheme}//example.test/path`);
});

test('file: shown by its path', () => {
  expect(displayUrl('file:///etc/prefect?token=x')).toBe('file:///etc/prefect');
});

test('another scheme is not shown: the parser cannot tell its parts apart', () => {
  expect(displayUrl('ci:token@host/path')).toBeUndefined();
});

test('a URL too long to quote is shown by its host, with the length of the path left out, given as text or parsed', () => {
  const long = `https://user:secret@example.test/${'p'.repeat(200)}?token=x`;
  const quoted = '"https://example.test/..." (its 201-character path not shown: too long)';
  expect(quotedUrl(long)).toBe(quoted);
  expect(quotedUrl(new URL(long))).toBe(quoted);
});

test('a URL shown in exactly 150 characters is still quoted whole; one character more is shown by its host', () => {
  const origin = 'https://example.test/';
  const at = `${origin}${'p'.repeat(150 - origin.length)}`;
  expect(quotedUrl(`${at}?token=x`)).toBe(JSON.stringify(at));
  expect(quotedUrl(`${at}p`)).toBe(`"https://example.test/..." (its ${150 - origin.length + 2}-character path not shown: too long)`);
});
