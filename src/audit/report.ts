// The audit's outputs and job summary. Names come from the server: they were
// checked where parsed (printable, bounded), and are escaped here like every
// other outside text in a summary.

import { mdCode, mdText } from '../safe-text.ts';
import type { Runner } from '../runner.ts';
import type { KeyRow } from './expiries.ts';

/** listed: the service accounts were read; any other status says why not, and nothing about the keys. */
export type AuditStatus = 'listed' | 'invalid-key' | 'forbidden' | 'not-found' | 'unavailable' | 'unexpected';

export interface AuditListing {
  rows: KeyRow[];
  accountLabel: string;
  warnWithinDays: number;
  expiring: number;
  neverExpiring: number;
  requests: number;
  durationMs: number;
}

/** The most rows the summary shows (it is bounded at 64 KiB); the keys output holds them all. */
export const MAX_SUMMARY_ROWS = 200;

export async function reportListing(out: Pick<Runner, 'setOutputs' | 'appendSummary'>, listing: AuditListing): Promise<void> {
  const { rows, accountLabel, warnWithinDays, expiring, neverExpiring, requests, durationMs } = listing;
  out.setOutputs({ status: 'listed', keys: JSON.stringify(rows), expiring: String(expiring), 'never-expiring': String(neverExpiring) });
  const soon = expiring === 0 ? 'none expires' : expiring === 1 ? '1 expires' : `${expiring} expire`;
  // warn-within-days 0 asks for no warnings: the heading then says what was listed, not what is due.
  const heading =
    warnWithinDays === 0
      ? `### Prefect Cloud service account keys: ${rows.length} listed`
      : `### ${expiring > 0 ? '⚠️' : '✅'} Prefect Cloud service account keys: ${soon} within ${warnWithinDays} ${warnWithinDays === 1 ? 'day' : 'days'}`;
  const lines = [
    heading,
    '',
    `${rows.length} service ${rows.length === 1 ? 'account' : 'accounts'} of account ${mdText(accountLabel)}; ${neverExpiring} ${neverExpiring === 1 ? 'key never expires' : 'keys never expire'}. Listed in ${requests} ${requests === 1 ? 'request' : 'requests'}, ${(durationMs / 1000).toFixed(2)} s.`,
  ];
  if (rows.length > 0) {
    lines.push('', '| Service account | Id | Key expires | Days left |', '| --- | --- | --- | --- |');
    for (const row of rows.slice(0, MAX_SUMMARY_ROWS)) {
      const expires = row['key-id'] === null ? 'no key' : (row['expires-at'] ?? 'never');
      lines.push(`| ${mdText(row['service-account'])} | ${mdCode(row['service-account-id'])} | ${expires} | ${row['days-left'] ?? '–'} |`);
    }
    if (rows.length > MAX_SUMMARY_ROWS) lines.push('', `and ${rows.length - MAX_SUMMARY_ROWS} more, listed in the keys output.`);
  }
  await out.appendSummary(lines.join('\n'));
}

export async function reportFailure(out: Pick<Runner, 'setOutputs' | 'appendSummary'>, status: Exclude<AuditStatus, 'listed'>, message: string): Promise<void> {
  out.setOutputs({ status, keys: '', expiring: '', 'never-expiring': '' });
  await out.appendSummary([`### ⚠️ Prefect Cloud service account keys: ${status}`, '', mdText(message, 2000)].join('\n'));
}
