// dist/ is what users run: the build script must make every bundle action.yml
// and audit/action.yml run (the check's, and the audit's in dist/audit/). That
// the committed dist/ is a fresh build of them is `npm run check-dist`'s to say:
// .ci/run and CI's workflow run it after the tests, so the suite does not build twice.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** The bundler's commands of the build script (`rm -rf dist && ncc build ... && ncc build ...`), each as its arguments. */
export function nccCommands(script: string): string[][] {
  return script
    .split('&&')
    .map((command) => command.trim().split(/\s+/))
    .filter((words) => words[0] === 'ncc')
    .map((words) => words.slice(1));
}

test('the build script makes both bundles: the check and the audit', () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
  const outputs = nccCommands(script).map((args) => [args[1], args[args.indexOf('-o') + 1]]);
  expect(outputs).toEqual([
    ['src/index.ts', 'dist'],
    ['src/audit/index.ts', 'dist/audit'],
  ]);
});
