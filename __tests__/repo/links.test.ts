// Relative links in the user-facing Markdown (README, docs/, CONTRIBUTING,
// SECURITY) point at files that exist and at headings those files have: text
// moves between the README and docs/, and a link left behind would send a
// reader nowhere. Links to other sites are not followed (the tests run offline).

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { codeBlocks, readText, ROOT } from './markdown.ts';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; a repeat gets -1, -2, ... */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The text with its fenced code blocks blanked, so that neither their links nor their comments count. */
function withoutCode(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of codeBlocks(markdown)) {
    const length = block.text.split('\n').length;
    for (let index = block.line - 1; index < block.line + length; index += 1) lines[index] = '';
  }
  return lines.join('\n');
}

/** Relative link targets of a Markdown text, outside code blocks and code spans. */
export function relativeLinks(markdown: string): string[] {
  const prose = withoutCode(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '').filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is broken among the relative links of the file at `path` (relative to the repository), one sentence each. */
export function linkProblems(path: string, markdown: string, read: (path: string) => string = readText): string[] {
  const problems: string[] = [];
  for (const target of relativeLinks(markdown)) {
    const [file = '', anchor] = target.split('#');
    const linked = file === '' ? path : normalize(join(dirname(path), file));
    if (file !== '' && (linked.startsWith('..') || !existsSync(resolve(ROOT, linked)))) {
      problems.push(`${path} links to ${target}, and ${linked} does not exist.`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!linked.endsWith('.md')) {
      problems.push(`${path} links to ${target}, a heading in a file that is not Markdown.`);
      continue;
    }
    const text = linked === path ? markdown : read(linked);
    if (!headingAnchors(text).has(anchor)) problems.push(`${path} links to ${target}, and ${linked} has no heading #${anchor}.`);
  }
  return problems;
}

const documents = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync(resolve(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

test('every relative link in the README, docs/, CONTRIBUTING and SECURITY points at a file and heading that exist', () => {
  expect(documents).toEqual(expect.arrayContaining(['docs/rotation.md', 'docs/cloud1.md', 'docs/how-it-works.md']));
  expect(documents.flatMap((path) => linkProblems(path, readText(path)))).toEqual([]);
});

test('a link to a missing file or heading is caught; code and other sites are not read as links', () => {
  const text = [
    '# Title',
    '## What the token needs',
    '## What the token needs',
    'See [the token](#what-the-token-needs), [again](#what-the-token-needs-1), [gone](#a-dry-run),',
    '[rotation](rotation.md#the-order-that-loses-nothing), [no file](missing.md), [no heading](rotation.md#nowhere),',
    '[a site](https://example.com/x.md), `[code](nowhere.md)`.',
    '```md',
    '[in a block](nowhere.md)',
    '```',
    '',
  ].join('\n');
  expect(linkProblems('docs/page.md', text)).toEqual([
    'docs/page.md links to #a-dry-run, and docs/page.md has no heading #a-dry-run.',
    'docs/page.md links to missing.md, and docs/missing.md does not exist.',
    'docs/page.md links to rotation.md#nowhere, and docs/rotation.md has no heading #nowhere.',
  ]);
  expect([...headingAnchors("## GitHub's rate limits\n### `workspace-url` as `PREFECT_API_URL`\n")]).toEqual([
    'githubs-rate-limits',
    'workspace-url-as-prefect_api_url',
  ]);
});
