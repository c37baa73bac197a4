// The rotation's outputs and its part of the job summary.

import { describeDestination } from '../github/secrets.ts';
import type { Runner } from '../runner.ts';
import type { RotationOutcome } from './plan.ts';

function verdict(outcome: RotationOutcome): string {
  if (outcome.error) return '❌ failed';
  if (outcome.dryRun) return '🧪 dry run, nothing changed';
  return '🔁 done';
}

export function reportRotation(out: Pick<Runner, 'setOutputs' | 'setSecretOutput' | 'appendSummary'>, outcome: RotationOutcome, secretName: string): void {
  const live = outcome.newKeyLive ? outcome.newKey : undefined;
  out.setOutputs({
    rotated: String(outcome.rotated),
    'new-key-id': live?.id ?? '',
    'new-key-expires-at': live?.expiresAt ?? '',
    'secret-updated': String(outcome.written.length > 0 && outcome.failed.length === 0),
    'old-key-revoked': String(outcome.retirement?.revoked ?? false),
    'old-key-expires-at': outcome.retirement?.expiresAt ?? '',
  });
  if (live) out.setSecretOutput('new-api-key', live.value);

  const lines = [`### Key rotation: ${verdict(outcome)}`, '', ...outcome.steps.map((step) => `- ${step}`)];
  if (outcome.error) lines.push(`- **${outcome.error}**`);
  if (outcome.written.length + outcome.failed.length > 0) {
    lines.push('', `| Secret ${secretName} in | Written |`, '| --- | --- |');
    for (const destination of outcome.written) lines.push(`| ${describeDestination(destination)} | ✅ |`);
    for (const { destination } of outcome.failed) lines.push(`| ${describeDestination(destination)} | ❌ |`);
  }
  out.appendSummary(lines.join('\n'));
}
