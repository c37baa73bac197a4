// Every GitHub request any emulator in this module instance (under Jest: this test file) checked against GitHub's description,
// and those that departed from it, so a test file can fail on a request real GitHub would refuse even when the action coped.

export interface ViolationRecord {
  emulator: number; // which emulator saw it, in start order
  method: string;
  path: string;
  operationId: string | undefined;
  violations: string[];
  /** The test said it sends malformed requests on purpose (`Emulator.expectViolations()`). */
  expected: boolean;
}

const records: ViolationRecord[] = [];
let validated = 0;
let reported = 0;
let emulators = 0;

/** An id for a new emulator. */
export function nextEmulatorId(): number {
  emulators += 1;
  return emulators;
}

/** Counts a checked request, and keeps it when it departed from the description. */
export function recordValidation(record: ViolationRecord): void {
  validated += 1;
  if (record.violations.length > 0) records.push(record);
}

/** How many GitHub requests were checked against GitHub's description so far (under Jest: in this test file). */
export function validatedGithubRequests(): number {
  return validated;
}

/** Every GitHub request that departed from GitHub's description, expected ones included. */
export function githubViolations(): readonly ViolationRecord[] {
  return records;
}

/** Throws, naming each request, when a request not covered by `expectViolations()` departed from GitHub's description since the last call. */
export function assertNoUnexpectedGithubViolations(): void {
  const unexpected = records.slice(reported).filter((record) => !record.expected);
  reported = records.length;
  if (unexpected.length === 0) return;
  const lines = unexpected.map(({ method, path, operationId, violations }) => `${method} ${path} (${operationId ?? 'no operation'}): ${violations.join(' ')}`);
  throw new Error(
    `${unexpected.length} GitHub request(s) did not conform to GitHub's OpenAPI description; real GitHub would refuse them:\n${lines.join('\n')}`,
  );
}
