// The step's outputs and its job summary for a check.

import { handleOf, type CheckResult, type KeyType } from './prefect/check.ts';
import { workspaceUrl } from './prefect/rest.ts';
import type { Runner } from './runner.ts';

export interface CheckReport {
  result: CheckResult;
  keyType: KeyType;
  apiBase: URL;
  durationMs: number;
}

const ICONS: Record<CheckResult['status'], string> = {
  valid: '✅',
  'invalid-key': '❌',
  forbidden: '⛔',
  'not-found': '❓',
  unavailable: '⚠️',
  unexpected: '⚠️',
};

/** Markdown table cell: no pipes or line breaks from the data can break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function reportCheck(out: Pick<Runner, 'setOutputs' | 'appendSummary'>, report: CheckReport): void {
  const { result, keyType, apiBase, durationMs } = report;
  const reachable = result.reachable?.map((info) => ({
    handle: handleOf(info),
    url: workspaceUrl(apiBase, info.account_id, info.workspace_id),
  }));
  out.setOutputs({
    valid: String(result.status === 'valid'),
    status: result.status,
    'status-code': result.statusCode === undefined ? '' : String(result.statusCode),
    'workspace-url': result.workspaceUrl ?? '',
    'key-type': keyType,
    workspaces: reachable ? JSON.stringify(reachable) : '',
  });

  const workspace = result.workspaceLabel ?? (reachable ? `${reachable.length} reachable` : '');
  const lines = [
    `### ${ICONS[result.status]} Prefect Cloud API key: ${result.status}`,
    '',
    '| Workspace | Result | Key type | HTTP status | Time |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(workspace)} | ${result.status} | ${keyType} | ${result.statusCode ?? '–'} | ${(durationMs / 1000).toFixed(2)} s |`,
    '',
    cell(result.message),
  ];
  if (reachable && reachable.length > 0) {
    lines.push('', '| Reachable workspace | PREFECT_API_URL |', '| --- | --- |');
    for (const entry of reachable) lines.push(`| ${cell(entry.handle)} | \`${cell(entry.url)}\` |`);
  }
  out.appendSummary(lines.join('\n'));
}
