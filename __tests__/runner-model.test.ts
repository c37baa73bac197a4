// The tests' reading of stdout is only as good as its likeness to the
// runner's: these hold it to how actions/runner parses workflow commands.

import { readAsRunner } from './support/runner-model.ts';

const names = (stdout: string) => readAsRunner(stdout).commands.map((command) => `${command.form}${command.name}`);

test('lines end at LF, CRLF and a lone CR', () => {
  expect(names('a\n::error::x\r\n::warning::y\r::notice::z')).toEqual(['::error', '::warning', '::notice']);
});

test('a :: command may follow white space, and its properties may hold a single colon', () => {
  const [command] = readAsRunner('  ::error title=a:b,line=1::the data::more').commands;
  expect(command).toEqual({ name: 'error', properties: 'title=a:b,line=1', data: 'the data::more', form: '::' });
});

test('a :: command is one only at the start of a line; ##[ is one anywhere', () => {
  expect(names('text ::error::x\ntext ##[warning]y')).toEqual(['##[warning']);
});

test('names are read without case', () => {
  expect(names('::ADD-MASK::s3cret\n::Error::x')).toEqual(['::add-mask', '::error']);
  expect(readAsRunner('::ADD-MASK::s3cret').masks).toEqual(['s3cret']);
});

test.each([
  ['the token as written', '::tok3n::'],
  ['the token in another case', '::TOK3N::'],
  ['the token with data', '::tok3n::anything'],
  ['the token with properties', '::tok3n a=b::'],
  ['the token in the ##[ form', 'text ##[tok3n]'],
])('stop-commands holds until a command named by its token: %s', (_name, resume) => {
  const reading = readAsRunner(`::stop-commands::tok3n\n::add-mask::hidden\n::error::ignored\n${resume}\n::add-mask::seen`);
  expect(reading.masks).toEqual(['seen']);
  expect(reading.ignoredWhileStopped).toBe(2);
});

test('while commands are stopped, a line that is not the token does not resume them', () => {
  const reading = readAsRunner('::stop-commands::tok3n\ntok3n\n::tok3nx::\n::add-mask::never');
  expect(reading.masks).toEqual([]);
  expect(reading.ignoredWhileStopped).toBe(3);
});

test('add-mask data is unescaped as the runner unescapes it', () => {
  expect(readAsRunner('::add-mask::a%25b%0Ac%0Dd').masks).toEqual(['a%b\nc\rd']);
});
