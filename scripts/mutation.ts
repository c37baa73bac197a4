// npm run test:mutation: mutation testing of every module of src/ (Stryker,
// its jest runner), each module against the in-process tests that reach it
// through their imports, fastest kinds first; only the entry's mutants are
// tested by spawned runs, which run the mutated sources (ACTION_UNDER_TEST=src).
// Writes mutation/reports/<module>.json and mutation/RESULTS.md: the score
// per module and every surviving mutant, with the reason it is harmless from
// mutation/survivors.json (a survivor without one is listed as unexplained and
// fails the run). Arguments: module paths, to run only those (the results of
// the others are kept). `--survivors MODULE TEST...`: the survivors of MODULE's
// report run again against the named test files only, those that changed since
// (the other tests of its list are as they were and already let each survive),
// and the report updated; its source must be as the report has it.
//
// Not part of npm test: on two cores every module takes about 2 h 10 min, the foundation's modules 20 min of it (a
// killed mutant costs a second or two; a surviving one runs every test that reaches it, minutes for a module the
// steps reach). Run it for the modules you changed. `--list` prints each module's tests.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'mutation');

/** Every file under `dir` (a folder of the repository), as repository paths. */
const filesUnder = (dir: string) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((path) => `${dir}/${path}`);

/** Every test file that runs in jest's own process: all but the spawned runs of the bundle (e2e/ and faults/crash). */
function inProcessTests(): string[] {
  return filesUnder('__tests__')
    .filter((path) => path.endsWith('.test.ts') && ![...SPAWNED, REPOSITORY].some((prefix) => path.startsWith(prefix)))
    .sort();
}

const SPAWNED = ['__tests__/e2e/', '__tests__/faults/crash.test.ts'];
/** The repository's own checks (action.yml, the README, examples/): they read files Stryker's sandbox leaves out. */
const REPOSITORY = '__tests__/repo/';

/** The relative imports of a TypeScript file, static and dynamic, resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(root, resolve(root, dirname(file), specifier))).filter((path) => existsSync(join(root, path)));
}

/** Every module a test file reaches through its imports. */
function reachedBy(test: string): Set<string> {
  const seen = new Set<string>();
  const queue = [test];
  while (queue.length > 0) {
    for (const next of importsOf(queue.pop()!)) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/**
 * The order tests run in for a module: the unit tests of __tests__/ first (fastest, and most of a module's mutants
 * die there), then the in-process steps, the emulator's and the repository's, then the fault matrices; within a
 * kind, the tests that import the module itself before those that reach it through others.
 */
function rank(test: string, module: string): number {
  const kind = test.startsWith('__tests__/faults/') ? 3 : test.startsWith('__tests__/step/') ? 1 : /^__tests__\/[^/]+$/.test(test) ? 0 : 2;
  return kind * 2 + (importsOf(test).includes(module) ? 0 : 1);
}

/**
 * The spawned runs of the bundle kill mutants only of the entry (src/index.ts), which nothing imports: under
 * mutation testing they run the mutated sources (ACTION_UNDER_TEST=src). Every other module is tested in-process.
 */
const ENTRY_TESTS = ['check-valid', 'check-invalid-key', 'check-bad-input', 'check-export-env', 'check-crash', 'check-proxy-deadline', 'check-ends-by-itself']
  .map((name) => `__tests__/e2e/${name}.test.ts`)
  .filter((path) => existsSync(join(root, path)));

/**
 * The modules every other one sends or waits through: the clock and deadline, HTTP, safe text, the runner. Every
 * step reaches them, so their mutants would run every step test, and one that makes time stand still would hang
 * them all until Stryker's time limit, which grows with the tests a mutant reaches. Their own unit tests pin them.
 */
const isFoundation = (module: string) => /^src\/(clock|http)\/|^src\/(safe-text|display-url|runner)\.ts$/.test(module);

/** The modules of src/ (a declaration file has nothing to mutate). */
function modulesOfSrc(): string[] {
  return filesUnder('src')
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .sort();
}

/**
 * Each module of src/ and the tests that can kill its mutants, in the order they run: every in-process test file
 * that reaches the module through its imports, fastest kinds first. A mutant costs a run of every listed file when it
 * survives, and the first failing file ends its run.
 */
export const MODULES: Record<string, string[]> = (() => {
  const tests = inProcessTests().map((test) => [test, reachedBy(test)] as const);
  const modules: Record<string, string[]> = {};
  for (const module of modulesOfSrc()) {
    if (module === 'src/index.ts' || module === 'src/audit/index.ts') {
      modules[module] = module === 'src/index.ts' ? ENTRY_TESTS : ['__tests__/e2e/audit.test.ts'];
      continue;
    }
    // A unit test kills a module's mutants when it imports the module or a module that imports it; one that reaches it
    // further away exercises it only as the steps do, which the steps and the fault matrices already cover.
    const step = (test: string) => !isFoundation(module) && (test.startsWith('__tests__/step/') || test.startsWith('__tests__/faults/'));
    const near = (test: string) =>
      importsOf(test).some((imported) => imported === module || (imported.startsWith('src/') && importsOf(imported).includes(module)));
    const reaching = tests.filter(([test, reached]) => reached.has(module) && (step(test) || near(test))).map(([test]) => test);
    modules[module] = reaching.sort((a, b) => rank(a, module) - rank(b, module) || a.localeCompare(b));
  }
  return modules;
})();

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
  const tests = again?.tests ?? [...new Set(modules.flatMap((module) => MODULES[module]!))].filter((file) => existsSync(join(root, file)));
  const started = Date.now();
  // A fresh directory per run, removed whatever happens: its killed-mutant markers, its record of which file holds
  // which test and the test files of each module (see __tests__/support/mutation-*.mjs), so none is left from another
  // run, and its whole report, so that runs side by side do not read each other's.
  const scratch = mkdtempSync(join(tmpdir(), 'mutation-run-'));
  const killed = join(scratch, 'killed');
  const names = join(scratch, 'names');
  const whole = join(scratch, 'report.json');
  const moduleTests = join(scratch, 'modules.json');
  mkdirSync(killed);
  mkdirSync(names);
  writeFileSync(moduleTests, JSON.stringify(Object.fromEntries(modules.map((module) => [module, again?.tests ?? MODULES[module]!]))));
  let report: { files: Record<string, unknown> };
  try {
    const result = spawnSync('npx', ['stryker', 'run'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        // Only the spawned runs need the sources as the action's script (see ENTRY_TESTS).
        ...(tests.some((test) => SPAWNED.some((prefix) => test.startsWith(prefix))) ? { ACTION_UNDER_TEST: 'src', MUTATION_COVERAGE: 'off' } : {}),
        MUTATE: (again?.mutate ?? modules).join(','),
        MUTATION_TESTS: tests.join(','),
        MUTATION_REPORT: whole,
        MUTANTS_KILLED: killed,
        MUTATION_NAMES: names,
        MUTATION_MODULES: moduleTests,
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
    'Written by `npm run test:mutation` (scripts/mutation.ts): each module of `src/` mutated by Stryker, each mutant run against the in-process tests that reach it (the entry, `src/index.ts`, against spawned runs of the sources). Score: mutants killed (or timed out) over all mutants. Survivors are listed with the reason each is harmless, from `mutation/survivors.json`. A module without a report in `mutation/reports/` is "not run".',
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
if (only.includes('--list')) {
  for (const [module, tests] of Object.entries(MODULES)) console.log(`${module}: ${tests.length} files\n  ${tests.join('\n  ')}`);
} else if (only.includes('--summary')) {
  process.exitCode = summarize();
} else if (only[0] === '--survivors') {
  rerunSurvivors(only[1] ?? '', only.slice(2));
  process.exitCode = summarize();
} else {
  const chosen = only.length > 0 ? only : Object.keys(MODULES);
  for (const module of chosen) if (!MODULES[module]) throw new Error(`${module} is not a module of src/ listed in scripts/mutation.ts`);
  // One Stryker run for the foundation's modules against their unit tests, one for each folder of the other modules
  // tested in-process (one initial run of their tests; each mutant then runs only the tests that reach it), and one
  // for each module tested by spawned runs. A run per folder keeps each to a few hundred mutants, and the reports of
  // a folder are saved when its run ends, so a run stopped halfway keeps the folders it finished.
  const spawned = (module: string) => MODULES[module]!.some((test) => SPAWNED.some((prefix) => test.startsWith(prefix)));
  const inProcess = chosen.filter((module) => !spawned(module));
  const foundation = inProcess.filter(isFoundation);
  const folders = new Map<string, string[]>();
  for (const module of inProcess.filter((entry) => !isFoundation(entry))) folders.set(dirname(module), [...(folders.get(dirname(module)) ?? []), module]);
  const groups = [foundation, ...folders.values(), ...chosen.filter(spawned).map((module) => [module])].filter((group) => group.length > 0);
  mkdirSync(join(out, 'reports'), { recursive: true });
  for (const modules of groups) save(modules, run(modules));
  process.exitCode = summarize();
}
