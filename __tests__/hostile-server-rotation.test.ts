// A hostile server, in-process: every server field that could reach a log
// line, the job summary or an output (support/hostile.ts), answered with each
// payload of the corpus, through the action's work and the runner's real
// output layer (support/in-process-step.ts). Each run is read the way the
// runner reads it and must show no command the action did not mean to send, no
// secret left unmasked, no forged output and no outside markup in the summary.
// KINDS selects the fields: the rotation's here, the check's (and the judge's
// own test) in hostile-server-check.test.ts; the two share the work between workers.
// The corpus through the built action, as a process, is faults/hostile.test.ts's.

import { useEmulator } from './support/emulator.ts';
import { FIELDS, inputsFor, isRotation, judge, PAYLOADS, type Field, type Kind, type Verdict } from './support/hostile.ts';
import { runInProcess } from './support/in-process-step.ts';
import { runnerEnv } from './support/rotation.ts';

const emulator = useEmulator();
const KINDS: Kind[] = ['rest', 'cloud1'];

const fields = FIELDS.filter((field) => KINDS.includes(field.kind));
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
  if (isRotation(field.kind)) expect(shown.outputs).toHaveProperty('rotated');
  expect(verdict).toEqual({ unintended: [], unmasked: 0, forged: [], summary: [] });
});

afterAll(() => {
  const failed = results.filter((verdict) => verdict.unintended.length + verdict.unmasked + verdict.forged.length + verdict.summary.length > 0).length;
  process.stdout.write(
    `== Hostile server, in-process: ${fields.length} fields of kinds ${KINDS.join(', ')} × ${Object.keys(PAYLOADS).length} payloads: ${results.length - failed} passed, ${failed} failed\n`,
  );
});
