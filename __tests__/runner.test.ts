// The runner protocol written in src/runner.ts must produce what @actions/core
// produces, byte for byte: @actions/core is the oracle here.

import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { getInput, redact, runner } from '../src/runner.ts';

function captureStdout(action: () => void): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    action();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const tricky = 'a: b, c\n100% done\r\nnext';

test('error and warning annotations match @actions/core, title escaping included', () => {
  const ours = captureStdout(() => {
    runner.error(tricky, { title: 'T: 1, 2%' });
    runner.warning(tricky, { title: 'W' });
    runner.error('plain');
  });
  const theirs = captureStdout(() => {
    core.error(tricky, { title: 'T: 1, 2%' });
    core.warning(tricky, { title: 'W' });
    core.error('plain');
  });
  expect(ours).toBe(theirs);
});

test('add-mask matches @actions/core, and masks the encoded forms too', () => {
  const secret = 'pnu_abc/def+1"x';
  const ours = captureStdout(() => runner.setSecret(secret));
  const theirs = captureStdout(() => core.setSecret(secret));
  expect(ours.split('\n')[0] + '\n').toBe(theirs);
  expect(ours).toBe(
    [
      '::add-mask::pnu_abc/def+1"x',
      '::add-mask::pnu_abc/def+1\\"x',
      '::add-mask::pnu_abc%252Fdef%252B1%2522x',
      `::add-mask::${Buffer.from(secret).toString('base64')}`,
      '',
    ].join('\n'),
  );
});

test('outputs use the heredoc file format of @actions/core', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  const path = join(dir, 'output');
  const saved = process.env.GITHUB_OUTPUT;
  process.env.GITHUB_OUTPUT = path;
  try {
    writeFileSync(path, '');
    runner.setOutputs({ status: 'valid', multi: 'one\ntwo' });
    const ours = readFileSync(path, 'utf8');
    writeFileSync(path, '');
    core.setOutput('status', 'valid');
    core.setOutput('multi', 'one\ntwo');
    const theirs = readFileSync(path, 'utf8');
    const normalise = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, 'DELIMITER');
    expect(normalise(ours)).toBe(normalise(theirs));
    expect(ours).toMatch(/^status<<(ghadelimiter_[0-9a-f]{26})\nvalid\n\1\nmulti<<(ghadelimiter_[0-9a-f]{26})\none\ntwo\n\2\n$/);
  } finally {
    process.env.GITHUB_OUTPUT = saved;
  }
});

test('inputs are read as the runner passes them', () => {
  process.env['INPUT_API-KEY'] = '  pnu_x \n';
  process.env['INPUT_TIMEOUT-SECONDS'] = '5';
  expect(getInput('api-key')).toBe(core.getInput('api-key'));
  expect(getInput('api-key')).toBe('pnu_x');
  expect(getInput('timeout-seconds')).toBe('5');
  expect(getInput('missing')).toBe('');
  delete process.env['INPUT_API-KEY'];
  delete process.env['INPUT_TIMEOUT-SECONDS'];
});

test('redact hides registered secrets in raw, JSON, URL- and base64-encoded form', () => {
  captureStdout(() => runner.setSecret('s3cr3t/"v"'));
  expect(redact('a s3cr3t/"v" b')).toBe('a *** b');
  expect(redact(`Basic ${Buffer.from('s3cr3t/"v"').toString('base64')}`)).toBe('Basic ***');
  expect(redact(JSON.stringify({ key: 's3cr3t/"v"' }))).toBe('{"key":"***"}');
  expect(redact(`?k=${encodeURIComponent('s3cr3t/"v"')}`)).toBe('?k=***');
});

test('log lines, annotations and the summary are redacted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  const summary = join(dir, 'summary');
  writeFileSync(summary, '');
  const saved = process.env.GITHUB_STEP_SUMMARY;
  process.env.GITHUB_STEP_SUMMARY = summary;
  try {
    const out = captureStdout(() => {
      runner.setSecret('leaky-value');
      runner.info('info leaky-value');
      runner.error('error leaky-value', { title: 'leaky-value' });
      runner.appendSummary('summary leaky-value');
    });
    expect(out).toBe(`::add-mask::leaky-value\n::add-mask::${Buffer.from('leaky-value').toString('base64')}\ninfo ***\n::error title=***::error ***\n`);
    expect(readFileSync(summary, 'utf8')).toBe('summary ***\n');
  } finally {
    process.env.GITHUB_STEP_SUMMARY = saved;
  }
});

test('a secret registered twice is masked once, in every form', () => {
  const first = captureStdout(() => runner.setSecret('twice/"x"'));
  const second = captureStdout(() => runner.setSecret('twice/"x"'));
  expect(first.split('\n').filter(Boolean)).toHaveLength(4);
  expect(second).toBe('');
});
