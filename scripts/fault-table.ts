// node scripts/fault-table.ts: runs the fault tests (jest __tests__/faults),
// then prints the whole fault matrix (route × fault, once/always), every
// other fault test (echoed credentials, kill points) and, alone on the last
// line, `N passed, N failed` over all of them. Exits 1 when any failed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { renderTable, titleOf, withoutColours, type CellResult } from '../__tests__/faults/table.ts';

interface JestAssertion {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'pending' | 'skipped' | 'todo' | 'disabled';
  failureMessages: string[];
}

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; message: string; assertionResults: JestAssertion[] }[];
}

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'fault-table-'));
const reportFile = join(work, 'jest.json');
const cellsDir = join(work, 'cells');

try {
  const jest = spawnSync(join(root, 'node_modules/.bin/jest'), ['__tests__/faults', '--json', `--outputFile=${reportFile}`], {
    cwd: root,
    // The repository's Node (npm ci installs it) runs jest, as npm scripts do.
    env: {
      ...process.env,
      PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
      NODE_OPTIONS: '--experimental-vm-modules',
      FAULT_RESULTS_DIR: cellsDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (!existsSync(reportFile)) {
    process.stderr.write(jest.stderr ?? '');
    throw new Error(`jest wrote no report (exit ${jest.status})`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport;

  // The matrix, with what each cell observed.
  const matrixTitles = new Set<string>();
  const files = existsSync(cellsDir) ? readdirSync(cellsDir).sort() : [];
  for (const file of files) {
    const { title, results } = JSON.parse(readFileSync(join(cellsDir, file), 'utf8')) as { title: string; results: CellResult[] };
    for (const result of results) matrixTitles.add(titleOf(result));
    process.stdout.write(renderTable(title, results));
  }

  // Every other fault test, and any file that did not run at all.
  const lines: string[] = [];
  for (const file of report.testResults) {
    const others = file.assertionResults.filter((assertion) => !matrixTitles.has(assertion.title));
    if (others.length === 0 && file.assertionResults.length > 0) continue;
    lines.push('', `== ${relative(root, file.name)}`);
    if (file.assertionResults.length === 0) lines.push(`did not run: ${file.message.split('\n').find(Boolean) ?? ''}`);
    for (const assertion of others) {
      const why = (assertion.failureMessages[0] === undefined ? undefined : withoutColours(assertion.failureMessages[0]))
        ?.split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(0, 3)
        .join(' ');
      lines.push(
        `${assertion.status === 'passed' ? 'PASS' : 'FAIL'} | ${assertion.fullName}${assertion.status === 'passed' ? '' : ` | ${why ?? assertion.status}`}`,
      );
    }
  }
  const all = report.testResults.flatMap((file) => file.assertionResults);
  const inMatrix = all.filter((assertion) => matrixTitles.has(assertion.title));
  const others = all.filter((assertion) => !matrixTitles.has(assertion.title));
  const passing = (list: JestAssertion[]) => list.filter((assertion) => assertion.status === 'passed').length;
  lines.push('', `fault matrix: ${passing(inMatrix)} of ${inMatrix.length} cells hold; other fault tests: ${passing(others)} of ${others.length} pass`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${report.numPassedTests} passed, ${report.numFailedTests} failed\n`);
  process.exitCode = report.numFailedTests > 0 || jest.status !== 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
