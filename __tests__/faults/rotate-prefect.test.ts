// Fault matrix, the rotation's Prefect calls: REST rotate_api_key, Cloud 1
// create_api_key and delete_api_key. README: a create or rotation is never
// repeated blindly (after an ambiguous failure the action looks first, then
// tries again, honouring Retry-After like every retry); a failed create
// changes nothing; a failed revocation leaves the secrets holding the new key
// and the old key working.

import { BASE_FAULTS, defineMatrix, rowsFor, withEmulator, type FaultName, type Row, type Variant } from './matrix.ts';
import { describePlan, runRotationCell, type RotationPlan } from './rotation-cells.ts';

function createPlan(api: 'rest' | 'graphql', fault: FaultName, variant: Variant): RotationPlan {
  // An error in `errors` proves nothing was created: refused, not repeated.
  if (fault === 'graphqlError') return { outcome: 'unchanged', requests: 1 };
  // REST: a rotation whose answer is lost is never sent again while it might still land; the action
  // watches the service account. Seen to have happened, it rotates once more (no longer blind), which
  // succeeds or, lost too, fails saying what happened; not seen, it fails. Only a 429 (refused before
  // Prefect acted on it) is tried again.
  if (api === 'rest' && fault === 'reset after effect') return { outcome: variant === 'once' ? 'rotated' : 'rotation lost', requests: 2 };
  if (api === 'rest' && !fault.startsWith('429')) return { outcome: 'unchanged', requests: 1 };
  // The create gets half of the time left, so one that never answers leaves time to look and try again.
  if (variant === 'once') return { outcome: 'rotated', requests: 2 };
  return { outcome: 'unchanged', requests: 2 };
}

function deletePlan(fault: FaultName, variant: Variant): RotationPlan {
  // Revoking gets the cleanup allowance, a first request half of it: one that never answers leaves time to try again.
  if (variant === 'once') return { outcome: 'rotated', requests: 2 };
  // The delete was carried out but its answers lost: the action looks again, finds the old key gone, and says so.
  if (fault === 'reset after effect') return { outcome: 'rotated', requests: 2 };
  return { outcome: 'old key not revoked', requests: 2 };
}

const plans: Record<string, { faults: FaultName[]; plan: (fault: FaultName, variant: Variant) => RotationPlan }> = {
  'bots-rotate': { faults: [...BASE_FAULTS, 'reset after effect'], plan: (fault, variant) => createPlan('rest', fault, variant) },
  'graphql:create_api_key': { faults: [...BASE_FAULTS, 'reset after effect', 'graphqlError'], plan: (fault, variant) => createPlan('graphql', fault, variant) },
  'graphql:delete_api_key': { faults: [...BASE_FAULTS, 'reset after effect', 'graphqlError'], plan: deletePlan },
};

const rows: Row[] = Object.entries(plans).flatMap(([route, { faults, plan }]) =>
  rowsFor(route, faults, (fault, variant) => describePlan(plan(fault, variant))),
);

defineMatrix('rotation, Prefect calls', rows, (row, note) =>
  withEmulator((emu) => runRotationCell(emu, row, plans[row.route]!.plan(row.fault, row.variant), note)),
);
