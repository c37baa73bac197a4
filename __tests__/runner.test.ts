// The layer src/runner.ts puts over @actions/core: every form of a secret
// masked, redaction as the union of matches, outside text that cannot become
// a workflow command, a bounded summary, secrets that must be masked first.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureStdout } from './support/stdout.ts';
import { MAX_SUMMARY_BYTES, runner } from '../src/runner.ts';
import { inert, redact } from '../src/safe-text.ts';
import { scratchDirectory } from './support/scratch.ts';

function withFile<T>(variable: string, action: (path: string) => T): T {
  const path = join(scratchDirectory('runner'), 'file');
  writeFileSync(path, '');
  const saved = process.env[variable];
  process.env[variable] = path;
  try {
    return action(path);
  } finally {
    if (saved === undefined) delete process.env[variable];
    else process.env[variable] = saved;
  }
}

test('a secret is masked in its raw, JSON, URL and base64 forms, each once', () => {
  const secret = 'pnu_abc/def+1"xyzw';
  const first = captureStdout(() => runner.setSecret(secret));
  expect(first).toBe(
    [
      '::add-mask::pnu_abc/def+1"xyzw',
      '::add-mask::pnu_abc/def+1\\"xyzw',
      '::add-mask::pnu_abc%252Fdef%252B1%2522xyzw',
      `::add-mask::${Buffer.from(secret).toString('base64')}`,
      '',
    ].join('\n'),
  );
  expect(captureStdout(() => runner.setSecret(secret))).toBe('');
});

test('overlapping secrets are redacted as the union of their matches, leaving no fragment', () => {
  captureStdout(() => {
    runner.setSecret('AAAABBBBCCCCDDDDEEEE');
    runner.setSecret('DDDDEEEEFFFFGGGGHHHH');
  });
  expect(redact('x AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH y')).toBe('x *** y');
  expect(redact('AAAABBBBCCCCDDDDEEEE and DDDDEEEEFFFFGGGGHHHH')).toBe('*** and ***');
  expect(redact('nothing secret')).toBe('nothing secret');
});

test.each([
  ['a line feed then a command', 'acme\n::stop-commands::pwn', 'acme\n: :stop-commands::pwn'],
  ['a lone carriage return', 'acme\r::error title=x::y', 'acme ::error title=x::y'],
  ['the old form mid-line', 'acme ##[set-output name=rotated]true', 'acme ## [set-output name=rotated]true'],
  ['a command at the start', '::add-mask::API key', ': :add-mask::API key'],
  ['control characters', 'a\u0000b\u001bc\u2028d', 'a b c d'],
])('outside text cannot command the runner: %s', (_name, text, expected) => {
  expect(inert(text)).toBe(expected);
  const stdout = captureStdout(() => runner.info(text));
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    expect(line.trimStart().startsWith('::')).toBe(false);
    expect(line).not.toContain('##[');
  }
});

test('annotations and their titles pass through the same rule', () => {
  const stdout = captureStdout(() => runner.error('x ##[add-mask]y', { title: '##[error]t' }));
  expect(stdout).toBe('::error title=## [error]t::x ## [add-mask]y\n');
});

test('debug lines are written only when the runner asks for them', () => {
  const saved = process.env.RUNNER_DEBUG;
  try {
    delete process.env.RUNNER_DEBUG;
    expect(captureStdout(() => runner.debug('GET host/path: HTTP 200'))).toBe('');
    process.env.RUNNER_DEBUG = '1';
    expect(captureStdout(() => runner.debug('GET host/path: HTTP 200\n::x::'))).toBe('::debug::GET host/path: HTTP 200%0A: :x::\n');
  } finally {
    if (saved === undefined) delete process.env.RUNNER_DEBUG;
    else process.env.RUNNER_DEBUG = saved;
  }
});

test('outputs are redacted; a secret output must be masked first', () => {
  captureStdout(() => runner.setSecret('pnb_0123456789abcdefghij'));
  const text = withFile('GITHUB_OUTPUT', (path) => {
    runner.setOutputs({ status: 'valid', echo: 'key pnb_0123456789abcdefghij' });
    runner.setSecretOutput('new-api-key', 'pnb_0123456789abcdefghij');
    return readFileSync(path, 'utf8');
  });
  expect(text).toMatch(/^status<<ghadelimiter_[\w-]+\nvalid\n/);
  expect(text).toContain('\nkey ***\n');
  expect(text).toContain('\npnb_0123456789abcdefghij\n');
  expect(() => runner.setSecretOutput('new-api-key', 'pnb_not_masked_0123456789')).toThrow('mask it before');
});

test('the summary is cut at its bound, well under the runner 1 MiB', async () => {
  const text = await withFile('GITHUB_STEP_SUMMARY', async (path) => {
    await runner.appendSummary('x'.repeat(2 * MAX_SUMMARY_BYTES));
    await runner.appendSummary('more');
    return readFileSync(path, 'utf8');
  });
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
  expect(text).toContain('summary cut short');
  expect(text).not.toContain('more');
});
