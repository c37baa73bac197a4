// The hostile-server cells, run in-process: each field of the given kinds
// (support/hostile.ts) answered with each payload of the corpus, through the
// action's work and the runner's real output layer, judged as the runner would
// read it. Called by hostile-server-check.test.ts and
// hostile-server-rotation.test.ts, which split the kinds between workers.

import { useEmulator } from './emulator.ts';
import { FIELDS, inputsFor, isRotation, judge, PAYLOADS, type Field, type Kind, type Verdict } from './hostile.ts';
import { runInProcess } from './in-process-step.ts';
import { runnerEnv } from './rotation.ts';

/** One test per field × payload of `kinds`, and a closing line that counts them. */
export function hostileServerCells(kinds: Kind[]): void {
  const emulator = useEmulator();
  const fields = FIELDS.filter((field) => kinds.includes(field.kind));
  const cells = fields.flatMap((field) =>
    Object.entries(PAYLOADS).map(([payloadName, payload]) => [`${field.name} × ${payloadName}`, field, payload] as [string, Field, string]),
  );
  const results: Verdict[] = [];

  test.each(cells)('%s', async (_title, field, payload) => {
    const emu = emulator();
    emu.fault(field.route, field.fault(emu, payload));
    const inputs = inputsFor(emu, field.kind, field.extra);
    const shown = await runInProcess(inputs, { env: runnerEnv(emu), policy: 'quick' });
    const verdict = judge(emu, { key: inputs['api-key']!, token: inputs['github-token'] }, shown, { masked: shown.masked, bounded: false });
    results.push(verdict);
    const [route, operation] = String(field.route).split(':');
    expect(emu.requests.some((request) => request.route === route && (operation === undefined || request.operation === operation))).toBe(true);
    expect(shown.stdout).not.toContain('Prefect Cloud key action failed'); // a crash's title
    if (isRotation(field.kind)) expect(shown.outputs).toHaveProperty('rotation');
    expect(verdict).toEqual({ unintended: [], unmasked: 0, forged: [], summary: [] });
  });

  afterAll(() => {
    const failed = results.filter((verdict) => verdict.unintended.length + verdict.unmasked + verdict.forged.length + verdict.summary.length > 0).length;
    process.stdout.write(
      `== Hostile server, in-process: ${fields.length} fields of kinds ${kinds.join(', ')} × ${Object.keys(PAYLOADS).length} payloads: ${results.length - failed} passed, ${failed} failed\n`,
    );
  });
}
