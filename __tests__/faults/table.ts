// The fault matrix's results: one row per cell, the grid and list each file
// prints, and the JSON files scripts/fault-table.ts gathers. No test globals
// and no emulator here, so that the script can load it on its own.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type FaultName =
  '500' | '502' | '503' | '429 Retry-After' | '429' | 'delay' | 'hang' | 'reset' | 'reset after effect' | 'malformed' | 'empty' | 'html' | 'graphqlError';

export type Variant = 'once' | 'always';

/** once: the first request on the route fails, the next gets through; always: every one fails. */
export const VARIANTS: Variant[] = ['once', 'always'];

/** Every fault of the matrix, in the order the tables show them. */
export const FAULT_ORDER: FaultName[] = [
  '500',
  '502',
  '503',
  '429 Retry-After',
  '429',
  'delay',
  'hang',
  'reset',
  'reset after effect',
  'malformed',
  'empty',
  'html',
  'graphqlError',
];

export interface Row {
  /** The route as the tables show it, e.g. 'graphql:create_api_key' or 'gh-secret-put (graphql)'. */
  route: string;
  fault: FaultName;
  variant: Variant;
  /** What the README says happens, in a few words. */
  expected: string;
}

export interface CellResult extends Row {
  observed: string;
  pass: boolean;
  failure?: string;
}

export function titleOf(row: Row): string {
  return `${row.route} | ${row.fault} | ${row.variant} → ${row.expected}`;
}

const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Text without terminal colour codes. */
export function withoutColours(text: string): string {
  return text.replace(COLOURS, '');
}

/** An assertion's message on one line: jest's colours gone, the gist kept. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return withoutColours(text)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 12)
    .join(' ')
    .slice(0, 400);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The grid (route × fault, each mark once/always) and the list of cells. */
export function renderTable(title: string, results: CellResult[]): string {
  const routes = [...new Set(results.map((result) => result.route))];
  const faults = FAULT_ORDER.filter((fault) => results.some((result) => result.fault === fault));
  const mark = (route: string, fault: FaultName) =>
    VARIANTS.map((variant) => {
      const cell = results.find((result) => result.route === route && result.fault === fault && result.variant === variant);
      return cell ? (cell.pass ? 'ok' : 'XX') : '--';
    }).join('/');
  const routeWidth = Math.max(5, ...routes.map((route) => route.length));
  const widths = faults.map((fault) => Math.max(fault.length, 5));
  const lines = [`\n== Fault matrix: ${title} (each mark: once/always; ok passed, XX failed, -- no cell)`];
  lines.push(`${pad('route', routeWidth)} | ${faults.map((fault, i) => pad(fault, widths[i]!)).join(' | ')}`);
  lines.push(`${'-'.repeat(routeWidth)}-|-${widths.map((width) => '-'.repeat(width)).join('-|-')}`);
  for (const route of routes) lines.push(`${pad(route, routeWidth)} | ${faults.map((fault, i) => pad(mark(route, fault), widths[i]!)).join(' | ')}`);
  lines.push('', 'route | fault | variant | expected | observed | result');
  for (const result of results) {
    lines.push(
      `${result.route} | ${result.fault} | ${result.variant} | ${result.expected} | ${result.observed} | ${result.pass ? 'PASS' : `FAIL: ${result.failure}`}`,
    );
  }
  const passed = results.filter((result) => result.pass).length;
  lines.push(`${title}: ${passed} passed, ${results.length - passed} failed`, '');
  return lines.join('\n');
}

/** With FAULT_RESULTS_DIR set (scripts/fault-table.ts), each file leaves its results there as JSON. */
export function saveResults(title: string, results: CellResult[]): void {
  const dir = process.env.FAULT_RESULTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${title.replace(/[^A-Za-z0-9-]+/g, '_')}.json`), JSON.stringify({ title, results }, null, 2));
}
