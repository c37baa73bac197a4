// The edges of src/runner.ts: redaction of secrets in any order and touching,
// the line bound, annotations with and without a title, secrets that must be
// masked before they leave, and the summary's byte bound exactly. Each test
// loads its own runner: masks and the summary's size are per process.

import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureStdout } from './support/stdout.ts';
import { scratchDirectory } from './support/scratch.ts';

/** The runner and the safe-text module it redacts with, loaded together: the secrets registered are per module instance. */
type RunnerModule = typeof import('../src/runner.ts') & typeof import('../src/safe-text.ts');

async function fresh(): Promise<RunnerModule> {
  let loaded: RunnerModule | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = { ...(await import('../src/runner.ts')), ...(await import('../src/safe-text.ts')) };
  });
  return loaded!;
}

const saved = { ...process.env };
let file: string;
beforeEach(() => {
  file = join(scratchDirectory('runner-bounds'), 'file');
  writeFileSync(file, '');
});
afterEach(() => {
  process.env = { ...saved };
});

test('secrets registered in any order are redacted wherever they stand', async () => {
  const { runner, redact } = await fresh();
  captureStdout(() => ['third_secret_3333', 'second_secret_222', 'first_secret_1111'].forEach((secret) => runner.setSecret(secret)));
  expect(redact('a first_secret_1111 b second_secret_222 c third_secret_3333 d')).toBe('a *** b *** c *** d');
  expect(redact('0123456789 first_secret_1111 0123456789 0123456789 second_secret_222 third_secret_3333')).toBe('0123456789 *** 0123456789 0123456789 *** ***');
});

test('secrets that touch are redacted as one', async () => {
  const { runner, redact } = await fresh();
  captureStdout(() => {
    runner.setSecret('AAAAAAAAAAAA');
    runner.setSecret('BBBBBBBBBBBB');
  });
  expect(redact('<AAAAAAAAAAAABBBBBBBBBBBB>')).toBe('<***>');
});

test('an empty secret registers nothing', async () => {
  const { runner } = await fresh();
  expect(captureStdout(() => runner.setSecret(''))).toBe('');
});

test('a line at the bound is written whole; one character more is cut', async () => {
  const { runner, MAX_MESSAGE_LENGTH } = await fresh();
  expect(captureStdout(() => runner.info('x'.repeat(MAX_MESSAGE_LENGTH)))).toBe(`${'x'.repeat(MAX_MESSAGE_LENGTH)}\n`);
  expect(captureStdout(() => runner.info('y'.repeat(MAX_MESSAGE_LENGTH + 1)))).toBe(`${'y'.repeat(MAX_MESSAGE_LENGTH - 1)}…\n`);
});

test('notices and warnings are annotations, with a title or without', async () => {
  const { runner } = await fresh();
  captureStdout(() => runner.setSecret('secret_in_a_title'));
  expect(captureStdout(() => runner.notice('n'))).toBe('::notice::n\n');
  expect(captureStdout(() => runner.warning('w', { title: 'T secret_in_a_title' }))).toBe('::warning title=T ***::w\n');
  expect(captureStdout(() => runner.error('e'))).toBe('::error::e\n');
});

test('a secret variable must be masked first, and needs the runner file', async () => {
  const { runner } = await fresh();
  process.env.GITHUB_ENV = file;
  expect(() => runner.exportVariable('PREFECT_API_KEY', 'not_masked_value', true)).toThrow(
    new Error('Variable PREFECT_API_KEY is a secret: mask it before exporting it.'),
  );
  captureStdout(() => runner.setSecret('masked_value_1234'));
  runner.exportVariable('PREFECT_API_KEY', 'masked_value_1234', true);
  runner.exportVariable('NOTE', 'has masked_value_1234');
  expect(readFileSync(file, 'utf8')).toMatch(/^PREFECT_API_KEY<<(ghadelimiter_[\w-]+)\nmasked_value_1234\n\1\nNOTE<<(ghadelimiter_[\w-]+)\nhas \*\*\*\n\2\n$/);
  delete process.env.GITHUB_ENV;
  expect(() => runner.exportVariable('NOTE', 'x')).toThrow(new Error('Variable NOTE could not be exported: the runner named no GITHUB_ENV file.'));
});

test('a summary that fills the bound exactly is written whole, and nothing after it', async () => {
  const { runner, MAX_SUMMARY_BYTES } = await fresh();
  process.env.GITHUB_STEP_SUMMARY = file;
  await runner.appendSummary('a');
  await runner.appendSummary('b'.repeat(MAX_SUMMARY_BYTES - 2 - 1));
  expect(readFileSync(file, 'utf8')).toBe(`a\n${'b'.repeat(MAX_SUMMARY_BYTES - 3)}\n`);
  await runner.appendSummary('c');
  expect(Buffer.byteLength(readFileSync(file, 'utf8'))).toBe(MAX_SUMMARY_BYTES);
});

test('a replacement character the summary really holds is kept when it is cut', async () => {
  const { runner, MAX_SUMMARY_BYTES } = await fresh();
  process.env.GITHUB_STEP_SUMMARY = file;
  const text = `\uFFFD${'x'.repeat(MAX_SUMMARY_BYTES)}`;
  await runner.appendSummary(text);
  expect(readFileSync(file, 'utf8')).toBe(`\uFFFD${'x'.repeat(MAX_SUMMARY_BYTES - 64 - 3)}\n\n_(summary cut short)_\n`);
});

test('a summary one byte over is cut on a character boundary and says so', async () => {
  const { runner, MAX_SUMMARY_BYTES } = await fresh();
  process.env.GITHUB_STEP_SUMMARY = file;
  await runner.appendSummary('\uFFFD');
  const room = MAX_SUMMARY_BYTES - 4;
  // A three-byte character that straddles the cut at room - 64.
  const text = `${'x'.repeat(room - 64 - 1)}€${'y'.repeat(100)}`;
  await runner.appendSummary(text);
  expect(readFileSync(file, 'utf8')).toBe(`\uFFFD\n${'x'.repeat(room - 65)}\n\n_(summary cut short)_\n`);
  const written = Buffer.byteLength(readFileSync(file, 'utf8'));
  await runner.appendSummary('z'.repeat(MAX_SUMMARY_BYTES - written - 1));
  expect(readFileSync(file, 'utf8').endsWith(`${'z'.repeat(MAX_SUMMARY_BYTES - written - 1)}\n`)).toBe(true);
});
