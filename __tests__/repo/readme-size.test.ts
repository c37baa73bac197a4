// The README fits its two jobs (gate a deploy, rotate a key): short enough to
// read (at most 3,000 words, as `wc -w` counts them, and 450 lines), with a
// gate and a rotation dry run on its first screen, before anything else, and
// where to find each id; the depth lives in docs/ and CONTRIBUTING.md.

import { codeBlocks, readText } from './markdown.ts';

const readme = readText('README.md');
const lines = readme.split('\n');
/** A first screen and a bit: the gate and the dry run must be reached without scrolling far. */
const FIRST_SCREEN_LINES = 100;

test('at most 3,000 words and 450 lines', () => {
  expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(3000);
  expect(readme.endsWith('\n') ? lines.length - 1 : lines.length).toBeLessThanOrEqual(450);
});

test('a gate and a rotation dry run on the first screen, and where to find each id before them', () => {
  const early = codeBlocks(readme).filter((block) => block.lang === 'yaml' && block.line <= FIRST_SCREEN_LINES);
  const usesThis = early.filter((block) => /uses: [\w.-]+\/prefect-cloud-key-action@|uses: \.\//.test(block.text));
  const gate = usesThis.find((block) => !/rotate: true/.test(block.text));
  const dryRun = usesThis.find((block) => /rotate: true/.test(block.text) && /dry-run: true/.test(block.text));
  expect(gate).toBeDefined();
  expect(dryRun).toBeDefined();
  const idsHeading = lines.findIndex((line) => /^#+ Where to find each id/.test(line));
  expect(idsHeading).toBeGreaterThan(-1);
  expect(idsHeading + 1).toBeLessThan(dryRun!.line);
});

test('contributor commands come after usage, and the depth is linked, not repeated', () => {
  const heading = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  expect(heading(/^## Development/)).toBeGreaterThan(heading(/^## Rotate a key/));
  for (const link of ['docs/rotation.md', 'docs/cloud1.md', 'docs/how-it-works.md', 'CONTRIBUTING.md']) expect(readme).toContain(`(${link}`);
});
