// npm run bench:startup: what each part of dist/ costs at start-up on this
// Node, bundled the way dist/ is: what every check loads (@actions/core and
// undici) and what only a rotation adds (Octokit with its plugins, libsodium).

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
  '@actions/core': "import * as core from '@actions/core'; core.getInput('x');",
  undici: "import { EnvHttpProxyAgent, request } from 'undici'; [EnvHttpProxyAgent, request];",
  'the check path: @actions/core and undici':
    "import * as core from '@actions/core'; import { EnvHttpProxyAgent, request } from 'undici'; core.getInput('x'); [EnvHttpProxyAgent, request];",
  'the rotation chunk: @actions/github, throttling, retry': [
    "import { getOctokit } from '@actions/github';",
    "import { throttling } from '@octokit/plugin-throttling';",
    "import { retry } from '@octokit/plugin-retry';",
    '[getOctokit, throttling, retry];',
  ].join(' '),
  'the rotation chunk: libsodium-wrappers, ready': "import sodium from 'libsodium-wrappers'; await sodium.ready;",
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
