// Every action of another owner, in the repository's workflows, the examples and
// the README's workflow blocks, pinned by full commit with its version as a
// comment: `owner/repo@<40 hex> # vX.Y.Z`. A tag can be moved to other code; a
// commit cannot. Dependabot's github-actions updates keep such pins current.
// Not pinned: `./` (this repository) and this action's own published name.

import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { codeBlocks, isYamlBlock, readText, ROOT } from './markdown.ts';

interface Source {
  /** Where it comes from, for messages: a path, or README.md. */
  source: string;
  text: string;
  /** The 1-based line in `source` of the text's first line. */
  firstLine: number;
}

/** `uses:` as a key of its own line, `- uses:` included, quoted or not, with an optional trailing comment. */
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(?<quote>['"]?)(?<ref>[^\s'"#]+)\k<quote>(?:\s+#\s*(?<comment>.*?))?\s*$/;
/** This repository (`./`, `./path`) or one of its actions by its published name (`your-org/prefect-cloud-key-action@v1`, `.../audit@v1`). */
const NOT_THIRD_PARTY = /^(\.\/.*|[\w.-]+\/prefect-cloud-key-action(\/audit)?(@.*)?)$/;
/** An action or reusable workflow of another owner, pinned by full commit. */
const PINNED = /^[\w.-]+\/[\w.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
/** The version comment Dependabot keeps current. */
const VERSION_COMMENT = /^v\d+\.\d+\.\d+\b/;
/** A container image pinned by digest. */
const DOCKER_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/** Every `uses` value in a parsed workflow or README block, wherever it sits: jobs, steps, a list of steps. */
function usesValues(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(usesValues);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'uses' && typeof value === 'string' ? [value] : usesValues(value)));
}

/** What is not pinned in one source, one sentence each, with its line. */
export function pinProblems({ source, text, firstLine }: Source): string[] {
  const problems: string[] = [];
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = USES_LINE.exec(line);
    if (!match?.groups) return;
    const ref = match.groups['ref'] ?? '';
    const comment = match.groups['comment'] ?? '';
    const where = `${source}:${firstLine + index}`;
    found.push(ref);
    if (NOT_THIRD_PARTY.test(ref)) return;
    if (ref.startsWith('docker://')) {
      if (!DOCKER_PINNED.test(ref)) problems.push(`${where}: ${ref} is not pinned by digest (docker://image@sha256:<64 hex>).`);
      return;
    }
    if (!PINNED.test(ref)) problems.push(`${where}: ${ref} is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).`);
    else if (!VERSION_COMMENT.test(comment)) problems.push(`${where}: ${ref} has no version comment (# vX.Y.Z) after its commit.`);
  });
  // A `uses` the line scan did not see (flow style, a multi-line value) would go unchecked: report it.
  const unseen = [...found];
  for (const value of usesValues(yaml.load(text))) {
    const index = unseen.indexOf(value);
    if (index === -1) problems.push(`${source}: uses ${value} is not on a line of its own (uses: owner/repo@<40 hex> # vX.Y.Z), so its pin cannot be checked.`);
    else unseen.splice(index, 1);
  }
  return problems;
}

const yamlFiles = (dir: string): Source[] =>
  readdirSync(resolve(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ source: `${dir}/${name}`, text: readText(`${dir}/${name}`), firstLine: 1 }));

const sources: Source[] = [
  ...yamlFiles('.github/workflows'),
  ...yamlFiles('examples'),
  ...codeBlocks(readText('README.md'))
    .filter(isYamlBlock)
    .map((block) => ({ source: 'README.md', text: block.text, firstLine: block.line + 1 })),
];

test('there is something to check: third-party actions in the workflows, the examples and the README', () => {
  const thirdParty = (source: Source) =>
    source.text
      .split('\n')
      .map((line) => USES_LINE.exec(line)?.groups?.['ref'])
      .filter((ref): ref is string => ref !== undefined && !NOT_THIRD_PARTY.test(ref));
  for (const prefix of ['.github/workflows/', 'examples/', 'README.md']) {
    expect({ prefix, found: sources.filter((source) => source.source.startsWith(prefix)).flatMap(thirdParty).length > 0 }).toEqual({ prefix, found: true });
  }
});

test('every third-party action is pinned by full commit, with its version as a comment', () => {
  expect(sources.flatMap(pinProblems)).toEqual([]);
});

test('an unpinned or uncommented action is reported (the check can fail)', () => {
  const sha = '3d3c42e5aac5ba805825da76410c181273ba90b1';
  const text = [
    'on: push',
    'jobs:',
    '  reusable:',
    '    uses: octo-org/workflows/.github/workflows/build.yml@main',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v7',
    `      - uses: actions/checkout@${sha} # v7.0.1`,
    `      - uses: actions/setup-node@${sha}`,
    `      - uses: 'actions/setup-node@${sha}' # latest`,
    '      - uses: actions/setup-python@5fda3b9 # v7.0.0',
    `      - uses: github/codeql-action/init@${sha.toUpperCase()} # v4.36.2`,
    '      - uses: docker://alpine:3.20',
    `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`,
    '      - { uses: actions/cache@v4 }',
    '      - uses: ./',
    '      - uses: ./.github/actions/local',
    '      - uses: your-org/prefect-cloud-key-action@v1',
    '        with:',
    '          api-key: x',
    '',
  ].join('\n');
  expect(pinProblems({ source: 'unpinned.yml', text, firstLine: 1 })).toEqual([
    'unpinned.yml:4: octo-org/workflows/.github/workflows/build.yml@main is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).',
    'unpinned.yml:8: actions/checkout@v7 is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).',
    `unpinned.yml:10: actions/setup-node@${sha} has no version comment (# vX.Y.Z) after its commit.`,
    `unpinned.yml:11: actions/setup-node@${sha} has no version comment (# vX.Y.Z) after its commit.`,
    'unpinned.yml:12: actions/setup-python@5fda3b9 is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).',
    `unpinned.yml:13: github/codeql-action/init@${sha.toUpperCase()} is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).`,
    'unpinned.yml:14: docker://alpine:3.20 is not pinned by digest (docker://image@sha256:<64 hex>).',
    'unpinned.yml: uses actions/cache@v4 is not on a line of its own (uses: owner/repo@<40 hex> # vX.Y.Z), so its pin cannot be checked.',
  ]);
});

test("a README block's line numbers are the README's", () => {
  const readme = ['# Title', '', '```yaml', '- uses: actions/checkout@v7', '```', ''].join('\n');
  const [block] = codeBlocks(readme).filter(isYamlBlock);
  expect(block).toBeDefined();
  if (!block) return;
  expect(pinProblems({ source: 'README.md', text: block.text, firstLine: block.line + 1 })).toEqual([
    'README.md:4: actions/checkout@v7 is not pinned to a full commit (owner/repo@<40 hex> # vX.Y.Z).',
  ]);
});
