// The rotation's outputs and its part of the job summary.

import { describeDestination } from '../github/secrets.ts';
import { mdText } from '../safe-text.ts';
import type { Runner } from '../runner.ts';
import type { RotationOutcome } from './plan.ts';

function verdict(outcome: RotationOutcome): string {
  if (outcome.error) return '❌ failed';
  if (outcome.dryRun) return '🧪 dry run, nothing changed';
  if (outcome.skipped) return '⏭️ not due, nothing changed';
  return '🔁 done';
}

/** The rotation's outputs, written at once (synchronously: a cancelled run writes them before it exits). */
export function rotationOutputs(out: Pick<Runner, 'setOutputs' | 'setSecretOutput'>, outcome: RotationOutcome): void {
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
}

export async function reportRotation(
  out: Pick<Runner, 'setOutputs' | 'setSecretOutput' | 'appendSummary'>,
  outcome: RotationOutcome,
  secretName: string,
): Promise<void> {
  rotationOutputs(out, outcome);
  const lines = [`### Key rotation: ${verdict(outcome)}`, '', ...outcome.steps.map((step) => `- ${mdText(step, 2000)}`)];
  if (outcome.error) lines.push(`- **${mdText(outcome.error, 4000)}**`);
  if (outcome.written.length + outcome.failed.length > 0) {
    lines.push('', `| Secret ${secretName} in | Written |`, '| --- | --- |');
    for (const destination of outcome.written) lines.push(`| ${mdText(describeDestination(destination))} | ✅ |`);
    for (const { destination } of outcome.failed) lines.push(`| ${mdText(describeDestination(destination))} | ❌ |`);
  }
  await out.appendSummary(lines.join('\n'));
}
