// The rotation's outputs and its part of the job summary.

import { describeDestination } from '../github/secrets.ts';
import { mdText } from '../safe-text.ts';
import type { Runner } from '../runner.ts';
import type { RotationOutcome } from './plan.ts';

/** How a rotation ended, for the `rotation` output: what a later step branches on. */
export type RotationEnding = 'rotated' | 'dry-run' | 'not-due' | 'up-to-date' | 'failed';

/**
 * An error first: whatever else happened, the step fails. A rotation skipped (not due, or the work already
 * done) says so even in a dry run, which stopped there too. `rotated` false without an error is a key that
 * another rotation replaced after it was written: the secrets hold a key that will stop working.
 */
export function rotationEnding(outcome: RotationOutcome): RotationEnding {
  if (outcome.error) return 'failed';
  if (outcome.skipped) return outcome.upToDate ? 'up-to-date' : 'not-due';
  if (outcome.dryRun) return 'dry-run';
  return outcome.rotated ? 'rotated' : 'failed';
}

const VERDICTS: Record<RotationEnding, string> = {
  failed: '❌ failed',
  'dry-run': '🧪 dry run, nothing changed',
  'not-due': '⏭️ not due, nothing changed',
  'up-to-date': '✅ up to date, nothing to do',
  rotated: '🔁 done',
};

/** The rotation's outputs, written at once (synchronously: a cancelled run writes them before it exits). */
export function rotationOutputs(out: Pick<Runner, 'setOutputs' | 'setSecretOutput'>, outcome: RotationOutcome): void {
  const live = outcome.newKeyLive ? outcome.newKey : undefined;
  out.setOutputs({
    rotation: rotationEnding(outcome),
    'new-key-id': live?.id ?? '',
    'new-key-expires-at': live?.expiresAt ?? '',
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
  const lines = [`### Key rotation: ${VERDICTS[rotationEnding(outcome)]}`, '', ...outcome.steps.map((step) => `- ${mdText(step, 2000)}`)];
  if (outcome.error) lines.push(`- **${mdText(outcome.error, 4000)}**`);
  if (outcome.written.length + outcome.failed.length > 0) {
    lines.push('', `| Secret ${secretName} in | Written |`, '| --- | --- |');
    for (const destination of outcome.written) lines.push(`| ${mdText(describeDestination(destination))} | ✅ |`);
    for (const { destination } of outcome.failed) lines.push(`| ${mdText(describeDestination(destination))} | ❌ |`);
  }
  await out.appendSummary(lines.join('\n'));
}
