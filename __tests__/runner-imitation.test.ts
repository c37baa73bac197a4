// The tests' runner is held to the real one (actions/runner): every input
// action.yml declares is passed with its default filled in, an output file
// line the runner would refuse fails the run, and every annotation property
// is kept. What these tests read is only as true as this imitation.

import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { annotations, defaultOf, parseOutputs, runAction } from './support/action.ts';
import { scratchDirectory } from './support/scratch.ts';

const declared = (yaml.load(readFileSync(resolve(import.meta.dirname, '../action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;

/** An entry point that prints the INPUT_ variables it was given, and writes what it is told to its output file. */
function probe(output = ''): string {
  const dir = scratchDirectory('runner-probe');
  const file = join(dir, 'probe.mjs');
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs';
const inputs = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('INPUT_')));
process.stdout.write(JSON.stringify(inputs) + '\\n');
appendFileSync(process.env.GITHUB_OUTPUT, ${JSON.stringify(output)});
`,
  );
  return file;
}

test('every declared input is passed, with its default where the step names none, and a named one as named', async () => {
  const run = await runAction({ retries: '7' }, { entry: probe() });
  expect(run.exitCode).toBe(0);
  const passed = JSON.parse(run.stdout.split('\n')[0]!) as Record<string, string>;
  const expected = Object.fromEntries(
    Object.entries(declared).map(([name, input]) => [`INPUT_${name.toUpperCase()}`, name === 'retries' ? '7' : (input.default ?? '')]),
  );
  expect(passed).toEqual(expected);
});

test('a default that is an expression is evaluated against the step environment, as the runner does', () => {
  expect(defaultOf('${{ env.PREFECT_API_URL }}', { PREFECT_API_URL: 'https://api.prefect.cloud/api' })).toBe('https://api.prefect.cloud/api');
  expect(defaultOf('${{env.MISSING}}', {})).toBe('');
  expect(defaultOf('plain', {})).toBe('plain');
  expect(() => defaultOf('${{ github.token }}', {})).toThrow(/holds an expression the tests do not evaluate/);
});

test('output files are read as the runner reads them: name=value, heredocs, CRLF, empty lines', () => {
  expect(parseOutputs('a=1\n\nb<<EOF\nline 1\nline 2\nEOF\r\nc=x=y\r\n')).toEqual({ a: '1', b: 'line 1\nline 2', c: 'x=y' });
  expect(parseOutputs('')).toEqual({});
});

test.each([
  ['a line with neither = nor <<', 'just text\n', /invalid format "just text"/],
  ['an empty name', '=value\n', /the name must not be empty/],
  ['an empty delimiter', 'name<<\nvalue\n', /the name and delimiter must not be empty/],
  ['a heredoc never closed', 'name<<EOF\nvalue\n', /output name has no closing delimiter/],
])('the runner fails the step on %s, so the imitation throws', (_name, text, error) => {
  expect(() => parseOutputs(text)).toThrow(error);
});

test('a run whose output file the runner would refuse fails there, not silently', async () => {
  await expect(runAction({}, { entry: probe('not an output line\n') })).rejects.toThrow(/the runner would fail the step: invalid format/);
});

test('every annotation property is kept, unescaped as the runner does', () => {
  const stdout = '::error title=A%3A b%2C c,file=src/x.ts,line=3::message 100%25%0Anext\n::notice::plain\nnot a command\n';
  expect(annotations({ stdout })).toEqual([
    { level: 'error', title: 'A: b, c', file: 'src/x.ts', line: '3', message: 'message 100%\nnext' },
    { level: 'notice', message: 'plain' },
  ]);
});
