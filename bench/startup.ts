// npm run bench:startup: what each candidate import costs at start-up on this
// Node, bundled the way dist/ is. This is why the check path loads no
// @actions/core, no undici, no node:crypto, and node:https only for https URLs.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUNS = 20;
const root = resolve(import.meta.dirname, '..');
// Inside the project, so that the bundler resolves the packages from node_modules.
const work = join(root, 'node_modules/.cache/bench-startup');
rmSync(work, { recursive: true, force: true });

const variants: Record<string, string> = {
  'nothing (empty module)': '',
  'node:http via process.getBuiltinModule': "process.getBuiltinModule('node:http');",
  'node:https (TLS)': "process.getBuiltinModule('node:https');",
  'node:crypto': "process.getBuiltinModule('node:crypto').randomUUID();",
  '@actions/core, bundled': "import * as core from '@actions/core'; core.setSecret('x');",
  'undici, bundled': "import { request } from 'undici'; request;",
};

function bundle(name: string, source: string): string | undefined {
  const dir = join(work, String(Object.keys(variants).indexOf(name)));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.mjs'), `${source}\n`);
  const built = spawnSync(join(root, 'node_modules/.bin/ncc'), ['build', join(dir, 'entry.mjs'), '-o', join(dir, 'out'), '--target', 'es2023', '--quiet'], {
    cwd: root,
    encoding: 'utf8',
  });
  return built.status === 0 ? join(dir, 'out/index.mjs') : undefined;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

const files = new Map<string, string | undefined>(Object.entries(variants).map(([name, source]) => [name, bundle(name, source)]));
const times = new Map<string, number[]>([...files.keys()].map((name) => [name, []]));
// Round by round, so that a load on the machine falls on every variant alike.
for (let run = 0; run < RUNS; run += 1) {
  for (const [name, file] of files) {
    if (!file) continue;
    const started = performance.now();
    const result = spawnSync(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    times.get(name)!.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`the bundle for "${name}" failed, so its time means nothing:\n${result.stderr}`);
  }
}

console.log(`Node ${process.version}; median of ${RUNS} alternating runs of each bundle.\n`);
console.log('| bundle loads | median | over an empty module |');
console.log('| --- | ---: | ---: |');
const baseline = median(times.get('nothing (empty module)')!);
for (const [name, file] of files) {
  if (!file) {
    console.log(`| ${name} | not installed | |`);
    continue;
  }
  const ms = median(times.get(name)!);
  console.log(`| ${name} | ${ms.toFixed(1)} ms | ${name.startsWith('nothing') ? '' : `+${(ms - baseline).toFixed(1)} ms`} |`);
}
