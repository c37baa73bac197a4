// Fault matrix, the rotation's GitHub calls: the destination's public key
// (pre-flight) and the secret write, for both rotation APIs. README: a
// pre-flight failure changes nothing; a failed write leaves, through REST, the
// new key in new-api-key and the old key working through its grace; through
// GraphQL, a write GitHub refused (no secret written) deletes the new key
// again, but a write whose answer never came may have landed, so both keys
// stay live. A secret must never be left holding a key that was deleted.

import { BASE_FAULTS, defineMatrix, rowsFor, withEmulator, type FaultName, type Row, type Variant } from './matrix.ts';
import { describePlan, runRotationCell, type Outcome, type RotationPlan } from './rotation-cells.ts';

const NO_ANSWER: FaultName[] = ['delay', 'hang'];
/** GitHub: a 429 whose quota is not spent is a secondary rate limit, to wait out for at least a minute: longer than the cell's deadline, so it is not retried. */
const SECONDARY_LIMIT: FaultName = '429';

function publicKeyPlan(fault: FaultName, variant: Variant): RotationPlan {
  if (fault === SECONDARY_LIMIT) return { outcome: 'unchanged', requests: 1 };
  return variant === 'once' ? { outcome: 'rotated', requests: 2 } : { outcome: 'unchanged', requests: 2 };
}

function writePlan(api: 'rest' | 'graphql', fault: FaultName, variant: Variant): RotationPlan {
  const failed: Outcome = api === 'rest' ? 'new key in output' : 'rolled back';
  // No answer after sending: the write may have landed, so GraphQL must not delete the new key.
  const unanswered: Outcome = api === 'rest' ? 'new key in output' : 'kept both';
  // A write that never answers is given its share of the time (src/http/retry.ts attemptShare), then sent again:
  // writing a secret twice is harmless (PUT). Unanswered both times, it may have landed.
  if (NO_ANSWER.includes(fault)) return variant === 'once' ? { outcome: 'rotated', requests: 2 } : { outcome: unanswered, requests: 2 };
  // 200 is not an answer GitHub gives to a secret write (201 or 204): not retried, and not counted as written. A 2xx
  // still says the write succeeded, so it may have landed: GraphQL must not delete the new key from under it.
  if (fault === 'malformed' || fault === 'empty') return { outcome: unanswered, requests: 1 };
  if (fault === SECONDARY_LIMIT) return { outcome: failed, requests: 1 };
  if (variant === 'once') return { outcome: 'rotated', requests: 2 };
  // The secret was written but the answer lost: the action may look and find it written, or fail,
  // but must not delete the new key from under the secret.
  if (fault === 'reset after effect') return { outcome: ['rotated', unanswered], requests: 2 };
  // A body cut short: the answer never arrived whole.
  if (fault === 'reset') return { outcome: unanswered, requests: 2 };
  return { outcome: failed, requests: 2 };
}

const plans: Record<string, { faults: FaultName[]; plan: (fault: FaultName, variant: Variant) => RotationPlan }> = {
  'gh-public-key (rest)': { faults: BASE_FAULTS, plan: publicKeyPlan },
  'gh-secret-put (rest)': { faults: [...BASE_FAULTS, 'reset after effect'], plan: (fault, variant) => writePlan('rest', fault, variant) },
  'gh-secret-put (graphql)': { faults: [...BASE_FAULTS, 'reset after effect'], plan: (fault, variant) => writePlan('graphql', fault, variant) },
};

const rows: Row[] = Object.entries(plans).flatMap(([route, { faults, plan }]) =>
  rowsFor(route, faults, (fault, variant) => describePlan(plan(fault, variant))),
);

defineMatrix('rotation, GitHub calls', rows, (row, note) =>
  withEmulator((emu) => runRotationCell(emu, row, plans[row.route]!.plan(row.fault, row.variant), note)),
);
