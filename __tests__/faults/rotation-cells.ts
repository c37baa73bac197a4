// What a rotation cell asserts: the outcome the README's failure table gives
// for the step that failed, and what must hold whatever happened: a secret
// never holds a dead key, a key in new-api-key works, and nothing is claimed
// that the emulator's state contradicts.

import type { Emulator } from '../emulator/index.ts';
import type { Timings } from '../../src/clock/timings.ts';
import { skippingClock } from '../support/clock.ts';
import { MAX_ANNOTATION_LENGTH } from '../../src/safe-text.ts';
import { wholeMessage } from '../support/action.ts';
import { rotateRecorded, type RecordedStep } from '../support/in-process-step.ts';
import { graphqlInputs, repoSecret, restInputs } from '../support/rotation.ts';
import { expectGitHubRetryAfterHonoured, expectRetryAfterHonoured, faultFor, faultRouteOf, requestsOn, type FaultName, type Note, type Row } from './matrix.ts';

export type Api = 'rest' | 'graphql';

export type Outcome =
  /** Every secret holds the new key; the old key is retired (REST: once the grace ends). */
  | 'rotated'
  /** Pre-flight or the create failed: the old key and the secrets are as they were. */
  | 'unchanged'
  /** REST: rotations happened but their answers were lost; the old key works until its grace ends, the secret is unchanged. */
  | 'rotation lost'
  /** REST, verify or write failed: the new key in new-api-key, the old key works until the grace ends. */
  | 'new key in output'
  /** GraphQL, no secret written: the new key deleted again, the old key and the secrets as they were. */
  | 'rolled back'
  /** GraphQL, a secret may hold the new key: both keys live, the new one in new-api-key. */
  | 'kept both'
  /** GraphQL, revoking failed: the secrets hold the new key, the old one still works. */
  | 'old key not revoked';

export interface RotationPlan {
  /** Several when the action may either find out what a lost answer did (and finish), or fail safe. */
  outcome: Outcome | Outcome[];
  /** Requests on the faulted route. */
  requests: number;
}

/**
 * Long enough for GitHub's client to retry a request that never answers (half of the time, a pause, the rest) and
 * for the rotation to finish after it, with room for the exchanges of a loaded machine (cells run side by side) before
 * a Retry-After of 1 s. A server that never answers costs real time (an attempt's time limit is a
 * real timer); every other wait is skipped on the step's clock.
 */
export const ROTATION_TIMEOUT_S = 5;
/**
 * Today's timing settings scaled to the shorter deadline: the same proportions, so the same path through each
 * failure. The key's expiry is not waited for: on a clock that skips its waits, that wait would spend 2 s of the
 * deadline at once.
 */
const TIMINGS: Partial<Timings> = {
  expiryWaitMs: 0,
  cleanupReserveMs: 5_000,
  writeMsPerDestination: 1_000,
  githubRetryBaseMs: 500,
  githubRateLimitBaseMs: 250,
  writeSpacingMs: 500,
};
export const GRACE_S = 60;
const RETRIES = 1;

export const DESCRIPTIONS: Record<Outcome, string> = {
  rotated: 'rotated, exit 0, one live key = the secret',
  unchanged: 'fails, exit 1, nothing changed (old key live, secret untouched)',
  'rotation lost': 'fails, exit 1, old key works until the grace ends, secret untouched',
  'new key in output': 'fails, exit 1, new key live in new-api-key, old key live, secret untouched (or the new key, if a lost write landed)',
  'rolled back': 'fails, exit 1, new key deleted again, old key live, secret untouched',
  'kept both': 'fails, exit 1, both keys live, new key in new-api-key, secret holds a live key',
  'old key not revoked': 'fails, exit 1, secret holds the new key, old key still works',
};

export function describePlan(plan: RotationPlan): string {
  return `${plan.requests === 1 ? '1 request' : `${plan.requests} requests`}; ${[plan.outcome]
    .flat()
    .map((outcome) => DESCRIPTIONS[outcome])
    .join('; or ')}`;
}

export function apiOf(route: string): Api {
  if (route.includes('(graphql)') || route.startsWith('graphql')) return 'graphql';
  return 'rest';
}

function inputs(emu: Emulator, api: Api): Record<string, string> {
  const common = { retries: String(RETRIES), 'timeout-seconds': String(ROTATION_TIMEOUT_S) };
  return api === 'rest' ? restInputs(emu, { ...common, 'old-key-grace-seconds': String(GRACE_S) }) : graphqlInputs(emu, common);
}

function identity(emu: Emulator, api: Api): { actorId: string; oldKey: string } {
  return api === 'rest' ? { actorId: emu.seed.bot.id, oldKey: emu.seed.bot.key } : { actorId: emu.seed.cloud1.serviceAccountId, oldKey: emu.seed.cloud1.key };
}

/** The error annotation's message, whole (a long one is shortened in the annotation and whole in the summary). */
function errorOf(run: RecordedStep): string {
  return wholeMessage(run, errorAnnotationOf(run));
}

function errorAnnotationOf(run: RecordedStep): string {
  return run.annotations.find((annotation) => annotation.level === 'error')?.message ?? '';
}

/** What must hold after any rotation run, failed or not. */
export function expectConsistent(emu: Emulator, run: RecordedStep, api: Api): void {
  const { oldKey } = identity(emu, api);
  const held = emu.secret(repoSecret(emu))?.plaintext;
  const fresh = run.outputs['new-api-key'];
  // A secret never holds a key that does not work.
  if (held !== undefined) expect({ secretHoldsLiveKey: emu.isKeyLive(held) }).toEqual({ secretHoldsLiveKey: true });
  if (fresh !== undefined) expect({ newApiKeyLive: emu.isKeyLive(fresh) }).toEqual({ newApiKeyLive: true });
  if (run.outputs.rotation === 'rotated' && run.outputs['old-key-expires-at'] === '')
    expect({ oldKeyLive: emu.isKeyLive(oldKey) }).toEqual({ oldKeyLive: false });
  if (run.outputs.rotation === 'rotated') expect(held).toBe(fresh);
  // A message that says nothing changed must be true.
  if (/the old key and the secrets are as they were/.test(errorOf(run))) {
    expect({ secret: held, oldKeyLive: emu.isKeyLive(oldKey) }).toEqual({ secret: undefined, oldKeyLive: true });
  }
  // Something that works is always left: the old key, the secret's key, or the key in new-api-key.
  expect([oldKey, held, fresh].some((value) => value !== undefined && emu.isKeyLive(value))).toBe(true);
}

function liveValues(emu: Emulator, actorId: string): string[] {
  return emu
    .liveKeys(actorId)
    .map((key) => key.value)
    .sort();
}

/** Runs one rotation cell: the fault on the row's route, the rotation, the outcome's assertions. */
export async function runRotationCell(emu: Emulator, row: Row, plan: RotationPlan, note: Note): Promise<void> {
  const api = apiOf(row.route);
  const { actorId, oldKey } = identity(emu, api);
  emu.fault(faultRouteOf(row.route), faultFor(row.fault as FaultName, row.variant, ROTATION_TIMEOUT_S * 1000));
  const { clock, sleeps } = skippingClock();
  const run = await rotateRecorded(emu, inputs(emu, api), { clock, timings: TIMINGS });
  const onRoute = requestsOn(emu, row.route);
  const held = emu.secret(repoSecret(emu))?.plaintext;
  const fresh = run.outputs['new-api-key'];
  const liveNow = liveValues(emu, actorId);
  const describeKey = (value: string | undefined) =>
    value === undefined ? 'none' : value === oldKey ? 'old' : value === fresh ? 'new' : emu.isKeyLive(value) ? 'other live' : 'dead';
  note(
    `exit ${run.exitCode}, rotation=${run.outputs.rotation ?? ''}, ${onRoute.length} requests, live keys ${liveNow.length}, secret ${describeKey(held)}, new-api-key ${fresh === undefined ? 'unset' : emu.isKeyLive(fresh) ? 'live' : 'dead'}, ${run.durationMs} ms ${process.env.CELL_DEBUG ? errorOf(run) : ''}`,
  );

  expect(run.outputs.status).toBe('valid');
  expect(onRoute).toHaveLength(plan.requests);
  if (row.fault === '429 Retry-After' && plan.requests > 1) {
    if (row.route.startsWith('gh-')) expectGitHubRetryAfterHonoured(onRoute, TIMINGS.githubRateLimitBaseMs!);
    else expectRetryAfterHonoured(sleeps);
  }
  expectConsistent(emu, run, api);

  const error = errorOf(run);
  // Whatever failed, the annotation stays within 400 characters; the summary holds the rest.
  expect(errorAnnotationOf(run).length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  const puts = emu.requests.filter((request) => request.route === 'gh-secret-put');
  const outcomes = [plan.outcome].flat();
  const outcome = run.exitCode === 0 && outcomes.includes('rotated') ? 'rotated' : (outcomes.find((candidate) => candidate !== 'rotated') ?? 'rotated');
  switch (outcome) {
    case 'rotated': {
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ rotation: 'rotated' });
      expect(held).toBeDefined();
      expect(fresh).toBe(held);
      if (api === 'rest') emu.advance((GRACE_S + 1) * 1000);
      expect(liveValues(emu, actorId)).toEqual([held]);
      break;
    }
    case 'unchanged': {
      expect(run.exitCode).toBe(1);
      expect(run.outputs.rotation).toBe('failed');
      expect(fresh).toBeUndefined();
      expect(held).toBeUndefined();
      expect(puts).toEqual([]);
      expect(liveNow).toEqual([oldKey]);
      expect(error).toMatch(/^(Pre-flight failed, nothing was changed: |Creating the new key failed: )/);
      break;
    }
    case 'rotation lost': {
      expect(run.exitCode).toBe(1);
      expect(fresh).toBeUndefined();
      expect(held).toBeUndefined();
      expect(emu.isKeyLive(oldKey)).toBe(true);
      expect(error).toMatch(/^Creating the new key failed: .*the old key keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z\.( A run before \S+ refuses .+)?$/);
      break;
    }
    case 'new key in output': {
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ rotation: 'failed' });
      expect(fresh).toMatch(/^pnb_/);
      expect(emu.isKeyLive(oldKey)).toBe(true);
      expect([undefined, fresh]).toContain(held);
      expect(error).toMatch(
        /(The new key is in this step's masked new-api-key output for a following step|Both keys stay live: the new one is in this step's masked new-api-key output); the old key keeps working until \d{4}-\d\d-\d\dT[\d:.]+Z\. (Run the workflow again to finish\.|Unless a secret holds it, a run of the workflow before \d{4}-\d\d-\d\dT[\d:.]+Z refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too\.)$/,
      );
      break;
    }
    case 'rolled back': {
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ rotation: 'failed', 'new-key-id': '' });
      expect(fresh).toBeUndefined();
      expect(held).toBeUndefined();
      expect(liveNow).toEqual([oldKey]);
      expect(error).toMatch(/The new key was deleted again; the old key and the secrets are as they were\.$/);
      break;
    }
    case 'kept both': {
      expect(run.exitCode).toBe(1);
      expect(fresh).toBeDefined();
      expect(liveNow).toEqual([oldKey, fresh].sort());
      expect([undefined, fresh]).toContain(held);
      expect(error).toMatch(
        /^Secret \S+ (was written to .+ but not to .+|failed \(.+\))\.(?: The answer from .+ was lost, so it may hold the new key\.)? Both keys stay live: the new one is in this step's masked new-api-key output; the old key still works\. Run the workflow again to finish\.$/,
      );
      break;
    }
    case 'old key not revoked': {
      expect(run.exitCode).toBe(1);
      expect(run.outputs).toMatchObject({ rotation: 'failed' });
      expect(held).toBe(fresh);
      expect(error).toMatch(
        /^The secrets hold the new key, but old key [0-9a-f-]{36} could not be revoked\. Run the workflow again, or delete it in Prefect Cloud 1\.$/,
      );
      // A delete carried out with its answer lost is found gone when the action looks again: it is never reported as failed.
      expect(liveNow).toEqual([oldKey, held].sort());
      break;
    }
  }
}
