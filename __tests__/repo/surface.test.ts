// The action's public surface, one meaning per input and per output: the
// outputs that said again what `status` and `rotation` say (valid, rotated,
// secret-updated, old-key-revoked) are gone, and the inputs renamed so that a
// user reads them right must not come back under their old names, in
// action.yml, in what users copy from (README, docs, examples, workflows), or
// among the outputs the step writes.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckInputs } from '../../src/inputs.ts';
import { run } from '../../src/main.ts';
import type { RotationOutcome } from '../../src/rotate/plan.ts';
import { rotationOutputs } from '../../src/rotate/report.ts';
import { recordingRunner } from '../support/recording-runner.ts';
import { parseAction, readText, ROOT } from './markdown.ts';

const REMOVED_OUTPUTS = ['valid', 'rotated', 'secret-updated', 'old-key-revoked'];
const RENAMED_INPUTS: Record<string, string> = {
  'expiry-warning-days': 'warn-if-expires-within-days',
  'key-expires-in-days': 'new-key-expires-in-days',
  'rotation-api': 'prefect-api',
};

const action = parseAction(readText('action.yml'));

test('action.yml has none of the removed outputs, and the renamed inputs only under their new names', () => {
  expect(Object.keys(action.outputs).filter((name) => REMOVED_OUTPUTS.includes(name))).toEqual([]);
  expect(Object.keys(action.inputs).filter((name) => name in RENAMED_INPUTS)).toEqual([]);
  for (const name of Object.values(RENAMED_INPUTS)) expect(action.inputs).toHaveProperty([name]);
  // The gate and the rotation's ending stay, each the one output for its question.
  expect(action.outputs).toHaveProperty(['status']);
  expect(action.outputs).toHaveProperty(['rotation']);
});

/** The text users copy from: every place an old name would mislead. */
function userFacingFiles(): string[] {
  const under = (folder: string, ext: RegExp) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => ext.test(name))
      .map((name) => `${folder}/${name}`);
  return [
    'action.yml',
    'README.md',
    'SECURITY.md',
    'CONTRIBUTING.md',
    ...under('docs', /\.md$/),
    ...under('examples', /\.ya?ml$/),
    ...under('.github/workflows', /\.ya?ml$/),
  ];
}

test('no old input name or removed output is named where users copy from', () => {
  const found: string[] = [];
  // An old input as `name:`, `name` or INPUT_NAME; a removed output as outputs.<name>.
  const oldInput = new RegExp(`(?<![\\w-])(${Object.keys(RENAMED_INPUTS).join('|')})(?![\\w-])`, 'i');
  const removedOutput = new RegExp(
    `outputs\\.(${REMOVED_OUTPUTS.join('|')})(?![\\w-])|\`(${REMOVED_OUTPUTS.filter((name) => name !== 'valid' && name !== 'rotated').join('|')})\``,
  );
  for (const path of userFacingFiles()) {
    readText(path)
      .split('\n')
      .forEach((line, index) => {
        if (oldInput.test(line) || removedOutput.test(line)) found.push(`${path}:${index + 1}: ${line.trim()}`);
      });
  }
  expect(found).toEqual([]);
});

test('the check (a rotation that never started included) and a rotation write only outputs action.yml declares', async () => {
  const { runner, recorded } = recordingRunner();
  const inputs = parseCheckInputs(
    (name) => ({ rotate: 'true' })[name] ?? '',
    () => undefined,
  );
  expect(await run(inputs, runner)).toBe(1);
  rotationOutputs(runner, {
    dryRun: false,
    rotated: true,
    newKey: { id: '11111111-2222-3333-4444-555555555555', value: 'pnb_newkeynewkeynewkeynewkeynewkeynewk', expiresAt: null },
    newKeyLive: true,
    written: [],
    failed: [],
    steps: [],
  } satisfies RotationOutcome);
  expect(recorded.outputs).toHaveProperty(['status']);
  expect(recorded.outputs).toHaveProperty(['rotation']);
  expect(Object.keys(recorded.outputs).filter((name) => !(name in action.outputs))).toEqual([]);
});
