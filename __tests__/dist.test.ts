// dist/ is what users run: it must be exactly what the sources build to.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

test('the committed dist/ is a fresh build of src/', () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
  const out = mkdtempSync(join(tmpdir(), 'dist-'));
  // The bundler's own command, after any cleaning before it: `rm -rf dist && ncc build ...`.
  const words = script.split(' ');
  const args = words.slice(words.indexOf('ncc') + 1).map((arg, i, all) => (all[i - 1] === '-o' ? out : arg));
  execFileSync(join(root, 'node_modules/.bin/ncc'), args, { cwd: root, stdio: 'pipe' });
  const committed = readdirSync(join(root, 'dist')).sort();
  expect(readdirSync(out).sort()).toEqual(committed);
  for (const file of committed) {
    const fresh = readFileSync(join(out, file), 'utf8');
    if (fresh !== readFileSync(join(root, 'dist', file), 'utf8')) throw new Error(`dist/${file} is stale: run npm run build`);
  }
}, 60_000);
