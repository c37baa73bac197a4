// The tests must run on the Node the action declares: npm scripts put the
// node package's binary (a development dependency) first on PATH.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from 'js-yaml';

test('the tests run on the Node major version that action.yml declares', () => {
  const action = load(readFileSync(resolve(import.meta.dirname, '../action.yml'), 'utf8')) as { runs: { using: string } };
  expect(action.runs.using).toBe('node24');
  expect(process.versions.node.split('.')[0]).toBe('24');
});
