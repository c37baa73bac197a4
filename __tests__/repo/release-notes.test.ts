// scripts/release-notes.sh, which the release workflow runs to take a release's
// notes from CHANGELOG.md: the section of one version, and a clear failure for
// a version without one.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readText, ROOT } from './markdown.ts';

const SCRIPT = resolve(ROOT, 'scripts/release-notes.sh');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function releaseNotes(...args: string[]): Run {
  const run = spawnSync('bash', [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// A changelog in the repository's format, with the cases that matter: a version
// that is a prefix of another (1.0.1, 1.0.10), blank lines around a section,
// subsections, and link definitions after the last section.
const FIXTURE = `# Changelog

All notable changes to this action are recorded here.

## [Unreleased]

### Added

- Something not released yet.

## [1.0.10] - 2026-03-02

### Fixed

- The tenth fix.

## [1.0.1] - 2026-02-01


### Fixed

- A fix, with \`code\`,
  over two lines.

### Changed

- A change.

## [1.0.0] - 2026-01-15

The first release.

[Unreleased]: https://github.com/your-org/prefect-cloud-key-action/compare/v1.0.10...HEAD
[1.0.10]: https://github.com/your-org/prefect-cloud-key-action/compare/v1.0.1...v1.0.10
`;

let dir: string;
let changelog: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  changelog = join(dir, 'CHANGELOG.md');
  writeFileSync(changelog, FIXTURE);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('the script is executable, as the release workflow runs it', () => {
  expect(statSync(SCRIPT).mode & 0o111).not.toBe(0);
});

test("prints a version's section without its heading, the tag's v optional", () => {
  const expected = ['### Fixed', '', '- A fix, with `code`,', '  over two lines.', '', '### Changed', '', '- A change.', ''].join('\n');
  expect(releaseNotes('v1.0.1', changelog)).toEqual({ status: 0, stdout: expected, stderr: '' });
  expect(releaseNotes('1.0.1', changelog)).toEqual({ status: 0, stdout: expected, stderr: '' });
});

test('a version is matched whole: 1.0.1 is not 1.0.10', () => {
  expect(releaseNotes('v1.0.10', changelog)).toEqual({ status: 0, stdout: '### Fixed\n\n- The tenth fix.\n', stderr: '' });
});

test('the last section ends before the link definitions', () => {
  expect(releaseNotes('v1.0.0', changelog)).toEqual({ status: 0, stdout: 'The first release.\n', stderr: '' });
});

test('a version without a section fails, saying so on stderr', () => {
  const run = releaseNotes('v1.0.2', changelog);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/has no section for 1\.0\.2/);
});

test('an empty section fails', () => {
  const empty = join(dir, 'EMPTY.md');
  writeFileSync(empty, '# Changelog\n\n## [1.1.0] - 2026-04-01\n\n## [1.0.0] - 2026-01-15\n\nThe first release.\n');
  const run = releaseNotes('v1.1.0', empty);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/the section for 1\.1\.0 .* is empty/);
});

test('anything but one version, such as v1.2.3, is a usage error', () => {
  for (const args of [[], ['v1.2'], ['Unreleased'], ['v1.2.3', changelog, 'extra']]) {
    const run = releaseNotes(...args);
    expect({ args, status: run.status, stdout: run.stdout }).toEqual({ args, status: 2, stdout: '' });
    expect(run.stderr).toMatch(/^usage: /);
  }
});

// The repository's own CHANGELOG.md, which the script reads by default.

const released = [...readText('CHANGELOG.md').matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/gm)].map((match) => match[1] ?? '');

test('CHANGELOG.md: a version that has no section fails, naming CHANGELOG.md', () => {
  expect(released).not.toContain('0.0.0');
  const run = releaseNotes('v0.0.0');
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/CHANGELOG\.md has no section for 0\.0\.0/);
});

test('CHANGELOG.md: every released version has notes', () => {
  // None before the first release; from then on, every `## [x.y.z] - date` heading.
  for (const version of released) {
    const run = releaseNotes(`v${version}`);
    expect({ version, status: run.status, stderr: run.stderr }).toEqual({ version, status: 0, stderr: '' });
    expect(run.stdout.trim()).not.toBe('');
  }
});
