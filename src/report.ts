// The step's outputs and its job summary for a check.

import { displayUrl } from './display-url.ts';
import { handleOf, type CheckResult, type KeyType } from './prefect/check.ts';
import { daysLeft, type Expiry } from './prefect/expiry.ts';
import { workspaceUrl } from './prefect/rest.ts';
import type { Runner } from './runner.ts';
import { mdCode, mdText } from './safe-text.ts';

export interface CheckReport {
  result: CheckResult;
  keyType: KeyType;
  apiBase: URL;
  durationMs: number;
  /** When the checked key expires; undefined when it was not asked. */
  expiry?: Expiry;
  /** The key's scopes in the workspace, when required-scopes asked for them and Prefect said. */
  scopes?: string[];
  /** No workspace was named: the summary says that the key alone was checked. */
  noWorkspaceNamed?: boolean;
}

/** An expiry with its whole days left, counted once: the output and the summary's line then say the same number, even across a day's boundary. */
export type CountedExpiry = Exclude<Expiry, { kind: 'expires' }> | { kind: 'expires'; at: string; days: number };

function counted(expiry: Expiry | undefined): CountedExpiry | undefined {
  return expiry?.kind === 'expires' ? { ...expiry, days: daysLeft(expiry.at) } : expiry;
}

/** An expiry as the outputs give it: RFC 3339 and whole days left, both empty when it never expires or is unknown. */
function expiryOutputs(expiry: CountedExpiry | undefined): { at: string; days: string } {
  return expiry?.kind === 'expires' ? { at: expiry.at, days: String(expiry.days) } : { at: '', days: '' };
}

function expiryLine(expiry: CountedExpiry | undefined): string | undefined {
  if (!expiry) return undefined;
  if (expiry.kind === 'never') return 'The key never expires.';
  if (expiry.kind === 'unknown') return `When the key expires is unknown: ${expiry.why}.`;
  const { days } = expiry;
  return days < 0 ? `The key expired at ${expiry.at}.` : `The key expires at ${expiry.at}, in ${days} ${days === 1 ? 'day' : 'days'}.`;
}

const ICONS: Record<CheckResult['status'], string> = {
  valid: '✅',
  'missing-key': '❌',
  'invalid-key': '❌',
  forbidden: '⛔',
  'not-found': '❓',
  'missing-scopes': '⛔',
  unavailable: '⚠️',
  unexpected: '⚠️',
};

/** The most reachable workspaces the summary lists; the output lists them all. */
const MAX_LISTED = 50;

/** Returns the expiry with its days left as the outputs and the summary count them, for the expiry warning to use the same number. */
export async function reportCheck(out: Pick<Runner, 'setOutputs' | 'appendSummary'>, report: CheckReport): Promise<CountedExpiry | undefined> {
  const { result, keyType, apiBase, durationMs } = report;
  const expiryCounted = counted(report.expiry);
  const expiry = expiryOutputs(expiryCounted);
  const reachable = result.reachable?.map((info) => ({
    handle: handleOf(info),
    url: workspaceUrl(apiBase, info.account_id, info.workspace_id),
  }));
  out.setOutputs({
    status: result.status,
    'status-code': result.statusCode === undefined ? '' : String(result.statusCode),
    'workspace-url': result.workspaceUrl ?? '',
    'key-type': keyType,
    workspaces: reachable ? JSON.stringify(reachable) : '',
    'key-expires-at': expiry.at,
    'key-days-left': expiry.days,
    scopes: report.scopes ? JSON.stringify(report.scopes) : '',
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
  if (result.detail) lines.push('', mdText(result.detail, 2000));
  // A failed check's summary is about what failed: an expiry line there (even "never expires") reads as part of the verdict.
  const expires = result.status === 'valid' ? expiryLine(expiryCounted) : undefined;
  if (expires) lines.push('', mdText(expires));
  if (report.noWorkspaceNamed && result.status === 'valid') {
    lines.push(
      '',
      'No workspace was named: only the key itself was checked (through `/me/workspaces`), not its access to a workspace. Name one with `api-url` (a workspace URL, as `PREFECT_API_URL` holds it: `.../api/accounts/ACCOUNT_ID/workspaces/WORKSPACE_ID`), `workspace` (`account-handle/workspace-handle`), or `account` and `workspace` (ids or handles).',
    );
  }
  if (reachable && reachable.length > 0) {
    lines.push('', '| Reachable workspace | PREFECT_API_URL |', '| --- | --- |');
    for (const entry of reachable.slice(0, MAX_LISTED)) lines.push(`| ${mdText(entry.handle)} | ${mdCode(displayUrl(entry.url) ?? '')} |`);
    if (reachable.length > MAX_LISTED) lines.push('', `and ${reachable.length - MAX_LISTED} more, listed in the workspaces output.`);
  }
  await out.appendSummary(lines.join('\n'));
  return expiryCounted;
}

/** The summary says what was exported for the job's later steps, never the key itself; and why the key was not, when it was withheld. */
export async function reportExport(
  out: Pick<Runner, 'appendSummary'>,
  exported: { rotatedKey: boolean; workspaceUrl?: string; keyWithheld?: string },
): Promise<void> {
  const shownUrl = exported.workspaceUrl && displayUrl(exported.workspaceUrl);
  const url = shownUrl ? `\`PREFECT_API_URL\` (${mdCode(shownUrl)})` : '';
  if (exported.keyWithheld !== undefined) {
    const urlOnly = url ? ` Exported ${url} for the job's later steps.` : '';
    await out.appendSummary(`\n\`PREFECT_API_KEY\` was not exported: ${mdText(exported.keyWithheld.replace(/\.?$/, '.'))}${urlOnly}`);
    return;
  }
  const key = exported.rotatedKey ? 'the new key' : 'the checked key';
  await out.appendSummary(`\nExported \`PREFECT_API_KEY\` (${key}, masked)${url ? ` and ${url}` : ''} for the job's later steps.`);
}
