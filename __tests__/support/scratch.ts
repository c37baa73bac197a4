// Temporary directories for a test file's own files (an output file, a copy of
// the bundle, a certificate), removed when the file's tests end: a suite run
// otherwise leaves hundreds behind in the system's temporary folder.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

// Registered once per test file: jest loads this module afresh for each.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory, named `prefix` and a random suffix, removed after the test file's last test. */
export function scratchDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}
