// A hostile server, in-process: every server field that could reach a log
// line, the job summary or an output (support/hostile.ts), answered with each
// payload of the corpus, through the action's work and the runner's real
// output layer (support/in-process-step.ts). Each run is read the way the
// runner reads it and must show no command the action did not mean to send, no
// secret left unmasked, no forged output and no outside markup in the summary.
// KINDS selects the fields: the check's here, the rotation's in
// hostile-server-rotation.test.ts (the two share the work between workers).
// The corpus through the built action, as a process, is faults/hostile.test.ts's.

import { hostileServerCells } from './support/hostile-cells.ts';
import { judge, MARK, withoutEmulator, type Kind, type Shown } from './support/hostile.ts';

const KINDS: Kind[] = ['check', 'cloud1 check'];

test('the judge counts what a runner would be made to do: it can fail', () => {
  const key = `pnu_${'K'.repeat(36)}`;
  const shown: Shown = {
    stdout: [
      `Workspace acme`,
      `::set-output name=rotated::${MARK}`,
      `::stop-commands::x`,
      `::add-mask::${key}`,
      '::x::',
      `a ##[add-mask]API key`,
      `::error::${MARK}`,
      '',
    ].join('\n'),
    summary: `### ok\n\n| a | b |\n| x|${MARK} | y |\n# ${MARK}\n<b>${MARK}</b> [l](https://evil.example)\n`,
    outputs: { status: 'valid', rotated: MARK, injected: 'x' },
  };
  const verdict = withoutEmulator((emu) => judge(emu, { key }, shown));
  expect(verdict.unintended).toEqual(['::set-output', '::stop-commands', '##[add-mask', '::error']);
  expect(verdict.unmasked).toBe(1);
  expect(verdict.forged).toEqual(['rotated', 'injected']);
  expect(verdict.summary).toEqual(['raw <', 'raw [', 'a broken table row', `a heading: # ${MARK}`, 'an outside heading']);
  // In-process, the values given to the runner to mask count; an unbounded summary is not held to the bound.
  expect(withoutEmulator((emu) => judge(emu, { key }, shown, { masked: [key], bounded: false })).unmasked).toBe(0);
  const long = { ...shown, stdout: `::add-mask::${key}\n`, summary: 'x'.repeat(70_000), outputs: {} };
  expect(withoutEmulator((emu) => judge(emu, { key }, long)).summary).toEqual(['70000 bytes']);
  expect(withoutEmulator((emu) => judge(emu, { key }, long, { bounded: false })).summary).toEqual([]);
});

hostileServerCells(KINDS);
