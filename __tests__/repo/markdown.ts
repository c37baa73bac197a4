// The small parts of Markdown and action.yml the repository tests read:
// fenced code blocks, pipe tables, and the inputs and outputs of the action.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';

export const ROOT = resolve(import.meta.dirname, '../..');

export const readText = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionSpec {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
}

export function parseAction(text: string): ActionSpec {
  const metadata = yaml.load(text) as Partial<ActionSpec>;
  return { inputs: metadata.inputs ?? {}, outputs: metadata.outputs ?? {} };
}

export interface CodeBlock {
  /** The info string after the opening fence: `yaml`, `bash`, ... */
  lang: string;
  /** The block's text, ending with a newline. */
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(`{3,})\s*([\w-]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const end = lines.findIndex((line, index) => index > i && line.trimEnd() === fence);
    if (end === -1) throw new Error(`the code block at line ${i + 1} is never closed`);
    blocks.push({ lang: open[2] ?? '', text: `${lines.slice(i + 1, end).join('\n')}\n`, line: i + 1 });
    i = end;
  }
  return blocks;
}

export const isYamlBlock = (block: CodeBlock): boolean => block.lang === 'yaml' || block.lang === 'yml';

export interface Table {
  header: string[];
  rows: string[][];
  /** 1-based line of the header row. */
  line: number;
}

function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Pipe tables outside code blocks: a header row, a delimiter row, then body rows. */
export function tables(markdown: string): Table[] {
  const found: Table[] = [];
  const lines = markdown.split('\n');
  let inCode = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^`{3,}/.test(line)) inCode = !inCode;
    if (inCode || !line.trimStart().startsWith('|')) continue;
    const delimiter = lines[i + 1] ?? '';
    if (!/^\s*\|?\s*:?-{3,}/.test(delimiter)) continue;
    const table: Table = { header: cells(line).map((cell) => cell.toLowerCase()), rows: [], line: i + 1 };
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').trimStart().startsWith('|'); j += 1) table.rows.push(cells(lines[j] ?? ''));
    found.push(table);
    i = j - 1;
  }
  return found;
}
