// dist/ is what users run: it must be exactly what the sources build to,
// every bundle the build script makes (the check's, and the audit's in dist/audit/).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

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

test('the committed dist/ is a fresh build of src/', () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
  const out = mkdtempSync(join(tmpdir(), 'dist-'));
  // Each bundle into the same place under a fresh directory as under dist/.
  for (const args of nccCommands(script)) {
    const rebased = args.map((arg, i, all) => (all[i - 1] === '-o' ? join(out, relative('dist', arg)) : arg));
    execFileSync(join(root, 'node_modules/.bin/ncc'), rebased, { cwd: root, stdio: 'pipe' });
  }
  const committed = filesUnder(join(root, 'dist'));
  expect(filesUnder(out)).toEqual(committed);
  for (const file of committed) {
    const fresh = readFileSync(join(out, file), 'utf8');
    if (fresh !== readFileSync(join(root, 'dist', file), 'utf8')) throw new Error(`dist/${file} is stale: run npm run build`);
  }
}, 120_000);
