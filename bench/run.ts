// npm run bench: what a check costs, next to the floor of a bare node:http
// request, alternating the contenders round by round against the emulator.
// `npm run bench -- --write` also writes bench/RESULTS.md.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../__tests__/emulator/index.ts';

const ROUNDS = 10;
const WARMUP = 2;
const root = resolve(import.meta.dirname, '..');
const entry = join(root, 'dist/index.js');

interface Contender {
  name: string;
  command: string[];
  env: Record<string, string>;
}

function runOnce(contender: Contender): Promise<{ ms: number; code: number | null }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(contender.command[0]!, contender.command.slice(1), { env: { PATH: process.env.PATH ?? '', ...contender.env }, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', (code) => done({ ms: performance.now() - started, code }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Peak resident memory in MiB, through /usr/bin/time where it exists. Asynchronous:
 * the emulator answering the child lives in this process's event loop.
 */
function peakMemoryMiB(contender: Contender): Promise<number | undefined> {
  if (!existsSync('/usr/bin/time')) return Promise.resolve(undefined);
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', ...contender.command], {
      env: { PATH: process.env.PATH ?? '', ...contender.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', () => {
      const kib = Number(stderr.trim().split('\n').pop());
      done(Number.isFinite(kib) ? kib / 1024 : undefined);
    });
  });
}

function actionEnv(inputs: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const env: Record<string, string> = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_ENV: join(dir, 'env') };
  // The runner creates these files before the step starts; @actions/core appends to them.
  for (const file of ['output', 'summary', 'env']) writeFileSync(join(dir, file), '');
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

const pythonHasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
const emulator = await startEmulator();
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

try {
  const { account, workspaces, bot, unknownKey } = emulator.seed;
  const workspaceUrl = `${emulator.apiUrl}/accounts/${account.id}/workspaces/${workspaces.prod.id}`;
  const contenders: Contender[] = [
    { name: '(0) node -e 0, start-up alone', command: [process.execPath, '-e', '0'], env: {} },
    {
      name: '(a) node:http request, the floor',
      command: [process.execPath, join(root, 'bench/floor.mjs')],
      env: { BENCH_URL: `${workspaceUrl}/health`, BENCH_KEY: bot.key },
    },
    { name: '(b) dist/index.js, valid key', command: [process.execPath, entry], env: actionEnv({ 'api-key': bot.key, 'api-url': workspaceUrl }) },
    {
      name: '(b0) the same, no expiry lookup (warn-if-expires-within-days: 0)',
      command: [process.execPath, entry],
      env: actionEnv({ 'api-key': bot.key, 'api-url': workspaceUrl, 'warn-if-expires-within-days': '0' }),
    },
    { name: '(c) dist/index.js, invalid key', command: [process.execPath, entry], env: actionEnv({ 'api-key': unknownKey, 'api-url': workspaceUrl }) },
  ];
  if (pythonHasRequests) {
    contenders.push({
      name: '(d) Python requests check',
      command: ['python3', join(root, 'bench/check_key.py')],
      env: { BENCH_URL: `${workspaceUrl}/health`, BENCH_KEY: bot.key },
    });
  }

  const times = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
    for (const contender of contenders) {
      const { ms, code } = await runOnce(contender);
      const expected = contender.name.includes('invalid') ? 1 : 0;
      if (code !== expected) throw new Error(`${contender.name} exited ${code}, expected ${expected}`);
      if (round >= WARMUP) times.get(contender.name)!.push(ms);
    }
  }

  say(
    `Node ${process.version} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${ROUNDS} alternating rounds after ${WARMUP} warm-up rounds.`,
  );
  say();
  say('| contender | median | min | max | peak memory |');
  say('| --- | ---: | ---: | ---: | ---: |');
  for (const contender of contenders) {
    const values = times.get(contender.name)!;
    const memory = await peakMemoryMiB(contender);
    say(
      `| ${contender.name} | ${median(values).toFixed(1)} ms | ${Math.min(...values).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms | ${memory === undefined ? 'n/a' : `${memory.toFixed(1)} MiB`} |`,
    );
  }
  const [bare, floor, check] = contenders;
  const medianOf = (contender: Contender | undefined) => median(times.get(contender!.name)!);
  say();
  say(`Ratio b/0 (the check against node -e 0): **${(medianOf(check) / medianOf(bare)).toFixed(2)}** (goal ≤ 4)`);
  say(`Ratio b/a (the check against a bare node:http request): ${(medianOf(check) / medianOf(floor)).toFixed(2)}`);
  const python = contenders.find((contender) => contender.name.startsWith('(d)'));
  if (python) say(`Ratio d/b (the Python requests script against the check): **${(medianOf(python) / medianOf(check)).toFixed(2)}** (goal ≥ 2)`);
  const noExpiry = contenders.find((contender) => contender.name.startsWith('(b0)'));
  say(`The expiry lookup, sent alongside the check: b − b0 = ${(medianOf(check) - medianOf(noExpiry)).toFixed(1)} ms of median`);

  emulator.fault('health', { hang: true });
  const timeoutSeconds = 2;
  const hang = await runOnce({
    name: 'hang',
    command: [process.execPath, entry],
    env: actionEnv({ 'api-key': bot.key, 'api-url': workspaceUrl, 'timeout-seconds': String(timeoutSeconds) }),
  });
  emulator.clearFaults();
  say(
    `Worst case, the emulator hanging with timeout-seconds ${timeoutSeconds}: the step ended after ${(hang.ms / 1000).toFixed(2)} s (exit ${hang.code}), ${((hang.ms - timeoutSeconds * 1000) / 1000).toFixed(2)} s past the deadline (bound: 1 s).`,
  );

  say();
  say('| dist/ file | bytes | loaded |');
  say('| --- | ---: | --- |');
  const files = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => statSync(join(root, 'dist', file)).isFile());
  for (const file of files.sort()) {
    const bytes = statSync(join(root, 'dist', file)).size;
    const loaded =
      file === 'index.js'
        ? 'every run'
        : /^\d+\.index\.js$/.test(file)
          ? 'only when asked for (Cloud 1 or rotation)'
          : file === 'audit/index.js'
            ? 'every run of the audit action (audit/action.yml)'
            : '';
    say(`| ${file} | ${bytes} | ${loaded} |`);
  }
  if (!pythonHasRequests) say('\n(d) was left out: python3 with requests is not installed here.');
} finally {
  await emulator.close();
}

if (process.argv.includes('--write')) {
  const startup = spawnSync(process.execPath, [join(root, 'bench/startup.ts')], { encoding: 'utf8' });
  if (startup.status !== 0) throw new Error(`bench/startup.ts failed:\n${startup.stderr}`);
  const audit = spawnSync(process.execPath, [join(root, 'bench/audit.ts')], { encoding: 'utf8' });
  if (audit.status !== 0) throw new Error(`bench/audit.ts failed:\n${audit.stderr}`);
  const text = [
    '# Benchmark results',
    '',
    'Written by `npm run bench -- --write`. The check runs `dist/index.js` as the runner does (INPUT_* variables, output and summary files) against the local emulator.',
    '',
    ...lines,
    '',
    '## What each import costs at start-up',
    '',
    '`npm run bench:startup` bundles each candidate the way `dist/` is bundled and times it:',
    '',
    startup.stdout.trim(),
    '',
    'Every check loads `dist/index.js`: `@actions/core` and undici. A rotation adds its chunk (Octokit with the throttling and',
    'retry plugins, and libsodium); a Cloud 1 check adds the GraphQL client. `npm run bench:rotate` times rotations.',
    '',
    '## The audit action',
    '',
    '`npm run bench:audit` lists the service accounts of an account through `bots/filter`, pages of 200:',
    '',
    audit.stdout.trim(),
    '',
  ];
  writeFileSync(join(root, 'bench/RESULTS.md'), text.join('\n'));
}
