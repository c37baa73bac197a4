// The outputs and the whole job summary of a check (src/report.ts), for each
// status and each kind of expiry, the reachable list at and past its bound.

import { reportCheck, reportExport, type CheckReport } from '../src/report.ts';
import type { CheckResult } from '../src/prefect/check.ts';
import type { WorkspaceInfo } from '../src/prefect/rest.ts';

const API = new URL('https://api.prefect.cloud/api/');
const DAY = 86_400_000;

async function render(result: CheckResult, extra: Partial<CheckReport> = {}) {
  const outputs: Record<string, string>[] = [];
  const summaries: string[] = [];
  await reportCheck(
    { setOutputs: (values) => void outputs.push(values), appendSummary: async (text) => void summaries.push(text) },
    { result, keyType: 'user', apiBase: API, durationMs: 1234, ...extra },
  );
  expect(outputs).toHaveLength(1);
  expect(summaries).toHaveLength(1);
  return { outputs: outputs[0]!, summary: summaries[0]! };
}

const info = (n: number): WorkspaceInfo => ({
  account_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  account_handle: 'acme',
  workspace_id: `11111111-1111-4111-8111-${String(n).padStart(12, '0')}`,
  workspace_handle: `ws-${n}`,
});

test('a valid check: every output, and the summary line by line', async () => {
  const { outputs, summary } = await render(
    { status: 'valid', statusCode: 200, workspaceLabel: 'acme/prod', workspaceUrl: 'https://u', message: 'The key works.' },
    { expiry: { kind: 'never' }, scopes: ['see_flows'], keyType: 'service-account' },
  );
  expect(outputs).toEqual({
    status: 'valid',
    'status-code': '200',
    'workspace-url': 'https://u',
    'key-type': 'service-account',
    workspaces: '',
    'key-expires-at': '',
    'key-days-left': '',
    scopes: '["see_flows"]',
  });
  expect(summary).toBe(
    [
      '### ✅ Prefect Cloud API key: valid',
      '',
      '| Workspace | Result | Key type | HTTP status | Time |',
      '| --- | --- | --- | --- | --- |',
      '| acme/prod | valid | service-account | 200 | 1.23 s |',
      '',
      'The key works.',
      '',
      'The key never expires.',
    ].join('\n'),
  );
});

test.each([
  ['invalid-key', '❌'],
  ['forbidden', '⛔'],
  ['not-found', '❓'],
  ['missing-scopes', '⛔'],
  ['unavailable', '⚠️'],
  ['unexpected', '⚠️'],
] as const)('%s has its icon, no status code shown as a dash, and the status output', async (status, icon) => {
  const { outputs, summary } = await render({ status, message: 'm' });
  expect(summary.split('\n')[0]).toBe(`### ${icon} Prefect Cloud API key: ${status}`);
  expect(summary.split('\n')[4]).toBe(`|  | ${status} | user | – | 1.23 s |`);
  expect(outputs.status).toBe(status);
  expect(outputs['status-code']).toBe('');
  expect(outputs['workspace-url']).toBe('');
  expect(outputs.scopes).toBe('');
});

test.each([
  [10 * DAY + 60_000, 'in 10 days', '10'],
  [DAY + 60_000, 'in 1 day', '1'],
  [60_000, 'in 0 days', '0'],
])('an expiry %i ms away is %s', async (ms, words, days) => {
  const at = new Date(Date.now() + ms).toISOString();
  const { outputs, summary } = await render({ status: 'valid', message: 'm' }, { expiry: { kind: 'expires', at } });
  expect(summary.endsWith(`\n\nThe key expires at ${at}, ${words}.`)).toBe(true);
  expect(outputs['key-expires-at']).toBe(at);
  expect(outputs['key-days-left']).toBe(days);
});

test('a passed expiry, an unknown one, and none for a rejected key', async () => {
  const at = new Date(Date.now() - 60_000).toISOString();
  expect((await render({ status: 'valid', message: 'm' }, { expiry: { kind: 'expires', at } })).summary.endsWith(`\n\nThe key expired at ${at}.`)).toBe(true);
  expect(
    (await render({ status: 'valid', message: 'm' }, { expiry: { kind: 'unknown', why: 'a_b' } })).summary.endsWith(
      '\n\nWhen the key expires is unknown: a\\_b.',
    ),
  ).toBe(true);
  const rejected = await render({ status: 'invalid-key', message: 'm' }, { expiry: { kind: 'expires', at } });
  expect(rejected.summary.endsWith('\n\nm')).toBe(true);
  expect(rejected.outputs['key-expires-at']).toBe(at);
  expect((await render({ status: 'valid', message: 'm' })).summary.endsWith('\n\nm')).toBe(true);
});

test('the reachable workspaces: listed with their URLs, counted in the cell, all in the output', async () => {
  const { outputs, summary } = await render({ status: 'not-found', statusCode: 404, message: 'm', reachable: [info(1), info(2)] });
  const url = (n: number) => `https://api.prefect.cloud/api/accounts/${info(n).account_id}/workspaces/${info(n).workspace_id}`;
  expect(JSON.parse(outputs.workspaces!)).toEqual([
    { handle: 'acme/ws-1', url: url(1) },
    { handle: 'acme/ws-2', url: url(2) },
  ]);
  expect(summary).toBe(
    [
      '### ❓ Prefect Cloud API key: not-found',
      '',
      '| Workspace | Result | Key type | HTTP status | Time |',
      '| --- | --- | --- | --- | --- |',
      '| 2 reachable | not-found | user | 404 | 1.23 s |',
      '',
      'm',
      '',
      '| Reachable workspace | PREFECT_API_URL |',
      '| --- | --- |',
      `| acme/ws-1 | \`${url(1)}\` |`,
      `| acme/ws-2 | \`${url(2)}\` |`,
    ].join('\n'),
  );
});

test('no reachable workspace: no table, "0 reachable", an empty list output', async () => {
  const { outputs, summary } = await render({ status: 'not-found', message: 'm', reachable: [] });
  expect(outputs.workspaces).toBe('[]');
  expect(summary).not.toContain('Reachable workspace');
  expect(summary.split('\n')[4]).toBe('| 0 reachable | not-found | user | – | 1.23 s |');
});

test('50 reachable workspaces are all listed; 51 list 50 and say how many more', async () => {
  const fifty = await render({ status: 'valid', message: 'm', reachable: Array.from({ length: 50 }, (_, n) => info(n)) });
  expect(fifty.summary.match(/^\| acme\/ws-/gm)).toHaveLength(50);
  expect(fifty.summary).not.toContain('more');
  const more = await render({ status: 'valid', message: 'm', reachable: Array.from({ length: 52 }, (_, n) => info(n)) });
  expect(more.summary.match(/^\| acme\/ws-/gm)).toHaveLength(50);
  expect(more.summary).not.toContain('ws-50');
  expect(more.summary.endsWith('` |\n\nand 2 more, listed in the workspaces output.')).toBe(true);
  expect(JSON.parse(more.outputs.workspaces!)).toHaveLength(52);
});

test('the export line names the key and the URL, never the key itself', async () => {
  const lines: string[] = [];
  const out = { appendSummary: async (text: string) => void lines.push(text) };
  await reportExport(out, { rotatedKey: false });
  await reportExport(out, { rotatedKey: true, workspaceUrl: 'https://h/a|b' });
  expect(lines).toEqual([
    "\nExported `PREFECT_API_KEY` (the checked key, masked) for the job's later steps.",
    "\nExported `PREFECT_API_KEY` (the new key, masked) and `PREFECT_API_URL` (`https://h/a\\|b`) for the job's later steps.",
  ]);
});

test('a withheld key: the summary says why, and what was exported instead', async () => {
  const lines: string[] = [];
  const out = { appendSummary: async (text: string) => void lines.push(text) };
  await reportExport(out, { rotatedKey: false, keyWithheld: 'this was a dry run', workspaceUrl: 'https://h/api/accounts/a/workspaces/w' });
  await reportExport(out, { rotatedKey: false, keyWithheld: 'no new key was written' });
  expect(lines).toEqual([
    "\n`PREFECT_API_KEY` was not exported: this was a dry run. Exported `PREFECT_API_URL` (`https://h/api/accounts/a/workspaces/w`) for the job's later steps.",
    '\n`PREFECT_API_KEY` was not exported: no new key was written.',
  ]);
});
