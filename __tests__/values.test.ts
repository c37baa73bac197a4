// The checks every value from a Prefect answer passes before the action uses
// it: each form's limits, and that a refusal names the field, never the value.

import { cloud1Key, cloudKey, handle, name, object, optionalTimestamp, timestamp, UnexpectedAnswerError, uuid } from '../src/prefect/values.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
};

test('a refusal is an UnexpectedAnswerError that names the field and the form, not the value', () => {
  const error = refusal(() => handle('Evil\n::stop-commands::x', 'workspace_handle'));
  expect(error).toBeInstanceOf(UnexpectedAnswerError);
  expect((error as Error).message).toBe('workspace_handle is not a handle (lower-case letters, digits and dashes)');
});

test('uuid: any case in, lower case out; nothing else', () => {
  expect(uuid('9F0C1E2D-3B4A-4C5D-8E6F-708192A3B4C5', 'id')).toBe('9f0c1e2d-3b4a-4c5d-8e6f-708192a3b4c5');
  // Not a string, even one whose text would match (a pattern's test reads an array as its text).
  for (const bad of [
    '9f0c1e2d-3b4a-4c5d-8e6f-708192a3b4c',
    '9f0c1e2d3b4a4c5d8e6f708192a3b4c5',
    ' 9f0c1e2d-3b4a-4c5d-8e6f-708192a3b4c5',
    42,
    null,
    ['9f0c1e2d-3b4a-4c5d-8e6f-708192a3b4c5'],
  ]) {
    expect(() => uuid(bad, 'id')).toThrow('id is not a UUID');
  }
});

test('handle: lower-case letters, digits and dashes, starting with a letter or digit, at most 100', () => {
  for (const good of ['a', 'prod', 'prod-eu-2', '0x', 'a'.repeat(100)]) expect(handle(good, 'h')).toBe(good);
  for (const bad of ['', 'Prod', '-prod', 'prod eu', 'prod_eu', 'a'.repeat(101), 'prod\n']) expect(() => handle(bad, 'h')).toThrow(UnexpectedAnswerError);
});

test('name: 1 to 200 printable characters; no control or line-separator character', () => {
  for (const good of ['x', 'deploy bot', 'ö ü 日本', 'x'.repeat(200)]) expect(name(good, 'n')).toBe(good);
  for (const bad of ['', 'x'.repeat(201), 'a\nb', 'a\rb', 'a\u0000', 'a\u001b[31m', 'a\u0085', 'a\u2028b', 'a\u2029b', 7]) {
    expect(() => name(bad, 'n')).toThrow(UnexpectedAnswerError);
  }
});

test('cloudKey: pnu_ or pnb_ and exactly 36 letters or digits', () => {
  for (const good of [`pnu_${'a'.repeat(36)}`, `pnb_${'Z9'.repeat(18)}`]) expect(cloudKey(good, 'k')).toBe(good);
  for (const bad of [`pnb_${'a'.repeat(35)}`, `pnb_${'a'.repeat(37)}`, `pnx_${'a'.repeat(36)}`, `pnb_${'a'.repeat(35)}-`, `PNB_${'a'.repeat(36)}`]) {
    expect(() => cloudKey(bad, 'k')).toThrow(UnexpectedAnswerError);
  }
});

test('cloud1Key: 20 to 200 letters, digits, _ or -', () => {
  for (const good of ['a'.repeat(20), 'A_-9'.repeat(50)]) expect(cloud1Key(good, 'k')).toBe(good);
  for (const bad of ['a'.repeat(19), 'a'.repeat(201), `${'a'.repeat(20)} `, `${'a'.repeat(20)}.`])
    expect(() => cloud1Key(bad, 'k')).toThrow(UnexpectedAnswerError);
});

test('timestamp: RFC 3339 with a zone, written back in UTC', () => {
  expect(timestamp('2026-12-02T10:00:00Z', 't')).toBe('2026-12-02T10:00:00.000Z');
  expect(timestamp('2026-12-02 10:00:00.123456+02:00', 't')).toBe('2026-12-02T08:00:00.123Z');
  expect(timestamp('2026-12-02t10:00:00z', 't')).toBe('2026-12-02T10:00:00.000Z');
  for (const bad of ['2026-12-02T10:00:00', '2026-12-02', '2026-13-02T10:00:00Z', 'tomorrow', 1764669600, '2026-12-02T10:00:00Z\n']) {
    expect(() => timestamp(bad, 't')).toThrow('t is not an RFC 3339 timestamp');
  }
});

test('optionalTimestamp: null and absent are "none"; anything else is checked', () => {
  expect(optionalTimestamp(null, 't')).toBeNull();
  expect(optionalTimestamp(undefined, 't')).toBeNull();
  expect(optionalTimestamp('2026-12-02T10:00:00Z', 't')).toBe('2026-12-02T10:00:00.000Z');
  expect(() => optionalTimestamp('', 't')).toThrow(UnexpectedAnswerError);
});

test('object: a plain object only', () => {
  expect(object({ a: 1 }, 'o')).toEqual({ a: 1 });
  for (const bad of [null, [], 'x', 3]) expect(() => object(bad, 'o')).toThrow('o is not an object');
});

test('every pattern is anchored at both ends, and each refusal says what was expected', () => {
  expect(() => uuid('9f0c1e2d-3b4a-4c5d-8e6f-708192a3b4c5-', 'id')).toThrow('id is not a UUID');
  expect(() => cloudKey(`x_pnb_${'a'.repeat(36)}`, 'k')).toThrow(
    new UnexpectedAnswerError('k is not a Prefect Cloud key (pnb_ or pnu_ and 36 letters or digits)'),
  );
  expect(() => cloud1Key('a'.repeat(19), 'k')).toThrow(new UnexpectedAnswerError('k is not a Prefect Cloud 1 key (20 to 200 letters, digits, _ or -)'));
  expect(() => name('', 'n')).toThrow(new UnexpectedAnswerError('n is not a name of at most 200 printable characters'));
  // Text before or after a timestamp that Date.parse alone would still read.
  for (const bad of [' 2026-12-02T10:00:00Z', '2026-12-02T10:00:00Z ', 'On 2026-12-02T10:00:00Z', 'Sat 2026-12-02 10:00:00Z', '2026-12-02 10:00:00Z GMT'])
    expect(() => timestamp(bad, 't')).toThrow('t is not an RFC 3339 timestamp');
  expect(refusal(() => uuid('x', 'id'))).toHaveProperty('name', 'UnexpectedAnswerError');
});
