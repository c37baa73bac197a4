// npm run test:mutation: mutation testing of every module of src/ (Stryker,
// its jest runner), each module against the tests that exercise it, fastest
// first; the end-to-end tests run the mutated sources (ACTION_UNDER_TEST=src).
// Writes mutation/reports/<module>.json and mutation/RESULTS.md: the score
// per module and every surviving mutant, with the reason it is harmless from
// mutation/survivors.json (a survivor without one is listed as unexplained and
// fails the run). Arguments: module paths, to run only those (the results of
// the others are kept). `--survivors MODULE TEST...`: the survivors of MODULE's
// report run again against the named test files only, those that changed since
// (the other tests of its list are as they were and already let each survive),
// and the report updated; its source must be as the report has it.
//
// Runs for hours on two cores (1 to 30 minutes a module): not part of npm test.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'mutation');

/** A step test by name: spawned (__tests__/e2e/) or, where its point is a rule, in-process (__tests__/step/). */
const e2e = (...names: string[]) =>
  names.map(
    (name) => ['e2e', 'step'].map((dir) => `__tests__/${dir}/${name}.test.ts`).find((path) => existsSync(join(root, path))) ?? `__tests__/e2e/${name}.test.ts`,
  );
const CHECK_OUTCOMES = e2e('check-valid', 'check-invalid-key', 'check-not-found', 'check-forbidden', 'check-handle', 'check-key-alone', 'check-not-prefect');
/** The rotations, by the API they rotate through and by what they do to GitHub: a module's list holds the ones that reach it. */
const ROTATE_COMMON = e2e('rotate-dry-run', 'rotate-bad-input', 'rotate-preflight', 'rotate-safety-paths', 'rotate-integrity', 'rotate-repeat');
const ROTATE_REST = e2e('rotate-rest', 'rotate-permissions', 'rotate-if-due', 'rotate-cancelled');
const ROTATE_GRAPHQL = e2e('rotate-graphql', 'rotate-cloud1-names');
const ROTATE_GITHUB = e2e('rotate-destinations', 'rotate-github-hosts', 'rotate-github-redirects', 'rotate-github-rate-limits');
const ROTATE = [
  ...e2e('rotate-rest', 'rotate-graphql'),
  ...ROTATE_COMMON,
  ...e2e('rotate-permissions', 'rotate-if-due', 'rotate-cancelled', 'rotate-cloud1-names'),
  ...ROTATE_GITHUB,
];
/** GitHub's client and secrets: the failures and the emulator's secrets in-process first, then the rotations that write secrets. */
const GITHUB_CLIENT = [
  '__tests__/github-failures.test.ts',
  '__tests__/github-secrets.test.ts',
  ...e2e('rotate-rest'),
  ...ROTATE_GITHUB,
  ...ROTATE_COMMON,
  ...e2e('rotate-permissions', 'rotate-cancelled'),
];
/** The audit action: its rules in-process against the emulator, then its bundle spawned. */
const AUDIT = ['__tests__/audit.test.ts', ...e2e('audit')];
/** The fault matrices: minutes per run, so only for the modules that order a rotation or decide an outage. */
const CHECK_FAULTS = ['__tests__/faults/check.test.ts'];
const ROTATE_FAULTS = ['__tests__/faults/rotate-prefect.test.ts', '__tests__/faults/rotate-github.test.ts', '__tests__/faults/leaks.test.ts'];

/**
 * Each module of src/ and the tests that can kill its mutants, in the order
 * they run: the fastest that exercise the module first. A mutant costs a run
 * of every listed file when it survives, so each list holds what reaches the
 * module, not the whole suite.
 */
export const MODULES: Record<string, string[]> = {
  'src/index.ts': [...e2e('check-valid', 'check-invalid-key', 'check-bad-input', 'check-export-env', 'rotate-bad-input', 'check-crash')],
  'src/inputs.ts': [
    '__tests__/inputs-edges.test.ts',
    '__tests__/inputs.test.ts',
    ...e2e('check-bad-input', 'check-handle', 'check-workspace-url', 'check-auto-prefix'),
    '__tests__/properties/inputs.property.test.ts',
  ],
  'src/main.ts': [
    '__tests__/main.test.ts',
    '__tests__/rotate.test.ts',
    ...e2e(
      'check-valid',
      'check-debug-lines',
      'check-invalid-key',
      'check-export-env',
      'check-expiry',
      'check-scopes',
      'check-key-alone',
      'check-cloud1-errors',
      'check-forbidden',
      'check-not-found',
      'check-unexpected',
      'check-transient',
      'rotate-dry-run',
      'rotate-if-due',
      'rotate-preflight',
    ),
  ],
  'src/markdown.ts': ['__tests__/markdown.test.ts', ...e2e('check-untrusted-value'), '__tests__/faults/hostile.test.ts'],
  'src/report.ts': ['__tests__/report.test.ts', ...e2e('check-valid', 'check-not-found', 'check-expiry', 'check-untrusted-value')],
  'src/runner.ts': ['__tests__/runner.test.ts', '__tests__/runner-bounds.test.ts', ...e2e('check-valid', 'check-export-env', 'check-debug-lines')],
  'src/http/client.ts': [
    '__tests__/http-client.test.ts',
    ...e2e('check-valid', 'check-transient', 'check-stalled-attempt', 'check-not-prefect', 'check-proxy', 'check-body-limits'),
    ...CHECK_FAULTS,
  ],
  'src/http/retry.ts': ['__tests__/retry.test.ts', ...e2e('check-transient', 'check-stalled-attempt'), ...CHECK_FAULTS],
  'src/prefect/bots.ts': ['__tests__/bots.test.ts', ...ROTATE_REST, ...ROTATE_COMMON, ...AUDIT],
  'src/prefect/check.ts': ['__tests__/check.test.ts', ...CHECK_OUTCOMES, ...e2e('check-unexpected', 'check-untrusted-value', 'check-transient')],
  'src/prefect/cloud1-check.ts': ['__tests__/cloud1.test.ts', ...e2e('check-cloud1-errors', 'rotate-graphql'), ...CHECK_FAULTS],
  'src/prefect/cloud1-keys.ts': ['__tests__/cloud1.test.ts', ...ROTATE_GRAPHQL, ...ROTATE_COMMON],
  'src/prefect/expiry.ts': ['__tests__/prefect-reads.test.ts', ...e2e('check-expiry', 'rotate-if-due')],
  'src/prefect/graphql.ts': ['__tests__/cloud1.test.ts', ...e2e('check-cloud1-errors', 'rotate-graphql', 'rotate-cloud1-names'), ...CHECK_FAULTS],
  'src/prefect/rest.ts': ['__tests__/prefect-reads.test.ts', ...CHECK_OUTCOMES, ...e2e('check-untrusted-value'), ...AUDIT],
  'src/prefect/service-accounts.ts': AUDIT,
  'src/prefect/scopes.ts': ['__tests__/prefect-reads.test.ts', ...e2e('check-scopes')],
  'src/prefect/values.ts': ['__tests__/values.test.ts', '__tests__/prefect-reads.test.ts', ...e2e('check-untrusted-value')],
  'src/github/octokit.ts': ['__tests__/octokit.test.ts', ...GITHUB_CLIENT],
  'src/github/seal.ts': ['__tests__/seal.test.ts', ...ROTATE],
  'src/github/secrets.ts': GITHUB_CLIENT,
  'src/rotate/destinations.ts': ['__tests__/github-secrets.test.ts', ...e2e('rotate-rest'), ...ROTATE_GITHUB, ...ROTATE_COMMON],
  'src/rotate/graphql-rotation.ts': ['__tests__/graphql-rotation.test.ts', ...ROTATE_GRAPHQL, ...ROTATE_COMMON, ...ROTATE_FAULTS],
  'src/rotate/index.ts': ['__tests__/rotate.test.ts', ...ROTATE],
  'src/rotate/inputs.ts': [
    '__tests__/rotation-inputs.test.ts',
    ...e2e('rotate-bad-input', 'rotate-rest', 'rotate-graphql', 'rotate-destinations'),
    '__tests__/properties/inputs.property.test.ts',
  ],
  'src/rotate/plan.ts': ['__tests__/rotation-plan.test.ts', ...ROTATE, ...ROTATE_FAULTS],
  'src/rotate/report.ts': ['__tests__/rotation-report.test.ts', ...ROTATE],
  'src/audit/index.ts': e2e('audit'),
  'src/audit/inputs.ts': ['__tests__/audit-inputs.test.ts', ...AUDIT],
  'src/audit/account.ts': AUDIT,
  'src/audit/expiries.ts': AUDIT,
  'src/audit/main.ts': AUDIT,
  'src/audit/report.ts': AUDIT,
  'src/rotate/rest-rotation.ts': ['__tests__/rest-rotation.test.ts', ...ROTATE_REST, ...ROTATE_COMMON, ...ROTATE_FAULTS],
};

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

const reportOf = (module: string) => join(out, 'reports', `${module.replace(/^src\//, '').replace(/\//g, '-')}.json`);

/** One Stryker run per list of tests: the modules that share it are mutated together. */
function run(modules: string[], again?: { mutate: string[]; tests: string[] }): Record<string, unknown> {
  const tests = again?.tests ?? MODULES[modules[0]!]!.filter((file) => existsSync(join(root, file)));
  const started = Date.now();
  // A fresh directory per run, removed whatever happens: its killed-mutant markers (see
  // __tests__/support/mutation-environment.mjs), so none is left from another run, and its whole report, so that runs
  // side by side do not read each other's.
  const scratch = mkdtempSync(join(tmpdir(), 'mutation-run-'));
  const killed = join(scratch, 'killed');
  const whole = join(scratch, 'report.json');
  mkdirSync(killed);
  let report: { files: Record<string, unknown> };
  try {
    const result = spawnSync('npx', ['stryker', 'run'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ACTION_UNDER_TEST: 'src',
        MUTATE: (again?.mutate ?? modules).join(','),
        MUTATION_TESTS: tests.join(','),
        MUTATION_REPORT: whole,
        MUTANTS_KILLED: killed,
      },
    });
    if (result.status !== 0) throw new Error(`Stryker failed on ${modules.join(', ')} (exit ${result.status})`);
    report = JSON.parse(readFileSync(whole, 'utf8')) as { files: Record<string, unknown> };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`${modules.join(', ')}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return report.files;
}

type ModuleReport = { files: Record<string, { mutants: Mutant[]; source: string }> };

/** The run's report, split into one per module, so that a later run of some modules keeps the others' results. */
function save(modules: string[], files: Record<string, unknown>): void {
  for (const module of modules) {
    const entry = Object.entries(files).find(([file]) => file === module || file.endsWith(`/${module}`));
    writeFileSync(reportOf(module), JSON.stringify({ files: entry ? { [module]: entry[1] } : {} }));
  }
}

/** A mutant's identity across runs of the same source: where it is and what it puts there. */
const identity = (mutant: Mutant) => JSON.stringify([mutant.location, mutant.mutatorName, mutant.replacement ?? '']);

/** --survivors: the survivors of one module run again against the tests that changed since, and its report updated. */
function rerunSurvivors(module: string, tests: string[]): void {
  if (!MODULES[module] || !existsSync(reportOf(module))) throw new Error(`${module} has no report to rerun the survivors of`);
  for (const test of tests) if (!MODULES[module]!.includes(test)) throw new Error(`${test} is not among the tests of ${module} in scripts/mutation.ts`);
  const report = JSON.parse(readFileSync(reportOf(module), 'utf8')) as ModuleReport;
  const entry = report.files[module]!;
  if (entry.source !== readFileSync(join(root, module), 'utf8')) throw new Error(`${module} changed since its report: run it whole`);
  const survivors = entry.mutants.filter((mutant) => COUNTED.has(mutant.status) && !DETECTED.has(mutant.status));
  if (survivors.length === 0) return;
  const lines = survivors.map(({ location }) => `${module}:${location.start.line}-${location.end.line}`);
  const files = run([module], { mutate: [...new Set(lines)], tests }) as ModuleReport['files'];
  const fresh = new Map(Object.values(files).flatMap((file) => file.mutants.map((mutant) => [identity(mutant), mutant] as const)));
  entry.mutants = entry.mutants.map((mutant) => (survivors.includes(mutant) ? (fresh.get(identity(mutant)) ?? mutant) : mutant));
  writeFileSync(reportOf(module), JSON.stringify(report));
}

/** Why each survivor is harmless, keyed `file:line:mutator:replacement`. */
function explanations(): Record<string, string> {
  const file = join(out, 'survivors.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

function summarize(): number {
  const why = explanations();
  const rows: string[] = [];
  const survivors: string[] = [];
  let unexplained = 0;
  let belowGoal = 0;
  for (const module of Object.keys(MODULES)) {
    if (!existsSync(reportOf(module))) {
      rows.push(`| \`${module}\` | not run | | | |`);
      belowGoal += 1;
      continue;
    }
    const report = JSON.parse(readFileSync(reportOf(module), 'utf8')) as { files: Record<string, { mutants: Mutant[]; source: string }> };
    const mutants = Object.values(report.files).flatMap((entry) => entry.mutants.filter((mutant) => COUNTED.has(mutant.status)));
    const detected = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
    const score = mutants.length === 0 ? 100 : (100 * detected) / mutants.length;
    if (score < 90) belowGoal += 1;
    rows.push(`| \`${module}\` | ${score.toFixed(1)} % | ${detected} | ${mutants.length - detected} | ${mutants.length} |`);
    const source = Object.values(report.files)[0]?.source.split('\n') ?? [];
    for (const mutant of mutants.filter((entry) => !DETECTED.has(entry.status))) {
      const line = mutant.location.start.line;
      const key = `${module}:${line}:${mutant.mutatorName}:${mutant.replacement ?? ''}`;
      const reason = why[key];
      if (reason === undefined) unexplained += 1;
      const code = (source[line - 1] ?? '').trim().slice(0, 100);
      survivors.push(
        `- \`${module}:${line}\` ${mutant.mutatorName} → \`${(mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\` in \`${code}\`: ${reason ?? '**unexplained**'}`,
      );
    }
  }
  const text = [
    '# Mutation testing results',
    '',
    'Written by `npm run test:mutation` (scripts/mutation.ts): each module of `src/` mutated by Stryker and run against the tests that exercise it, the end-to-end ones running the mutated sources. Score: mutants killed (or timed out) over all mutants. Survivors are listed with the reason each is harmless, from `mutation/survivors.json`.',
    '',
    '| module | score | killed | survived | mutants |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `## Surviving mutants (${survivors.length}, ${unexplained} unexplained)`,
    '',
    ...(survivors.length > 0 ? survivors : ['None.']),
    '',
  ].join('\n');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'RESULTS.md'), text);
  console.log(rows.join('\n'));
  console.log(`${survivors.length} survivors, ${unexplained} unexplained; ${belowGoal} modules below 90 %`);
  return unexplained > 0 || belowGoal > 0 ? 1 : 0;
}

const only = process.argv.slice(2);
if (only.includes('--summary')) {
  process.exitCode = summarize();
} else if (only[0] === '--survivors') {
  rerunSurvivors(only[1] ?? '', only.slice(2));
  process.exitCode = summarize();
} else {
  const chosen = only.length > 0 ? only : Object.keys(MODULES);
  for (const module of chosen) if (!MODULES[module]) throw new Error(`${module} is not a module of src/ listed in scripts/mutation.ts`);
  const groups = new Map<string, string[]>();
  for (const module of chosen) groups.set(MODULES[module]!.join(','), [...(groups.get(MODULES[module]!.join(',')) ?? []), module]);
  mkdirSync(join(out, 'reports'), { recursive: true });
  for (const modules of groups.values()) save(modules, run(modules));
  process.exitCode = summarize();
}
