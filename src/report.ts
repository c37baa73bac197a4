// The step's outputs and its job summary for a check.

import { mdCode, mdText } from './markdown.ts';
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

/** The most reachable workspaces the summary lists; the output lists them all. */
const MAX_LISTED = 50;

export async function reportCheck(out: Pick<Runner, 'setOutputs' | 'appendSummary'>, report: CheckReport): Promise<void> {
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
    `| ${mdText(workspace)} | ${result.status} | ${keyType} | ${result.statusCode ?? '–'} | ${(durationMs / 1000).toFixed(2)} s |`,
    '',
    mdText(result.message, 2000),
  ];
  if (reachable && reachable.length > 0) {
    lines.push('', '| Reachable workspace | PREFECT_API_URL |', '| --- | --- |');
    for (const entry of reachable.slice(0, MAX_LISTED)) lines.push(`| ${mdText(entry.handle)} | ${mdCode(entry.url)} |`);
    if (reachable.length > MAX_LISTED) lines.push('', `and ${reachable.length - MAX_LISTED} more, listed in the workspaces output.`);
  }
  await out.appendSummary(lines.join('\n'));
}
