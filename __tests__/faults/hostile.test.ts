// A hostile server, through the built action as a process: what only a
// process shows. The in-process matrix (hostile-server-*.test.ts) sends every
// payload through every field; here, two runs read as the runner reads them:
// a megabyte of hostile text in the check's summary (the runner's 64 KiB
// bound on the file it writes), and every short payload at once in a
// rotation's error (masks printed before anything else, outputs in the file).

import { runAction, type ActionRun } from '../support/action.ts';
import { ALL_SHORT_PAYLOADS, FIELDS, inputsFor, isRotation, judge, PAYLOADS } from '../support/hostile.ts';
import { rotate } from '../support/rotation.ts';
import { withEmulator } from './matrix.ts';

const fieldNamed = (name: string) => FIELDS.find((field) => field.name === name)!;

test.concurrent.each([
  ['/me/workspaces workspace_handle', PAYLOADS['a 1 MB string']!],
  ['rotate_api_key 422 detail', ALL_SHORT_PAYLOADS],
])('%s, through dist/index.js: no command, no unmasked secret, no forged output, a bounded summary', async (name, payload) =>
  withEmulator(async (emu) => {
    const field = fieldNamed(name);
    emu.fault(field.route, field.fault(emu, payload));
    const inputs = inputsFor(emu, field.kind, field.extra);
    const run: ActionRun = isRotation(field.kind) ? await rotate(emu, inputs) : await runAction(inputs);
    expect(emu.requests.some((request) => request.route === field.route)).toBe(true);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('Prefect Cloud key action failed'); // a crash's title
    // The masks come first: no line of the action's own before them.
    expect(run.stdout.startsWith('::add-mask::')).toBe(true);
    expect(judge(emu, { key: inputs['api-key']!, token: inputs['github-token'] }, run)).toEqual({ unintended: [], unmasked: 0, forged: [], summary: [] });
  }),
);
